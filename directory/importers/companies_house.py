"""A Companies House import run: UK companies, registered offices, directors and secretaries.

Built on the shared register run (`register.RegisterImport`) and store: one transaction per
company (bulk runs commit in batches and replay a failing batch company by company),
provenance through `Source` rows, revisions
through `revision_context`, values a person changed kept and proposed instead. What differs:
companies are matched by company number, the register itself says who resigned and when
(so nothing is ended by absence), and one person may hold two appointments at a company
(director and secretary), so positions are matched by person, role and appointment date.

Corporate officers ("LONDON LAW SERVICES LIMITED") are skipped with a note, as the EDGAR store
skips corporate reporting owners: the directory lists people a consumer can write to.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timezone
from typing import Iterable, Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from scrapers.companies_house import CompanyBundle, crawl_company, pad_company_number, search_companies
from scrapers.errors import FetchError, ScraperError

from ..extensions import db
from ..models import Company, CompanySlug, Identifier, Person
from ..revisions import revision_context
from ..slugs import unique_slug
from .register import RegisterImport, RunSummary
from .writer import CompanyWriter, SourceCache, StoreOutcome, match_position, store_company_record

IMPORTER_ACTOR = "companies_house importer"
BULK_BATCH_SIZE = 500
APPOINTMENT_FIELDS = ("title", "role", "is_ceo", "ceo_confidence", "is_current", "start_date", "end_date")
# Facts of a company an SEC record already describes: a linked UK record does not overwrite them.
SEC_OWNED_FIELDS = {"name": None, "country": None, "region": None, "city": None, "sic_code": None, "sector": None,
                    "entity_type": None, "incorporated_in": None}
LEGAL_WORDS = frozenset("the limited ltd plc inc incorporated corp corporation co company llc llp lp holdings "
                        "holding group uk u.k international".split())


class AuthenticationFailed(ScraperError):
    """Companies House refused the API key (HTTP 401): every further request would fail too."""


UNKNOWN = object()  # "not looked up yet", as opposed to None, "no such company"


def companies_by_number_stmt(numbers: list[str]):
    return (select(Company).join(Identifier)
            .where(Identifier.scheme == "ch_number", Identifier.value.in_(numbers))
            .options(selectinload(Company.identifiers), selectinload(Company.addresses),
                     selectinload(Company.former_names), selectinload(Company.positions)))


def find_company_by_number(number: str) -> Company | None:
    return db.session.scalar(select(Company).join(Identifier).where(
        Identifier.scheme == "ch_number", Identifier.value == pad_company_number(number)))


class CompaniesHouseImport(RegisterImport):
    """Drives `scrapers.companies_house` and the store for many companies."""

    register = "Companies House"
    source = "companies_house"

    def __init__(self, client, *, defer_search: bool = False, crawl=None, match_names: bool = True):
        super().__init__(client, defer_search=defer_search, summary=RunSummary(documents_label="Register records read"))
        self.crawl = crawl or crawl_company  # tests pass their own
        self.match_names = match_names
        self.possible_matches: list[tuple[str, str, str]] = []  # (company number, name, slug)
        self._known: dict[str, Company | None] = {}  # a bulk batch's companies, loaded up front

    # -- one company per transaction (API or pages) -----------------------------------------
    def import_number(self, number: str) -> None:
        number = pad_company_number(number)
        try:
            bundle = self.crawl(self.client, number)
        except FetchError as error:
            if error.status == 401:
                raise AuthenticationFailed(
                    "Companies House refused the API key (HTTP 401). Check COMPANIES_HOUSE_API_KEY: it must be "
                    "a live REST key of the Companies House developer hub; unset it to read the public pages."
                ) from error
            self._failed(f"company {number}", str(error))
            return
        except ScraperError as error:
            self._failed(f"company {number}", str(error))
            return
        for problem in bundle.errors:
            self.summary.errors.append((problem.url, problem.message))
        self._store_and_commit([bundle])

    def search_numbers(self, query: str) -> list[str]:
        """Company numbers the register's search finds for a name."""
        return [hit.company_number for hit in search_companies(self.client, query)]

    # -- batches (bulk file) ----------------------------------------------------------------
    def import_bulk(self, rows: Iterable[tuple[str, object, str | None]]) -> Iterator[str]:
        """Store each (number, CompanyRecord, problem) row of the bulk file; yields each number."""
        batch: list = []
        for number, record, problem in rows:
            if problem:
                self._failed(f"company {number}", problem)
            else:
                batch.append(CompanyBundle(number=number, company=record))
            if len(batch) >= BULK_BATCH_SIZE:
                self._bulk_batch(batch)
                batch = []
            yield number
        self._bulk_batch(batch)

    def _bulk_batch(self, batch: list) -> None:
        """Load the batch's known companies with their facts in a few queries, then store it."""
        if not batch:
            return
        numbers = [bundle.number for bundle in batch]
        self._known = {number: None for number in numbers}
        for company in db.session.scalars(companies_by_number_stmt(numbers)):
            self._known[company.identifier("ch_number")] = company
        try:
            self._store_and_commit(batch)
        finally:
            self._known = {}

    # -- hooks of the register run -----------------------------------------------------------
    def _store(self, bundle) -> tuple[StoreOutcome, int]:
        known = self._known.get(bundle.number, UNKNOWN)
        outcome = store_ch_bundle(bundle, sources=self.sources, company=known)
        if outcome.status == "created" and self.match_names:
            for slug in likely_matches(bundle.company.name):
                self.possible_matches.append((bundle.number, bundle.company.name, slug))
        return outcome, (1 + bool(bundle.officers)) if bundle.company is not None else 0

    def _where(self, bundle) -> str:
        return f"company {bundle.number}"

    def match_lines(self) -> list[str]:
        return [f"  {number} {name}: possible same company as {slug} "
                f"(link with: flask companies link {number} {slug})" for number, name, slug in self.possible_matches]


def store_ch_bundle(bundle: CompanyBundle, *, sources: SourceCache, company=UNKNOWN) -> StoreOutcome:
    """Write one crawled UK company into the session; flushes, never commits.

    `company` is the stored company with this number (or None) when the caller looked it up.
    """
    outcome = StoreOutcome()
    record = bundle.company
    if record is None:
        outcome.status = "missing"
        return outcome
    if company is UNKNOWN:
        company = find_company_by_number(bundle.number)
    source = sources.get(record.source)
    with revision_context(IMPORTER_ACTOR, source_id=source.id):
        writer = CompanyWriter(sources, company, outcome)
        if company is not None and company.identifier("cik"):
            record = replace(record, **{**SEC_OWNED_FIELDS, "name": company.name})
        with db.session.no_autoflush:
            company = store_company_record(writer, record, source, key=("ch_number", bundle.number))
        _store_appointments(writer, company, bundle.officers)
        if outcome.status != "created" and writer.changed:
            outcome.status = "updated"
        if writer.changed:
            writer.set(company, "company", "last_verified_at",
                       record.source.retrieved_at or datetime.now(timezone.utc), None)
        db.session.flush()
    outcome.company_id = company.id
    return outcome


def _store_appointments(writer: CompanyWriter, company: Company, officers) -> None:
    people: dict[str, Person] = {}
    for officer in officers:
        if not officer.is_person:
            writer.outcome.skipped.append(f"{officer.name}: not a natural person")
            continue
        source = writer.sources.get(officer.source)
        person = _find_person(officer, people)
        if writer.listing_withheld(person, [officer.name]):
            continue
        person = _person_for(writer, officer, person, source)
        if officer.external_id:
            people[officer.external_id] = person
        position = match_position(company, person, role=officer.role, start_date=officer.start_date,
                                  is_current=officer.is_current)
        if position is None:
            writer.add_position(person, source, **{name: getattr(officer, name) for name in APPOINTMENT_FIELDS})
            continue
        writer.update_position(position, {name: getattr(officer, name) for name in APPOINTMENT_FIELDS}, source)


def _find_person(officer, people: dict[str, Person]) -> Person | None:
    """The person with this officer id (one id may hold two appointments), if known."""
    key = officer.external_id
    if not key:
        return None
    return people.get(key) or db.session.scalar(select(Person).where(Person.ch_officer_id == key))


def _person_for(writer: CompanyWriter, officer, person: Person | None, source) -> Person:
    """The officer's person: created when new, their name and honorific as the register writes them."""
    if person is None:
        person = Person(name=officer.name, slug=unique_slug(db.session, Person, officer.name),
                        honorific=officer.honorific, ch_officer_id=officer.external_id)
        db.session.add(person)
        writer.outcome.people_added += 1
        writer.changed = True
        return person
    writer.set(person, "person", "name", officer.name, source)
    if officer.honorific:
        writer.set(person, "person", "honorific", officer.honorific, source)
    return person


def name_key(name: str) -> str:
    """ "TESCO PLC" and "Tesco Plc." -> "tesco": the words that tell companies apart."""
    words = re.findall(r"[a-z0-9&]+", name.lower())
    significant = [w for w in words if w not in LEGAL_WORDS]
    return " ".join(significant or words)


def likely_matches(name: str, limit: int = 3) -> list[str]:
    """Slugs of SEC companies (not yet linked to a UK number) whose name is the same."""
    key = name_key(name)
    if not key:
        return []
    first = key.split()[0]
    linked = select(Identifier.company_id).where(Identifier.scheme == "ch_number")
    candidates = db.session.execute(
        select(Company.name, Company.slug).join(Identifier)
        .where(Identifier.scheme == "cik", func.lower(Company.name).like(f"%{first}%"), Company.id.not_in(linked))
        .order_by(Company.name).limit(50))
    return [slug for other, slug in candidates if name_key(other) == key][:limit]


def link_company(number: str, company: Company) -> str | None:
    """Attach a UK company number to `company` (a moderator's decision); flushes, never commits.

    When an imported UK-only record already holds the number, it is merged in: its identifier,
    appointments, registered office, former names and contacts move to `company`, its URL
    redirects there, and it is deleted. Returns the merged-away company's slug, or None. Raises
    ValueError when the number belongs to another company that is not UK-only.
    """
    number = pad_company_number(number)
    holder = find_company_by_number(number)
    if holder is company:
        return None
    if holder is None:
        company.identifiers.append(Identifier(scheme="ch_number", value=number))
        db.session.flush()
        return None
    if any(i.scheme != "ch_number" for i in holder.identifiers):
        raise ValueError(f"{number} belongs to {holder.slug}, which has other identifiers: merge by hand")
    slug = holder.slug
    _merge_into(holder, company)
    return slug


def _merge_into(duplicate: Company, company: Company) -> None:
    kinds = {a.kind for a in company.addresses}
    names = {n.name for n in company.former_names} | {company.name}
    for identifier in list(duplicate.identifiers):
        identifier.company = company
    for position in list(duplicate.positions):
        position.company = company
    for contact in list(duplicate.contacts):
        contact.company = company
    for address in list(duplicate.addresses):
        if address.kind not in kinds:
            address.company = company
    for former in list(duplicate.former_names):
        if former.name not in names:
            former.company = company
            names.add(former.name)
    old_slugs = [duplicate.slug, *(s.slug for s in duplicate.old_slugs)]
    db.session.delete(duplicate)
    db.session.flush()
    for slug in old_slugs:  # the duplicate's URLs now lead to the merged company
        company.old_slugs.append(CompanySlug(slug=slug))
    db.session.flush()
