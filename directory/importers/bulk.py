"""The fast path of bulk first loads: companies the database has never seen, inserted with Core.

Storing one company through the ORM costs a dozen queries and three flushes; a first load of
EDGAR's 900,000 entities that way takes hours. Companies that are new (no CIK identifier, no
sync state) have nothing to compare, protect or rename, so a batch of them is written with
one `executemany` per table instead. Everything the ORM path guarantees is kept here by hand:

- every inserted tracked row gets its "create" revision (`revisions.creation_revision_rows`),
  attributed to the importer and the company's submissions source;
- slugs are unique across current and old slugs (`SlugBook`, loaded once per run);
- an identifier another company already holds is skipped and noted, never stolen;
- the company ids go to the search index's change set, and the companies into the directory
  counts, like an ORM flush would;
- officers (insider data sets) become people, found by their SEC CIK or created with a slug
  no person has, and positions, each with its revision, as `store._store_officer` would.

Changed companies still go through `store.store_bundle`, which compares every value.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, insert, or_, select, union_all

from ..aggregates import counts
from ..extensions import db
from ..models import (
    Address,
    Company,
    CompanyName,
    CompanySlug,
    EdgarSyncState,
    Identifier,
    Person,
    Position,
    Revision,
    Source,
)
from ..models.base import utcnow
from ..revisions import creation_revision_rows, mark_changed
from ..slugs import initial_of, slugify
from .store import IMPORTER_ACTOR
from .writer import ADDRESS_FIELDS, COMPANY_FIELDS, StoreOutcome, pad_cik, suppressed_fields


BULK_SQLITE_CACHE_KIB = 256 * 1024

# The columns that tell a batch's inserted rows apart, to match the ids RETURNING hands back.
UNIQUE_KEYS = {
    Identifier: ("scheme", "value"),
    CompanyName: ("company_id", "name"),
    Address: ("company_id", "kind"),
}


class SlugBook:
    """Every slug in use (companies' and old ones), read once, so a new slug needs no query.

    Slugs handed out since the last commit are remembered, so a rolled-back batch gives
    them back. Slugs the ORM path takes during the run are added with `add`.
    """

    def __init__(self, statement=None):
        """`statement` selects the slugs in use (default: companies' current and old ones)."""
        self._statement = statement if statement is not None else union_all(select(Company.slug),
                                                                             select(CompanySlug.slug))
        self._taken: set[str] | None = None
        self._pending: list[str] = []

    def _load(self) -> set[str]:
        if self._taken is None:
            self._taken = set(db.session.scalars(self._statement))
        return self._taken

    def claim(self, name: str) -> str:
        """The slug `unique_slug` would give `name`: its slugified form, suffixed -2, -3, ..."""
        taken = self._load()
        base = slugify(name)
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        taken.add(candidate)
        self._pending.append(candidate)
        return candidate

    def add(self, slug: str) -> None:
        if self._taken is not None and slug not in self._taken:
            self._taken.add(slug)
            self._pending.append(slug)

    def committed(self) -> None:
        self._pending.clear()

    def rolled_back(self) -> None:
        if self._taken is not None:
            self._taken.difference_update(self._pending)
        self._pending.clear()


def enlarge_sqlite_cache() -> None:
    """Give the bulk load's connection a 256 MB page cache instead of SQLite's 2 MB default.

    New rows land all over the growing unique indexes (slugs, identifiers, revisions), which
    a small cache keeps reading back from the file. Memory only, this connection only: the
    journal and sync settings stay as `directory/database.py` sets them. Called per batch,
    since the session may be handed another pooled connection after a commit.
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA cache_size=-{BULK_SQLITE_CACHE_KIB}")


def unknown_ciks(ciks: list[str]) -> set[str]:
    """The CIKs (ten digits) no company in the database has: candidates for the fast path."""
    known = set(db.session.scalars(select(Identifier.value).where(
        Identifier.scheme == "cik", Identifier.value.in_(ciks))))
    return {cik for cik in ciks if cik not in known}


class NewCompanies:
    """Inserts a batch of new companies, their facts, revisions and sync states."""

    def __init__(self, slugs: SlugBook):
        self.slugs = slugs

    def insert(self, items: list[tuple[object, str | None]]) -> list[StoreOutcome]:
        """Store each (bundle, submissions hash); the bundles' CIKs must be unknown. No commit."""
        if not items:
            return []
        connection = db.session.connection()
        now = utcnow()
        records = [bundle.company.as_displayed() for bundle, _ in items]
        source_ids = _source_ids([record.source for record in records], now)
        withheld = suppressed_fields(records)
        companies = [self._company_row(record, now, {name for i, name in withheld if i == index})
                     for index, record in enumerate(records)]
        _insert(connection, Company, companies, key=("slug",))
        counts.companies_added(connection, companies)
        outcomes = [StoreOutcome(status="created", company_id=row["id"]) for row in companies]
        identifiers = _identifier_rows(items, companies, source_ids, outcomes)
        children = {
            Identifier: identifiers,
            CompanyName: [row for rows in map(_former_name_rows, records, companies, source_ids) for row in rows],
            Address: [row for rows in map(_address_rows, records, companies, source_ids) for row in rows],
        }
        for model, rows in children.items():
            _insert(connection, model, rows, key=UNIQUE_KEYS[model])
        revisions = creation_revision_rows(Company, companies, IMPORTER_ACTOR, source_ids)
        for model, rows in children.items():
            revisions += creation_revision_rows(model, rows, IMPORTER_ACTOR, [row["source_id"] for row in rows])
        people, positions = _officer_rows([bundle for bundle, _ in items], companies, outcomes, now)
        revisions += creation_revision_rows(Person, people, IMPORTER_ACTOR, [None] * len(people))
        revisions += creation_revision_rows(Position, positions, IMPORTER_ACTOR, [row["source_id"] for row in positions])
        _insert(connection, Revision, revisions)
        _insert(connection, EdgarSyncState, [
            {"cik": bundle.cik, "company_id": company["id"], "submissions_hash": digest,
             "accessions_read": sorted(getattr(bundle, "filings_read", ())), "last_run_at": now}
            for (bundle, digest), company in zip(items, companies)])
        mark_changed(db.session, (row["id"] for row in companies))
        return outcomes

    def _company_row(self, record, now: datetime, withheld: set[str]) -> dict:
        """The company's row; `withheld` fields (suppressed contact values) stay empty."""
        row = {name: None for name in COMPANY_FIELDS}
        row.update({name: value for name in COMPANY_FIELDS
                    if (value := getattr(record, name)) not in (None, "") and name not in withheld})
        row.update(
            name=record.name, slug=self.slugs.claim(record.name), initial=initial_of(record.name),
            status=row["status"] or "active", contact_policy="unknown", leadership_change_on=None,
            leadership_change_url=None, leadership_change_summary=None, last_reviewed_at=None,
            last_verified_at=record.source.retrieved_at or now, created_at=now, updated_at=now,
        )
        return row


def _officer_rows(bundles, companies: list[dict], outcomes: list[StoreOutcome], now: datetime
                  ) -> tuple[list[dict], list[dict]]:
    """Insert the people the bundles' officers need and return (new people, positions), both
    inserted. A person is found by SEC CIK (a director of several companies is one person);
    a new one gets a slug no person has yet, read from the database at each batch (the ORM
    path may have created people since). Corporate owners are skipped, as the store does."""
    officers = [(officer, company, outcome) for bundle, company, outcome in zip(bundles, companies, outcomes)
                for officer in bundle.officers]
    if not officers:
        return [], []
    for officer, _, outcome in officers:
        if not officer.is_person:
            outcome.skipped.append(f"{officer.name}: not a natural person")
    officers = [item for item in officers if item[0].is_person]
    sources = _source_ids([officer.source for officer, _, _ in officers], now)
    ciks = {pad_cik(officer.external_id) for officer, _, _ in officers if officer.external_id}
    person_ids = dict(db.session.execute(select(Person.sec_cik, Person.id).where(Person.sec_cik.in_(ciks))).all())
    slugs = SlugBook(select(Person.slug))
    people, refs = [], []  # refs: per officer, the person's id or their new row
    for officer, _, outcome in officers:
        cik = pad_cik(officer.external_id) if officer.external_id else None
        ref = person_ids.get(cik) if cik else None
        if ref is None:
            ref = {"name": officer.name, "slug": slugs.claim(officer.name), "honorific": officer.honorific,
                   "sec_cik": cik, "ch_officer_id": None, "created_at": now, "updated_at": now}
            people.append(ref)
            outcome.people_added += 1
            if cik:
                person_ids[cik] = ref
        refs.append(ref)
    _insert(db.session.connection(), Person, people, key=("slug",))
    positions = []
    for (officer, company, outcome), source_id, ref in zip(officers, sources, refs):
        positions.append({
            "company_id": company["id"], "person_id": ref if isinstance(ref, int) else ref["id"],
            "title": officer.title, "role": officer.role, "is_ceo": officer.is_ceo,
            "ceo_confidence": officer.ceo_confidence, "confirmed": False, "is_current": True,
            "start_date": officer.start_date, "end_date": None, "last_seen_on": officer.source.filed_on,
            "source_id": source_id, "created_at": now, "updated_at": now,
        })
        outcome.positions_added += 1
    _insert(db.session.connection(), Position, positions, key=("company_id", "person_id"))
    return people, positions


def _identifier_rows(items, companies, source_ids, outcomes) -> list[dict]:
    """Each company's CIK, then its other identifiers; one another company holds is skipped."""
    wanted = []
    for (bundle, _), company, source_id in zip(items, companies, source_ids):
        exchanges = {("cik", bundle.cik): None}
        for ident in bundle.company.identifiers:
            key = (ident.scheme, pad_cik(ident.value) if ident.scheme == "cik" else ident.value)
            if key != ("cik", bundle.cik) or ident.exchange:
                exchanges[key] = ident.exchange  # the last mention wins, as in the ORM path
        wanted.append([(key, exchange, company["id"], source_id) for key, exchange in exchanges.items()])
    holders = _holders([key for rows in wanted for key, *_ in rows])
    rows = []
    for company_rows, outcome in zip(wanted, outcomes):
        for (scheme, value), exchange, company_id, source_id in company_rows:
            if (scheme, value) in holders:
                outcome.skipped.append(f"{scheme} {value} belongs to company {holders[(scheme, value)]}")
                continue
            holders[(scheme, value)] = company_id
            rows.append({"company_id": company_id, "scheme": scheme, "value": value, "exchange": exchange,
                         "source_id": source_id})
    return rows


def _source_ids(refs, now: datetime) -> list[int]:
    """Find-or-create each company's submissions `Source`, like `SourceCache.get`."""
    keys = [(ref.kind, ref.url, ref.document_id) for ref in refs]
    found = _existing_sources(keys)
    new = {}
    for key, ref in zip(keys, refs):
        if key not in found and key not in new:
            new[key] = {"kind": ref.kind, "url": ref.url, "document_id": ref.document_id,
                        "form_type": ref.form_type, "title": ref.title, "filed_on": ref.filed_on,
                        "retrieved_at": ref.retrieved_at or now}
    _insert(db.session.connection(), Source, list(new.values()), key=("kind", "url", "document_id"))
    found.update((key, row["id"]) for key, row in new.items())
    return [found[key] for key in keys]


def _existing_sources(keys: list[tuple]) -> dict[tuple, int]:
    """{(kind, url, document_id): id} of the sources that exist, found through the indexed
    (kind, document_id) columns; the rare source without a document id by its URL."""
    with_id = {document_id for _, _, document_id in keys if document_id is not None}
    urls_without_id = {url for _, url, document_id in keys if document_id is None}
    conditions = []
    if with_id:
        conditions.append(Source.document_id.in_(with_id))
    if urls_without_id:
        conditions.append(and_(Source.document_id.is_(None), Source.url.in_(urls_without_id)))
    rows = db.session.execute(select(Source.id, Source.kind, Source.url, Source.document_id).where(
        Source.kind.in_({kind for kind, _, _ in keys}), or_(*conditions)).order_by(Source.id))
    wanted = set(keys)
    found = {}
    for source_id, kind, url, document_id in rows:
        if (kind, url, document_id) in wanted:
            found.setdefault((kind, url, document_id), source_id)  # the oldest, as `limit(1)` would
    return found


def _holders(keys: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """{(scheme, value): company id} for the identifiers among `keys` a company already has."""
    by_scheme: dict[str, set[str]] = {}
    for scheme, value in keys:
        by_scheme.setdefault(scheme, set()).add(value)
    rows = db.session.execute(select(Identifier.scheme, Identifier.value, Identifier.company_id).where(
        or_(*(and_(Identifier.scheme == scheme, Identifier.value.in_(values))
              for scheme, values in by_scheme.items()))))
    return {(scheme, value): company_id for scheme, value, company_id in rows}


def _former_name_rows(record, company: dict, source_id: int) -> list[dict]:
    """Former names other than the current one; a name listed twice keeps its later dates."""
    by_name: dict[str, dict] = {}
    for former in record.former_names:
        if former.name == company["name"]:
            continue
        row = by_name.get(former.name)
        if row is None:
            by_name[former.name] = {"company_id": company["id"], "name": former.name, "used_from": former.used_from,
                                    "used_until": former.used_until, "source_id": source_id}
            continue
        for name, value in (("used_from", former.used_from), ("used_until", former.used_until)):
            if value is not None:
                row[name] = value
    return list(by_name.values())


def _address_rows(record, company: dict, source_id: int) -> list[dict]:
    """One address per kind (the last one listed), skipping addresses with no field at all."""
    by_kind: dict[str, dict] = {}
    for address in record.addresses:
        values = {name: getattr(address, name) for name in ADDRESS_FIELDS}
        if any(values.values()):
            by_kind.setdefault(address.kind, {}).update(
                company_id=company["id"], kind=address.kind, source_id=source_id, **values)
    return list(by_kind.values())


def _insert(connection, model, rows: list[dict], key: tuple[str, ...] = ()) -> None:
    """INSERT `rows` many to a statement; with `key` (columns that identify a row), store each
    new primary key in its dict as "id".

    RETURNING is what makes SQLAlchemy pack many rows into each INSERT ("insertmanyvalues")
    on SQLite and PostgreSQL alike: a plain executemany is one statement per row with
    psycopg 3. Rows come back in no promised order (asking for one makes SQLite insert row
    by row), so each is matched to its dict by `key`.
    """
    if not rows:
        return
    table = model.__table__
    returned = connection.execute(
        insert(table).returning(*table.primary_key.columns, *(table.c[name] for name in key)), rows).all()
    if key:
        ids = {tuple(values): new_id for new_id, *values in returned}
        for row in rows:
            row["id"] = ids[tuple(row[name] for name in key)]
