"""An FCA register import run: complaints contacts, senior managers and authorisation status
of UK financial firms.

One record per company: a firm whose FRN, or else whose Companies House number, is already
in the directory enriches that company; otherwise a UK company is created under the FRN.
The register is a register: its SMF1 Chief Executive outranks Wikidata (`ceo_rank`), and
when it names someone else than the CEO another filing or register gave, that one stays and
moderators get the proposed change with both sources, as for Wikidata. Facts Companies House
or the SEC own (name, country, sector, a filer's office) are left to them.
"""
from __future__ import annotations

import logging
from dataclasses import replace

from flask import current_app
from sqlalchemy import and_, or_, select

from scrapers.companies_house import pad_company_number
from scrapers.errors import ConfigurationError, FetchError, ScraperError
from scrapers.fca import FcaClient, FcaFirm, crawl_firm, frns_for_company
from scrapers.records import CompanyRecord, IdentifierRecord
from scrapers.websites.safety import AddressPolicy

from ..extensions import db
from ..models import Brand, Company, Identifier, Person, Position
from ..revisions import revision_context
from ..slugs import unique_slug
from .companies_house import find_company_by_number
from .register import RegisterImport, RunSummary
from .store import CompanyWriter, SourceCache, StoreOutcome, _store_contacts, store_company_record
from .writer import same_person

IMPORTER_ACTOR = "fca importer"
FUNCTIONS_FORM = "fca-controlled-functions"  # the form_type of the sources of the register's positions
# An SMF1 is the register's explicit chief executive: as sure as a filing's explicit CEO title.
SMF1_CONFIDENCE = 0.95
# Sources whose current CEO a different SMF1 holder does not replace without a moderator.
RIVAL_SOURCE_KINDS = ("sec_filing", "registry_record", "contribution")

log = logging.getLogger(__name__)


def find_company(frn: str, ch_number: str | None) -> Company | None:
    """The directory's company for this firm: by FRN, else by its Companies House number."""
    keys = [("frn", frn)] + ([("ch_number", pad_company_number(ch_number))] if ch_number else [])
    owners = dict(db.session.execute(select(Identifier.scheme, Identifier.company_id).where(
        or_(*(and_(Identifier.scheme == s, Identifier.value == v) for s, v in keys)))).all())
    owner = owners.get("frn") or owners.get("ch_number")
    return db.session.get(Company, owner) if owner else None


def company_record(firm: FcaFirm, company: Company | None) -> CompanyRecord:
    """The firm's facts as a register record; for a known company only what the FCA adds."""
    details = firm.details
    identifiers = [IdentifierRecord("frn", details.frn)]
    if details.ch_number:
        identifiers.append(IdentifierRecord("ch_number", pad_company_number(details.ch_number)))
    office = firm.principal_office
    record = CompanyRecord(
        name=details.name, source=firm.source, identifiers=tuple(identifiers),
        former_names=firm.names.former if firm.names else (), addresses=(office,) if office else (),
        country=office.country if office else None, city=office.city if office else None, status=None)
    if company is None:
        return record
    owned = bool(company.identifier("cik"))  # an SEC filer's own office and facts stay its own
    return replace(record, name=company.name, country=None, city=None, addresses=() if owned else record.addresses)


def store_fca(firm: FcaFirm, *, sources: SourceCache) -> StoreOutcome:
    """Write one firm into the session; flushes, never commits."""
    outcome = StoreOutcome()
    details = firm.details
    company = find_company(details.frn, details.ch_number)
    source = sources.get(firm.source)
    with revision_context(IMPORTER_ACTOR, source_id=source.id):
        writer = CompanyWriter(sources, company, outcome)
        with db.session.no_autoflush:
            company = store_company_record(writer, company_record(firm, company), source, key=("frn", details.frn))
        db.session.flush()
        writer.set(company, "company", "fca_status", details.status, source)
        writer.set(company, "company", "fca_status_since", details.status_since, source)
        if company.website is None and firm.website:
            writer.set(company, "company", "website", firm.website, source)
            writer.set(company, "company", "website_source_id", source.id, source)
        if company.phone is None and firm.phone:
            writer.set(company, "company", "phone", firm.phone, source)
        if firm.names is not None:
            _store_trading_names(writer, company, firm.names.trading, sources.get(firm.names_source))
        _store_contacts(writer, company, firm.contacts)
        _store_main_number(writer, firm, sources)
        if firm.functions is not None:
            _store_functions(writer, company, firm)
        if outcome.status != "created" and writer.changed:
            outcome.status = "updated"
        db.session.flush()
    outcome.company_id = company.id
    return outcome


MAIN_NUMBER_LABEL = "Main number (the FCA register's principal place of business)"


def _store_main_number(writer: CompanyWriter, firm: FcaFirm, sources: SourceCache) -> None:
    """The firm's own number from the register, on the customer-service step: the first door a
    customer of a UK financial firm knocks on, until the firm's website names a better one."""
    if not firm.phone or firm.address_source is None:
        return
    source = sources.get(firm.address_source)
    writer.write_contact(kind="phone", value=firm.phone, tier="customer_service", role="customer_service",
                         source=source, as_of=firm.address_source.filed_on or firm.address_source.retrieved_at.date(),
                         quality="filed", label=MAIN_NUMBER_LABEL)


def _store_trading_names(writer: CompanyWriter, company: Company, names, source) -> None:
    """Current trading names are the names people know the firm by: brands, found by search."""
    held = {b.name.lower() for b in company.brands} | {company.name.lower()}
    for name in names:
        if name.lower() not in held:
            company.brands.append(Brand(name=name, aliases=[], source=source))
            held.add(name.lower())
            writer.changed = True


def _is_register_position(position: Position) -> bool:
    return position.source is not None and position.source.form_type == FUNCTIONS_FORM


def _store_functions(writer: CompanyWriter, company: Company, firm: FcaFirm) -> None:
    """Current Senior Managers functions as positions (titled as the register names them);
    the register's positions it no longer lists as current are ended."""
    source = writer.sources.get(firm.functions_source)
    as_of = firm.details.as_of
    current = [f for f in firm.functions if f.is_current]
    people: dict[str, Person] = {}
    for function in current:
        person = _person_for(writer, company, function.name, people)
        if person is None:
            continue
        if function.is_ceo and _rival_ceo(writer, company, person, source):
            continue
        values = {"title": function.function, "role": function.role, "is_ceo": function.is_ceo,
                  "ceo_confidence": SMF1_CONFIDENCE if function.is_ceo else None, "is_current": True,
                  "start_date": function.start_date, "end_date": None, "last_seen_on": as_of}
        position = next((p for p in company.positions if _is_register_position(p) and p.title == function.function
                         and (p.person is person or (person.id is not None and p.person_id == person.id))), None)
        if position is None:
            writer.add_position(person, source, **values)
        else:
            writer.update_position(position, values, source)
    listed = {(f.name, f.function) for f in current}
    ended = {(f.name, f.function): f.end_date for f in firm.functions if not f.is_current}
    for position in company.positions:
        key = (position.person.name, position.title)
        if position.is_current and _is_register_position(position) and key not in listed:
            if writer.set(position, "position", "is_current", False, source):
                writer.set(position, "position", "end_date", ended.get(key) or as_of, source)
                writer.outcome.positions_ended += 1


def _person_for(writer: CompanyWriter, company: Company, name: str, people: dict[str, Person]) -> Person | None:
    """The person already listed at the company under this name (or a nickname), else a new one;
    None when an upheld objection removed their listing here."""
    if name in people:
        return people[name]
    person = next((p.person for p in company.positions if same_person(p.person.name, [name])), None)
    if writer.listing_withheld(person, [name]):  # asked before a new person is made, as every writer does
        return None
    if person is None:
        person = Person(name=name, slug=unique_slug(db.session, Person, name))
        db.session.add(person)
        writer.outcome.people_added += 1
        writer.changed = True
    people[name] = person
    return person


def _rival_ceo(writer: CompanyWriter, company: Company, person: Person, source) -> bool:
    """Whether another filing, register or moderator names the current CEO. Someone else: it
    stays and ending it is proposed to moderators (both sources in the queue). The same
    person: their filed post already says it. Either way the register adds no second CEO."""
    for position in company.positions:
        if not (position.is_current and position.is_ceo) or _is_register_position(position):
            continue
        if not (position.confirmed or (position.source is not None and position.source.kind in RIVAL_SOURCE_KINDS)):
            continue
        if position.person is not person:
            writer.propose("position", position.id, "is_current", True, False, source)
        writer.outcome.skipped.append(f"{person.name}: the current CEO is already filed ({position.person.name})")
        return True
    return False


def refused_or(error: ScraperError) -> ScraperError:
    """The error itself, unless the register refused the API user: then every request would
    fail too, so the run stops (ConfigurationError) instead of listing each firm."""
    if isinstance(error, FetchError) and error.status in (401, 403):
        raise ConfigurationError(
            f"The FCA register refused the API user (HTTP {error.status}). Check FCA_API_EMAIL and FCA_API_KEY: "
            "the address you signed up with and its key.") from error
    return error


class FcaImport(RegisterImport):
    """Drives `scrapers.fca` and the store for many firms, each in its own transaction."""

    register = "FCA register"
    source = "fca"

    def __init__(self, client: FcaClient, *, defer_search: bool = False, crawl=crawl_firm):
        super().__init__(client, defer_search=defer_search, summary=RunSummary(documents_label="Register answers read"))
        self.crawl = crawl
        self.done: set[str] = set()

    def import_frn(self, frn: str) -> None:
        frn = frn.strip()
        if frn in self.done:
            return
        self.done.add(frn)
        try:
            firm = self.crawl(self.client, frn)
        except ScraperError as error:
            self._failed(f"FRN {frn}", str(refused_or(error)))
            return
        if firm is None:
            url = f"{self.client.api_url}/Firm/{frn}"
            log.warning("FCA register: no firm with FRN %s (%s)", frn, url)
            self.summary.missing += 1
            self.summary.errors.append((url, "no such firm on the register"))
            return
        self.summary.errors += list(firm.errors)
        self._store_and_commit([firm])

    def import_ch_number(self, number: str) -> None:
        """The firms that carry this Companies House number: the company's FRN when known, else
        those a search of its name finds with that number in their record."""
        number = pad_company_number(number)
        company = find_company_by_number(number)
        if company is not None and company.identifier("frn"):
            self.import_frn(company.identifier("frn"))
            return
        if company is None:
            self._missing(f"company {number}", "not in the directory: the register is searched by the company's name")
            return
        try:
            frns = frns_for_company(self.client, number, company.name)
        except ScraperError as error:
            self._failed(f"company {number}", str(refused_or(error)))
            return
        if not frns:
            self._missing(f"company {number}",
                          f"no firm on the register carries this number (searched {company.name!r})")
        for frn in frns:
            self.import_frn(frn)

    def _missing(self, where: str, message: str) -> None:
        log.info("FCA register: %s: %s", where, message)
        self.summary.missing += 1
        self.summary.errors.append((where, message))

    def _store(self, bundle) -> tuple[StoreOutcome, int]:
        return store_fca(bundle, sources=self.sources), 0

    def _where(self, bundle) -> str:
        return f"FRN {bundle.details.frn}"

    def finish(self) -> int | None:
        self.summary.filings_read = self.client.requests
        return super().finish()


def directory_ch_numbers() -> list[str]:
    """Every Companies House number in the directory (`--all-companies`), longest unrefreshed first."""
    return list(db.session.scalars(select(Identifier.value).join(Company).where(Identifier.scheme == "ch_number")
                                   .order_by(Company.updated_at, Company.id)))


def client_from_config() -> FcaClient:
    """The polite register client as configured; ConfigurationError without the API user or a
    declared User-Agent. Private addresses are refused unless SCRAPER_ALLOW_PRIVATE_ADDRESSES."""
    config = current_app.config
    policy = AddressPolicy(allow_private=bool(config["SCRAPER_ALLOW_PRIVATE_ADDRESSES"]))
    return FcaClient(config.get("FCA_API_EMAIL"), config.get("FCA_API_KEY"),
                     user_agent=config.get("SCRAPER_USER_AGENT") or config.get("SEC_USER_AGENT"),
                     api_url=config["FCA_API_URL"], requests_per_second=config["FCA_REQUESTS_PER_SECOND"],
                     cache_dir=config["SCRAPER_CACHE_DIR"], check_url=policy.check)
