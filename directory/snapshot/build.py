"""Build the bundled snapshot from real public data, through the project's own importers.

    python -m directory.snapshot.build --mirror ../shared/fixtures/edgar-mirror \
        --real ../shared/fixtures/real --wikidata ../shared/fixtures/wikidata \
        --out directory/data/snapshot.jsonl.gz --docs docs/snapshot.md

The build is a list of stages (`STAGES`), each a function of the `Build` that imports one
input into a throwaway database, in order; a stage whose input is absent does nothing. Then
every retrieval time becomes the build date, the loopback links become the public ones, and
the database is exported with the code behind `flask export`. Inputs are read in sorted
order and the export sorts everything, so the same inputs give the same bytes on the same
build date. `--docs` writes the inputs and counts into docs/snapshot.md. See that file.

A stage that reads an input the project has a client for serves it on 127.0.0.1 exactly as
the real site lays it out (`Build.serve`), so it goes through the same client, parsers and
store as a live run. To add a stage: write `def my_stage(build: Build) -> None`, record
what it read with `build.used(...)` and what it did with `build.note(...)`, and add it to
`STAGES`.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import logging
import re
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

DEFAULT_LOOKBACK_DAYS = 365
PUBLIC_ROOTS = {"www": "https://www.sec.gov", "data": "https://data.sec.gov"}
# CIK -> (folder of ../websites, the real site it stands for; see that folder's README).
SITES = {"0000320193": ("apple/", "https://www.apple.com/"),
         "0000789019": ("microsoft/en-us/", "https://www.microsoft.com/en-us/")}
USER_AGENT = "CEO Directory snapshot builder snapshot@ceo-directory.invalid"
LISTING_FILE = Path("edgar/tickers/company_tickers_exchange.json")
SUBMISSIONS_FOLDERS = (Path("edgar/submissions"), Path("edgar/submissions-consumer"))
# A company's own record: "CIK##########_<name>.json" (not an overflow page, not a 404 body).
SUBMISSIONS_FILE = re.compile(r"^CIK(\d{10})_[^/]+\.json$")
DIGEST_FOLDER = Path("form4-digest/data/json")
DOCS_BEGIN = "<!-- snapshot build: begin -->"
DOCS_END = "<!-- snapshot build: end -->"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature http.server defines
        pass


def serve(directory: Path) -> ThreadingHTTPServer:
    """A static file server for `directory` on a free loopback port, in a daemon thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@dataclass
class Build:
    """One build's inputs, its loopback servers and what each stage read and did."""

    work: Path
    built_on: date
    lookback_days: int = DEFAULT_LOOKBACK_DAYS
    mirror: Path | None = None  # the EDGAR mirror (www/, data/)
    real: Path | None = None  # ../shared/fixtures/real (see its MANIFEST.md)
    websites: Path | None = None
    wikidata: Path | None = None
    prefixes: dict[str, str] = field(default_factory=dict)  # loopback address prefix -> public one
    inputs: list[tuple[str, str]] = field(default_factory=list)  # (path, what it is)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (stage, what it did)
    servers: list[ThreadingHTTPServer] = field(default_factory=list)
    listing: list | None = None  # SEC's listing rows, once read (`listing_rows`)

    @property
    def retrieved_at(self) -> datetime:
        """Every retrieval is dated the build date (midnight UTC), so two builds of one day agree."""
        return datetime.combine(self.built_on, time(), tzinfo=timezone.utc)

    def serve(self, folder: Path, public: dict[str, str] | None = None) -> str:
        """Serve `folder` on loopback until the build ends; its root URL. `public` maps
        sub-folders to the public addresses they stand for (links are rewritten at the end)."""
        server = serve(folder)
        self.servers.append(server)
        root = f"http://127.0.0.1:{server.server_address[1]}"
        self.prefixes.update({f"{root}/{sub}": address for sub, address in (public or {}).items()})
        return root

    def used(self, path: Path, what: str) -> None:
        self.inputs.append((_shown(path, self), what))

    def note(self, stage: str, text: str) -> None:
        print(f"{stage}: {text}", file=sys.stderr)
        self.notes.append((stage, text))

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


def _shown(path: Path, build: Build) -> str:
    """An input's path as the docs show it: under ../shared/fixtures when it is there."""
    for root, shown in ((build.real, "real"), (build.mirror, "edgar-mirror"), (build.wikidata, "wikidata"),
                        (build.websites, "websites")):
        if root is not None and path.is_relative_to(root):
            return str(Path("../shared/fixtures", shown, path.relative_to(root))).rstrip("/.")
    return str(path)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _edgar_client(root: str, build: Build):
    from scrapers.edgar import EdgarClient

    return EdgarClient(user_agent=USER_AGENT, www_url=f"{root}/www", data_url=f"{root}/data",
                       requests_per_second=8.0, cache_dir=str(build.work / "http-cache"))


def _run(build: Build, client=None, *, as_of: date | None = None, with_filings: bool = False, data_url: str):
    from ..importers.edgar import EdgarImport, RunOptions

    options = RunOptions(lookback_days=build.lookback_days, as_of=as_of or build.built_on, with_filings=with_filings,
                         press_releases=6 if with_filings else 0, defer_search=True)
    return EdgarImport(client, options, data_url=data_url)


def _drain(iterator) -> None:
    for _ in iterator:
        pass


# -- stages ---------------------------------------------------------------------------------

def listing_rows(build: Build) -> list:
    """SEC's listing, (cik, ticker, name, exchange) a row, read once by the client `flask
    scrape edgar --all-listed` uses, from the file served where www.sec.gov has it."""
    if build.listing is None:
        from scrapers.edgar import iter_listed_companies

        listing = build.work / "listing"
        (listing / "www" / "files").mkdir(parents=True)
        (listing / "www" / "files" / LISTING_FILE.name).symlink_to(build.real / LISTING_FILE)
        client = _edgar_client(build.serve(listing, PUBLIC_ROOTS), build)
        build.listing = list(iter_listed_companies(client))
        client.close()
    return build.listing


def listed_companies(build: Build) -> None:
    """Every company in SEC's list of listed companies, with its tickers and exchanges, stored
    as one company per CIK (several share classes are one company with several tickers). A
    company an earlier stage read from its own submissions record keeps that record's facts."""
    if build.real is None or not (build.real / LISTING_FILE).is_file():
        return
    from ..importers.listing import listing_bundles

    rows = listing_rows(build)
    bundles = listing_bundles(rows, retrieved_at=build.retrieved_at)
    run = _run(build, data_url=PUBLIC_ROOTS["data"])
    _drain(run.import_bundles(bundles))
    build.used(build.real / LISTING_FILE, f"SEC's list of listed companies with their exchange "
                                          f"({len(rows):,} tickers; sha256 {_digest(build.real / LISTING_FILE)})")
    several = sum(1 for b in bundles if sum(i.scheme == "ticker" for i in b.company.identifiers) > 1)
    build.note("listed companies", f"{len(rows):,} tickers of {len(bundles):,} companies "
                                   f"({several:,} with several tickers); {run.summary.created:,} created")


def capture_dates(mirror: Path) -> dict[str, date]:
    """CIK -> date of the newest filing its submissions JSON lists (when it was captured)."""
    dates = {}
    for path in sorted((mirror / "data" / "submissions").glob("CIK??????????.json")):
        recent = json.loads(path.read_bytes()).get("filings", {}).get("recent", {})
        filed = recent.get("filingDate") or []
        if filed:
            dates[path.stem[3:]] = date.fromisoformat(max(filed))
    return dates


def edgar_mirror(build: Build) -> None:
    """The mirror's companies with their filings (Forms 3/4/5, 8-K, proxy), each as of its
    capture date: the executives current when it was captured."""
    if build.mirror is None:
        return
    root = build.serve(build.mirror, PUBLIC_ROOTS)
    client = _edgar_client(root, build)
    for cik, captured in capture_dates(build.mirror).items():
        run = _run(build, client, as_of=captured, with_filings=True, data_url=f"{root}/data")
        run.import_cik(cik)
        build.note("EDGAR mirror", f"CIK {cik} as of {captured}: " + " ".join(run.summary.lines()[:2]))
    client.close()
    build.used(build.mirror, "an EDGAR-shaped tree of real captured filings (its README)")


def is_company_record(doc: dict) -> bool:
    """A submissions record of a company, not of a person who files (an insider's own CIK)."""
    from scrapers.names import is_entity_name

    return bool(doc.get("tickers")) or doc.get("entityType") == "operating" or is_entity_name(doc.get("name") or "")


def submissions_members(real: Path) -> list[tuple[str, bytes, Path]]:
    """(CIK, JSON, path) of every company's own submissions record, the newest capture of a
    CIK recorded twice; in CIK order."""
    newest: dict[str, tuple[str, bytes, Path]] = {}
    for folder in SUBMISSIONS_FOLDERS:
        for path in sorted((real / folder).glob("CIK*.json")):
            match = SUBMISSIONS_FILE.match(path.name)
            if not match:
                continue
            data = path.read_bytes()
            doc = json.loads(data)
            if not is_company_record(doc):
                continue
            captured = max(doc.get("filings", {}).get("recent", {}).get("filingDate") or [""])
            if match.group(1) not in newest or captured >= newest[match.group(1)][0]:
                newest[match.group(1)] = (captured, data, path)
    return [(cik, data, path) for cik, (_, data, path) in sorted(newest.items())]


def submissions_records(build: Build) -> None:
    """The real submissions records: addresses, phone, former names, industry, state of
    incorporation; delisted filers without tickers are created. Stored as `flask scrape
    edgar --bulk` stores each member of SEC's submissions.zip."""
    if build.real is None:
        return
    members = submissions_members(build.real)
    if not members:
        return
    run = _run(build, data_url=PUBLIC_ROOTS["data"])
    _drain(run.import_bulk((cik, data) for cik, data, _ in members))
    for folder in SUBMISSIONS_FOLDERS:
        count = sum(1 for _, _, path in members if path.parent == build.real / folder)
        if count:
            build.used(build.real / folder, f"{count} companies' submissions records from data.sec.gov")
    build.note("submissions records", " ".join(run.summary.lines()[:1]))


def read_sites(root: str) -> str:
    """Read the written pages of `SITES` from the loopback server at `root`, as
    `flask scrape websites --company ... --url ...` would; the run's summary."""
    from scrapers.websites import WebsiteReader

    from ..importers.store import find_company_by_cik
    from ..importers.websites import Target, WebsiteImport

    targets = [Target(company.id, f"{root}/{folder}", record_website=True)
               for cik, (folder, _) in SITES.items() if (company := find_company_by_cik(cik)) is not None]
    with WebsiteReader(USER_AGENT, allow_private_addresses=True, requests_per_second=10.0) as reader:
        run = WebsiteImport(reader)
        run.run(targets)
    return " ".join(run.summary.lines()[:2])


def company_websites(build: Build) -> None:
    """Apple's and Microsoft's written pages, published under the real sites' addresses."""
    if build.websites is None:
        return
    root = build.serve(build.websites, {folder: public for folder, public in SITES.values()})
    build.note("company websites", read_sites(root))
    build.used(build.websites, "company web pages standing for the real sites (its README)")


def wikidata_companies(folder: Path) -> list[str]:
    """The items of a folder of entity documents that name a chief executive (P169)."""
    qids = []
    for path in sorted(folder.glob("Q*.json")):
        (entity,) = json.loads(path.read_bytes())["entities"].values()
        if entity.get("claims", {}).get("P169") and entity["id"] == path.stem:
            qids.append(entity["id"])
    return qids


def wikidata(build: Build) -> None:
    """The Wikidata companies (every item naming a chief executive), through the Wikidata
    client and store: brands, Wikidata's CEOs where no filing names one, and companies the
    registers do not hold ("playstation" finds Sony)."""
    if build.wikidata is None:
        return
    from scrapers.wikidata import WikidataClient

    from ..importers.wikidata import WikidataImport

    client = WikidataClient(USER_AGENT, entity_url=build.serve(build.wikidata), requests_per_second=10.0)
    run = WikidataImport(client)
    qids = wikidata_companies(build.wikidata)
    for qid in qids:
        run.import_qid(qid)
    run.finish()
    client.close()
    build.used(build.wikidata, f"Wikidata entity documents ({len(qids)} companies naming a CEO)")
    build.note("Wikidata", " ".join(run.summary.lines()[:2]))


def fca_register(build: Build) -> None:
    """The firms of the FCA register's recorded answers (`fca-register/`, each file {url,
    status_code, date, body}) through the FCA client and store, served on loopback at the
    paths the answers were recorded from; a resource not recorded answers "no data"."""
    from urllib.parse import urlsplit

    from scrapers.fca import FcaClient

    from ..importers.fca import FcaImport

    folder = build.real / "fca-register" if build.real is not None else None
    if folder is None or not folder.is_dir():
        return
    recorded = [json.loads(path.read_bytes()) for path in sorted(folder.glob("*.json"))]
    answers = {urlsplit(r["url"]).path.removeprefix("/services/V0.1"): json.dumps(r["body"]).encode()
               for r in recorded}

    class RegisterHandler(QuietHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            body = answers.get(urlsplit(self.path).path, b'{"Data": null, "Message": "No data"}')
            if "pgnp=" in self.path and "pgnp=1" not in self.path:
                body = b'{"Data": null, "Message": "No data"}'  # pages after the recorded first
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), RegisterHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    build.servers.append(server)
    client = FcaClient("snapshot@ceo-directory.invalid", "snapshot-build", user_agent=USER_AGENT,
                       api_url=f"http://127.0.0.1:{server.server_address[1]}", requests_per_second=10.0)
    run = FcaImport(client)
    firms = [path.rsplit("/", 1)[1] for path in answers if path.count("/") == 2 and path.startswith("/Firm/")]
    for frn in firms:
        run.import_frn(frn)
    run.finish()
    client.close()
    build.used(folder, f"the FCA register's recorded answers ({len(firms)} firm)")
    build.note("FCA register", " ".join(run.summary.lines()[:2]))


def form4_digest(build: Build) -> None:
    """The executives of S&P 500 companies from a public digest of Form 4 filings, with
    their titles as filed, each dated by its transaction and linked to the owner's Form 4s
    on EDGAR. Someone a filing already names at the company (the mirror's, Wikidata's) is
    left to that source, which ranks higher (`models.person.ceo_rank`)."""
    if build.real is None or not (build.real / DIGEST_FOLDER).is_dir() or not (build.real / LISTING_FILE).is_file():
        return
    from scrapers.edgar.form4_digest import by_ticker, iter_transactions, quarter_files

    from ..importers.listing import ciks_by_ticker, digest_bundles

    ciks = ciks_by_ticker(listing_rows(build))
    folder = build.real / DIGEST_FOLDER
    bundles, unlisted = digest_bundles(by_ticker(iter_transactions(folder)), ciks)
    bundles = [known for bundle in bundles if (known := _without_known_people(bundle)) is not None]
    run = _run(build, data_url=PUBLIC_ROOTS["data"])
    _drain(run.import_bundles(bundles))
    build.used(folder.parent.parent, f"a public digest of Form 4 filings of S&P 500 companies "
                                     f"({len(quarter_files(folder)):,} quarterly files)")
    people = sum(len(b.officers) for b in bundles)
    ceos = sum(any(o.is_ceo for o in b.officers) for b in bundles)
    build.note("Form 4 digest", f"{people:,} executives of {len(bundles):,} companies ({ceos} with their CEO); "
                                f"tickers not in SEC's list: {', '.join(unlisted) or 'none'}")


def _without_known_people(bundle):
    """The bundle without the officers its company already lists (by name): the filing or
    Wikidata that named them first keeps the fact. None when the company is not there."""
    from dataclasses import replace

    from ..importers.store import find_company_by_cik
    from ..importers.wikidata import same_person

    company = find_company_by_cik(bundle.cik)
    if company is None:
        return None
    known = [p.person.name for p in company.positions if p.is_current]
    return replace(bundle, officers=tuple(o for o in bundle.officers if not same_person(o.name, known)))


def cfpb_complaints(build: Build) -> None:
    """The CFPB complaints excerpt (`cfpb/`), served on loopback and read as `flask scrape cfpb`
    reads the real download, so the companies it names carry their complaint figures; it runs
    after the listing and the digest, which made the companies it matches."""
    from ..importers.cfpb import CfpbImport, ComplaintsClient

    excerpt = build.real / "cfpb" / "complaints_excerpt.csv" if build.real is not None else None
    if excerpt is None or not excerpt.is_file():
        return
    root = build.serve(excerpt.parent)
    with ComplaintsClient(USER_AGENT) as client:
        run = CfpbImport(client, f"{root}/{excerpt.name}",
                         public_url="https://www.consumerfinance.gov/data-research/consumer-complaints/")
        run.run()
    build.used(excerpt, "an excerpt of the CFPB's consumer complaint database (its last row cut off)")
    build.note("CFPB complaints", " ".join(run.lines()[:2]))


# Other stages (registers, complaints databases, website discovery) slot in before the digest
# or after it; each does nothing when its input is absent.
STAGES: list[Callable[[Build], None]] = [
    edgar_mirror,
    submissions_records,
    listed_companies,  # after the companies' own records, which name their CIK, tickers and legal name
    company_websites,
    wikidata,
    fca_register,
    form4_digest,
    cfpb_complaints,
]


# -- finishing ------------------------------------------------------------------------------

def date_retrievals(when: datetime) -> None:
    """Every source's retrieval time and every company's last check: the build date."""
    from sqlalchemy import update

    from directory.extensions import db
    from directory.models import Company, Source

    db.session.execute(update(Source).values(retrieved_at=when))
    db.session.execute(update(Company).values(last_verified_at=when))
    db.session.commit()


def publish_urls(prefixes: dict[str, str]) -> None:
    """Point every link at EDGAR and the companies' sites: the loopback servers only stood in
    for them. `prefixes` maps each loopback address prefix to the public one."""
    from sqlalchemy import select

    from directory.extensions import db
    from directory.models import Company, Contact, Source

    def public(url: str | None) -> str | None:
        for loopback, public_root in prefixes.items():
            if url and url.startswith(loopback):
                return public_root + url[len(loopback):]
        return url

    for source in db.session.scalars(select(Source)):
        source.url = public(source.url)
    for company in db.session.scalars(select(Company)):
        company.leadership_change_url = public(company.leadership_change_url)
        company.website = public(company.website)
    for contact in db.session.scalars(select(Contact).where(Contact.kind.in_(("url", "web_form")))):
        contact.value = public(contact.value)
    db.session.commit()


def contents() -> dict[str, int]:
    """What the snapshot holds, counted in the build's database."""
    from sqlalchemy import distinct, func, select

    from directory.extensions import db
    from directory.models import Address, Company, Position, Source

    def count(statement) -> int:
        return db.session.scalar(statement) or 0

    current = select(Position.company_id).distinct().where(Position.is_current)
    return {
        "companies": count(select(func.count(Company.id))),
        "with executives": count(select(func.count()).select_from(current.subquery())),
        "with a CEO": count(select(func.count()).select_from(current.where(Position.is_ceo).subquery())),
        "with an address": count(select(func.count(distinct(Address.company_id)))),
        "current posts from the Form 4 digest": count(select(func.count(Position.id)).join(Source).where(
            Position.is_current, Source.kind == "form4_digest")),
    }


def build(mirror: Path | None, out: Path, lookback_days: int = DEFAULT_LOOKBACK_DAYS, websites: Path | None = None,
          wikidata: Path | None = None, real: Path | None = None, built_on: date | None = None,
          docs: Path | None = None) -> int:
    """Run every stage into a throwaway database and export it to `out`; the number of companies."""
    from flask_migrate import upgrade

    from directory import create_app
    from directory.extensions import db
    from directory.snapshot.export import export_snapshot

    with tempfile.TemporaryDirectory(prefix="snapshot-build-") as work:
        run = Build(work=Path(work), built_on=built_on or datetime.now(timezone.utc).date(),
                    lookback_days=lookback_days, mirror=mirror, real=real, websites=websites, wikidata=wikidata)
        app = create_app({
            "SECRET_KEY": "snapshot-build", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work}/build.sqlite",
            "SEARCH_INDEX_DIR": f"{work}/index", "SCRAPER_CACHE_DIR": f"{work}/http-cache",
            "SEC_USER_AGENT": USER_AGENT,
        })
        level = app.logger.level
        app.logger.setLevel(logging.ERROR)  # the mirror lacks most filings: 404s are expected
        try:
            with app.app_context():
                upgrade()
                for stage in STAGES:
                    stage(run)
                date_retrievals(run.retrieved_at)
                publish_urls(run.prefixes)
                out.parent.mkdir(parents=True, exist_ok=True)
                count = export_snapshot(str(out))
                if docs is not None:
                    write_docs(docs, run, contents(), out)
                db.engine.dispose()
        finally:
            app.logger.setLevel(level)
            run.close()
    return count


def write_docs(path: Path, run: Build, counts: dict[str, int], out: Path) -> None:
    """Replace the generated part of docs/snapshot.md (between its markers) with this
    build's date, inputs, stages and counts."""
    lines = [DOCS_BEGIN, f"## What it contains (built {run.built_on.isoformat()})", "",
             f"`{out.name}`: {out.stat().st_size / 1_000_000:.1f} MB.", "", "| | how many |", "|---|---|"]
    lines += [f"| {label} | {value:,} |" for label, value in counts.items()]
    lines += ["", "Inputs:", ""] + [f"- `{where}`: {what}" for where, what in run.inputs]
    lines += ["", "Stages:", ""] + [f"- {stage}: {text}" for stage, text in run.notes]
    lines += ["", DOCS_END]
    text = path.read_text(encoding="utf-8") if path.exists() else f"# The bundled snapshot\n\n{DOCS_BEGIN}\n{DOCS_END}\n"
    if DOCS_BEGIN in text and DOCS_END in text:
        head, rest = text.split(DOCS_BEGIN, 1)
        tail = rest.split(DOCS_END, 1)[1]
        text = head + "\n".join(lines) + tail
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Build the bundled snapshot from real public data.")
    parser.add_argument("--mirror", type=Path, default=None, help="the edgar-mirror folder (www/, data/)")
    parser.add_argument("--real", type=Path, default=None,
                        help="the real fixtures (../shared/fixtures/real): SEC's listing, submissions, Form 4 digest")
    parser.add_argument("--out", type=Path, required=True, help="e.g. directory/data/snapshot.jsonl.gz")
    parser.add_argument("--wikidata", type=Path, default=None,
                        help="a folder of Wikidata entity documents (../shared/fixtures/wikidata)")
    parser.add_argument("--lookback-days", type=int, default=DEFAULT_LOOKBACK_DAYS)
    parser.add_argument("--websites", type=Path, default=None,
                        help="the company web pages (default: websites/ beside the mirror, when present)")
    parser.add_argument("--docs", type=Path, default=None, help="write the inputs and counts into this file")
    parser.add_argument("--date", type=date.fromisoformat, default=None,
                        help="the build date every retrieval is dated (default: today, UTC)")
    args = parser.parse_args(argv)
    mirror = args.mirror.resolve() if args.mirror else None
    websites = args.websites or (mirror.parent / "websites" if mirror else None)
    count = build(mirror, args.out, args.lookback_days, websites if websites and websites.is_dir() else None,
                  args.wikidata.resolve() if args.wikidata else None, args.real.resolve() if args.real else None,
                  args.date, args.docs)
    print(f"{count} companies written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
