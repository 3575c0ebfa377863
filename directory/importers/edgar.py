"""An EDGAR import run: crawl each company, store it in its own transaction, summarise.

A failure (network, a malformed document, an exception while storing) costs one company,
never the run: the scrapers report unreadable documents in `bundle.errors`, and a storing
error rolls back that company's transaction only (`register.RegisterImport`). Bulk runs
commit in batches, companies the database has never seen through the Core fast path in
`bulk.py`.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import Callable, Iterable, Iterator

from flask import current_app
from sqlalchemy import select

from scrapers.edgar import crawl_company, parse_submissions
from scrapers.edgar.contacts import DEFAULT_PRESS_RELEASES
from scrapers.errors import ScraperError

from ..extensions import db
from ..models import Company, EdgarSyncState
from .bulk import NewCompanies, SlugBook, enlarge_sqlite_cache, unknown_ciks
from .register import RegisterImport
from .store import KnownRows, StoreOutcome, find_company_by_cik, pad_cik, store_bundle

BULK_BATCH_SIZE = 500


@dataclass(frozen=True)
class RunOptions:
    lookback_days: int
    as_of: date
    with_filings: bool = True  # False in bulk runs: company facts only, no ownership documents
    press_releases: int = DEFAULT_PRESS_RELEASES  # newest 8-K/6-K EX-99s read for contacts; 0: none
    defer_search: bool = False  # rebuild the search index once at the end instead of per commit

    @property
    def window_start(self) -> date | None:
        return self.as_of - timedelta(days=self.lookback_days) if self.with_filings else None


@dataclass(frozen=True)
class FactsBundle:
    """A `CompanyBundle` with company facts only: bulk runs without --with-filings."""

    cik: str
    company: object
    officers: tuple = ()
    leadership_changes: tuple = ()
    departed: tuple = ()
    filings_read: tuple = ()
    errors: tuple = ()


class EdgarImport(RegisterImport):
    """Drives the scrapers' `crawl_company` and the store for many companies."""

    register = "EDGAR"  # names the register in log lines
    source = "edgar"  # names it in company reads and refresh runs

    def __init__(self, client, options: RunOptions, *, data_url: str = "https://data.sec.gov",
                 crawl: Callable | None = None):
        super().__init__(client, defer_search=options.defer_search)
        self.data_url = data_url.rstrip("/")
        self.options = options
        self.crawl = crawl or crawl_company  # tests pass their own
        self.slugs = SlugBook()
        self.new_companies = NewCompanies(self.slugs)
        self._known: KnownRows | None = None  # a batch of insider data sets' rows, read at once

    # -- one company per transaction (HTTP runs) -------------------------------------------
    def import_cik(self, cik: str, read_from: date | None = None) -> None:
        """Crawl and store one company; `read_from` (a daily refresh) leaves older filings alone."""
        cik = pad_cik(cik)
        state = db.session.get(EdgarSyncState, cik)
        already = frozenset(state.accessions_read) if state else frozenset()
        since = {"read_from": read_from} if read_from else {}
        bundle = self._crawl(cik, already_read=already, known_officers=known_officers(cik),
                             **self._contact_options(state), **since)
        if bundle is not None:
            self._store_and_commit([(bundle, None, state)])

    # -- batches (bulk runs) ----------------------------------------------------------------
    def import_bulk(self, members: Iterable[tuple[str, bytes]]) -> Iterator[str]:
        """Store each (cik, submissions JSON) member; yields each CIK for the progress bar."""
        batch: list[tuple[str, bytes]] = []
        for cik, data in members:
            batch.append((pad_cik(cik), data))
            if len(batch) >= BULK_BATCH_SIZE:
                self._bulk_batch(batch)
                yield from (c for c, _ in batch)
                batch = []
        if batch:
            self._bulk_batch(batch)
            yield from (c for c, _ in batch)

    def import_bundles(self, bundles: Iterable) -> Iterator[str]:
        """Store bundles built without HTTP (the insider data sets) in batches; yields CIKs.

        A company already in the directory keeps its facts: the data sets name an issuer as
        its filers typed it, while its own submissions record (`--bulk`, a per-company run)
        is the authority. Only companies new to the directory are created from the bundle.
        """
        batch = []
        for bundle in bundles:
            batch.append(bundle)
            if len(batch) >= BULK_BATCH_SIZE:
                yield from self._bundle_batch(batch)
                batch = []
        if batch:
            yield from self._bundle_batch(batch)

    def _bundle_batch(self, bundles: list) -> Iterator[str]:
        enlarge_sqlite_cache()
        ciks = [bundle.cik for bundle in bundles]
        states = {s.cik: s for s in db.session.scalars(select(EdgarSyncState).where(EdgarSyncState.cik.in_(ciks)))}
        unknown = unknown_ciks(ciks)
        fresh, work = [], []
        for bundle in bundles:
            state = states.get(bundle.cik)
            if bundle.cik in unknown and state is None and len(bundles) > 1:
                unknown.discard(bundle.cik)  # a CIK twice in a batch exists the second time
                fresh.append((bundle, None, None))
            else:
                work.append((bundle if bundle.cik in unknown else replace(bundle, company=None), None, state))
        self._known = KnownRows(bundle for bundle, _, _ in work)
        self.sources.preload(officer.source for bundle, _, _ in work for officer in bundle.officers)
        try:
            self._store_and_commit(work, fresh)
        finally:
            self._known = None
        yield from ciks

    def _bulk_batch(self, batch: list[tuple[str, bytes]]) -> None:
        enlarge_sqlite_cache()
        states = {s.cik: s for s in db.session.scalars(
            select(EdgarSyncState).where(EdgarSyncState.cik.in_([c for c, _ in batch])))}
        work = []
        for cik, data in batch:
            digest = hashlib.sha256(data).hexdigest()
            state = states.get(cik)
            if state is not None and state.submissions_hash == digest:
                self.summary.unchanged += 1  # same document as last time: nothing to learn
                continue
            if self.options.with_filings:
                already = frozenset(state.accessions_read) if state else frozenset()
                bundle = self._crawl(cik, already_read=already, submissions_data=data, **self._contact_options(state))
            else:
                bundle = self._facts(cik, data)
            if bundle is not None:
                work.append((bundle, digest, state))
        fresh, work = self._split_fresh(work)
        self._store_and_commit(work, fresh)

    def _split_fresh(self, work: list[tuple]) -> tuple[list[tuple], list[tuple]]:
        """(new companies for the Core fast path, the rest for the ORM path).

        New means: company facts only, no sync state and no company with the CIK yet. A CIK
        seen twice in one batch goes the ORM way the second time (it exists by then).
        """
        if self.options.with_filings or len(work) < 2:
            return [], work
        unknown = unknown_ciks([bundle.cik for bundle, _, state in work if state is None])
        fresh, rest = [], []
        for item in work:
            bundle, _, state = item
            if state is None and bundle.cik in unknown:
                unknown.discard(bundle.cik)
                fresh.append(item)
            else:
                rest.append(item)
        return fresh, rest

    def _facts(self, cik: str, data: bytes) -> FactsBundle | None:
        url = f"{self.data_url}/submissions/CIK{cik}.json"  # where the same document is served
        try:
            parsed = parse_submissions(data, url=url, retrieved_at=datetime.now(timezone.utc), with_filings=False)
        except ScraperError as error:
            self._failed(url, str(error))
            return None
        return FactsBundle(cik=cik, company=parsed.company)

    # -- shared -------------------------------------------------------------------------------
    def _contact_options(self, state: EdgarSyncState | None) -> dict:
        """How many press releases to read, and those already read (never fetched again)."""
        if not self.options.press_releases:
            return {"press_releases": 0}
        return {"press_releases": self.options.press_releases,
                "contact_filings_read": frozenset(state.contact_filings_read or []) if state else frozenset()}

    def _crawl(self, cik: str, **kwargs):
        try:
            bundle = self.crawl(self.client, cik, lookback_days=self.options.lookback_days,
                                as_of=self.options.as_of, **kwargs)
        except ScraperError as error:
            self._failed(getattr(error, "url", None) or f"CIK {cik}", str(error))
            return None
        for problem in bundle.errors:
            current_app.logger.warning("EDGAR document skipped: %s: %s", problem.url, problem.message)
            self.summary.errors.append((problem.url, problem.message))
        return bundle

    # -- hooks of the register run: an item is (bundle, submissions digest, sync state) --------
    def _store_new(self, fresh: list[tuple]) -> list[tuple[StoreOutcome, int]]:
        """New companies with company facts only go through the Core fast path (`bulk.py`)."""
        created = self.new_companies.insert([(bundle, digest) for bundle, digest, _ in fresh])
        return [(outcome, len(getattr(bundle, "filings_read", ()))) for outcome, (bundle, _, _) in zip(created, fresh)]

    def _store(self, item: tuple) -> tuple[StoreOutcome, int]:
        bundle, digest, state = item
        outcome = store_bundle(bundle, window_start=self.options.window_start, sources=self.sources, known=self._known)
        new_filings = remember(bundle, outcome, digest, state)
        if outcome.status in ("created", "updated"):
            self.slugs.add(db.session.get(Company, outcome.company_id).slug)  # the fast path must not reuse it
        return outcome, new_filings

    def _commit(self) -> None:
        super()._commit()
        self.slugs.committed()

    def _rollback(self) -> None:
        super()._rollback()
        self.slugs.rolled_back()

    def _where(self, item: tuple) -> str:
        return f"CIK {item[0].cik}"


def known_officers(cik: str) -> dict[str, str]:
    """{owner CIK: name in the filed "Last First Middle" order} of the company's current SEC
    officers, so an 8-K can be matched to people whose Form 4s an earlier run read."""
    company = find_company_by_cik(cik)
    if company is None:
        return {}
    known = {}
    for position in company.current_positions:
        person = position.person
        words = person.name.split()
        if person.sec_cik and len(words) > 1:
            known[person.sec_cik] = " ".join([words[-1], *words[:-1]])
    return known


def remember(bundle, outcome: StoreOutcome, digest: str | None, state: EdgarSyncState | None) -> int:
    """Record the filings read (and the bulk document's hash); writes only when they are new.

    `state` is the company's row as loaded before crawling (None: first run). Returns how
    many filings this run read for the first time.
    """
    if outcome.status == "missing":
        return 0
    if state is None:
        state = EdgarSyncState(cik=bundle.cik, accessions_read=[])
        db.session.add(state)
    known = set(state.accessions_read or [])
    new = [a for a in getattr(bundle, "filings_read", ()) if a not in known]
    if new:
        state.accessions_read = sorted(known | set(new))
    known_contacts = set(state.contact_filings_read or [])
    new_contacts = [a for a in getattr(bundle, "contact_filings_read", ()) if a not in known_contacts]
    if new_contacts:
        state.contact_filings_read = sorted(known_contacts | set(new_contacts))
    if digest is not None and state.submissions_hash != digest:
        state.submissions_hash = digest
    if state.company_id != outcome.company_id:
        state.company_id = outcome.company_id
    if db.session.is_modified(state) or state in db.session.new:
        state.last_run_at = datetime.now(timezone.utc)
    return len(set(new) | set(new_contacts))
