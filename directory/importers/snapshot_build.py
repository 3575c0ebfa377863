"""Build the bundled snapshot: import the EDGAR mirror over loopback HTTP, then export it.

    python -m directory.importers.snapshot_build --mirror ../shared/fixtures/edgar-mirror \
        --wikidata ../shared/fixtures/wikidata --out directory/data/snapshot.jsonl.gz

The mirror is served on 127.0.0.1 exactly as EDGAR lays out www.sec.gov and data.sec.gov,
so the snapshot goes through the same client, parsers and store as a live run. Each
company is imported "as of" its capture date (its newest listed filing), so the snapshot
shows the executives who were current when the company was captured. See docs/snapshot.md.

The company web pages beside the mirror (`../websites/`, when present) are then read the
same way for the companies they stand for (`SITES`), and published under the real sites'
addresses, so a newcomer's `make run` shows customer-service contacts and social accounts.
Last, the Wikidata companies of `--wikidata` (every item there naming a chief executive) are
imported the same way, served on loopback: brands, Wikidata's CEOs where no filing names one,
and the companies the SEC and UK registers do not hold ("playstation" finds Sony).
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import threading
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DEFAULT_LOOKBACK_DAYS = 365
PUBLIC_ROOTS = {"www": "https://www.sec.gov", "data": "https://data.sec.gov"}
# CIK -> (folder of ../websites, the real site it stands for; see that folder's README).
SITES = {"0000320193": ("apple/", "https://www.apple.com/"),
         "0000789019": ("microsoft/en-us/", "https://www.microsoft.com/en-us/")}
USER_AGENT = "CEO Directory snapshot builder snapshot@ceo-directory.invalid"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature http.server defines
        pass


def serve(directory: Path) -> ThreadingHTTPServer:
    """A static file server for `directory` on a free loopback port, in a daemon thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def capture_dates(mirror: Path) -> dict[str, date]:
    """CIK -> date of the newest filing its submissions JSON lists (when it was captured)."""
    dates = {}
    for path in sorted((mirror / "data" / "submissions").glob("CIK??????????.json")):
        recent = json.loads(path.read_bytes()).get("filings", {}).get("recent", {})
        filed = recent.get("filingDate") or []
        if filed:
            dates[path.stem[3:]] = date.fromisoformat(max(filed))
    return dates


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


def read_sites(root: str) -> None:
    """Read the written pages of `SITES` from the loopback server at `root`, as
    `flask scrape websites --company ... --url ...` would."""
    from scrapers.websites import WebsiteReader

    from .store import find_company_by_cik
    from .websites import Target, WebsiteImport

    targets = [Target(company.id, f"{root}/{folder}", record_website=True)
               for cik, (folder, _) in SITES.items() if (company := find_company_by_cik(cik)) is not None]
    with WebsiteReader(USER_AGENT, allow_private_addresses=True, requests_per_second=10.0) as reader:
        run = WebsiteImport(reader)
        run.run(targets)
    print(" ".join(run.summary.lines()[:2]), file=sys.stderr)


def wikidata_companies(folder: Path) -> list[str]:
    """The items of a folder of entity documents that name a chief executive (P169)."""
    qids = []
    for path in sorted(folder.glob("Q*.json")):
        (entity,) = json.loads(path.read_bytes())["entities"].values()
        if entity.get("claims", {}).get("P169") and entity["id"] == path.stem:
            qids.append(entity["id"])
    return qids


def import_wikidata(folder: Path) -> None:
    """Import the folder's companies through the Wikidata client and store, over loopback."""
    from scrapers.wikidata import WikidataClient

    from .wikidata import WikidataImport

    server = serve(folder)
    try:
        client = WikidataClient(USER_AGENT, entity_url=f"http://127.0.0.1:{server.server_address[1]}",
                                requests_per_second=10.0)
        run = WikidataImport(client)
        for qid in wikidata_companies(folder):
            run.import_qid(qid)
        run.finish()
        client.close()
        print("Wikidata: " + " ".join(run.summary.lines()[:2]), file=sys.stderr)
    finally:
        server.shutdown()
        server.server_close()


def import_cfpb(excerpt: Path) -> None:
    """The CFPB complaints excerpt (`../shared/fixtures/real/cfpb/`), served on loopback and read
    as `flask scrape cfpb` reads the real download, so the companies it names carry their figures."""
    from .cfpb import CfpbImport, ComplaintsClient

    if not excerpt.is_file():
        return
    server = serve(excerpt.parent)
    try:
        with ComplaintsClient(USER_AGENT) as client:
            run = CfpbImport(client, f"http://127.0.0.1:{server.server_address[1]}/{excerpt.name}",
                             public_url="https://www.consumerfinance.gov/data-research/consumer-complaints/")
            run.run()
        print("CFPB: " + " ".join(run.lines()[:2]), file=sys.stderr)
    finally:
        server.shutdown()
        server.server_close()


def build(mirror: Path, out: Path, lookback_days: int, websites: Path | None = None,
          wikidata: Path | None = None) -> int:
    from flask_migrate import upgrade

    from directory import create_app
    from directory.extensions import db
    from directory.snapshot.export import export_snapshot
    from scrapers.edgar import EdgarClient

    from .edgar import EdgarImport, RunOptions

    server = serve(mirror)
    root = f"http://127.0.0.1:{server.server_address[1]}"
    prefixes = {f"{root}/{folder}": public_root for folder, public_root in PUBLIC_ROOTS.items()}
    site_server = serve(websites) if websites else None
    if site_server is not None:
        site_root = f"http://127.0.0.1:{site_server.server_address[1]}"
        prefixes.update({f"{site_root}/{folder}": public_root for folder, public_root in SITES.values()})
    with tempfile.TemporaryDirectory(prefix="snapshot-build-") as work:
        app = create_app({
            "SECRET_KEY": "snapshot-build", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work}/build.sqlite",
            "SEARCH_INDEX_DIR": f"{work}/index", "SCRAPER_CACHE_DIR": f"{work}/http-cache",
            "SEC_USER_AGENT": USER_AGENT, "SEC_WWW_URL": f"{root}/www", "SEC_DATA_URL": f"{root}/data",
        })
        level = app.logger.level
        app.logger.setLevel(logging.ERROR)  # the mirror lacks most filings: 404s are expected
        try:
            with app.app_context():
                upgrade()
                client = EdgarClient(user_agent=USER_AGENT, www_url=f"{root}/www", data_url=f"{root}/data",
                                     requests_per_second=8.0, cache_dir=f"{work}/http-cache")
                for cik, captured in capture_dates(mirror).items():
                    run = EdgarImport(client, RunOptions(lookback_days=lookback_days, as_of=captured),
                                      data_url=f"{root}/data")
                    run.import_cik(cik)
                    print(f"CIK {cik} as of {captured}: " + " ".join(run.summary.lines()[:2]), file=sys.stderr)
                client.close()
                if site_server is not None:
                    read_sites(site_root)
                if wikidata is not None:
                    import_wikidata(wikidata)
                import_cfpb(mirror.parent / "real" / "cfpb" / "complaints_excerpt.csv")
                publish_urls(prefixes)
                out.parent.mkdir(parents=True, exist_ok=True)
                count = export_snapshot(str(out))
                db.engine.dispose()
        finally:
            app.logger.setLevel(level)
            for running in (server, site_server):
                if running is not None:
                    running.shutdown()
                    running.server_close()
    return count


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Build the bundled snapshot from the EDGAR mirror.")
    parser.add_argument("--mirror", type=Path, required=True, help="the edgar-mirror folder (www/, data/)")
    parser.add_argument("--out", type=Path, required=True, help="e.g. directory/data/snapshot.jsonl.gz")
    parser.add_argument("--wikidata", type=Path, default=None,
                        help="a folder of Wikidata entity documents (../shared/fixtures/wikidata)")
    parser.add_argument("--lookback-days", type=int, default=DEFAULT_LOOKBACK_DAYS)
    parser.add_argument("--websites", type=Path, default=None,
                        help="the company web pages (default: websites/ beside the mirror, when present)")
    args = parser.parse_args(argv)
    websites = args.websites or args.mirror.resolve().parent / "websites"
    count = build(args.mirror.resolve(), args.out, args.lookback_days, websites if websites.is_dir() else None,
                  args.wikidata.resolve() if args.wikidata else None)
    print(f"{count} companies written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
