"""How fast the pure EDGAR parsers are: ownership documents, submissions records, press
releases (contact blocks of 8-K/6-K EX-99 exhibits) and 8-K item 5.02 sentences per second,
on one core.

    .venv/bin/python bench/parse.py [--seconds 3]

Loops over every real captured document in ../shared/fixtures/real/edgar/ (read once into
memory, so only parsing is timed).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scrapers.edgar import parse_ownership, parse_submissions  # noqa: E402
from scrapers.edgar.eightk import leadership_sentence  # noqa: E402
from scrapers.edgar.press import parse_press_contacts, parse_submission_file  # noqa: E402

REAL = REPO.parent / "shared" / "fixtures" / "real" / "edgar"


def press_release_contacts(document: bytes) -> list:
    """What the importer does per filing: split a complete submission file, read each EX-99."""
    if b"<DOCUMENT>" not in document:
        return list(parse_press_contacts(document, company_name="Apple Inc."))
    releases = parse_submission_file(document).press_releases
    return [c for release in releases for c in parse_press_contacts(release.content, company_name="Apple Inc.")]


def rate(parse, documents: list[bytes], seconds: float, clock=time.perf_counter) -> float:
    """Documents parsed per second, cycling through `documents` for about `seconds`."""
    count, start = 0, clock()
    while clock() - start < seconds:
        for document in documents:
            parse(document)
        count += len(documents)
    return count / (clock() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    if not REAL.is_dir():
        print(f"no fixtures at {REAL}", file=sys.stderr)
        return 1
    ownership = [p.read_bytes() for p in sorted((REAL / "ownership").iterdir())]
    submissions = [p.read_bytes() for p in sorted((REAL / "submissions").glob("CIK0*.json"))
                   if "-submissions-" not in p.name]
    print(f"ownership documents: {rate(parse_ownership, ownership, args.seconds):,.0f}/s "
          f"({len(ownership)} distinct files)")
    print(f"submissions records: {rate(parse_submissions, submissions, args.seconds):,.0f}/s "
          f"({len(submissions)} distinct files)")
    releases = [p.read_bytes() for p in sorted((REAL / "8k_ex99").rglob("*")) if p.is_file()]
    # CPU time of this process: the goal is per core, and the machine is shared.
    cpu = rate(press_release_contacts, releases, args.seconds, clock=time.process_time)
    print(f"press releases (filings or EX-99 documents): {cpu:,.1f}/s of CPU time on one core "
          f"({len(releases)} distinct files, {sum(map(len, releases)) / 1e6:.1f} MB)")
    eight_ks = [p.read_bytes() for p in sorted((REAL / "8k").iterdir())]
    cpu = rate(leadership_sentence, eight_ks, args.seconds, clock=time.process_time)
    print(f"8-K item 5.02 sentences: {cpu:,.1f}/s of CPU time on one core "
          f"({len(eight_ks)} distinct files, {sum(map(len, eight_ks)) / 1e3:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
