"""Revisions as the history pages show them: newest first, with who proposed and approved."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Revision, User

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


@dataclass(frozen=True)
class RevisionView:
    revision: Revision
    origin: str  # filing, registry, contribution, moderator, importer, system
    approved_by: str | None
    proposed_by: str | None


def _origin(revision: Revision) -> str:
    if revision.reverts_id:
        return "Revert by a moderator"
    if revision.source is not None:
        return revision.source.label
    if revision.actor.startswith("user:"):
        return "Moderator"
    return revision.actor.replace("_", " ").capitalize()


def present(revisions: list[Revision]) -> list[RevisionView]:
    """Attach names without one query per row (the users are read in one go)."""
    ids = {r.approved_by_id for r in revisions} | {r.user_id for r in revisions}
    ids.discard(None)
    names = {u.id: u.name for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    return [RevisionView(r, _origin(r), names.get(r.approved_by_id), names.get(r.user_id)) for r in revisions]
