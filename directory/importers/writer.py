"""The one writer of facts: every importer adds, updates and ends contacts, positions,
addresses and identifiers through `CompanyWriter`, so the rules they must obey live here once:

- one channel key (`scrapers.channels`: a phone as E.164 in the company's country, emails
  and web addresses normalised), so a channel seen again is the same row whoever read it;
- one position matcher (`match_position`), so an appointment finds the same position
  whether EDGAR, Companies House or Wikidata reports it;
- the privacy rules before every write: a value or listing removed on request (the
  suppression list) and what is never published (`privacy.policy`) are not written;
- what a person decided is never overwritten (`DECIDED_BY_A_PERSON`, a person's revision):
  the importer's differing value becomes a `ProposedChange` for moderators instead;
- the bookkeeping: no assignment of an equal value (a run that learns nothing writes
  nothing, no UPDATE, no revision), the source of what changed, the run's counts.

The writer never commits (the run decides the unit of work).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Iterable

from sqlalchemy import and_, or_, select

from scrapers.channels import channel_key

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
    Suppression,
)
from ..models.contact import DECIDED_BY_A_PERSON
from ..operations.companies import new_company, rename_company
from ..rules.policy import never_published
from ..rules.suppression import contact_key, listing_key, suppressed
from ..search_index.nicknames import given_name_variants
from ..search_index.schema import NAME_SUFFIXES, tokens

COMPANY_FIELDS = ("country", "region", "city", "sic_code", "sector", "entity_type", "incorporated_in",
                  "website", "phone", "status")
ADDRESS_FIELDS = ("line1", "line2", "city", "region", "postal_code", "country")
CONFIRMED_POSITION_FIELDS = ("role", "is_ceo")  # what a moderator's confirmation of a position covers
CONTACT_DETAILS = ("role", "person_name", "organisation", "label")
CONTACT_FIELDS = {"phone": "phone", "website": "url"}  # company facts that are contact values
# A sighting refreshes a contact's date and source only when its source ranks as high: a web
# page never stands in for a filing's or a person's.
SOURCE_RANK = {"scraped": 0, "filed": 1, "verified": 1, "tested": 1}


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
        ).order_by(Source.id).limit(1))
        if source is None:
            source = Source(kind=ref.kind, url=ref.url, document_id=ref.document_id, form_type=ref.form_type,
                            title=ref.title, filed_on=ref.filed_on,
                            retrieved_at=ref.retrieved_at or datetime.now(timezone.utc))
            db.session.add(source)
            db.session.flush()  # an id now, so rows can compare their source_id to it
        self._by_key[key] = source
        return source

    def preload(self, refs: Iterable) -> None:
        """Read the sources of a whole batch at once (those with a document id: filings)."""
        wanted = {(r.kind, r.url, r.document_id) for r in refs if r.document_id is not None}
        wanted -= {key for key, source in self._by_key.items() if source in db.session}
        if not wanted:
            return
        ids = {document_id for _, _, document_id in wanted}
        found = db.session.scalars(select(Source).where(
            Source.kind.in_({kind for kind, _, _ in wanted}), Source.document_id.in_(ids)).order_by(Source.id))
        for source in found:
            key = (source.kind, source.url, source.document_id)
            if key in wanted:
                self._by_key.setdefault(key, source)  # the oldest, as `get` would

    def clear(self) -> None:
        self._by_key.clear()


class HumanEdits:
    """Which (entity, field) pairs a person last changed or approved, read on first use:
    a run that only meets equal values never asks."""

    def __init__(self, company: Company | None):
        self.company = company
        self._human: dict[tuple[str, int, str], bool] | None = None

    def _load(self) -> dict:
        human: dict[tuple[str, int, str], bool] = {}
        company = self.company
        if company is None or company.id is None:
            return human
        person_ids = [p.person_id for p in company.positions if p.person_id is not None]
        condition = Revision.company_id == company.id
        if person_ids:
            condition = or_(condition, (Revision.entity_type == "person") & Revision.entity_id.in_(person_ids))
        for revision in db.session.scalars(select(Revision).where(condition).order_by(Revision.id)):
            by_person = revision.actor.startswith("user:") or revision.approved_by_id is not None
            for name in revision.changes or {}:
                human[(revision.entity_type, revision.entity_id, name)] = by_person
        return human

    def protects(self, entity_type: str, entity_id: int | None, name: str) -> bool:
        if entity_id is None:
            return False
        if self._human is None:
            self._human = self._load()
        return self._human.get((entity_type, entity_id, name), False)


class CompanyWriter:
    """Applies one source's facts to one company, comparing before every assignment."""

    def __init__(self, sources: SourceCache, company: Company | None, outcome: StoreOutcome, *,
                 removed_listings: dict[int, dict[int, Person]] | None = None):
        """`removed_listings`: `removed_listings()` of a batch's companies, read beforehand."""
        self.sources = sources
        self.company = company
        self.outcome = outcome
        self.edits = HumanEdits(company)
        self._pending: set[tuple] | None = None
        self._batch_listings = removed_listings
        self.changed = False

    @property
    def country(self) -> str | None:
        """The country the company's phone numbers are read in."""
        return self.company.country if self.company is not None else None

    # -- values ------------------------------------------------------------------------------
    def set(self, obj, entity_type: str, name: str, value, source: Source | None) -> bool:
        """Assign `value` unless it is equal, removed on request (a company's phone or website),
        or a person owns the current value (then propose)."""
        current = getattr(obj, name)
        if current == value:
            return False
        if entity_type == "company" and name in CONTACT_FIELDS and value and self.withheld(
                CONTACT_FIELDS[name], value, tier=None):
            return False
        if self.edits.protects(entity_type, obj.id, name):
            self.propose(entity_type, obj.id, name, current, value, source)
            return False
        setattr(obj, name, value)
        self.changed = True
        return True

    def propose(self, entity_type, entity_id, name, current, value, source) -> None:
        proposed = _json(value)
        key = (entity_type, entity_id, name, repr(proposed))
        pending = self._pending_proposals()
        if key in pending:
            return
        pending.add(key)
        db.session.add(ProposedChange(
            company_id=self.company.id if self.company else None, entity_type=entity_type, entity_id=entity_id,
            field=name, current_value=_json(current), proposed_value=proposed, source=source,
        ))
        self.outcome.proposals += 1

    def _pending_proposals(self) -> set[tuple]:
        if self._pending is None:
            self._pending = set()
            if self.company is not None and self.company.id is not None:
                rows = db.session.execute(select(
                    ProposedChange.entity_type, ProposedChange.entity_id, ProposedChange.field,
                    ProposedChange.proposed_value,
                ).where(ProposedChange.company_id == self.company.id, ProposedChange.status == "pending"))
                self._pending = {(t, i, f, repr(v)) for t, i, f, v in rows}
        return self._pending

    # -- privacy ------------------------------------------------------------------------------
    def withheld(self, kind: str, value: str, *, tier: str | None, for_person: bool = False) -> bool:
        """A contact value that must not be written: removed on request, or never published."""
        if never_published(kind, value, tier=tier, for_person=for_person):
            self.outcome.skipped.append(f"{value}: a personal mailbox is never published")
            return True
        if suppressed([contact_key(kind, value, self.country)]):
            self.outcome.skipped.append(f"{kind} removed on request (suppression list)")
            return True
        return False

    def listing_withheld(self, person: Person | None, names: Iterable[str] = ()) -> bool:
        """An upheld objection removed this person's listing at this company: no importer may
        restore it, whether it finds the same person row or names them again (`person` None:
        nobody in the directory yet, as when a register knows "Tim Cook" under a new id after
        "Timothy D. Cook" was removed). Ask before creating a person for the listing."""
        removed = self._removed_listings()
        if not removed:
            return False
        names = [*([person.name] if person is not None else []), *names]
        if (person is not None and person.id in removed) or any(same_person(p.name, names) for p in removed.values()):
            self.outcome.skipped.append(f"{names[0]}: listing removed on request (suppression list)")
            return True
        return False

    def _removed_listings(self) -> dict[int, Person]:
        """{person id: person} of the listings removed at this company."""
        company = self.company
        if company is None or company.id is None:
            return {}
        if self._batch_listings is None or company.id not in self._batch_listings:
            self._batch_listings = {**(self._batch_listings or {}), **removed_listings([company.id])}
        return self._batch_listings[company.id]

    # -- contacts -----------------------------------------------------------------------------
    def write_contact(self, *, kind: str, value: str, tier: str, role: str | None, source: Source,
                      as_of: date | None, quality: str, person_name: str | None = None,
                      organisation: str | None = None, label: str | None = None, for_person: bool = False,
                      position: Position | None = None) -> str:
        """One channel seen at `source`: "added", "seen_again", "proposed" (a person decided the
        channel of this kind and role) or "withheld" (removed on request, never published).

        The same channel (kind, rung and channel key; whoever read it) is one row: a newer
        sighting by a source that ranks as high moves its date, source and details forward,
        and a filing raises a website's contact to "filed". Every social account is a channel
        of its own, so none is proposed in place of another.
        """
        company = self.company
        if self.withheld(kind, value, tier=tier, for_person=for_person):
            return "withheld"
        key = channel_key(kind, value, company.country)
        existing = next((c for c in company.contacts if c.kind == kind and c.tier == tier
                         and channel_key(c.kind, c.value, company.country) == key), None)
        if existing is not None:
            self._seen_again(existing, source, as_of, quality,
                             {"role": role, "person_name": person_name, "organisation": organisation, "label": label})
            return "seen_again"
        held = next((c for c in company.contacts if role != "social" and _same_slot(c, kind, tier, role, person_name,
                                                                                 organisation)
                     and self.decided_by_a_person(c)), None)
        if held is not None:
            self.propose("contact", held.id, "value", held.value, value, source)
            return "proposed"
        company.contacts.append(Contact(
            kind=kind, value=value[:500], tier=tier, role=role, person_name=person_name, organisation=organisation,
            label=(label or "")[:200] or None, quality=quality, as_of=as_of, source=source, position=position))
        self.changed = True
        return "added"

    def _seen_again(self, contact: Contact, source: Source, as_of: date | None, quality: str, details: dict) -> None:
        if SOURCE_RANK.get(quality, 0) < SOURCE_RANK.get(contact.quality, 0):
            return
        if as_of is not None and (contact.as_of is None or as_of > contact.as_of):
            self.set(contact, "contact", "as_of", as_of, source)
            self.set(contact, "contact", "source_id", source.id, source)
            for name, value in details.items():
                if value is not None:
                    self.set(contact, "contact", name, value, source)
        if SOURCE_RANK.get(quality, 0) > SOURCE_RANK.get(contact.quality, 0):
            self.set(contact, "contact", "quality", quality, source)

    def decided_by_a_person(self, contact: Contact) -> bool:
        """A moderator checked it, someone reported it works, or a person last edited it."""
        return contact.quality in DECIDED_BY_A_PERSON or self.edits.protects("contact", contact.id, "value")

    # -- positions ----------------------------------------------------------------------------
    def update_position(self, position: Position, values: dict, source: Source) -> bool:
        """A source's values for a position it finds again, the same for every importer: a
        role or CEO flag a moderator confirmed is proposed, never overwritten; other values
        are set (or proposed when a person edited them); the position's source becomes this
        one's when anything changed; a current position the values end is counted.
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

    def add_position(self, person: Person, source: Source, **values) -> Position:
        """A new position of `person` at the company (the caller checked `listing_withheld`)."""
        position = Position(company=self.company, person=person, source=source, **values)
        db.session.add(position)
        self.outcome.positions_added += 1
        self.changed = True
        return position

    def end_position(self, position: Position, end_date: date | None) -> bool:
        """Mark a current position former (never delete it); counted once."""
        if not self.set(position, "position", "is_current", False, None):
            return False
        self.set(position, "position", "end_date", end_date, None)
        self.outcome.positions_ended += 1
        return True


def removed_listings(company_ids: list[int]) -> dict[int, dict[int, Person]]:
    """{company id: {person id: person}} of the listings an upheld objection removed at these
    companies (every company id is a key), in two queries."""
    found: dict[int, dict[int, Person]] = {company_id: {} for company_id in company_ids}
    if not company_ids:
        return found
    pairs = []
    for key in db.session.scalars(select(Suppression.key).where(Suppression.key.like(listing_key("%", "%")))):
        _, person_id, company_id = key.split(":")
        if company_id.isdigit() and int(company_id) in found and person_id.isdigit():
            pairs.append((int(company_id), int(person_id)))
    if pairs:
        people = {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_({p for _, p in pairs})))}
        for company_id, person_id in pairs:
            if person_id in people:
                found[company_id][person_id] = people[person_id]
    return found


def match_position(company: Company, person: Person, *, role: str | None = None, start_date: date | None = None,
                   is_current: bool = False) -> Position | None:
    """The position an appointment of `person` at `company` is, the same rule for every source.

    Of the person's positions there (of `role`, when the source says; EDGAR's titles change
    over the years, so it does not), the one that started the same day; else one whose start
    is known only to its year or month and the appointment's date falls in it (Wikidata
    learning the day later); else one without a start date, or any when the appointment has
    none, or a current one when the appointment is current too (its start date corrected);
    current and most recently seen first. A former position that started another day is
    another appointment (a director reappointed): None, a new position.
    """
    mine = [p for p in company.positions if (p.person_id == person.id if person.id is not None and p.person_id
                                             else p.person is person) and (role is None or p.role == role)]
    if start_date is not None:
        for position in mine:
            if position.start_date == start_date or _within_precision(position, start_date):
                return position
        mine = [p for p in mine if p.start_date is None or (is_current and p.is_current)]
    mine.sort(key=lambda p: (not p.is_current, -(p.last_seen_on or date.min).toordinal()))
    return mine[0] if mine else None


def _within_precision(position: Position, day: date) -> bool:
    start = position.start_date
    if start is None or position.start_precision not in ("year", "month"):
        return False
    return start.year == day.year and (position.start_precision == "year" or start.month == day.month)


def same_person(name: str, other_names: Iterable[str]) -> bool:
    """Whether a filed name and any of another source's names for a person name the same
    person: same surname and same given name or a nickname of it ("Timothy D. Cook" is "Tim
    Cook")."""
    first, last = _given_and_surname(name)
    for other in other_names:
        other_first, other_last = _given_and_surname(other)
        if last and last == other_last and (first == other_first or other_first in given_name_variants(first)):
            return True
    return False


def _given_and_surname(name: str) -> tuple[str | None, str | None]:
    words = [w for w in tokens(name) if w not in NAME_SUFFIXES and len(w) > 1]
    return (words[0], words[-1]) if len(words) > 1 else (None, words[0] if words else None)


def _same_slot(contact: Contact, kind: str, tier: str, role: str | None, person_name: str | None,
               organisation: str | None) -> bool:
    """The channel of the same kind, for the same person (or office) of the same role. A
    contact without a role stands for the rung's own channel (customer service, complaints),
    not for an account, nor for the press office beside the executive office."""
    same_role = contact.role == role or (contact.role is None and role in (None, "customer_service", "complaints"))
    return (contact.kind == kind and contact.tier == tier and same_role
            and contact.person_name == person_name and contact.organisation == organisation)


def _json(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value


# -- company records (any register) ---------------------------------------------------------
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
    for name in COMPANY_FIELDS:  # country first: the record's phone is read in it
        value = getattr(record, name)
        if value not in (None, ""):
            writer.set(company, "company", name, value, source)
    _store_identifiers(writer, company, record.identifiers, source)
    _store_former_names(writer, company, record.former_names, source)
    _store_addresses(writer, company, record.addresses, source)
    return company


def suppressed_fields(records) -> set[tuple[int, str]]:
    """(index, field) of the records' phone and website values on the suppression list, for
    the bulk first load, which writes many companies without a `CompanyWriter`."""
    keys = {(index, name): contact_key(kind, value, record.country) for index, record in enumerate(records)
            for name, kind in CONTACT_FIELDS.items() if (value := getattr(record, name)) not in (None, "")}
    blocked = suppressed(keys.values())
    return {place for place, key in keys.items() if key in blocked}


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


def store_address(writer: CompanyWriter, company: Company, record, source: Source, *,
                  replace: bool = True) -> None:
    """One address of a kind: added when the company has none of that kind; otherwise its
    fields are set (`replace`) or left alone (a website's head office never replaces a
    register's)."""
    values = {name: getattr(record, name) for name in ADDRESS_FIELDS}
    if not any(values.values()):
        return
    address = next((a for a in company.addresses if a.kind == record.kind), None)
    if address is None:
        company.addresses.append(Address(kind=record.kind, source=source, **values))
        writer.changed = True
        return
    if not replace:
        return
    touched = [writer.set(address, "address", name, value, source) for name, value in values.items()]
    if any(touched):
        writer.set(address, "address", "source_id", source.id, source)


def _store_addresses(writer, company, addresses, source) -> None:
    for record in addresses:
        store_address(writer, company, record, source)
