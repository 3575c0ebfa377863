"""Benchmark `flask scrape edgar --bulk`: a synthetic submissions.zip of N entities, imported.

    .venv/bin/python bench/bulk.py --entities 20000 [--filings 100] [--workdir /tmp/bulk-bench]

With --workdir, the archive is kept there and reused by the next run with the same arguments.
On PostgreSQL: bash .ci/with-postgres.sh sh -c '.venv/bin/python bench/bulk.py --database-url "$DATABASE_URL"'

The archive has EDGAR's layout: one `CIK##########.json` member per entity and, for every
tenth entity, a `CIK##########-submissions-001.json` overflow member (which the bulk reader
skips). Reports the import rate (companies per second, with the CPU seconds beside the wall
time: on a busy machine the CPU time is the steadier figure), the extrapolated time for
900,000 entities, and the peak memory of the process (resource.getrusage).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STATES = ["CA", "NY", "TX", "DE", "WA", "MA", "IL", "NJ", "FL", "GA"]
FORMS = ["4", "10-Q", "8-K", "3", "10-K", "S-8", "SC 13G"]


def submissions_document(cik: int, filings: int, rng: random.Random) -> dict:
    """One entity in the shape of data.sec.gov/submissions/CIK##########.json."""
    state = rng.choice(STATES)
    day = date(2026, 6, 1)
    recent = {key: [] for key in ("accessionNumber", "filingDate", "reportDate", "acceptanceDateTime", "act", "form",
                                  "fileNumber", "filmNumber", "items", "size", "isXBRL", "isInlineXBRL",
                                  "primaryDocument", "primaryDocDescription")}
    for number in range(filings):
        day -= timedelta(days=rng.randint(1, 20))
        form = rng.choice(FORMS)
        recent["accessionNumber"].append(f"{cik:010d}-{day.year % 100:02d}-{number:06d}")
        recent["filingDate"].append(day.isoformat())
        recent["reportDate"].append(day.isoformat())
        recent["acceptanceDateTime"].append(f"{day.isoformat()}T16:30:00.000Z")
        recent["act"].append("34")
        recent["form"].append(form)
        recent["fileNumber"].append("001-12345")
        recent["filmNumber"].append("231234567")
        recent["items"].append("5.02,9.01" if form == "8-K" else "")
        recent["size"].append(rng.randint(3000, 900000))
        recent["isXBRL"].append(0)
        recent["isInlineXBRL"].append(0)
        recent["primaryDocument"].append("xslF345X05/form4.xml" if form == "4" else "doc.htm")
        recent["primaryDocDescription"].append(form)
    address = {"street1": f"{cik % 999} Main Street", "street2": None, "city": "Springfield",
               "stateOrCountry": state, "zipCode": "12345", "stateOrCountryDescription": state}
    return {
        "cik": str(cik), "entityType": "operating", "sic": "3571", "sicDescription": "Electronic Computers",
        "name": f"Synthetic Holdings {cik} Inc.", "tickers": [f"S{cik}"], "exchanges": ["Nasdaq"],
        "ein": f"{cik:09d}", "website": "", "stateOfIncorporation": state, "fiscalYearEnd": "1231",
        "addresses": {"mailing": address, "business": address}, "phone": "555-010-0000",
        "formerNames": [{"name": f"Synthetic Corp {cik}", "from": "2001-01-01T00:00:00.000Z",
                         "to": "2010-01-01T00:00:00.000Z"}],
        "filings": {"recent": recent, "files": []},
    }


def build_archive(path: Path, entities: int, filings: int) -> None:
    rng = random.Random(42)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for cik in range(1_000_001, 1_000_001 + entities):
            archive.writestr(f"CIK{cik:010d}.json", json.dumps(submissions_document(cik, filings, rng)))
            if cik % 10 == 0:
                overflow = submissions_document(cik, filings, rng)["filings"]["recent"]
                archive.writestr(f"CIK{cik:010d}-submissions-001.json", json.dumps(overflow))


def bench_app(workdir: Path, database_url: str | None = None, **config):
    """The app over the bench's database: `database_url`, or SQLite in the workdir."""
    from directory import create_app

    return create_app({
        "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{workdir / 'bench.sqlite'}",
        "SEARCH_INDEX_DIR": str(workdir / "index"), "SEC_USER_AGENT": "CEO Directory bench bench@example.org",
        "SCRAPER_CACHE_DIR": str(workdir / "http-cache"), **config,
    })


def empty_database(database_url: str | None) -> None:
    """In an app context: the PostgreSQL schema dropped (SQLite starts from a new file), then
    every migration applied."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from directory.extensions import db

    if database_url:
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade()


def run_import(archive: Path, workdir: Path, database_url: str | None = None) -> list[tuple[int, float, float]]:
    """Import the archive twice into an empty database: a first load, then a re-run where
    nothing changed. `database_url` (PostgreSQL) is emptied first; default: SQLite in workdir."""
    from directory.extensions import db
    from directory.importers.edgar import EdgarImport, RunOptions
    from scrapers.edgar import iter_bulk_submissions

    app = bench_app(workdir, database_url)
    timings = []
    with app.app_context():
        empty_database(database_url)
        for _ in range(2):
            run = EdgarImport(None, RunOptions(lookback_days=730, as_of=date.today(), with_filings=False,
                                               defer_search=True))
            started, cpu_started = time.perf_counter(), time.process_time()
            count = sum(1 for _ in run.import_bulk(iter_bulk_submissions(str(archive))))
            timings.append((count, time.perf_counter() - started, time.process_time() - cpu_started))
            print("\n".join(run.summary.lines()[:3]))
        db.engine.dispose()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=20000)
    parser.add_argument("--filings", type=int, default=100, help="filings listed per entity")
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL database whose name ends in _test (it is emptied), e.g. the "
                             "DATABASE_URL of `bash .ci/with-postgres.sh`; default: SQLite in the workdir")
    args = parser.parse_args()
    if args.database_url and not args.database_url.rsplit("/", 1)[-1].endswith("_test"):
        parser.error("refusing to empty a database whose name does not end in _test")
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="bulk-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    archive = workdir / f"submissions-{args.entities}x{args.filings}.zip"
    started = time.perf_counter()
    if not archive.exists():  # the same arguments give the same archive: kept for the next run
        build_archive(archive, args.entities, args.filings)
    print(f"archive: {args.entities} entities, {archive.stat().st_size / 1e6:.1f} MB, "
          f"ready in {time.perf_counter() - started:.1f} s")
    for old in workdir.glob("bench.sqlite*"):  # every run starts from an empty database
        old.unlink()
    shutil.rmtree(workdir / "index", ignore_errors=True)
    print(f"load average before the import: {os.getloadavg()[0]:.1f} (2 cores: wall times above 2 are inflated)")
    for label, (count, elapsed, cpu) in zip(("first load", "unchanged re-run"), run_import(archive, workdir, args.database_url)):
        rate = count / elapsed
        print(f"{label}: {count} companies in {elapsed:.1f} s ({cpu:.1f} s CPU): {rate:.0f} companies/s; "
              f"900,000 entities at this rate: {900_000 / rate / 60:.1f} min (goal: under 15)")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak_mb:.0f} MB (goal: under 1024)")


if __name__ == "__main__":
    main()
