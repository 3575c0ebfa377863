"""An EDGAR import run: crawl each company, store it in its own transaction, summarise.

A failure (network, a malformed document, an exception while storing) costs one company,
never the run: the scrapers report unreadable documents in `bundle.errors`, and a storing
error rolls back that company's transaction only. Bulk runs commit in batches (companies
the database has never seen through the Core fast path in `bulk.py`) and, when a batch fails,
replay it one company per transaction so a bad record is isolated.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from typing import Callable, Iterable, Iterator

from flask import current_app
from sqlalchemy import select

from scrapers.edgar import crawl_company, parse_submissions
from scrapers.edgar.contacts import DEFAULT_PRESS_RELEASES
from scrapers.errors import ScraperError

from .. import search_index
from ..extensions import db
from ..models import Company, EdgarSyncState
from ..operations.freshness import record_reads
from ..revisions import CHANGED_COMPANIES_KEY
from .bulk import NewCompanies, SlugBook, enlarge_sqlite_cache, unknown_ciks
from .store import SourceCache, StoreOutcome, find_company_by_cik, pad_cik, store_bundle

BULK_BATCH_SIZE = 500


@dataclass
class RunSummary:
    """Totals of one run, printed at the end of `flask scrape edgar`."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    missing: int = 0
    failed: int = 0
    people_added: int = 0
    positions_added: int = 0
    positions_ended: int = 0
    proposals: int = 0
    filings_read: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (url or cik, message)
    documents_label: str = "Filings read"  # what `filings_read` counts for this register

    @property
    def succeeded(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def attempted(self) -> int:
        return self.succeeded + self.missing + self.failed

    def add(self, outcome: StoreOutcome, filings_read: int) -> None:
        setattr(self, outcome.status, getattr(self, outcome.status) + 1)
        self.people_added += outcome.people_added
        self.positions_added += outcome.positions_added
        self.positions_ended += outcome.positions_ended
        self.proposals += outcome.proposals
        self.filings_read += filings_read

    def lines(self) -> list[str]:
        lines = [
            f"Companies: {self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.missing} not found, {self.failed} failed.",
            f"People added: {self.people_added}. Positions added: {self.positions_added}, "
            f"ended: {self.positions_ended}. Proposed changes for moderators: {self.proposals}.",
            f"{self.documents_label}: {self.filings_read}. Errors: {len(self.errors)}.",
        ]
        lines += [f"  error: {where}: {message}" for where, message in self.errors]
        return lines


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


class EdgarImport:
    """Drives the scrapers' `crawl_company` and the store for many companies."""

    register = "EDGAR"  # names the register in log lines
    source = "edgar"  # names it in company reads and refresh runs

    def __init__(self, client, options: RunOptions, *, data_url: str = "https://data.sec.gov",
                 crawl: Callable | None = None):
        self.client = client
        self.data_url = data_url.rstrip("/")
        self.options = options
        self.crawl = crawl or crawl_company  # tests pass their own
        self.summary = RunSummary()
        self.sources = SourceCache()
        self.slugs = SlugBook()
        self.new_companies = NewCompanies(self.slugs)

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
        self._store_and_commit(work, fresh)
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

    def _store_and_commit(self, work: list[tuple[object, str | None, EdgarSyncState | None]],
                          fresh: list[tuple] = ()) -> None:
        """Store every bundle (`fresh` ones with Core inserts) and commit once; if anything
        fails, replay one by one through the ORM path so only the bad company is lost."""
        if not work and not fresh:
            return
        if len(work) + len(fresh) > 1:
            try:
                created = self.new_companies.insert([(bundle, digest) for bundle, digest, _ in fresh])
                results = [(outcome, len(getattr(bundle, "filings_read", ()))) for outcome, (bundle, _, _)
                           in zip(created, fresh)] + [self._store(*item) for item in work]
                record_reads(self.source, [outcome.company_id for outcome, _ in results if outcome.company_id])
                self._commit()
            except Exception:  # noqa: BLE001 - isolated below, company by company
                current_app.logger.info("EDGAR batch failed; storing its companies one at a time", exc_info=True)
                self._rollback()
            else:
                for outcome, new_filings in results:
                    self.summary.add(outcome, new_filings)
                return
        for bundle, digest, state in [*fresh, *work]:
            try:
                outcome, new_filings = self._store(bundle, digest, state)
                if outcome.company_id:
                    record_reads(self.source, [outcome.company_id])
                self._commit()
            except Exception as error:  # noqa: BLE001 - one company fails, the run goes on
                self._rollback()
                current_app.logger.exception("Storing CIK %s failed", bundle.cik)
                self._failed(f"CIK {bundle.cik}", f"not stored ({type(error).__name__}: {error})")
            else:
                self.summary.add(outcome, new_filings)

    def _store(self, bundle, digest: str | None, state: EdgarSyncState | None) -> tuple[StoreOutcome, int]:
        outcome = store_bundle(bundle, window_start=self.options.window_start, sources=self.sources)
        new_filings = remember(bundle, outcome, digest, state)
        if outcome.status in ("created", "updated"):
            self.slugs.add(db.session.get(Company, outcome.company_id).slug)  # the fast path must not reuse it
        return outcome, new_filings

    def _commit(self) -> None:
        if self.options.defer_search:
            db.session.flush()
            db.session.info.pop(CHANGED_COMPANIES_KEY, None)  # the index is rebuilt once at the end
        db.session.commit()
        self.slugs.committed()

    def _rollback(self) -> None:
        db.session.rollback()
        self.sources.clear()
        self.slugs.rolled_back()

    def _where(self, bundle) -> str:
        """How the summary names a bundle (the Companies House run names company numbers)."""
        return f"CIK {bundle.cik}"

    def _failed(self, where: str, message: str) -> None:
        current_app.logger.warning("%s import failed: %s: %s", self.register, where, message)
        self.summary.failed += 1
        self.summary.errors.append((where, message))

    def finish(self) -> int | None:
        """Rebuild the search index once when commits did not update it; its document count."""
        if self.options.defer_search and self.summary.created + self.summary.updated:
            return search_index.rebuild()
        return None


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
