"""How fast the pure EDGAR parsers are: ownership documents (and submissions records) per second.

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

REAL = REPO.parent / "shared" / "fixtures" / "real" / "edgar"


def rate(parse, documents: list[bytes], seconds: float) -> float:
    """Documents parsed per second, cycling through `documents` for about `seconds`."""
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for document in documents:
            parse(document)
        count += len(documents)
    return count / (time.perf_counter() - start)


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
    return 0


if __name__ == "__main__":
    sys.exit(main())
