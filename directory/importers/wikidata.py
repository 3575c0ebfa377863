"""A Wikidata import run: brands, chief executives, parents, websites and social accounts.

One record per company: an item whose Wikidata id, SEC CIK, Companies House number or LEI
is already in the directory enriches that company, it never makes a second one. Who wins:
a filing or a register (or a moderator) outranks Wikidata for who holds a post. When they
disagree on the current CEO the directory keeps the filing's answer and queues the
disagreement for moderators with both sources; a company no filing covers shows Wikidata's
current CEO with its reference and dates. One transaction per company, as the other
importers: a failure costs that company only, never half of it.
"""
from __future__ import annotations

import logging
from dataclasses import replace

from flask import current_app
from sqlalchemy import and_, or_, select

from scrapers.companies_house import pad_company_number
from scrapers.errors import ScraperError
from scrapers.wikidata import WikidataClient, WikidataCompany, WikidataDate, crawl_company
from scrapers.wikidata.entities import PRECISION_MONTH, PRECISION_YEAR

from ..extensions import db
from ..models import Brand, Company, Identifier, Person, Position
from ..revisions import revision_context
from ..slugs import unique_slug
from .register import RegisterImport, RunSummary
from .writer import (
    CompanyWriter,
    SourceCache,
    StoreOutcome,
    match_position,
    pad_cik,
    same_person,
    store_company_record,
)

IMPORTER_ACTOR = "wikidata importer"
# Sources that outrank Wikidata for who holds a post.
FILED_SOURCE_KINDS = ("sec_filing", "registry_record", "contribution", "form4_digest")
# P169 is an explicit, referenced statement, not a title read as a CEO: at 0.9 the page shows
# it as a sourced fact (below 0.9 it says "inferred"), and a filing's explicit CEO title
# (0.95, `scrapers.titles`) still ranks first in `Company.ceo_position`. Any filed CEO, even
# an inferred one, also makes Wikidata's own current CEO give way (`_give_way`).
WIKIDATA_CEO_CONFIDENCE = 0.9
# Wikidata's date precisions as `Position.start_precision` stores them (a day's: None).
PRECISIONS = {PRECISION_YEAR: "year", PRECISION_MONTH: "month"}
TITLES = {"ceo": "Chief executive officer", "chair": "Chairperson"}
# Identifiers that name one company, in the order they decide which record an item enriches.
MATCH_SCHEMES = ("wikidata", "cik", "ch_number", "lei")
# Facts a register describes better: a registered company keeps its own.
REGISTER_OWNED = {"country": None, "region": None, "city": None, "sector": None}

log = logging.getLogger(__name__)


def identifier_key(scheme: str, value: str) -> tuple[str, str]:
    """The stored form of an identifier, as the EDGAR and Companies House importers store it."""
    if scheme == "cik":
        return scheme, pad_cik(value)
    if scheme == "ch_number":
        return scheme, pad_company_number(value)
    return scheme, value


def find_company(record: WikidataCompany) -> Company | None:
    """The directory's company for this item: by Wikidata id, else CIK, company number, LEI."""
    keys = [identifier_key(i.scheme, i.value) for i in record.company.identifiers if i.scheme in MATCH_SCHEMES]
    owners = dict(db.session.execute(select(Identifier.scheme, Identifier.company_id).where(
        or_(*(and_(Identifier.scheme == scheme, Identifier.value == value) for scheme, value in keys)))).all())
    for scheme in MATCH_SCHEMES:
        if scheme in owners:
            return db.session.get(Company, owners[scheme])
    return None


def store_wikidata(record: WikidataCompany, *, sources: SourceCache) -> StoreOutcome:
    """Write one company's Wikidata facts into the session; flushes, never commits."""
    outcome = StoreOutcome()
    company = find_company(record)
    source = sources.get(record.company.source)
    with revision_context(IMPORTER_ACTOR, source_id=source.id):
        writer = CompanyWriter(sources, company, outcome)
        facts = replace(record.company, website=None)  # set below, and only where none is
        if company is not None and (company.identifier("cik") or company.identifier("ch_number")):
            facts = replace(facts, name=company.name, **REGISTER_OWNED,  # tickers too: the register lists them
                            identifiers=tuple(i for i in facts.identifiers if i.scheme != "ticker"))
        with db.session.no_autoflush:
            company = store_company_record(writer, facts, source, key=("wikidata", record.qid))
        db.session.flush()
        if company.website is None and record.company.website:
            writer.set(company, "company", "website", record.company.website, source)
            writer.set(company, "company", "website_source_id", source.id, source)
        _store_brands(writer, company, record, source)
        _store_executives(writer, company, record)
        _store_socials(writer, company, record, source)
        _store_family(writer, company, record, source)
        if outcome.status != "created" and writer.changed:
            outcome.status = "updated"
        db.session.flush()
    outcome.company_id = company.id
    return outcome


def _store_brands(writer: CompanyWriter, company: Company, record: WikidataCompany, source) -> None:
    by_key = {b.wikidata_id or b.name: b for b in company.brands}
    by_name = {b.name: b for b in company.brands}
    for found in record.brands:
        aliases = [a for a in dict.fromkeys(found.aliases) if a != found.name]
        brand = by_key.get(found.qid) or by_name.get(found.name)
        if brand is None:
            brand = Brand(name=found.name, aliases=aliases, wikidata_id=found.qid, source=source)
            company.brands.append(brand)
            by_key[found.qid] = by_name[found.name] = brand
            writer.changed = True
            continue
        for name, value in (("name", found.name), ("aliases", aliases), ("wikidata_id", found.qid)):
            writer.set(brand, "brand", name, value, source)


def filed_holder(company: Company, role: str) -> Position | None:
    """The current holder of `role` as a filing, a register or a moderator says; None if none does."""
    for position in company.positions:
        holds = position.is_ceo if role == "ceo" else position.role == role
        if not (position.is_current and holds):
            continue
        if position.confirmed or (position.source is not None and position.source.kind in FILED_SOURCE_KINDS):
            return position
    return None


def _store_executives(writer: CompanyWriter, company: Company, record: WikidataCompany) -> None:
    current = {role: record.current(role) for role in TITLES}
    for executive in record.executives:
        if executive.is_current and executive is not current[executive.role]:
            writer.outcome.skipped.append(f"{executive.name}: another current {executive.role} ranks higher")
            continue
        filed = filed_holder(company, executive.role) if executive.is_current else None
        if filed is None:
            _store_position(writer, company, executive)
            continue
        _give_way(writer, company, filed)
        if same_person(filed.person.name, [executive.name, *executive.aliases]):
            _move_wikidata_id(writer, filed.person, executive.qid)
        elif executive.role == "ceo":
            # The filing stays; moderators see both sources and may end the filed post.
            writer.propose("position", filed.id, "is_current", True, False, writer.sources.get(executive.source))


def _give_way(writer: CompanyWriter, company: Company, filed: Position) -> None:
    """A filing now names the holder of a post Wikidata alone filled before: Wikidata's own
    current position for it is removed, so the page lists one holder, the filing's."""
    for position in list(company.positions):
        if (position is not filed and position.is_current and position.role == filed.role
                and position.source is not None and position.source.kind == "wikidata"):
            company.positions.remove(position)  # delete-orphan: the row goes, with a revision
            writer.changed = True


def _move_wikidata_id(writer: CompanyWriter, person: Person, qid: str) -> None:
    """The filed person is Wikidata's `qid`: it moves to them from a person Wikidata alone
    created, once that person holds no post any more."""
    if person.wikidata_id is not None:
        return
    db.session.flush()
    other = _person_by_qid(qid)
    if other is not None:
        if other.positions:
            return
        writer.set(other, "person", "wikidata_id", None, None)
        db.session.flush()  # the unique id is free before the filed person takes it
    writer.set(person, "person", "wikidata_id", qid, None)


def _person_by_qid(qid: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.wikidata_id == qid))


def _store_position(writer: CompanyWriter, company: Company, executive) -> None:
    source = writer.sources.get(executive.source)
    names = [executive.name, *executive.aliases]
    person = _person_by_qid(executive.qid)
    if person is None:
        person = next((p.person for p in company.positions if p.person.wikidata_id is None
                       and same_person(p.person.name, names)), None)
        if person is not None:
            writer.set(person, "person", "wikidata_id", executive.qid, source)
    if writer.listing_withheld(person, names):
        return
    if person is None:
        person = Person(name=executive.name, slug=unique_slug(db.session, Person, executive.name),
                        wikidata_id=executive.qid)
        db.session.add(person)
        writer.outcome.people_added += 1
        writer.changed = True
    values = {**_dated("start", executive.start), **_dated("end", executive.end), "is_current": executive.is_current,
              "ceo_confidence": WIKIDATA_CEO_CONFIDENCE if executive.role == "ceo" else None}
    position = match_position(company, person, role=executive.role, start_date=values["start_date"],
                              is_current=executive.is_current)
    if position is None:
        writer.add_position(person, source, title=TITLES[executive.role], role=executive.role,
                            is_ceo=executive.role == "ceo", **values)
        return
    if position.source is None or position.source.kind != "wikidata":
        return  # a filing or a person made this position: Wikidata does not edit it
    writer.update_position(position, values, source)


def _dated(end: str, when: WikidataDate | None) -> dict:
    """A position's `start_date` and `start_precision` (or end_...) from a Wikidata date."""
    return {f"{end}_date": when.value if when else None,
            f"{end}_precision": PRECISIONS.get(when.precision) if when else None}


def _store_socials(writer: CompanyWriter, company: Company, record: WikidataCompany, source) -> None:
    """Public social accounts: the "Ask in public" channel, on the customer-service rung."""
    for account in record.socials:
        writer.write_contact(kind="url", value=account.url, tier="customer_service", role="social", source=source,
                             as_of=None, quality="scraped", label=f"{account.platform}: {account.handle}")


def _store_family(writer: CompanyWriter, company: Company, record: WikidataCompany, source) -> None:
    """Parent and subsidiaries link to each other when both are in the directory, whichever
    comes first and whichever side's item names the other: a parent not listed yet is
    remembered (`parent_wikidata_id`) until it is."""
    def by_qid(qids):
        if not qids:
            return []
        return list(db.session.scalars(select(Company).join(Identifier).where(
            Identifier.scheme == "wikidata", Identifier.value.in_(qids), Company.id != company.id)))

    parent = next(iter(by_qid(record.parent_qids)), None)
    if parent is not None and company.parent_id is None:
        writer.set(company, "company", "parent_id", parent.id, source)
    # bookkeeping, not a change a reader sees: the run's "updated" count does not move for it
    company.parent_wikidata_id = record.parent_qids[0] if record.parent_qids and company.parent_id is None else None
    waiting = db.session.scalars(select(Company).where(Company.parent_wikidata_id == record.qid,
                                                       Company.id != company.id))
    for child in {*by_qid(record.subsidiary_qids), *waiting}:
        if child.parent_id is None:
            child.parent_id = company.id
            writer.changed = True
        child.parent_wikidata_id = None


class WikidataImport(RegisterImport):
    """Drives `scrapers.wikidata` and the store for many items, each in its own transaction."""

    register = "Wikidata"

    def __init__(self, client: WikidataClient, *, defer_search: bool = False, crawl=crawl_company):
        super().__init__(client, defer_search=defer_search, summary=RunSummary(documents_label="Wikidata items read"))
        self.crawl = crawl
        self.done: set[str] = set()

    def import_qid(self, qid: str) -> None:
        qid = self.client.redirects.get(qid.upper(), qid.upper())
        if qid in self.done:
            return
        self.done.add(qid)
        try:
            record = self.crawl(self.client, qid)
        except ScraperError as error:
            self._failed(f"item {qid}", str(error))
            return
        if record is None:
            log.warning("Wikidata item %s not found", qid)
            self.summary.missing += 1
            self.summary.errors.append((f"item {qid}", "not found (HTTP 404)"))
            return
        self.done.add(record.qid)
        for problem in record.problems:
            log.info("Wikidata item %s: %s", qid, problem)
        self._store_and_commit([(qid, record)])

    # -- hooks of the register run: an item is (the id asked for, its record) ----------------
    def _store(self, item: tuple) -> tuple[StoreOutcome, int]:
        return store_wikidata(item[1], sources=self.sources), 0

    def _where(self, item: tuple) -> str:
        return f"item {item[0]}"

    def _commit(self) -> None:
        try:
            super()._commit()
        finally:
            # A company's sources are its own (its item, its statements' references): kept for
            # the run, they stayed in the session and every commit expired them all, so each
            # company cost more than the one before (12 a second at 1,000 stored, 4 at 5,000).
            self.sources.clear()

    def finish(self) -> int | None:
        """Count what was read; rebuild the search index once when commits did not update it."""
        self.summary.filings_read = self.client.requests
        return super().finish()


def known_items(limit: int | None = None) -> list[str]:
    """The Wikidata ids of the directory's companies, longest unrefreshed first."""
    query = (select(Identifier.value).join(Company).where(Identifier.scheme == "wikidata")
             .order_by(Company.updated_at, Company.id))
    return list(db.session.scalars(query.limit(limit) if limit else query))


def client_from_config() -> WikidataClient:
    """The polite Wikidata client as configured; ConfigurationError without a User-Agent."""
    config = current_app.config
    return WikidataClient(
        config.get("SCRAPER_USER_AGENT") or config.get("SEC_USER_AGENT"), entity_url=config["WIKIDATA_ENTITY_URL"],
        sparql_url=config["WIKIDATA_SPARQL_URL"], requests_per_second=config["WIKIDATA_REQUESTS_PER_SECOND"],
        cache_dir=config["SCRAPER_CACHE_DIR"])


def refresh_wikidata(limit: int | None = None) -> RunSummary:
    """Re-read up to `limit` known items, longest unrefreshed first (for `flask refresh`);
    commits company by company."""
    client = client_from_config()
    try:
        run = WikidataImport(client)
        for qid in known_items(limit):
            run.import_qid(qid)
        run.finish()
    finally:
        client.close()
    return run.summary
