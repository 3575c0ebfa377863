"""Benchmark the whole-market first load from SEC's insider-transaction data sets, and count
the requests of a daily refresh.

    .venv/bin/python bench/insider_datasets.py --issuers 7000 --filings 400000 --owners 450000 \
        [--quarters 8] [--workdir /tmp/insider-bench] [--daily-filings 4000 --daily-known 300]
On PostgreSQL: bash .ci/with-postgres.sh sh -c '.venv/bin/python bench/insider_datasets.py --database-url "$DATABASE_URL"'

Generates `<YYYY>q<N>_form345.zip` quarters in the real layout (every column of SUBMISSION.tsv
and REPORTINGOWNER.tsv that FORM_345_metadata.json lists, dates like `31-JUL-2024`,
relationships like `Director,Officer`, plus an ignored NONDERIV_TRANS.tsv), kept in the workdir
for the next run with the same arguments. Issuers' filing counts are skewed (a few file
hundreds of times, most a handful); each has a board and officers, some of whom stop filing
after a few quarters.

Then, in one process on an empty database: the first load (`flask scrape edgar
--insider-datasets` through the same functions), an unchanged re-run, the peak memory; and,
with --daily-filings, a daily index of that many filings of which --daily-known are by
companies the load created, served with their submissions and new Form 4s from a loopback
mirror: the mirror's log gives the requests the daily refresh made.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bulk import bench_app, empty_database  # noqa: E402
from tests.insider_layout import write_quarter  # noqa: E402

MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
OFFICER_TITLES = ["Chief Executive Officer", "President and CEO", "Chief Financial Officer", "EVP, General Counsel",
                  "Chief Operating Officer", "SVP, Chief Accounting Officer", "Chief Technology Officer",
                  "President, Consumer Segment", "CEO, Energy Division", "Co-CEO", "See Remarks"]
FIRST = "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Susan Richard Karen".split()
LAST = "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Wilson".split()
FIRST_QUARTER = (2023, 1)
AS_OF = date(2024, 12, 31)


def sec_date(day: date) -> str:
    return f"{day.day:02d}-{MONTHS[day.month - 1]}-{day.year}"


def quarters(count: int) -> list[tuple[int, int]]:
    year, number = FIRST_QUARTER
    result = []
    for _ in range(count):
        result.append((year, number))
        year, number = (year + 1, 1) if number == 4 else (year, number + 1)
    return result


class Market:
    """Issuers with boards and officers; each owner files in a span of quarters."""

    def __init__(self, issuers: int, quarter_count: int, rng: random.Random):
        self.rng = rng
        self.issuers = []
        owner_cik = 5_000_000
        for number in range(issuers):
            cik = 1_500_000 + number
            weight = rng.paretovariate(1.2)  # a few very active filers, a long tail
            people = []
            for seat in range(rng.randint(6, 14)):
                owner_cik += 1
                officer = seat < 5
                title = OFFICER_TITLES[seat] if seat < 2 else rng.choice(OFFICER_TITLES[2:]) if officer else ""
                relationship = "Director,Officer" if seat == 0 else "Officer" if officer else "Director"
                start = rng.randint(0, quarter_count - 1) if rng.random() < 0.2 else 0
                end = rng.randint(start, quarter_count - 1) if rng.random() < 0.2 else quarter_count - 1
                people.append((f"{owner_cik:010d}", f"{rng.choice(LAST)} {rng.choice(FIRST)} {chr(65 + seat)}",
                               relationship, title, start, end))
            if rng.random() < 0.1:
                owner_cik += 1
                people.append((f"{owner_cik:010d}", f"CAPITAL PARTNERS FUND {number} LP", "TenPercentOwner", "", 0,
                               quarter_count - 1))
            self.issuers.append((f"{cik:010d}", f"Synthetic Industries {number} Inc", f"SY{number}", weight, people))
        total = sum(weight for *_, weight, _ in self.issuers)
        self.cumulative, running = [], 0.0
        for *_, weight, _ in self.issuers:
            running += weight / total
            self.cumulative.append(running)

    def pick(self):
        import bisect

        return self.issuers[min(bisect.bisect(self.cumulative, self.rng.random()), len(self.issuers) - 1)]


def build_quarters(workdir: Path, issuers: int, filings: int, owners: int, count: int) -> list[Path]:
    rng = random.Random(15)
    market = Market(issuers, count, rng)
    per_quarter = filings // count
    extra_owner_share = max(0.0, owners / filings - 1.0)  # filings with a second reporting owner
    paths = []
    serial = 0
    for index, (year, number) in enumerate(quarters(count)):
        path = workdir / f"{year}q{number}_form345.zip"
        paths.append(path)
        first = date(year, 3 * number - 2, 1)
        days = ((date(year + (number == 4), (3 * number) % 12 + 1, 1)) - first).days
        submission, owner_rows = [], []
        for _ in range(per_quarter):
            cik, name, symbol, _, people = market.pick()
            active = [p for p in people if p[4] <= index <= p[5]] or people[:1]
            serial += 1
            accession = f"{rng.choice(('0001209191', '0000950170', '0001127602'))}-{year % 100:02d}-{serial:06d}"
            filed = first + timedelta(days=rng.randrange(days))
            form = "3" if rng.random() < 0.08 else "4/A" if rng.random() < 0.02 else "4"
            filers = [rng.choice(active)]
            if rng.random() < extra_owner_share:
                filers.append(rng.choice(active))
            remarks = ""
            for owner_cik, owner_name, relationship, title, *_ in dict.fromkeys(filers):
                if title == "See Remarks":
                    remarks = "Executive Vice President, Operations"
                owner_rows.append({
                    "ACCESSION_NUMBER": accession, "RPTOWNERCIK": owner_cik, "RPTOWNERNAME": owner_name,
                    "RPTOWNER_RELATIONSHIP": relationship, "RPTOWNER_TITLE": title,
                    "RPTOWNER_STREET1": "C/O SYNTHETIC INDUSTRIES", "RPTOWNER_CITY": "SPRINGFIELD",
                    "RPTOWNER_STATE": "IL", "RPTOWNER_ZIPCODE": "62701"})
            submission.append({
                "ACCESSION_NUMBER": accession, "FILING_DATE": sec_date(filed),
                "PERIOD_OF_REPORT": sec_date(filed - timedelta(days=2)), "NOT_SUBJECT_SEC16": "0",
                "DOCUMENT_TYPE": form, "ISSUERCIK": cik, "ISSUERNAME": name, "ISSUERTRADINGSYMBOL": symbol,
                "REMARKS": remarks})
        write_quarter(path, submission, owner_rows)
    return paths


def first_load(app, paths: list[Path], database_url: str | None, rerun: bool = True) -> None:
    from directory.extensions import db
    from directory.importers.edgar import EdgarImport, RunOptions
    from scrapers.edgar.insider_datasets import InsiderDatasets, read_datasets

    with app.app_context():
        empty_database(database_url)
        for label in ("first load", "unchanged re-run")[:2 if rerun else 1]:
            started, cpu_started = time.perf_counter(), time.process_time()
            datasets = InsiderDatasets(as_of=AS_OF, lookback_days=730, retrieved_at=datetime.now(timezone.utc))
            read_datasets(datasets, [str(p) for p in paths])
            read = time.perf_counter() - started
            run = EdgarImport(None, RunOptions(lookback_days=730, as_of=AS_OF, defer_search=True))
            count = sum(1 for _ in run.import_bundles(datasets.bundles()))
            rebuilt = run.finish()
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            print(f"{label}: {datasets.filings_read} filings, {datasets.owner_rows_read} owner rows read in {read:.1f} s; "
                  f"{count} issuers stored, total {elapsed:.1f} s ({cpu:.1f} s CPU); search index rebuilt: {rebuilt}")
            print("  " + "\n  ".join(run.summary.lines()[:3]))
        db.engine.dispose()


def daily(app_factory, workdir: Path, filings: int, known: int) -> None:
    """A day of `filings` index rows, `known` of them by companies in the directory, each with
    one new Form 4 that day; the loopback mirror counts the requests."""
    from sqlalchemy import select

    from directory.extensions import db
    from directory.models import Identifier
    from tests.edgar_server import EdgarServer

    day = date(2025, 1, 6)
    root = workdir / "mirror"
    shutil.rmtree(root, ignore_errors=True)
    app = app_factory()
    with app.app_context():
        ciks = list(db.session.scalars(select(Identifier.value).where(Identifier.scheme == "cik")
                                       .order_by(Identifier.value).limit(known)))
        db.engine.dispose()
    rng = random.Random(6)
    rows = []
    for number, cik in enumerate(ciks):
        accession = f"0009999999-25-{number:06d}"
        rows.append(("4", f"Synthetic Industries {cik}", str(int(cik)), accession))
        write_company(root, cik, accession, day)
    for number in range(filings - len(ciks)):
        form = rng.choice(["4", "4", "4", "424B2", "8-K", "D", "SC 13G", "497", "FWP", "6-K"])
        rows.append((form, f"Unknown Filer {number}", str(8_000_000 + number), f"0008888888-25-{number:06d}"))
    rng.shuffle(rows)
    index = root / "www" / "Archives" / "edgar" / "daily-index" / "2025" / "QTR1" / f"form.{day:%Y%m%d}.idx"
    index.parent.mkdir(parents=True, exist_ok=True)
    lines = ["Description:           Daily Index of EDGAR Dissemination Feed by Form Type", "", "",
             "Form Type   Company Name                                                  CIK         Date Filed  File Name",
             "-" * 141]
    lines += [f"{form:<12}{name[:61]:<62}{cik:<12}{day:%Y%m%d}    edgar/data/{cik}/{acc}.txt"
              for form, name, cik, acc in rows]
    index.write_text("\n".join(lines) + "\n")
    with EdgarServer(root) as server:
        app = app_factory(SEC_WWW_URL=server.www_url, SEC_DATA_URL=server.data_url, SEC_REQUESTS_PER_SECOND=10.0,
                          SEC_LOOKBACK_DAYS=730)
        started = time.perf_counter()
        result = app.test_cli_runner().invoke(args=["scrape", "edgar", "--daily", "--date", day.isoformat()])
        elapsed = time.perf_counter() - started
        paths = [r.path for r in server.requests]
    print(result.output.strip().splitlines()[-1])
    kinds = {"index": sum("/daily-index/" in p for p in paths), "submissions": sum("/submissions/" in p for p in paths),
             "documents": sum("/Archives/edgar/data/" in p for p in paths)}
    print(f"daily refresh: {filings} filings listed, {len(ciks)} by known companies: {len(paths)} requests "
          f"({kinds}) in {elapsed:.1f} s at 10 requests/s")


def write_company(root: Path, cik: str, accession: str, day: date) -> None:
    """Submissions JSON (the new Form 4 and an older one already read) and the new Form 4."""
    import json

    number = int(cik)
    folder = accession.replace("-", "")
    recent = {"accessionNumber": [accession, f"0001209191-24-{number % 999999:06d}"],
              "filingDate": [day.isoformat(), (day - timedelta(days=40)).isoformat()],
              "form": ["4", "4"], "items": ["", ""],
              "primaryDocument": ["xslF345X05/form4.xml", "xslF345X05/form4.xml"], "reportDate": ["", ""]}
    doc = {"cik": str(number), "name": f"Synthetic Industries {number}", "entityType": "operating",
           "tickers": [], "exchanges": [], "addresses": {}, "filings": {"recent": recent, "files": []}}
    path = root / "data" / "submissions" / f"CIK{cik}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))
    form4 = root / "www" / "Archives" / "edgar" / "data" / str(number) / folder / "form4.xml"
    form4.parent.mkdir(parents=True, exist_ok=True)
    form4.write_text(
        "<?xml version='1.0'?><ownershipDocument><documentType>4</documentType>"
        f"<periodOfReport>{day.isoformat()}</periodOfReport><issuer><issuerCik>{cik}</issuerCik>"
        f"<issuerName>Synthetic Industries {number}</issuerName></issuer><reportingOwner><reportingOwnerId>"
        f"<rptOwnerCik>{9_000_000 + number}</rptOwnerCik><rptOwnerName>Newman Alex</rptOwnerName></reportingOwnerId>"
        "<reportingOwnerRelationship><isOfficer>1</isOfficer><officerTitle>Chief Executive Officer</officerTitle>"
        "</reportingOwnerRelationship></reportingOwner></ownershipDocument>")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issuers", type=int, default=7000)
    parser.add_argument("--filings", type=int, default=400_000, help="filings in all quarters together")
    parser.add_argument("--owners", type=int, default=450_000, help="reporting-owner rows in all quarters")
    parser.add_argument("--quarters", type=int, default=8)
    parser.add_argument("--daily-filings", type=int, default=0, help="also measure a daily refresh of this many")
    parser.add_argument("--daily-known", type=int, default=300)
    parser.add_argument("--no-rerun", action="store_true", help="measure the first load only")
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL database whose name ends in _test (it is emptied); default: SQLite")
    args = parser.parse_args()
    if args.database_url and not args.database_url.rsplit("/", 1)[-1].endswith("_test"):
        parser.error("refusing to empty a database whose name does not end in _test")
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="insider-bench-"))
    data = workdir / f"datasets-{args.issuers}-{args.filings}-{args.owners}-{args.quarters}"
    started = time.perf_counter()
    if not data.is_dir():
        data.mkdir(parents=True)
        build_quarters(data, args.issuers, args.filings, args.owners, args.quarters)
    paths = sorted(data.glob("*_form345.zip"))
    print(f"{len(paths)} quarters, {sum(p.stat().st_size for p in paths) / 1e6:.1f} MB zipped, "
          f"ready in {time.perf_counter() - started:.1f} s")
    for old in workdir.glob("bench.sqlite*"):
        old.unlink()
    shutil.rmtree(workdir / "index", ignore_errors=True)
    print(f"load average before the import: {os.getloadavg()[0]:.1f} (2 cores: wall times above 2 are inflated)")
    first_load(bench_app(workdir, args.database_url), paths, args.database_url, rerun=not args.no_rerun)
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (goal: under 1024)")
    if args.daily_filings:
        daily(lambda **config: bench_app(workdir, args.database_url, **config), workdir, args.daily_filings,
              args.daily_known)


if __name__ == "__main__":
    main()
