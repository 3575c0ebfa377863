"""Load a snapshot into the database idempotently: match, update what differs, add what is missing.

Companies are matched by a unique identifier (CIK, Companies House number, LEI), then by
slug (current or old); people by SEC CIK, Companies House officer id, then slug; sources
by (kind, url, document_id). Nothing that is already equal is touched, so importing the
same file twice writes no rows and no revisions. Facts missing from the file are kept:
a snapshot adds to the directory, it never deletes from it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..models import (
    Address,
    Brand,
    Company,
    CompanyName,
    CompanySlug,
    ComplaintRecord,
    Contact,
    Identifier,
    Person,
    Position,
    RefreshRun,
    Source,
)
from ..models.complaints import COUNTED_MATCHES
from ..rules.suppression import is_suppressed, listing_key, suppressed
from ..revisions import revision_context
from ..slugs import initial_of
from .lines import as_displayed, contact_keys, without_withheld
from .fields import (
    ADDRESS_FIELDS,
    BRAND_FIELDS,
    COMPANY_FIELDS,
    COMPLAINT_RECORD_FIELDS,
    CONTACT_FIELDS,
    FORMER_NAME_FIELDS,
    IDENTIFIER_FIELDS,
    MATCHING_SCHEMES,
    POSITION_FIELDS,
    SOURCE_FIELDS,
    to_json,
)
from ..queries import company_record_options
from .reading import MalformedLine, check_record, numbered_lines

BATCH_SIZE = 200
ACTOR = "snapshot import"
SNAPSHOT_RUN = "snapshot"  # the `refresh_runs.source` of a snapshot load (see `record_snapshot`)


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)  # "line 3: ..." for the operator
    retrieved: dict[str, datetime] = field(default_factory=dict)  # source kind -> newest retrieval in the file

    def saw(self, source: dict | None) -> None:
        """Note a source of the file: when the snapshot's facts of its kind were retrieved."""
        if source is not None and source["retrieved_at"] is not None:
            known = self.retrieved.get(source["kind"])
            self.retrieved[source["kind"]] = max(known, source["retrieved_at"]) if known else source["retrieved_at"]


def _assign(obj, values: dict, names) -> bool:
    """Set the fields that differ (compared as they appear in the file); True if any did."""
    changed = False
    for name in names:
        if to_json(getattr(obj, name)) != to_json(values[name]):
            setattr(obj, name, values[name])
            changed = True
    return changed


def _source_key(source) -> tuple:
    """How sources are matched: a Source row or a source dict from the file."""
    if isinstance(source, dict):
        return source["kind"], source["url"], source["document_id"]
    return source.kind, source.url, source.document_id


def _equals(column, value):
    return column.is_(None) if value is None else column == value


class SnapshotImporter:
    """One import run. Within a batch nothing is flushed until the commit, so the companies,
    people and sources the batch has matched or created are kept in dictionaries."""

    def __init__(self):
        self.summary = ImportSummary()
        # Per batch: keys are (kind, url, document_id), (column, value), (scheme or "slug", value).
        self._sources: dict[tuple, Source] = {}
        self._people: dict[tuple[str, str], Person] = {}
        self._companies: dict[tuple[str, str], Company] = {}
        self._withheld: set[str] = set()  # the batch's contact values on the suppression list
        # (company, parent slug) for the whole run: a parent may come on a later line.
        self._parents: list[tuple[Company, str]] = []

    # -- sources -------------------------------------------------------------------------

    def _source(self, data: dict) -> Source:
        self.summary.saw(data)
        key = _source_key(data)
        if key in self._sources:
            return self._sources[key]
        source = db.session.scalar(
            select(Source).where(Source.kind == data["kind"], _equals(Source.url, data["url"]),
                                 _equals(Source.document_id, data["document_id"]))
            .order_by(Source.id).limit(1)
        )
        if source is None:
            source = Source()
            db.session.add(source)
        _assign(source, data, SOURCE_FIELDS)
        self._sources[key] = source
        return source

    def _assign_fact(self, obj, values: dict, names) -> bool:
        """Fact fields plus its source; a source already matching the key is kept as it is.

        New facts are filled in here before they join the company, so each is inserted
        complete (one "create" revision, not a create followed by an update)."""
        data = values["source"]
        source = None
        if data is not None and (obj.source is None or _source_key(obj.source) != _source_key(data)):
            source = self._source(data)
        changed = _assign(obj, values, names)
        if source is not None:
            obj.source = source
            changed = True
        return changed

    # -- companies -----------------------------------------------------------------------

    def _preload(self, records: list[dict]) -> None:
        """Load every company and person a batch names in a handful of queries, so matching
        a line costs dictionary lookups instead of a dozen round trips."""
        idents = {(i["scheme"], i["value"]) for r in records for i in r["identifiers"]
                  if i["scheme"] in MATCHING_SCHEMES}
        slugs = {r["company"]["slug"] for r in records}
        ids_by_key = {("slug", slug): cid for slug, cid in db.session.execute(
            select(CompanySlug.slug, CompanySlug.company_id).where(CompanySlug.slug.in_(slugs)))}
        ids_by_key.update({("slug", slug): cid for slug, cid in db.session.execute(
            select(Company.slug, Company.id).where(Company.slug.in_(slugs)))})
        ids_by_key.update({(scheme, value): cid for scheme, value, cid in db.session.execute(
            select(Identifier.scheme, Identifier.value, Identifier.company_id).where(
                Identifier.scheme.in_(MATCHING_SCHEMES), Identifier.value.in_({v for _, v in idents})))
            if (scheme, value) in idents})
        companies = {c.id: c for c in db.session.scalars(
            select(Company).where(Company.id.in_(set(ids_by_key.values()))).options(*company_record_options()))}
        self._companies = {key: companies[cid] for key, cid in ids_by_key.items()}

        self._withheld = suppressed(key for r in records for key in contact_keys(r))

        people = [p["person"] for r in records for p in r["positions"]]
        for column in (Person.sec_cik, Person.ch_officer_id, Person.wikidata_id, Person.slug):
            wanted = {p[column.key] for p in people if p[column.key]}
            for person in db.session.scalars(select(Person).where(column.in_(wanted))):
                self._people[(column.key, getattr(person, column.key))] = person

    def _find_company(self, record: dict) -> Company | None:
        keys = [(i["scheme"], i["value"]) for i in record["identifiers"] if i["scheme"] in MATCHING_SCHEMES]
        for key in (*keys, ("slug", record["company"]["slug"])):
            if key in self._companies:
                return self._companies[key]
        return None

    def _remember(self, company: Company) -> None:
        """Later lines of the batch see this company's slugs and identifiers (not flushed yet)."""
        for slug in (company.slug, *(alias.slug for alias in company.old_slugs)):
            self._companies[("slug", slug)] = company
        for ident in company.identifiers:
            self._companies[(ident.scheme, ident.value)] = company

    def _slug_owner(self, slug: str) -> Company | None:
        """The company that uses `slug`, now or as an old slug."""
        if ("slug", slug) in self._companies:
            return self._companies[("slug", slug)]
        return (db.session.scalar(select(Company).where(Company.slug == slug))
                or db.session.scalar(select(Company).join(CompanySlug).where(CompanySlug.slug == slug)))

    @staticmethod
    def _create_company(values: dict) -> Company:
        """A new company under the file's slug, which `_find_company` found unused."""
        company = Company(slug=values["slug"], initial=initial_of(values["name"]))
        _assign(company, values, COMPANY_FIELDS)
        db.session.add(company)
        return company

    def _update_company(self, company: Company, values: dict) -> bool:
        changed = _assign(company, values, COMPANY_FIELDS)
        if changed and company.initial != initial_of(company.name):
            company.initial = initial_of(company.name)
        slug = values["slug"]
        if company.slug != slug and self._slug_owner(slug) in (None, company):
            for alias in [a for a in company.old_slugs if a.slug == slug]:
                company.old_slugs.remove(alias)
            db.session.flush()
            company.old_slugs.append(CompanySlug(slug=company.slug))
            company.slug = slug
            changed = True
        return changed

    def _old_slugs(self, company: Company, slugs: list[str]) -> bool:
        known = {alias.slug for alias in company.old_slugs} | {company.slug}
        added = False
        for slug in slugs:
            if slug not in known and self._slug_owner(slug) is None:
                company.old_slugs.append(CompanySlug(slug=slug))
                added = True
        return added

    # -- facts ---------------------------------------------------------------------------

    def _identifiers(self, company: Company, items: list[dict], line: int) -> bool:
        changed = False
        mine = {(i.scheme, i.value): i for i in company.identifiers}
        for values in items:
            key = (values["scheme"], values["value"])
            ident = mine.get(key)
            if ident is None:
                owner = self._companies.get(key) or db.session.scalar(select(Identifier.company_id).where(
                    Identifier.scheme == values["scheme"], Identifier.value == values["value"]))
                if owner is not None:
                    self.summary.problems.append(
                        f"line {line}: {values['scheme']} {values['value']} belongs to another company; kept there")
                    continue
                ident = Identifier()
                self._assign_fact(ident, values, IDENTIFIER_FIELDS)
                company.identifiers.append(ident)
                changed = True
            else:
                changed |= self._assign_fact(ident, values, IDENTIFIER_FIELDS)
        return changed

    def _keyed_facts(self, collection, items: list[dict], key: str, names, model) -> bool:
        """Former names (by name) and addresses (by kind): one row per key and company."""
        changed = False
        existing = {getattr(obj, key): obj for obj in collection}
        for values in items:
            obj = existing.get(values[key])
            if obj is None:
                obj = existing[values[key]] = model()
                self._assign_fact(obj, values, names)
                collection.append(obj)
                changed = True
            else:
                changed |= self._assign_fact(obj, values, names)
        return changed

    def _person(self, values: dict) -> Person:
        """The matching person, or a new one under the file's slug (no one has it: we looked)."""
        keys = [(key, values[key]) for key in ("sec_cik", "ch_officer_id", "wikidata_id", "slug") if values[key]]
        person = next((self._people[key] for key in keys if key in self._people), None)
        if person is None:
            person = Person(slug=values["slug"], name=values["name"])
            db.session.add(person)
        _assign(person, values, ("name", "honorific"))
        for key in ("sec_cik", "ch_officer_id", "wikidata_id"):  # free, or the lookup above would have matched
            if values[key] and getattr(person, key) is None:
                setattr(person, key, values[key])
        for key in keys:
            self._people[key] = person
        return person

    def _positions(self, company: Company, items: list[dict]) -> tuple[bool, list[Position]]:
        changed = False
        resolved = []
        for values in items:
            person = self._person(values["person"])
            changed |= person in db.session.new or db.session.is_modified(person)
            position = next((p for p in company.positions if p.person is person
                             and p.title == values["title"] and p.start_date == values["start_date"]), None)
            if position is None and _listing_removed(person, company):
                resolved.append(None)  # the line's contacts that name this position keep to the company
                continue
            if position is None:
                position = Position()
                self._assign_fact(position, values, POSITION_FIELDS)
                position.person = person
                company.positions.append(position)
                changed = True
            else:
                changed |= self._assign_fact(position, values, POSITION_FIELDS)
            resolved.append(position)
        return changed, resolved

    def _contacts(self, company: Company, items: list[dict], positions: list[Position]) -> bool:
        changed = False
        existing = {(c.kind, c.value, c.tier): c for c in company.contacts}
        for values in items:
            key = (values["kind"], values["value"], values["tier"])
            contact = existing.get(key)
            is_new = contact is None
            if is_new:
                contact = existing[key] = Contact()
            changed |= self._assign_fact(contact, values, CONTACT_FIELDS)
            position = positions[values["position"]] if values["position"] is not None else None
            if position is not None and contact.position is not position:
                contact.position = position
                changed = True
            if is_new:
                company.contacts.append(contact)
                changed = True
        return changed

    # -- one line ------------------------------------------------------------------------

    def import_record(self, record: dict, line: int) -> None:
        """Apply one line. Lookups do not autoflush: the batch's caches see its unflushed rows."""
        record = as_displayed(without_withheld(record, self._withheld))
        company = self._find_company(record)
        created = company is None
        if created:
            company = self._create_company(record["company"])
            changed = True
        else:
            changed = self._update_company(company, record["company"])
        changed |= self._old_slugs(company, record["old_slugs"])
        changed |= self._identifiers(company, record["identifiers"], line)
        changed |= self._keyed_facts(company.former_names, record["former_names"], "name",
                                     FORMER_NAME_FIELDS, CompanyName)
        changed |= self._keyed_facts(company.addresses, record["addresses"], "kind", ADDRESS_FIELDS, Address)
        positions_changed, positions = self._positions(company, record["positions"])
        changed |= positions_changed
        changed |= self._contacts(company, record["contacts"], positions)
        changed |= self._keyed_facts(company.brands, record["brands"], "name", BRAND_FIELDS, Brand)
        changed |= self._complaint_records(company, record["complaint_records"])
        changed |= self._website_source(company, record["website_source"])
        changed |= self._parent(company, record["parent"])
        self._remember(company)
        if created:
            self.summary.created += 1
        elif changed:
            self.summary.updated += 1
        else:
            self.summary.unchanged += 1

    def _complaint_records(self, company: Company, items: list[dict]) -> bool:
        """The CFPB's counts, by CFPB name. A name this directory already gives to another
        company, or one a moderator here rejected, stays as decided here."""
        changed = False
        for values in items:
            if values["match"] not in COUNTED_MATCHES:
                continue
            record = next((r for r in company.complaint_records if r.cfpb_company == values["cfpb_company"]), None)
            if record is None:
                if db.session.scalar(select(ComplaintRecord.id).where(
                        ComplaintRecord.cfpb_company == values["cfpb_company"])) is not None:
                    continue
                record = ComplaintRecord()
                self._assign_fact(record, values, COMPLAINT_RECORD_FIELDS)
                company.complaint_records.append(record)
                changed = True
            elif record.match != "rejected":
                changed |= self._assign_fact(record, values, COMPLAINT_RECORD_FIELDS)
        return changed

    def _website_source(self, company: Company, data: dict | None) -> bool:
        if data is None or (company.website_source is not None and _source_key(company.website_source)
                            == _source_key(data)):
            return False
        company.website_source = self._source(data)
        return True

    def _parent(self, company: Company, slug: str | None, *, last_try: bool = False) -> bool:
        """Link the parent named by slug; one that is not in yet is tried again after the
        last line (`_link_parents`): a parent may come after its subsidiaries."""
        if slug is None:
            return False
        parent = self._slug_owner(slug)
        if parent is None or parent is company:
            if last_try:
                self.summary.problems.append(f"{company.slug}: parent {slug} is not in the directory")
            else:
                self._parents.append((company, slug))
            return False
        if company.parent is parent:
            return False
        company.parent = parent
        return True

    def _link_parents(self) -> None:
        waiting, self._parents = self._parents, []
        for company, slug in waiting:
            self._parent(company, slug, last_try=True)
        db.session.commit()

    def run(self, path: str, batch_size: int = BATCH_SIZE) -> ImportSummary:
        batch: list[tuple[int, dict]] = []
        with revision_context(ACTOR):
            for line, raw in numbered_lines(path):
                try:
                    batch.append((line, check_record(json.loads(raw.decode("utf-8")))))
                except (UnicodeDecodeError, json.JSONDecodeError, MalformedLine) as error:
                    self.summary.problems.append(f"line {line}: skipped, {error}")
                if len(batch) >= batch_size:
                    self._import_batch(batch)
                    batch = []
            self._import_batch(batch)
            self._link_parents()
        return self.summary

    def _import_batch(self, batch: list[tuple[int, dict]]) -> None:
        """Match, apply and commit one batch (one flush: inserts go out many rows at a time);
        the caches live only as long as the batch."""
        if batch:
            self._preload([record for _, record in batch])
            with db.session.no_autoflush:
                for line, record in batch:
                    self.import_record(record, line)
            db.session.commit()
        self._sources.clear()
        self._people.clear()
        self._companies.clear()


def _listing_removed(person: Person, company: Company) -> bool:
    """A person's listing at a company that an upheld objection removed: only people and
    companies already in the database can have one, and the snapshot must not restore it."""
    return person.id is not None and company.id is not None and is_suppressed(listing_key(person.id, company.id))


def import_snapshot(path: str, batch_size: int = BATCH_SIZE, *, bulk: bool | None = None) -> ImportSummary:
    """Load `path`. An empty database (or `bulk=True`) takes the bulk path (`bulk.py`): the
    same result, written with Core inserts and indexed once at the end."""
    from . import bulk as bulk_load

    importer = SnapshotImporter()
    if bulk if bulk is not None else bulk_load.database_is_empty():
        bulk_load.load(path, importer.summary, ACTOR, importer)
    else:
        importer.run(path, batch_size)
    record_snapshot(importer.summary)
    return importer.summary


def record_snapshot(summary: ImportSummary) -> None:
    """Remember that the directory holds a snapshot's facts, and of when, for /status: a
    source not read live since shows "bundled snapshot of DATE" instead of "Never". One
    `refresh_runs` row of source "snapshot", dated when the snapshot's facts were retrieved
    (its build date), naming the kinds of source it carried; nothing when nothing changed."""
    if not (summary.created or summary.updated) or not summary.retrieved:
        return
    when = max(summary.retrieved.values())
    db.session.add(RefreshRun(source=SNAPSHOT_RUN, started_at=when, finished_at=when, succeeded=True,
                              companies=summary.created + summary.updated,
                              message=" ".join(sorted(summary.retrieved))))
    db.session.commit()
