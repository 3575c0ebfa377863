"""Precision and recall of the press-release and proxy contact parsers over every real
document in ../shared/fixtures/real/ (the expected contacts are `tests/press_expected.py`),
and press releases parsed per CPU-second.

    .venv/bin/python bench/press_contacts.py [--seconds 3] [--verbose]

A contact counts as found when `contact_key` says it is the table's: kind, value, person
and organisation agree. Precision: found / extracted; recall: found / expected.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scrapers.edgar.press import parse_press_contacts, parse_submission_file  # noqa: E402
from scrapers.edgar.proxy import parse_board_communications  # noqa: E402
from tests.press_expected import DOCUMENTS, PROXY, contact_key  # noqa: E402

REAL = REPO.parent / "shared" / "fixtures" / "real"


def extract(expected, data: bytes) -> list[tuple]:
    """(kind, value, person, organisation) as the importer's parsers give them."""
    if expected.kind == PROXY:
        return [(c.kind, c.value, None, None) for c in parse_board_communications(data)]
    if b"<DOCUMENT>" in data:
        submission = parse_submission_file(data)
        releases = [d.content for d in submission.press_releases]
    else:
        releases = [data]
    return [(c.kind, c.value, c.person_name, c.organisation)
            for release in releases for c in parse_press_contacts(release, company_name=expected.company)]


def score(verbose: bool) -> tuple[int, int, int]:
    found = extracted = expected_total = 0
    for expected in DOCUMENTS:
        data = (REAL / expected.path).read_bytes()
        got = {contact_key(c, expected.company) for c in extract(expected, data)}
        want = {contact_key(c, expected.company) for c in expected.contacts}
        found += len(got & want)
        extracted += len(got)
        expected_total += len(want)
        if verbose and got != want:
            print(f"{expected.path}\n  missed: {sorted(want - got, key=str)}\n  wrong:  {sorted(got - want, key=str)}")
    return found, extracted, expected_total


def releases_per_cpu_second(seconds: float) -> tuple[float, int]:
    documents = [(e, (REAL / e.path).read_bytes()) for e in DOCUMENTS if e.kind != PROXY]
    count, start = 0, time.process_time()
    while time.process_time() - start < seconds:
        for expected, data in documents:
            extract(expected, data)
        count += len(documents)
    return count / (time.process_time() - start), len(documents)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--verbose", action="store_true", help="list each document's misses and wrong contacts")
    args = parser.parse_args()
    if not REAL.is_dir():
        print(f"no fixtures at {REAL}", file=sys.stderr)
        return 1
    found, extracted, expected = score(args.verbose)
    print(f"documents: {len(DOCUMENTS)}; contacts expected {expected}, extracted {extracted}, right {found}")
    print(f"precision: {found / extracted if extracted else 1:.3f}  recall: {found / expected:.3f}")
    rate, count = releases_per_cpu_second(args.seconds)
    print(f"press releases parsed: {rate:,.1f}/s of CPU time on one core ({count} distinct files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
