"""Fetch a company's newest press releases (8-K/6-K EX-99) and proxy statement for contacts.

Fetching only; the parsing is in `press.py` and `proxy.py`. Whether an 8-K or 6-K carries a
press release is decided from its document list (the filing index page, a few kilobytes),
not from its items: EX-99 releases come with item 2.02, 7.01 or 8.01 alone, and before
August 2004 under the old item numbers, so only filings with a release are read whole. A
filing is examined once: the importer keeps the accessions examined (`contact_filings_read`)
and passes them back, and one already examined still counts towards the look-back of N press
releases, so a second run fetches nothing until the company files again. A document that
cannot be fetched or parsed is reported in `problems` and skipped.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Iterable

from ..errors import FetchError, ParseError
from ..records import ContactRecord, SourceRef
from .press import carries_press_release, filing_document_types, parse_press_contacts, parse_submission_file
from .proxy import parse_board_communications
from .submissions import Filing

PRESS_RELEASE_FORMS = frozenset({"8-K", "8-K/A", "6-K", "6-K/A"})
PROXY_FORMS = frozenset({"DEF 14A"})
DEFAULT_PRESS_RELEASES = 6
# Document lists examined per press release asked for: a company's 8-Ks without an EX-99
# (votes, agreements) are skipped at the cost of one index page each, up to this many.
CANDIDATES_PER_RELEASE = 3
EXECUTIVE_OFFICE = "executive_office"


@dataclass
class ContactsCrawl:
    """What reading one company's press releases and proxy learned."""

    contacts: list[ContactRecord] = field(default_factory=list)
    read: list[str] = field(default_factory=list)  # accessions fetched and parsed
    problems: list[tuple[str, str]] = field(default_factory=list)  # (url, message)


def press_release_candidates(filings: Iterable[Filing], until: date) -> list[Filing]:
    """8-K and 6-K filings up to `until`, whatever their items, newest first."""
    chosen = [f for f in filings if f.form in PRESS_RELEASE_FORMS and f.filed_on <= until]
    return sorted(chosen, key=lambda f: (f.filed_on, f.accession), reverse=True)


def newest_proxy(filings: Iterable[Filing], until: date) -> Filing | None:
    proxies = [f for f in filings if f.form in PROXY_FORMS and f.filed_on <= until and f.primary_document]
    return max(proxies, key=lambda f: (f.filed_on, f.accession), default=None)


def crawl_contacts(client, cik: str, company_name: str, filings: Iterable[Filing], *, until: date,
                   retrieved_at: datetime, already_read: frozenset[str] = frozenset(),
                   press_releases: int = DEFAULT_PRESS_RELEASES, read_proxy: bool = True) -> ContactsCrawl:
    """Contacts from the newest `press_releases` filings with an EX-99, and the newest proxy."""
    filings = list(filings)
    result = ContactsCrawl()
    counted = 0
    for filing in press_release_candidates(filings, until)[:press_releases * CANDIDATES_PER_RELEASE]:
        if counted >= press_releases:
            break
        if filing.accession in already_read:
            counted += 1
            continue
        if not _lists_press_release(client, cik, filing, result):
            continue
        if _read_press_release(client, cik, company_name, filing, retrieved_at, result):
            counted += 1
    proxy = newest_proxy(filings, until) if read_proxy else None
    if proxy is not None and proxy.accession not in already_read:
        _read_proxy(client, cik, proxy, retrieved_at, result)
    return result


def _lists_press_release(client, cik, filing: Filing, result: ContactsCrawl) -> bool:
    """Whether the filing's index page lists a press release; a filing without one is noted
    as examined. An index page that is missing or lists no document by type (the oldest
    filings) leaves the question to the filing itself, which is then read whole."""
    url = client.urls.filing_index(cik, filing.accession)
    try:
        types = filing_document_types(client.fetch_archive(url).content, url=url)
    except FetchError as exc:
        if exc.not_found:
            return True
        result.problems.append((url, exc.message))
        return False
    except ParseError as exc:
        result.problems.append((url, exc.message))
        return False
    if types and not carries_press_release(filing.form, types):
        result.read.append(filing.accession)
        return False
    return True


def _read_press_release(client, cik, company_name, filing: Filing, retrieved_at, result: ContactsCrawl) -> bool:
    """Read one filing's EX-99 exhibits; True when it had at least one."""
    url = f"{client.urls.filing_folder(cik, filing.accession)}/{filing.accession}.txt"
    try:
        submission = parse_submission_file(client.fetch_archive(url).content, url=url)
    except (FetchError, ParseError) as exc:
        result.problems.append((url, exc.message))
        return False
    result.read.append(filing.accession)
    names = " ".join(n for n in (company_name, submission.company_name) if n)
    for exhibit in submission.press_releases:
        source = _source(client, cik, filing, retrieved_at, exhibit.filename or f"{filing.accession}.txt",
                         f"Press release ({exhibit.type}, Form {filing.form}) filed {filing.filed_on.isoformat()}")
        for found in parse_press_contacts(exhibit.content, company_name=names):
            result.contacts.append(ContactRecord(
                kind=found.kind, value=found.value, tier=EXECUTIVE_OFFICE, role=found.role, source=source,
                person_name=found.person_name, organisation=found.organisation, label=found.label))
    return bool(submission.press_releases)


def _read_proxy(client, cik, filing: Filing, retrieved_at, result: ContactsCrawl) -> None:
    url = client.urls.document(cik, filing.accession, filing.primary_document)
    try:
        channels = parse_board_communications(client.fetch_archive(url).content)
    except FetchError as exc:
        result.problems.append((url, exc.message))
        return
    result.read.append(filing.accession)
    source = _source(client, cik, filing, retrieved_at, filing.primary_document,
                     f"Proxy statement (Form {filing.form}) filed {filing.filed_on.isoformat()}")
    result.contacts += [ContactRecord(kind=c.kind, value=c.value, tier=EXECUTIVE_OFFICE, role="board", source=source,
                                      label=c.label) for c in channels]


def _source(client, cik, filing: Filing, retrieved_at, filename: str, title: str) -> SourceRef:
    return SourceRef(kind="sec_filing", url=client.urls.document(cik, filing.accession, filename),
                     document_id=filing.accession, form_type=filing.form, filed_on=filing.filed_on,
                     retrieved_at=retrieved_at, title=title)
