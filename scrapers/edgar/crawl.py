"""Crawl one company: its submissions record, its recent ownership filings, 8-K item 5.02s,
and the contacts in its newest press releases and proxy statement.

Fetching is here; parsing is in the pure modules. A document that cannot be fetched or
parsed is recorded in `errors` and skipped, so one bad filing never loses the rest.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Callable, Iterable, Mapping

from ..errors import FetchError, ParseError
from ..names import display_name, is_entity_name
from ..records import CompanyRecord, ContactRecord, LeadershipChangeRecord, OfficerRecord, SourceRef
from ..titles import classify_title
from .contacts import DEFAULT_PRESS_RELEASES, crawl_contacts
from .eightk import departed_people, leadership_sentence
from .ownership import OWNERSHIP_FORMS, OwnershipDocument, ReportingOwner, parse_ownership
from .submissions import Filing, Submissions, parse_filings_page, parse_submissions
from .urls import pad_cik

LEADERSHIP_ITEM = "5.02"
CURRENT_REPORT_FORMS = frozenset({"8-K", "8-K/A"})


@dataclass(frozen=True)
class FetchProblem:
    """A document that was logged and skipped."""

    url: str
    message: str


@dataclass(frozen=True)
class CompanyBundle:
    """Everything one crawl learned about one company, ready for the importer."""

    cik: str
    company: CompanyRecord | None  # None: EDGAR does not know this CIK
    officers: tuple[OfficerRecord, ...] = ()
    officer_last_filed: dict[str, date] = field(default_factory=dict)
    leadership_changes: tuple[LeadershipChangeRecord, ...] = ()
    departed: tuple[str, ...] = ()  # owner CIKs an 8-K item 5.02 says are leaving
    filings_read: tuple[str, ...] = ()
    errors: tuple[FetchProblem, ...] = ()
    not_modified: bool = False
    contacts: tuple[ContactRecord, ...] = ()  # from press releases and the proxy statement
    contact_filings_read: tuple[str, ...] = ()


def crawl_company(
    client,
    cik: str | int,
    lookback_days: int = 730,
    as_of: date | None = None,
    already_read: Iterable[str] = frozenset(),
    submissions_data: bytes | None = None,
    *,
    known_officers: Mapping[str, str] | None = None,
    read_from: date | None = None,
    read_8k_documents: bool = True,
    max_documents: int | None = None,
    workers: int = 4,
    contact_filings_read: Iterable[str] = frozenset(),
    press_releases: int = DEFAULT_PRESS_RELEASES,
    now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
) -> CompanyBundle:
    """Crawl one company's filings filed in (as_of - lookback_days, as_of].

    `already_read` accessions are not fetched again (the importer keeps them between runs).
    `known_officers` ({owner CIK: filed name}) lets 8-K departure detection recognise people
    whose Form 4s were read in an earlier run. `max_documents` caps the ownership documents
    fetched (newest first) for very active filers. `read_from` leaves filings filed before that
    day alone (a daily refresh reads that day's new filings, not what a bulk load already had).
    `press_releases` is how many of the newest 8-K/6-K filings with an EX-99 exhibit are read for
    contacts (0: none, nor the proxy); `contact_filings_read` are those read by an earlier run.
    Raises FetchError or ParseError only when the company's own submissions record cannot be
    had (other than a 404, which means "unknown").
    """
    cik = pad_cik(cik)
    crawl = _Crawl(client, cik, now(), frozenset(already_read), workers)
    submissions, not_modified = crawl.submissions(submissions_data)
    if submissions is None:
        return CompanyBundle(cik=cik, company=None)
    as_of = as_of or crawl.retrieved_at.date()
    filings = crawl.filings_in_window(submissions, as_of - timedelta(days=lookback_days), as_of)
    if read_from is not None:
        filings = [f for f in filings if f.filed_on >= read_from]

    ownership = [f for f in filings if f.form in OWNERSHIP_FORMS and f.accession not in crawl.already_read]
    documents = crawl.read_ownership(ownership[:max_documents] if max_documents else ownership)
    officers, last_filed = crawl.officers(documents)

    reports = [f for f in filings if f.form in CURRENT_REPORT_FORMS and LEADERSHIP_ITEM in f.items]
    people = dict(known_officers or {})
    people.update({o.external_id: o.raw_name for o in officers if o.is_person})
    departed, summaries = crawl.leadership_reports(reports, people, last_filed) if read_8k_documents else ((), {})
    contacts = None
    if press_releases > 0:
        recent = [f for f in submissions.filings if read_from is None or f.filed_on >= read_from]
        contacts = crawl_contacts(client, cik, submissions.company.name, recent, until=as_of,
                                  retrieved_at=crawl.retrieved_at, already_read=frozenset(contact_filings_read),
                                  press_releases=press_releases)
        crawl.errors += [FetchProblem(url, message) for url, message in contacts.problems]
    return CompanyBundle(
        cik=cik,
        company=submissions.company,
        officers=officers,
        officer_last_filed=last_filed,
        leadership_changes=tuple(
            LeadershipChangeRecord(filed_on=f.filed_on, source=crawl.source(f), items=f.items,
                                   summary=summaries.get(f.accession)) for f in reports
        ),
        departed=departed,
        filings_read=tuple(crawl.read),
        errors=tuple(crawl.errors),
        not_modified=not_modified,
        contacts=tuple(contacts.contacts) if contacts else (),
        contact_filings_read=tuple(contacts.read) if contacts else (),
    )


def officer_record(owner: ReportingOwner, source: SourceRef, *, since: date | None = None) -> OfficerRecord:
    """An officer or director as the store takes them, classified by the shared title rules;
    the per-filing crawl and the insider data sets both build officers here. `since` is the
    day the role began, when the filing states it (`start_date_of`)."""
    role = classify_title(owner.title, is_director=owner.is_director, from_remarks=owner.title_from_remarks)
    return OfficerRecord(
        name=display_name(owner.name),
        raw_name=owner.name,
        source=source,
        external_id=owner.cik,
        external_scheme="sec_cik",
        is_person=not is_entity_name(owner.name),
        title=owner.title,
        role=role.role,
        is_ceo=role.is_ceo,
        ceo_confidence=role.ceo_confidence,
        is_director=owner.is_director,
        is_current=True,
        start_date=since,
    )


def start_date_of(form: str, period_of_report: date | None) -> date | None:
    """The day an insider's role began, where a filing says it: a Form 3 is the initial
    statement, filed within ten days of becoming an officer or director, and its period of
    report is "the date of event requiring statement". Forms 4 and 5 report trades, not
    when the role began, so their officers have no "since"."""
    return period_of_report if form in ("3", "3/A") else None


class _Crawl:
    """The state of one company's crawl: what was read and what went wrong."""

    def __init__(self, client, cik: str, retrieved_at: datetime, already_read: frozenset, workers: int):
        self.client = client
        self.cik = cik
        self.retrieved_at = retrieved_at
        self.already_read = already_read
        self.workers = max(1, workers)
        self.read: list[str] = []
        self.errors: list[FetchProblem] = []

    def submissions(self, data: bytes | None) -> tuple[Submissions | None, bool]:
        url = self.client.urls.submissions(self.cik)
        not_modified = False
        if data is None:
            try:
                result = self.client.fetch_submissions(self.cik)
            except FetchError as exc:
                if exc.not_found:
                    return None, False
                raise
            data, not_modified = result.content, result.not_modified
        return parse_submissions(data, url=url, retrieved_at=self.retrieved_at), not_modified

    def filings_in_window(self, submissions: Submissions, since: date, until: date) -> list[Filing]:
        """Recent filings, plus older overflow pages when the window reaches back into them."""
        filings = list(submissions.filings)
        for page in submissions.overflow_pages:
            if page.filing_to is not None and page.filing_to < since:
                continue
            url = self.client.urls.submissions_page(page.name)
            try:
                filings.extend(parse_filings_page(self.client.fetch_listing(url).content, url=url))
            except (FetchError, ParseError) as exc:
                self.errors.append(FetchProblem(url, exc.message))
        in_window = {f.accession: f for f in filings if since < f.filed_on <= until}
        return sorted(in_window.values(), key=lambda f: (f.filed_on, f.accession), reverse=True)

    def read_ownership(self, filings: list[Filing]) -> list[tuple[Filing, OwnershipDocument]]:
        """Fetch and parse ownership documents, newest first, a few at a time."""
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            results = list(pool.map(self._read_one, filings))
        documents = []
        for filing, outcome in zip(filings, results):
            if isinstance(outcome, FetchProblem):
                self.errors.append(outcome)
            else:
                self.read.append(filing.accession)
                documents.append((filing, outcome))
        return documents

    def _read_one(self, filing: Filing) -> OwnershipDocument | FetchProblem:
        if not filing.primary_document:
            return FetchProblem(self.client.urls.filing_index(self.cik, filing.accession), "no primary document")
        url = self.client.urls.raw_document(self.cik, filing.accession, filing.primary_document)
        try:
            return parse_ownership(self.client.fetch_archive(url).content, url=url)
        except (FetchError, ParseError) as exc:
            return FetchProblem(url, exc.message)

    def officers(self, documents) -> tuple[tuple[OfficerRecord, ...], dict[str, date]]:
        """One record per officer or director, from each owner's newest filing.

        Documents come newest first, so the first time an owner is seen decides: someone whose
        latest filing no longer calls them an officer or director gets no record.
        """
        latest: dict[str, date] = {}
        officers: dict[str, OfficerRecord] = {}
        for filing, document in documents:
            if document.issuer_cik != self.cik:
                continue  # the company is the reporting owner here, not the issuer
            for owner in document.owners:
                if owner.cik in latest:
                    continue
                latest[owner.cik] = filing.filed_on
                if owner.is_executive_or_director:
                    officers[owner.cik] = officer_record(
                        owner, self.source(filing), since=start_date_of(document.document_type, document.period_of_report))
        return tuple(officers.values()), {cik: latest[cik] for cik in officers}

    def leadership_reports(self, reports: list[Filing], people: dict[str, str],
                           last_filed: dict[str, date]) -> tuple[tuple[str, ...], dict[str, str]]:
        """Read the 8-Ks with item 5.02 (newest first), each once: the owners an 8-K (filed
        after their latest Form 4 read) says are leaving, and each 8-K's item 5.02 sentence
        naming who leaves or joins ({accession: sentence}).

        With no officers to look for, only the newest is read: the store flags a company with
        its newest leadership change, so an older 8-K's sentence would never be shown.
        """
        departed: list[str] = []
        summaries: dict[str, str] = {}
        for filing in reports if people else reports[:1]:
            if filing.accession in self.already_read or not filing.primary_document:
                continue
            url = self.client.urls.document(self.cik, filing.accession, filing.primary_document)
            try:
                content = self.client.fetch_archive(url).content
            except FetchError as exc:
                self.errors.append(FetchProblem(url, exc.message))
                continue
            self.read.append(filing.accession)
            sentence = leadership_sentence(content)
            if sentence:
                summaries[filing.accession] = sentence
            for key in departed_people(content, people):
                seen = last_filed.get(key)
                if (seen is None or filing.filed_on >= seen) and key not in departed:
                    departed.append(key)
        return tuple(departed), summaries

    def source(self, filing: Filing) -> SourceRef:
        return SourceRef(
            kind="sec_filing",
            url=self.client.urls.filing_index(self.cik, filing.accession),
            document_id=filing.accession,
            form_type=filing.form,
            filed_on=filing.filed_on,
            retrieved_at=self.retrieved_at,
            title=f"Form {filing.form} filed {filing.filed_on.isoformat()}",
        )
