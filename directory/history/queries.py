"""Revisions as the history pages show them: newest first, with who proposed and approved."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Revision, User
from ..operations.revert import can_revert
from ..templating import iso_date

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


# What a reader calls each field; fields missing here are bookkeeping and are not shown.
FIELD_LABELS = {
    "name": "Name", "slug": "Web address", "country": "Country", "region": "State or region", "city": "City",
    "sic_code": "Industry code", "sector": "Industry", "status": "Status", "entity_type": "Kind of entity",
    "incorporated_in": "Incorporated in", "website": "Website", "phone": "Phone", "contact_policy": "Contact policy",
    "leadership_change_on": "Leadership change reported", "title": "Title", "role": "Role",
    "is_ceo": "Chief executive", "is_current": "Current", "start_date": "Start date", "end_date": "End date",
    "kind": "Kind", "value": "Value", "label": "Label", "tier": "Step", "quality": "Quality",
    "person_name": "Person", "organisation": "Organisation", "line1": "Address line 1", "line2": "Address line 2",
    "postal_code": "Postcode", "scheme": "Identifier type", "exchange": "Exchange", "used_from": "Used from",
    "used_until": "Used until", "honorific": "Honorific",
}

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
    """Attach names without one query per row (the users are read in one go)."""
    ids = {r.approved_by_id for r in revisions} | {r.user_id for r in revisions}
    ids.discard(None)
    names = {u.id: u.name for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    precisions = precisions_in_force(revisions)
    return [RevisionView(r, _origin(r), names.get(r.approved_by_id), names.get(r.user_id),
                         describe(r, precisions.get(r.id)), can_revert(r)) for r in revisions]
