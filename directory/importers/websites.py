"""A website import run: read companies' own websites, store what they publish for customers.

Sites are read in parallel threads (`WEBSITE_PARALLEL_HOSTS`; each host is still paced on its
own), and each company is stored in the main thread in its own transaction, like the EDGAR
run: a failure costs one company, never the run. Every page that failed is logged once with
its URL, and the run's exit status is how many failed (capped at 100).

What is stored, each contact with quality "scraped" and a Source of kind "company_website"
(the page's URL, retrieved that day):
- customer-service phones, emails and contact pages on the customer service rung;
- complaint addresses, emails and forms on the formal complaints rung;
- press and investor-relations mailboxes and lines on the executive office rung, with their role;
- the company's social accounts (role "social") on the customer service rung, where the page
  shows them as "Ask in public";
- the head office's phone and address, only where the company has none yet.
A scraped value never replaces one a moderator decided: a conflicting channel of the same
rung and kind becomes a ProposedChange for the moderation queue instead, as for EDGAR.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable

from flask import current_app
from sqlalchemy import or_, select

from scrapers.channels import channel_key
from scrapers.records import SourceRef
from scrapers.websites import RUNGS, WebsiteReader, WebsiteReading, read_website

from ..extensions import db
from ..models import Company, WebsiteRead
from ..revisions import revision_context
from .writer import CompanyWriter, SourceCache, StoreOutcome, store_address

IMPORTER_ACTOR = "website reader"
MAX_EXIT_STATUS = 100  # exit statuses above 125 mean "killed by a signal" to shells


@dataclass(frozen=True)
class Target:
    company_id: int
    url: str
    record_website: bool = False  # --url: the address becomes the company's website


@dataclass
class WebsiteRunSummary:
    """Totals of one run, printed at the end of `flask scrape websites`."""

    companies_read: int = 0
    companies_failed: int = 0
    pages_read: int = 0
    contacts_added: int = 0
    contacts_seen_again: int = 0
    proposals: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (url or company, message)
    refused: list[tuple[str, str]] = field(default_factory=list)  # pages skipped: robots.txt, off the site

    @property
    def exit_status(self) -> int:
        return min(len(self.failures), MAX_EXIT_STATUS)

    def lines(self) -> list[str]:
        lines = [
            f"Websites: {self.companies_read} read, {self.companies_failed} failed. Pages read: {self.pages_read}.",
            f"Contacts added: {self.contacts_added}, seen again: {self.contacts_seen_again}. "
            f"Proposed changes for moderators: {self.proposals}.",
            f"Pages failed: {len(self.failures)}. Pages skipped (robots.txt forbids them, or they lead off the "
            f"site): {len(self.refused)}.",
        ]
        lines += [f"  failed: {where}: {message}" for where, message in self.failures]
        lines += [f"  skipped: {where}: {message}" for where, message in self.refused]
        return lines


def website_url(value: str) -> str:
    """A stored website as an address to read: "apple.com" means https://apple.com/."""
    value = value.strip()
    return value if value.startswith(("http://", "https://")) else f"https://{value}"


def reader_from_config(config) -> WebsiteReader:
    """The run's reader; ConfigurationError when SCRAPER_USER_AGENT is missing."""
    timeout = float(config["SCRAPER_TIMEOUT"])
    return WebsiteReader(
        config.get("SCRAPER_USER_AGENT"), allow_private_addresses=bool(config["SCRAPER_ALLOW_PRIVATE_ADDRESSES"]),
        requests_per_second=float(config["SCRAPER_HOST_REQUESTS_PER_SECOND"]), timeout=(timeout, timeout),
        max_bytes=int(config["SCRAPER_MAX_PAGE_BYTES"]), page_budget=int(config["WEBSITE_PAGE_BUDGET"]),
    )


def companies_due(limit: int | None, *, now: datetime | None = None) -> list[Target]:
    """Companies with a website that was never read, or not in WEBSITE_REREAD_DAYS; never read first."""
    cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=current_app.config["WEBSITE_REREAD_DAYS"])
    stmt = (select(Company.id, Company.website)
            .outerjoin(WebsiteRead, WebsiteRead.company_id == Company.id)
            .where(Company.website.is_not(None), Company.website != "",
                   or_(WebsiteRead.read_at.is_(None), WebsiteRead.read_at < cutoff))
            .order_by(WebsiteRead.read_at.is_not(None), WebsiteRead.read_at, Company.id)
            .limit(limit))
    return [Target(company_id, website_url(website)) for company_id, website in db.session.execute(stmt)]


def refresh_websites(limit: int | None = None) -> WebsiteRunSummary:
    """Read up to `limit` companies' websites that are due (for `flask refresh`); commits each.

    Raises scrapers.errors.ConfigurationError when SCRAPER_USER_AGENT is not set.
    """
    with reader_from_config(current_app.config) as reader:
        run = WebsiteImport(reader, parallel=current_app.config["WEBSITE_PARALLEL_HOSTS"])
        run.run(companies_due(limit))
    return run.summary


class WebsiteImport:
    """Reads targets in parallel threads and stores each in the calling thread."""

    def __init__(self, reader: WebsiteReader, *, parallel: int = 4,
                 read: Callable[[WebsiteReader, str], WebsiteReading] = read_website):
        self.reader = reader
        self.parallel = max(1, parallel)
        self.read = read
        self.summary = WebsiteRunSummary()
        self.sources = SourceCache()

    def run(self, targets: Iterable[Target]) -> None:
        targets = list(targets)
        if not targets:
            return
        with ThreadPoolExecutor(max_workers=min(self.parallel, len(targets))) as pool:
            futures = {pool.submit(self.read, self.reader, target.url): target for target in targets}
            for future in as_completed(futures):
                target = futures[future]
                try:
                    reading = future.result()
                except Exception as error:  # noqa: BLE001 - a bug on one site must not end the run
                    current_app.logger.exception("Reading %s failed", target.url)
                    self._failed(target.url, f"{type(error).__name__}: {error}")
                    continue
                self._store_and_commit(target, reading)

    def _store_and_commit(self, target: Target, reading: WebsiteReading) -> None:
        for problem in reading.problems:
            self._failed(problem.url, problem.message)
        for problem in reading.skipped:
            current_app.logger.warning("Website page skipped: %s: %s", problem.url, problem.message)
            self.summary.refused.append((problem.url, problem.message))
        company = db.session.get(Company, target.company_id)
        if company is None:
            return
        try:
            outcome = store_website(company, reading, self.sources, record_website=target.record_website)
            db.session.commit()
        except Exception as error:  # noqa: BLE001 - one company fails, the run goes on
            db.session.rollback()
            self.sources.clear()
            current_app.logger.exception("Storing the website of %s failed", target.url)
            self._failed(target.url, f"not stored ({type(error).__name__}: {error})")
            self.summary.companies_failed += 1
            return
        if reading.pages:
            self.summary.companies_read += 1
        else:
            self.summary.companies_failed += 1
        self.summary.pages_read += len(reading.pages)
        self.summary.contacts_added += outcome.added
        self.summary.contacts_seen_again += outcome.seen_again
        self.summary.proposals += outcome.store.proposals

    def _failed(self, where: str, message: str) -> None:
        current_app.logger.warning("Website page failed: %s: %s", where, message)
        self.summary.failures.append((where, message))


@dataclass
class WebsiteOutcome:
    store: StoreOutcome = field(default_factory=StoreOutcome)
    added: int = 0
    seen_again: int = 0


@dataclass(frozen=True)
class Found:
    """One channel to store: from a page's contacts or its social accounts."""

    kind: str
    value: str
    role: str
    label: str | None
    page_url: str

    @property
    def tier(self) -> str:
        return RUNGS[self.role]


def store_website(company: Company, reading: WebsiteReading, sources: SourceCache, *,
                  record_website: bool = False) -> WebsiteOutcome:
    """Write one company's reading into the session; flushes, never commits."""
    outcome = WebsiteOutcome()
    pages = {page.url: page for page in reading.pages}
    page_sources = {url: sources.get(_source_ref(page, reading)) for url, page in pages.items()}
    home_source = page_sources[reading.home.url] if reading.home else None
    with revision_context(IMPORTER_ACTOR, source_id=home_source.id if home_source else None):
        writer = CompanyWriter(sources, company, outcome.store)
        if record_website and reading.home:
            writer.set(company, "company", "website", reading.url, home_source)
        for found in _found_channels(reading, company.country):
            result = _store_channel(writer, company, found, page_sources[found.page_url], reading)
            if result == "added":
                outcome.added += 1
            elif result == "seen_again":
                outcome.seen_again += 1
        _store_head_office(writer, company, reading, page_sources)
        _remember(company, reading, outcome.added + outcome.seen_again)
        db.session.flush()
    return outcome


def _source_ref(page, reading: WebsiteReading) -> SourceRef:
    """One Source per page and day: the date a reader should trust the contact from."""
    return SourceRef(kind="company_website", url=page.url, document_id=reading.retrieved_at.date().isoformat(),
                     title=(page.title or "")[:300] or None, retrieved_at=reading.retrieved_at)


def _found_channels(reading: WebsiteReading, country: str | None) -> list[Found]:
    """Every page's channels, each once (the first page that shows it is its source); social
    accounts last, support accounts first among them, the order the page lists them in."""
    items = [Found(c.kind, c.value, c.role, c.label, page.url) for page in reading.pages for c in page.contacts]
    accounts = sorted((a for page in reading.pages for a in page.social), key=lambda a: not a.is_support)
    items += [Found("url", a.url, "social", a.label, a.page_url) for a in accounts]
    found: dict[tuple, Found] = {}
    for item in items:
        found.setdefault((item.role, item.kind, channel_key(item.kind, item.value, country)), item)
    return list(found.values())


def _store_channel(writer: CompanyWriter, company: Company, found: Found, source, reading: WebsiteReading) -> str:
    """"added", "seen_again", "proposed" (a person decided this rung's channel of this kind)
    or "withheld" (removed on request)."""
    return writer.write_contact(kind=found.kind, value=found.value, tier=found.tier, role=found.role, source=source,
                                as_of=reading.retrieved_at.date(), quality="scraped", label=found.label)


def _store_head_office(writer: CompanyWriter, company: Company, reading: WebsiteReading, page_sources) -> None:
    """Head office phone and address from the site, only where no register gave them."""
    for page in reading.pages:
        office = page.head_office
        if office is None:
            continue
        source = page_sources[page.url]
        if office.phone and not company.phone:
            writer.set(company, "company", "phone", office.phone, source)
        if office.address and company.postal_address is None:
            store_address(writer, company, office.address, source, replace=False)
        return


def _remember(company: Company, reading: WebsiteReading, contacts_found: int) -> None:
    read = db.session.get(WebsiteRead, company.id) or WebsiteRead(company_id=company.id)
    read.url = reading.url[:500]
    read.read_at = reading.retrieved_at
    read.pages_read = len(reading.pages)
    read.contacts_found = contacts_found
    read.pages_failed = len(reading.problems)
    db.session.add(read)
