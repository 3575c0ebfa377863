"""Revisions as the history pages show them: newest first, with who proposed and approved."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..labels import FIELD_LABELS, value_label
from ..models import Person, Position, Revision, User
from ..operations.revert import can_revert
from ..formatting import iso_date

ENTITY_LABELS = {
    "company": "Company", "person": "Person", "position": "Position", "contact": "Contact",
    "address": "Address", "identifier": "Identifier", "company_name": "Former name",
    "brand": "Brand",
}


def company_revisions_stmt(company_id: int):
    return (select(Revision)
            .where(or_(Revision.company_id == company_id,
                       and_(Revision.entity_type == "company", Revision.entity_id == company_id)))
            .options(selectinload(Revision.source))
            .order_by(Revision.id.desc()))


def entity_revisions_stmt(entity_type: str, entity_id: int):
    return (select(Revision).where(Revision.entity_type == entity_type, Revision.entity_id == entity_id)
            .options(selectinload(Revision.source)).order_by(Revision.id.desc()))


# A date and the field saying how much of it is known ("2011", not "2011-01-01").
PRECISION_FIELDS = {"start_date": "start_precision", "end_date": "end_precision"}


@dataclass(frozen=True)
class RevisionView:
    revision: Revision
    origin: str  # filing, registry, contribution, moderator, importer, system
    approved_by: str | None
    proposed_by: str | None
    changes: list[str]  # what changed, in words
    revertable: bool
    subject: str | None = None  # whom a position change is about: "Position added: Tim Cook"


def _shown(value) -> str:
    if value is None or value == "":
        return "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"“{value}”"


def describe(revision: Revision, precisions: dict[str, str | None] | None = None) -> list[str]:
    """The change in words: "Phone changed from “…” to “…”", never a column name.

    `precisions`: what each date's precision field held when this revision did not change
    it (`precisions_in_force`), so a year-precision date moved by a year reads "2019" to
    "2020", not as the first of January."""
    sentences = []
    for field, (old, new) in revision.changes.items():
        label = FIELD_LABELS.get(field)
        if label is None:
            continue
        if field in PRECISION_FIELDS:
            unchanged = (precisions or {}).get(PRECISION_FIELDS[field])
            old_precision, new_precision = revision.changes.get(PRECISION_FIELDS[field], (unchanged, unchanged))
            old, new = old and iso_date(old, old_precision), new and iso_date(new, new_precision)
        old, new = value_label(revision.entity_type, field, old), value_label(revision.entity_type, field, new)
        if revision.action == "create":
            if new not in (None, ""):
                sentences.append(f"{label}: {_shown(new)}")
        elif revision.action == "delete":
            sentences.append(f"{label} was {_shown(old)}")
        elif old in (None, ""):
            sentences.append(f"{label} set to {_shown(new)}")
        elif new in (None, ""):
            sentences.append(f"{label} cleared (was {_shown(old)})")
        else:
            sentences.append(f"{label} changed from {_shown(old)} to {_shown(new)}")
    return sentences


def _origin(revision: Revision) -> str:
    if revision.reverts_id:
        return "Revert by a moderator"
    if revision.source is not None:
        return revision.source.label
    if revision.actor.startswith("user:"):
        return "Moderator"
    return revision.actor.replace("_", " ").capitalize()


def precisions_in_force(revisions: list[Revision]) -> dict[int, dict[str, str | None]]:
    """For each revision that moved a date but not its precision: the precision fields as
    the entity's earlier revisions left them (a creation records them all), read in one query."""
    moved = {r.id for r in revisions if any(date in r.changes and precision not in r.changes
                                            for date, precision in PRECISION_FIELDS.items())}
    if not moved:
        return {}
    entities = {(r.entity_type, r.entity_id) for r in revisions if r.id in moved}
    earlier = db.session.scalars(select(Revision).where(
        or_(*(and_(Revision.entity_type == kind, Revision.entity_id == entity_id) for kind, entity_id in entities)),
        Revision.id <= max(moved)).order_by(Revision.id))
    in_force: dict[tuple[str, int], dict[str, str | None]] = {}
    found = {}
    for revision in earlier:
        current = in_force.setdefault((revision.entity_type, revision.entity_id), {})
        if revision.id in moved:
            found[revision.id] = dict(current)
        for precision in PRECISION_FIELDS.values():
            if precision in revision.changes:
                current[precision] = revision.changes[precision][1]
    return found


def present(revisions: list[Revision]) -> list[RevisionView]:
    """Attach names without one query per row (the users and the people are read in one go).
    A moderator who accepted a change is shown as a moderator, not by an account name."""
    ids = {r.approved_by_id for r in revisions} | {r.user_id for r in revisions}
    ids.discard(None)
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    names = {user_id: user.name for user_id, user in users.items()}
    precisions = precisions_in_force(revisions)
    people = position_people(revisions)
    return [RevisionView(r, _origin(r), moderator_name(users.get(r.approved_by_id)), names.get(r.user_id),
                         describe(r, precisions.get(r.id)), can_revert(r), people.get(r.id)) for r in revisions]


def moderator_name(user: User | None) -> str | None:
    """"moderator Mo Derator" when they chose a display name, else "a moderator": never the
    "Contributor 2" pseudonym, which reads as if another contributor accepted the change."""
    if user is None:
        return None
    return f"moderator {user.display_name}" if user.display_name else "a moderator"


def position_people(revisions: list[Revision]) -> dict[int, str]:
    """{revision id: the person's name} for position revisions, from the person the revision
    names (a creation or deletion records `person_id`) or the position as it stands."""
    named = {r.id: (next((v for v in r.changes.get("person_id", ()) if v), None), r.entity_id)
             for r in revisions if r.entity_type == "position"}
    if not named:
        return {}
    positions = {row.id: row.person_id for row in db.session.execute(select(Position.id, Position.person_id).where(
        Position.id.in_({entity for _, entity in named.values()})))}
    person_ids = {revision: person or positions.get(entity) for revision, (person, entity) in named.items()}
    wanted = set(person_ids.values()) - {None}
    names = ({row.id: row.name for row in db.session.execute(select(Person.id, Person.name).where(Person.id.in_(wanted)))}
             if wanted else {})
    return {revision: names[person] for revision, person in person_ids.items() if person in names}
