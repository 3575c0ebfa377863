"""Store one company's scraped records: facts, people, positions, provenance, signals.

The store never commits (the command decides the unit of work) and never assigns a value
equal to the current one, so a run that learns nothing new writes nothing: no UPDATE, no
revision. Values a person changed or approved are kept; the importer's differing value
becomes a `ProposedChange` for moderators instead.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from sqlalchemy import and_, or_, select

from scrapers.records import channel_key

from ..extensions import db
from ..models import (
    Address,
    Company,
    CompanyName,
    Contact,
    Identifier,
    Person,
    Position,
    ProposedChange,
    Revision,
    Source,
)
from ..operations.companies import new_company, rename_company
from ..privacy.suppression import contact_key, is_suppressed, listing_key, suppressed
from ..revisions import revision_context
from ..slugs import unique_slug

COMPANY_FIELDS = ("country", "region", "city", "sic_code", "sector", "entity_type", "incorporated_in",
                  "website", "phone", "status")
ADDRESS_FIELDS = ("line1", "line2", "city", "region", "postal_code", "country")
POSITION_FIELDS = ("title", "role", "is_ceo", "ceo_confidence")
CONFIRMED_POSITION_FIELDS = ("role", "is_ceo")  # what a moderator's confirmation of a position covers
CONTACT_DETAILS = ("role", "person_name", "organisation", "label")
MODERATED_QUALITIES = ("verified", "tested")  # a person checked it, or someone reported it worked
CONTACT_FIELDS = {"phone": "phone", "website": "url"}  # company facts that are contact values
LEADERSHIP_ITEM = "5.02"
NAME_DECORATIONS = {"dr", "mr", "mrs", "ms", "prof", "jr", "sr", "ii", "iii", "iv", "phd", "cfa", "cpa"}
IMPORTER_ACTOR = "sec_edgar importer"


def pad_cik(cik: str | int) -> str:
    """The one stored form of a CIK: 10 digits, zero padded, as in EDGAR's file names."""
    return str(int(str(cik).strip())).zfill(10)


@dataclass
class StoreOutcome:
    """What storing one company did, for the run summary."""

    status: str = "unchanged"  # created | updated | unchanged | missing
    company_id: int | None = None
    people_added: int = 0
    positions_added: int = 0
    positions_ended: int = 0
    proposals: int = 0
    skipped: list[str] = field(default_factory=list)  # human-readable notes


def find_company_by_cik(cik: str) -> Company | None:
    return db.session.scalar(
        select(Company).join(Identifier).where(Identifier.scheme == "cik", Identifier.value == pad_cik(cik))
    )


class SourceCache:
    """Find-or-create `Source` rows by (kind, url, document_id), remembered for the run."""

    def __init__(self):
        self._by_key: dict[tuple, Source] = {}

    def get(self, ref) -> Source:
        key = (ref.kind, ref.url, ref.document_id)
        source = self._by_key.get(key)
        if source is not None and source in db.session:
            return source
        source = db.session.scalar(select(Source).where(
            Source.kind == ref.kind, Source.url == ref.url,
            Source.document_id.is_(None) if ref.document_id is None else Source.document_id == ref.document_id,
        ).limit(1))
        if source is None:
            source = Source(kind=ref.kind, url=ref.url, document_id=ref.document_id, form_type=ref.form_type,
                            title=ref.title, filed_on=ref.filed_on,
                            retrieved_at=ref.retrieved_at or datetime.now(timezone.utc))
            db.session.add(source)
            db.session.flush()  # an id now, so rows can compare their source_id to it
        self._by_key[key] = source
        return source

    def clear(self) -> None:
        self._by_key.clear()


class HumanEdits:
    """Which (entity, field) pairs a person last changed or approved, from one query."""

    def __init__(self, company: Company | None):
        self._human: dict[tuple[str, int, str], bool] = {}
        if company is None or company.id is None:
            return
        person_ids = [p.person_id for p in company.positions if p.person_id is not None]
        condition = Revision.company_id == company.id
        if person_ids:
            condition = or_(condition, (Revision.entity_type == "person") & Revision.entity_id.in_(person_ids))
        for revision in db.session.scalars(select(Revision).where(condition).order_by(Revision.id)):
            by_person = revision.actor.startswith("user:") or revision.approved_by_id is not None
            for name in revision.changes or {}:
                self._human[(revision.entity_type, revision.entity_id, name)] = by_person

    def protects(self, entity_type: str, entity_id: int | None, name: str) -> bool:
        return entity_id is not None and self._human.get((entity_type, entity_id, name), False)


class CompanyWriter:
    """Applies one bundle to one company, comparing before every assignment."""

    def __init__(self, sources: SourceCache, company: Company | None, outcome: StoreOutcome):
        self.sources = sources
        self.company = company
        self.outcome = outcome
        self.edits = HumanEdits(company)
        self.pending = self._pending_proposals()
        self.changed = False

    def _pending_proposals(self) -> set[tuple]:
        if self.company is None or self.company.id is None:
            return set()
        rows = db.session.execute(select(
            ProposedChange.entity_type, ProposedChange.entity_id, ProposedChange.field,
            ProposedChange.proposed_value,
        ).where(ProposedChange.company_id == self.company.id, ProposedChange.status == "pending"))
        return {(t, i, f, repr(v)) for t, i, f, v in rows}

    def set(self, obj, entity_type: str, name: str, value, source: Source | None) -> bool:
        """Assign `value` unless it is equal, or a person owns the current value (then propose)."""
        current = getattr(obj, name)
        if current == value:
            return False
        if self.edits.protects(entity_type, obj.id, name):
            self.propose(entity_type, obj.id, name, current, value, source)
            return False
        setattr(obj, name, value)
        self.changed = True
        return True

    def update_position(self, position: Position, values: dict, source: Source) -> bool:
        """A register's values for a position it finds again, the same for every importer: a
        role or CEO flag a moderator confirmed is proposed, never overwritten; other values
        are set (or proposed when a person edited them); the position's source becomes this
        register's when anything changed; a current position the values end is counted.
        Returns whether anything changed."""
        was_current = position.is_current
        touched = False
        for name, value in values.items():
            if position.confirmed and name in CONFIRMED_POSITION_FIELDS:
                if getattr(position, name) != value:
                    self.propose("position", position.id, name, getattr(position, name), value, source)
                continue
            touched = self.set(position, "position", name, value, source) or touched
        if touched:
            self.set(position, "position", "source_id", source.id, source)
        if was_current and not position.is_current:
            self.outcome.positions_ended += 1
        return touched

    def propose(self, entity_type, entity_id, name, current, value, source) -> None:
        proposed = _json(value)
        key = (entity_type, entity_id, name, repr(proposed))
        if key in self.pending:
            return
        self.pending.add(key)
        db.session.add(ProposedChange(
            company_id=self.company.id if self.company else None, entity_type=entity_type, entity_id=entity_id,
            field=name, current_value=_json(current), proposed_value=proposed, source=source,
        ))
        self.outcome.proposals += 1


def _json(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def store_bundle(bundle, *, window_start: date | None, sources: SourceCache) -> StoreOutcome:
    """Write `bundle` (a `scrapers.edgar.CompanyBundle`) into the session; flushes, never commits.

    `window_start` is the first day of the look-back window: SEC positions not seen since are
    ended. None means the bundle carries no ownership data (bulk facts only): end nothing.
    """
    outcome = StoreOutcome()
    record = bundle.company
    company = find_company_by_cik(bundle.cik)
    if record is None and company is None:
        outcome.status = "missing"
        return outcome
    company_source = sources.get(record.source) if record is not None else None
    with revision_context(IMPORTER_ACTOR, source_id=company_source.id if company_source else None):
        writer = CompanyWriter(sources, company, outcome)
        if record is not None:
            with db.session.no_autoflush:  # one flush per company, at the end
                company = _store_company(writer, bundle.cik, record, company_source)
        for officer in bundle.officers:
            _store_officer(writer, company, officer)
        _store_contacts(writer, company, getattr(bundle, "contacts", ()))
        _end_departed(writer, company, bundle, window_start)
        _flag_leadership_change(writer, company, bundle.leadership_changes)
        if outcome.status != "created" and writer.changed:
            outcome.status = "updated"
        if writer.changed and record is not None:
            retrieved = record.source.retrieved_at or datetime.now(timezone.utc)
            writer.set(company, "company", "last_verified_at", retrieved, None)
        db.session.flush()
    outcome.company_id = company.id
    return outcome


def _store_company(writer: CompanyWriter, cik: str, record, source: Source) -> Company:
    return store_company_record(writer, record, source, key=("cik", pad_cik(cik)))


def store_company_record(writer: CompanyWriter, record, source: Source, *, key: tuple[str, str]) -> Company:
    """Facts, identifiers, former names and addresses of one `CompanyRecord` (any register).

    `key` is the (scheme, value) identifier the company is matched by, given to a new one.
    """
    record = record.as_displayed()
    company = writer.company
    if company is None:
        company = new_company(record.name)
        scheme, value = key
        company.identifiers.append(Identifier(scheme=scheme, value=value, source=source))
        writer.company = company
        writer.outcome.status = "created"
        writer.changed = True
    elif record.name and record.name != company.name:
        if writer.edits.protects("company", company.id, "name"):
            writer.propose("company", company.id, "name", company.name, record.name, source)
        else:
            rename_company(company, record.name)
            writer.changed = True
    withheld = suppressed_fields([record])
    for name in COMPANY_FIELDS:
        value = getattr(record, name)
        if value not in (None, "") and (0, name) not in withheld:
            writer.set(company, "company", name, value, source)
    _store_identifiers(writer, company, record.identifiers, source)
    _store_former_names(writer, company, record.former_names, source)
    _store_addresses(writer, company, record.addresses, source)
    return company


def suppressed_fields(records) -> set[tuple[int, str]]:
    """(index, field) of the records' phone and website values on the suppression list."""
    keys = {(index, name): contact_key(kind, value) for index, record in enumerate(records)
            for name, kind in CONTACT_FIELDS.items() if (value := getattr(record, name)) not in (None, "")}
    blocked = suppressed(keys.values())
    return {place for place, key in keys.items() if key in blocked}


def listing_suppressed(writer, company, person) -> bool:
    """An upheld objection removed this person's listing here: an importer must not restore it."""
    if company.id is None or person.id is None or not is_suppressed(listing_key(person.id, company.id)):
        return False
    writer.outcome.skipped.append(f"{person.name}: listing removed on request (suppression list)")
    return True


def _store_identifiers(writer, company, identifiers, source) -> None:
    wanted = {}
    for ident in identifiers:
        value = pad_cik(ident.value) if ident.scheme == "cik" else ident.value
        existing = next((i for i in company.identifiers if i.scheme == ident.scheme and i.value == value), None)
        if existing is None:
            wanted[(ident.scheme, value)] = ident
        elif ident.exchange:
            writer.set(existing, "identifier", "exchange", ident.exchange, source)
    if not wanted:
        return
    held = db.session.execute(select(Identifier.scheme, Identifier.value, Identifier.company_id).where(
        or_(*(and_(Identifier.scheme == scheme, Identifier.value == value) for scheme, value in wanted))))
    for scheme, value, owner_id in held:  # e.g. a ticker another company in our data still has
        del wanted[(scheme, value)]
        writer.outcome.skipped.append(f"{scheme} {value} belongs to company {owner_id}")
    for (scheme, value), ident in wanted.items():
        company.identifiers.append(Identifier(scheme=scheme, value=value, exchange=ident.exchange, source=source))
        writer.changed = True


def _store_former_names(writer, company, former_names, source) -> None:
    by_name = {n.name: n for n in company.former_names}
    for former in former_names:
        if former.name == company.name:
            continue
        existing = by_name.get(former.name)
        if existing is None:
            existing = CompanyName(name=former.name, used_from=former.used_from, used_until=former.used_until,
                                   source=source)
            company.former_names.append(existing)
            by_name[former.name] = existing
            writer.changed = True
            continue
        for name in ("used_from", "used_until"):
            value = getattr(former, name)
            if value is not None:
                writer.set(existing, "company_name", name, value, source)


def _store_addresses(writer, company, addresses, source) -> None:
    by_kind = {a.kind: a for a in company.addresses}
    for record in addresses:
        if not any(getattr(record, name) for name in ADDRESS_FIELDS):
            continue
        address = by_kind.get(record.kind)
        if address is None:
            address = Address(kind=record.kind, source=source,
                              **{name: getattr(record, name) for name in ADDRESS_FIELDS})
            company.addresses.append(address)
            by_kind[record.kind] = address
            writer.changed = True
            continue
        touched = [writer.set(address, "address", name, getattr(record, name), source) for name in ADDRESS_FIELDS]
        if any(touched):
            writer.set(address, "address", "source_id", source.id, source)


def _store_contacts(writer, company, contacts) -> None:
    """Each channel once per rung, dated by the newest filing that names it.

    Oldest filing first, so a channel seen again moves its as-of date and source forward
    (the page shows the newest of each kind and role; older ones stay as history). A new
    value where a person checked or edited the current one (a board address changed) is
    proposed to moderators instead of added.
    """
    for record in sorted(contacts, key=lambda c: c.source.filed_on or date.min):
        source = writer.sources.get(record.source)
        seen_on = record.source.filed_on or record.source.retrieved_at.date()
        existing = next((c for c in company.contacts if _same_channel(c, record)), None)
        if existing is not None:
            if existing.as_of is None or seen_on > existing.as_of:
                writer.set(existing, "contact", "as_of", seen_on, source)
                writer.set(existing, "contact", "source_id", source.id, source)
                for name in CONTACT_DETAILS:
                    if getattr(record, name) is not None:
                        writer.set(existing, "contact", name, getattr(record, name), source)
            if existing.quality == "scraped":
                writer.set(existing, "contact", "quality", "filed", source)
            continue
        held = next((c for c in company.contacts if _same_slot(c, record) and (
            c.quality in MODERATED_QUALITIES or writer.edits.protects("contact", c.id, "value"))), None)
        if held is not None:
            writer.propose("contact", held.id, "value", held.value, record.value, source)
            continue
        company.contacts.append(Contact(
            kind=record.kind, value=record.value, tier=record.tier, role=record.role, person_name=record.person_name,
            organisation=record.organisation, label=record.label, quality="filed", as_of=seen_on, source=source,
            position=_position_named(company, record),
        ))
        writer.changed = True


def _position_named(company, record):
    """The company's current executive a release's contact names ("Alex Hui, President/CEO"
    is the CEO Alex Hui): given name and surname agree, initials and case aside. Another
    organisation's people are never the company's executives."""
    if not record.person_name or record.organisation:
        return None
    wanted = _name_ends(record.person_name)
    return next((p for p in company.current_positions if _name_ends(p.person.name) == wanted), None)


def _name_ends(name: str) -> tuple[str, str] | None:
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", name.lower()) if len(w) > 1 and w not in NAME_DECORATIONS]
    return (words[0], words[-1]) if len(words) >= 2 else None


def _same_channel(contact: Contact, record) -> bool:
    return (contact.kind == record.kind and contact.tier == record.tier
            and channel_key(contact.kind, contact.value) == channel_key(record.kind, record.value))


def _same_slot(contact: Contact, record) -> bool:
    """The channel of the same kind, for the same person (or office) of the same role."""
    return (contact.kind == record.kind and contact.tier == record.tier and contact.role == record.role
            and contact.person_name == record.person_name and contact.organisation == record.organisation)


def _person_for(writer, officer) -> tuple[Person, bool]:
    owner_cik = pad_cik(officer.external_id) if officer.external_id else None
    person = None
    if owner_cik:
        person = db.session.scalar(select(Person).where(Person.sec_cik == owner_cik))
    if person is None:
        person = Person(name=officer.name, slug=unique_slug(db.session, Person, officer.name),
                        honorific=officer.honorific, sec_cik=owner_cik)
        db.session.add(person)
        return person, True
    return person, False


def _store_officer(writer, company, officer) -> None:
    """One reporting owner: find or create the person, then their position at this company."""
    if not officer.is_person:
        writer.outcome.skipped.append(f"{officer.name}: not a natural person")
        return
    source = writer.sources.get(officer.source)
    person, created = _person_for(writer, officer)
    if not created and listing_suppressed(writer, company, person):
        return
    if created:
        writer.outcome.people_added += 1
        writer.changed = True
    elif officer.name:
        writer.set(person, "person", "name", officer.name, source)
    seen_on = officer.source.filed_on
    position = _position_of(company, person)
    if position is None:
        db.session.add(Position(
            company=company, person=person, title=officer.title, role=officer.role, is_ceo=officer.is_ceo,
            ceo_confidence=officer.ceo_confidence, is_current=True, start_date=officer.start_date,
            last_seen_on=seen_on, source=source,
        ))
        writer.outcome.positions_added += 1
        writer.changed = True
        return
    if position.last_seen_on and seen_on and seen_on < position.last_seen_on:
        return  # an older filing than the one we already hold: nothing new
    writer.update_position(position, {**{name: getattr(officer, name) for name in POSITION_FIELDS},
                                      "last_seen_on": seen_on}, source)
    if not position.is_current and (position.end_date is None or (seen_on and seen_on > position.end_date)):
        writer.set(position, "position", "is_current", True, source)
        writer.set(position, "position", "end_date", None, source)


def _position_of(company, person) -> Position | None:
    """The person's position at this company, the current one first."""
    candidates = [p for p in company.positions if p.person is person or (
        person.id is not None and p.person_id == person.id)]
    candidates.sort(key=lambda p: (not p.is_current, -(p.last_seen_on or date.min).toordinal()))
    return candidates[0] if candidates else None


def _end_departed(writer, company, bundle, window_start: date | None) -> None:
    """Mark former, never delete: SEC positions not seen in the window, or reported departed."""
    departed = set(bundle.departed)
    reported_on = max((c.filed_on for c in bundle.leadership_changes), default=None)
    present = {pad_cik(o.external_id) for o in bundle.officers if o.external_id}
    for position in list(company.positions):
        person = position.person
        if not position.is_current or person is None or not person.sec_cik or person.sec_cik in present:
            continue
        if person.sec_cik in departed or str(int(person.sec_cik)) in departed or person.name in departed:
            end_date = reported_on or position.last_seen_on
        elif window_start is not None and position.last_seen_on and position.last_seen_on < window_start:
            end_date = position.last_seen_on
        else:
            continue
        if writer.set(position, "position", "is_current", False, None):
            writer.set(position, "position", "end_date", end_date, None)
            writer.outcome.positions_ended += 1


def _flag_leadership_change(writer, company, changes) -> None:
    """The newest 8-K item 5.02 filed after the last moderator review flags the company.

    The flag already raised for the same filing gets the filing's sentence when it had none:
    a run whose read of the 8-K failed leaves it to the next run, which reads it again.
    """
    reviewed_on = _as_utc(company.last_reviewed_at).date() if company.last_reviewed_at else None
    relevant = [c for c in changes if LEADERSHIP_ITEM in c.items or not c.items]
    relevant = [c for c in relevant if reviewed_on is None or c.filed_on > reviewed_on]
    if not relevant:
        return
    newest = max(relevant, key=lambda c: c.filed_on)
    flagged = company.leadership_change_on
    same_filing = flagged == newest.filed_on and company.leadership_change_url == newest.source.url
    if flagged and flagged >= newest.filed_on and not (same_filing and newest.summary):
        return
    writer.set(company, "company", "leadership_change_on", newest.filed_on, None)
    writer.set(company, "company", "leadership_change_url", newest.source.url, None)
    writer.set(company, "company", "leadership_change_summary", newest.summary, None)


def _as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
