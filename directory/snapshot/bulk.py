"""The first load of a snapshot into an empty database: Core inserts, thousands of companies a second.

Matching line by line through the ORM (`importer.SnapshotImporter`) costs a dozen queries and
a flush per company: two minutes for the bundled directory on a small machine. In an empty
database there is nothing to match, compare or protect, so each batch of lines is written
with one multi-row INSERT per table instead, and the search index and the directory counts
are built once at the end. What the ORM path guarantees is kept:

- the same privacy rules: contact values on the suppression list and executives' personal
  mailboxes are left out (`lines.without_withheld`), names are shown as people write them;
- every inserted fact gets its "create" revision, attributed to the snapshot import;
- a source, person or identifier met again is the same row (matched as the ORM path
  matches them); an identifier another company already holds is reported and skipped;
- a line naming a company an earlier line already created (the same CIK, or slug) goes
  through the ORM path after the load, which merges it as a second import would.
"""
from __future__ import annotations

import json

from sqlalchemy import bindparam, select, update

from .. import search_index
from ..aggregates import counts
from ..extensions import db
from ..importers.bulk import _insert, enlarge_sqlite_cache
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
    Revision,
    Source,
)
from ..models.complaints import COUNTED_MATCHES
from ..rules.suppression import suppressed
from ..revisions import CHANGED_COMPANIES_KEY, creation_revision_rows, revision_context
from ..slugs import initial_of
from .lines import as_displayed, contact_keys, without_withheld
from .fields import (
    ADDRESS_FIELDS,
    BRAND_FIELDS,
    COMPLAINT_RECORD_FIELDS,
    COMPANY_FIELDS,
    CONTACT_FIELDS,
    FORMER_NAME_FIELDS,
    IDENTIFIER_FIELDS,
    MATCHING_SCHEMES,
    POSITION_FIELDS,
    SOURCE_FIELDS,
)
from .reading import MalformedLine, check_record, numbered_lines

BATCH_SIZE = 1000
PERSON_KEYS = ("sec_cik", "ch_officer_id", "wikidata_id", "slug")
# A position is one person's title from a start date at a company (as the ORM path matches it).
POSITION_KEY = ("company_id", "person_id", "title", "start_date")
# What tells apart the rows of one batch, to give each its id back (see `importers.bulk._insert`).
UNIQUE_KEYS = {Identifier: ("scheme", "value"), CompanyName: ("company_id", "name"), Address: ("company_id", "kind"),
               Brand: ("company_id", "name"), Contact: ("company_id", "kind", "value", "tier"),
               ComplaintRecord: ("cfpb_company",)}


def database_is_empty() -> bool:
    return db.session.scalar(select(Company.id).limit(1)) is None


class BulkLoad:
    """One load. Keeps, for the whole run, the ids of the sources, people, companies and
    identifiers it inserted, so later lines find them without a query."""

    def __init__(self, summary, actor: str):
        self.summary = summary
        self.actor = actor
        self.sources: dict[tuple, int] = {}
        self.people: dict[tuple[str, str], dict] = {}
        self.companies: dict[tuple[str, str], int] = {}  # (scheme or "slug", value) -> company id
        self.held: dict[tuple[str, str], int] = {}  # every identifier inserted -> its company
        self.parents: list[tuple[int, str]] = []  # (company id, parent slug), linked at the end
        self.again: list[tuple[int, dict]] = []  # lines naming a company already created

    # -- one batch ------------------------------------------------------------------------

    def load_batch(self, batch: list[tuple[int, dict]]) -> None:

        if not batch:
            return
        enlarge_sqlite_cache()
        withheld = suppressed(key for _, record in batch for key in contact_keys(record))
        records = []
        for line, record in batch:
            record = as_displayed(without_withheld(record, withheld))
            keys = _company_keys(record)
            if any(key in self.companies for key in keys):
                self.again.append((line, record))
                continue
            records.append((line, record))
            for key in keys:
                self.companies[key] = -1  # taken: a later line of the batch goes the ORM way
        if records:
            self._insert(records)
        db.session.info.pop(CHANGED_COMPANIES_KEY, None)  # the index is built once at the end
        db.session.commit()

    def _insert(self, records: list[tuple[int, dict]]) -> None:
        connection = db.session.connection()
        self._insert_sources([record for _, record in records])
        companies = [self._company_row(record) for _, record in records]
        _insert(connection, Company, companies, key=("slug",))
        rows: dict[type, list[dict]] = {model: [] for model in (CompanySlug, Identifier, CompanyName, Address,
                                                                 Position, Contact, Brand, ComplaintRecord)}
        positions_of = []
        for (line, record), company in zip(records, companies):
            for key in _company_keys(record):
                self.companies[key] = company["id"]
            rows[CompanySlug] += [{"slug": slug, "company_id": company["id"]} for slug in record["old_slugs"]
                                  if ("slug", slug) not in self.companies]
            for slug in record["old_slugs"]:
                self.companies.setdefault(("slug", slug), company["id"])
            rows[Identifier] += self._identifiers(company["id"], record["identifiers"], line)
            rows[CompanyName] += _facts(company["id"], _unique(record["former_names"], "name"), FORMER_NAME_FIELDS,
                                        self._source_id)
            rows[Address] += _facts(company["id"], _unique(record["addresses"], "kind"), ADDRESS_FIELDS, self._source_id)
            rows[Brand] += _facts(company["id"], _unique(record["brands"], "name"), BRAND_FIELDS, self._source_id)
            rows[ComplaintRecord] += _facts(company["id"], _counted(record["complaint_records"]),
                                            COMPLAINT_RECORD_FIELDS, self._source_id)
            positions = [self._position_row(company["id"], values) for values in record["positions"]]
            positions_of.append(positions)
            rows[Position] += positions
        self._link_parents(connection, records, companies)
        people = self._insert_people(rows[Position])
        rows[Position] = _unique_rows(rows[Position], POSITION_KEY)
        rows[ComplaintRecord] = _unique(rows[ComplaintRecord], "cfpb_company")  # one company per CFPB name
        for model in (CompanySlug, Identifier, CompanyName, Address, Brand, ComplaintRecord):
            _insert(connection, model, rows[model], key=UNIQUE_KEYS.get(model, ()))
        _insert(connection, Position, rows[Position], key=POSITION_KEY)
        for (_, record), company, positions in zip(records, companies, positions_of):
            rows[Contact] += self._contacts(company["id"], record["contacts"], positions)
        _insert(connection, Contact, rows[Contact], key=UNIQUE_KEYS[Contact])
        self._revisions(connection, companies, people, rows)
        self.summary.created += len(records)

    def _link_parents(self, connection, records: list[tuple[int, dict]], companies: list[dict]) -> None:
        """Parents already loaded are linked now, so the company's "create" revision names its
        parent; the others when the last line is in (`finish`)."""
        linked = []
        for (_, record), company in zip(records, companies):
            parent_id = self.companies.get(("slug", record["parent"])) if record["parent"] else None
            if parent_id not in (None, -1, company["id"]):
                company["parent_id"] = parent_id
                linked.append({"company_id": company["id"], "parent_id": parent_id})
            elif record["parent"]:
                self.parents.append((company["id"], record["parent"]))
        if linked:
            table = Company.__table__
            connection.execute(update(table).where(table.c.id == bindparam("company_id"))
                               .values(parent_id=bindparam("parent_id")), linked)

    def _revisions(self, connection, companies: list[dict], people: list[dict], rows: dict[type, list[dict]]) -> None:
        """Each inserted fact's "create" revision, as the ORM path's flush listener writes them."""
        revisions = creation_revision_rows(Company, companies, self.actor, [None] * len(companies))
        revisions += creation_revision_rows(Person, people, self.actor, [None] * len(people))
        for model in (Identifier, CompanyName, Address, Brand, Position, Contact):
            revisions += creation_revision_rows(model, rows[model], self.actor, [None] * len(rows[model]))
        if revisions:  # nothing to read back: a plain executemany, SQLite's fastest insert
            connection.execute(Revision.__table__.insert(), revisions)

    # -- rows -------------------------------------------------------------------------------

    def _company_row(self, record: dict) -> dict:
        values = record["company"]
        row = {name: values[name] for name in COMPANY_FIELDS}
        row.update(slug=values["slug"], initial=initial_of(values["name"]),
                   website_source_id=self._source_id(record["website_source"]))
        return row

    def _insert_sources(self, records: list[dict]) -> None:
        """Insert the sources the batch names that no earlier line named (one row per key)."""
        new: dict[tuple, dict] = {}
        for data in (source for record in records for source in _sources_of(record)):
            self.summary.saw(data)
            key = _source_key(data)
            if key not in self.sources and key not in new:
                new[key] = {name: data[name] for name in SOURCE_FIELDS}
        _insert(db.session.connection(), Source, list(new.values()), key=("kind", "url", "document_id"))
        self.sources.update((key, row["id"]) for key, row in new.items())

    def _source_id(self, data: dict | None) -> int | None:
        return None if data is None else self.sources[_source_key(data)]

    def _identifiers(self, company_id: int, items: list[dict], line: int) -> list[dict]:
        rows = []
        for values in items:
            key = (values["scheme"], values["value"])
            if key in self.held:
                if self.held[key] != company_id:
                    self.summary.problems.append(
                        f"line {line}: {values['scheme']} {values['value']} belongs to another company; kept there")
                continue
            self.held[key] = company_id
            rows.append({**{name: values[name] for name in IDENTIFIER_FIELDS}, "company_id": company_id,
                         "source_id": self._source_id(values["source"])})
        return rows

    def _position_row(self, company_id: int, values: dict) -> dict:
        return {**{name: values[name] for name in POSITION_FIELDS}, "company_id": company_id,
                "source_id": self._source_id(values["source"]), "person": values["person"]}

    def _insert_people(self, positions: list[dict]) -> list[dict]:
        """Find or insert the person of every position (by SEC CIK, Companies House officer id,
        Wikidata id, then slug, as the ORM path matches), then give each position its id."""
        new = []
        for position in positions:
            values = position.pop("person")
            keys = [(key, values[key]) for key in PERSON_KEYS if values[key]]
            person = next((self.people[key] for key in keys if key in self.people), None)
            if person is None:
                person = {"name": values["name"], "slug": values["slug"], "honorific": values["honorific"],
                          "sec_cik": values["sec_cik"], "ch_officer_id": values["ch_officer_id"],
                          "wikidata_id": values["wikidata_id"]}
                new.append(person)
            for key in keys:
                self.people.setdefault(key, person)
            position["person"] = person
        _insert(db.session.connection(), Person, new, key=("slug",))
        for position in positions:
            position["person_id"] = position.pop("person")["id"]
        return new

    def _contacts(self, company_id: int, items: list[dict], positions: list[dict]) -> list[dict]:
        rows = {}
        for values in items:
            key = (values["kind"], values["value"], values["tier"])
            position = positions[values["position"]] if values["position"] is not None else None
            position = position.get("same_as", position) if position is not None else None
            rows[key] = {**{name: values[name] for name in CONTACT_FIELDS}, "company_id": company_id,
                         "source_id": self._source_id(values["source"]),
                         "position_id": position["id"] if position is not None else None}
        return list(rows.values())

    # -- the end ----------------------------------------------------------------------------

    def finish(self, orm_importer) -> None:
        """Lines naming a company twice (through the ORM path), parents, counts, the index."""
        for start in range(0, len(self.again), BATCH_SIZE):
            orm_importer._import_batch(self.again[start:start + BATCH_SIZE])
        for company_id, slug in self.parents:
            company, parent = db.session.get(Company, company_id), _company_by_slug(slug)
            if parent is None or parent is company:
                self.summary.problems.append(f"{company.slug}: parent {slug} is not in the directory")
            else:
                company.parent = parent
        db.session.commit()
        orm_importer._link_parents()
        counts.refresh(db.session.connection())
        db.session.commit()
        search_index.rebuild()


def _company_keys(record: dict) -> list[tuple[str, str]]:
    """What names the line's company: its matching identifiers and its slug."""
    return [(i["scheme"], i["value"]) for i in record["identifiers"] if i["scheme"] in MATCHING_SCHEMES] + [
        ("slug", record["company"]["slug"])]


def _counted(items: list[dict]) -> list[dict]:
    """The CFPB names matched to the company (a doubtful match waits for this directory's moderators)."""
    return _unique([item for item in items if item["match"] in COUNTED_MATCHES], "cfpb_company")


def _unique(items: list[dict], key: str) -> list[dict]:
    """One fact per key (the last one listed), as the ORM path keeps one row per key."""
    return list({item[key]: item for item in items}.values())


def _facts(company_id: int, items: list[dict], names, source_id) -> list[dict]:
    return [{**{name: values[name] for name in names}, "company_id": company_id,
             "source_id": source_id(values["source"])} for values in items]


def _unique_rows(rows: list[dict], key: tuple[str, ...]) -> list[dict]:
    """One row per key, the last one's values kept in the first one's place (the ORM path
    updates the fact it already holds); a row dropped here points to the kept one."""
    kept: dict[tuple, dict] = {}
    for row in rows:
        found = kept.setdefault(tuple(row[name] for name in key), row)
        if found is not row:
            found.update(row)
            row["same_as"] = found
    return list(kept.values())


def _source_key(data: dict) -> tuple:
    return data["kind"], data["url"], data["document_id"]


def _sources_of(record: dict):
    """Every source a line names."""
    for name in ("identifiers", "former_names", "addresses", "positions", "contacts", "brands", "complaint_records"):
        yield from (item["source"] for item in record[name] if item["source"] is not None)
    if record["website_source"] is not None:
        yield record["website_source"]


def _company_by_slug(slug: str) -> Company | None:
    return (db.session.scalar(select(Company).where(Company.slug == slug))
            or db.session.scalar(select(Company).join(CompanySlug).where(CompanySlug.slug == slug)))


def load(path: str, summary, actor: str, orm_importer, batch_size: int = BATCH_SIZE) -> None:
    """Read `path` and load it into the empty database, batch by batch."""
    run = BulkLoad(summary, actor)
    batch: list[tuple[int, dict]] = []
    with revision_context(actor):
        for line, raw in numbered_lines(path):
            try:
                batch.append((line, check_record(json.loads(raw.decode("utf-8")))))
            except (UnicodeDecodeError, json.JSONDecodeError, MalformedLine) as error:
                summary.problems.append(f"line {line}: skipped, {error}")
            if len(batch) >= batch_size:
                run.load_batch(batch)
                batch = []
        run.load_batch(batch)
        run.finish(orm_importer)
