"""Store one EDGAR company's records: facts, people, positions, contacts, leadership flags.

What every importer shares (comparing before assigning, keeping what a person decided, the
suppression list, matching channels and positions) is `writer.CompanyWriter`'s; this module
says only what is EDGAR's: companies found by CIK, people by their SEC CIK, positions ended
when their owner stops filing, and 8-K item 5.02 flags.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Company, Identifier, Person, Position
from ..revisions import revision_context
from ..slugs import unique_slug
from .writer import (  # noqa: F401  (re-exported: the public names importers have always used)
    ADDRESS_FIELDS,
    COMPANY_FIELDS,
    CompanyWriter,
    SourceCache,
    StoreOutcome,
    match_position,
    pad_cik,
    removed_listings,
    store_company_record,
    suppressed_fields,
)

POSITION_FIELDS = ("title", "role", "is_ceo", "ceo_confidence")
LEADERSHIP_ITEM = "5.02"
NAME_DECORATIONS = {"dr", "mr", "mrs", "ms", "prof", "jr", "sr", "ii", "iii", "iv", "phd", "cfa", "cpa"}
IMPORTER_ACTOR = "sec_edgar importer"


def find_company_by_cik(cik: str) -> Company | None:
    return db.session.scalar(
        select(Company).join(Identifier).where(Identifier.scheme == "cik", Identifier.value == pad_cik(cik))
    )


def store_bundle(bundle, *, window_start: date | None, sources: SourceCache,
                 known: KnownRows | None = None) -> StoreOutcome:
    """Write `bundle` (a `scrapers.edgar.CompanyBundle`) into the session; flushes, never commits.

    `window_start` is the first day of the look-back window: SEC positions not seen since are
    ended. None means the bundle carries no ownership data (bulk facts only): end nothing.
    `known`: the batch's rows, read beforehand (optional; without it each is looked up).
    """
    outcome = StoreOutcome()
    record = bundle.company
    company = known.company(bundle.cik) if known is not None else find_company_by_cik(bundle.cik)
    if record is None and company is None:
        outcome.status = "missing"
        return outcome
    company_source = sources.get(record.source) if record is not None else None
    with revision_context(IMPORTER_ACTOR, source_id=company_source.id if company_source else None):
        writer = CompanyWriter(sources, company, outcome,
                               removed_listings=known.removed_listings if known is not None else None)
        if record is not None:
            with db.session.no_autoflush:  # one flush per company, at the end
                company = _store_company(writer, bundle.cik, record, company_source)
        for officer in bundle.officers:
            _store_officer(writer, company, officer, known)
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


def _store_company(writer: CompanyWriter, cik: str, record, source) -> Company:
    return store_company_record(writer, record, source, key=("cik", pad_cik(cik)))


def _store_contacts(writer, company, contacts) -> None:
    """Each channel once per rung, dated by the newest filing that names it.

    Oldest filing first, so a channel seen again moves its as-of date and source forward
    (the page shows the newest of each kind and role; older ones stay as history).
    """
    for record in sorted(contacts, key=lambda c: c.source.filed_on or date.min):
        writer.write_contact(
            kind=record.kind, value=record.value, tier=record.tier, role=record.role,
            source=writer.sources.get(record.source), as_of=record.source.filed_on or record.source.retrieved_at.date(),
            quality="filed", person_name=record.person_name, organisation=record.organisation, label=record.label,
            for_person=record.person_name is not None, position=_position_named(company, record))


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


class KnownRows:
    """A batch's companies (with their positions and people) and the people its officers name,
    read in a few queries before the batch is stored, so storing a company that did not change
    costs no query of its own (a re-run of the insider data sets)."""

    def __init__(self, bundles):
        bundles = list(bundles)
        ciks = {pad_cik(bundle.cik) for bundle in bundles}
        owners = {pad_cik(o.external_id) for bundle in bundles for o in bundle.officers if o.external_id}
        self.companies: dict[str, Company | None] = dict.fromkeys(ciks)
        stmt = (select(Identifier.value, Company).join(Company.identifiers)
                .where(Identifier.scheme == "cik", Identifier.value.in_(ciks))
                .options(selectinload(Company.positions).selectinload(Position.person)))
        for cik, company in db.session.execute(stmt):
            self.companies[cik] = company
        self.people: dict[str, Person] = {}
        for start in range(0, len(owners), 500):
            chunk = sorted(owners)[start:start + 500]
            self.people.update((p.sec_cik, p) for p in db.session.scalars(select(Person).where(Person.sec_cik.in_(chunk))))
        self.removed_listings = removed_listings([c.id for c in self.companies.values() if c is not None])

    def company(self, cik: str) -> Company | None:
        cik = pad_cik(cik)
        return self.companies[cik] if cik in self.companies else find_company_by_cik(cik)


def _find_person(officer, known: KnownRows | None) -> Person | None:
    """The person with the officer's SEC CIK, if the directory has them."""
    owner_cik = pad_cik(officer.external_id) if officer.external_id else None
    if not owner_cik:
        return None
    if known is not None and owner_cik in known.people:
        return known.people[owner_cik]
    return db.session.scalar(select(Person).where(Person.sec_cik == owner_cik))


def _new_person(writer, officer, known: KnownRows | None) -> Person:
    owner_cik = pad_cik(officer.external_id) if officer.external_id else None
    person = Person(name=officer.name, slug=unique_slug(db.session, Person, officer.name),
                    honorific=officer.honorific, sec_cik=owner_cik)
    db.session.add(person)
    if known is not None and owner_cik:
        known.people[owner_cik] = person  # a director of two companies of the batch is one person
    writer.outcome.people_added += 1
    writer.changed = True
    return person


def _store_officer(writer, company, officer, known: KnownRows | None = None) -> None:
    """One reporting owner: find or create the person, then their position at this company."""
    if not officer.is_person:
        writer.outcome.skipped.append(f"{officer.name}: not a natural person")
        return
    source = writer.sources.get(officer.source)
    person = _find_person(officer, known)
    if writer.listing_withheld(person, [officer.name]):
        return
    if person is None:
        person = _new_person(writer, officer, known)
    elif officer.name:
        writer.set(person, "person", "name", officer.name, source)
    seen_on = officer.source.filed_on
    position = match_position(company, person)  # any role: an officer's title changes over the years
    if position is None:
        writer.add_position(person, source, title=officer.title, role=officer.role, is_ceo=officer.is_ceo,
                            ceo_confidence=officer.ceo_confidence, is_current=True, start_date=officer.start_date,
                            last_seen_on=seen_on)
        return
    if position.last_seen_on and seen_on and seen_on < position.last_seen_on:
        return  # an older filing than the one we already hold: nothing new
    writer.update_position(position, {**{name: getattr(officer, name) for name in POSITION_FIELDS},
                                      "last_seen_on": seen_on}, source)
    if not position.is_current and (position.end_date is None or (seen_on and seen_on > position.end_date)):
        writer.set(position, "position", "is_current", True, source)
        writer.set(position, "position", "end_date", None, source)


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
        writer.end_position(position, end_date)


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
