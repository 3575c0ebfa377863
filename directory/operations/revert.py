"""Reverts: put back the values a revision replaced. A revert is itself a revision
(`reverts_id`), and nothing is deleted: a created position or contact is retired instead."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, inspect, select

from ..extensions import db
from ..models import (
    Company,
    CompanySlug,
    Contact,
    Contribution,
    Position,
    Revision,
    User,
)
from ..rules.suppression import REDACTED, contact_key, suppressed
from ..revisions import TRACKED, revision_context
from .audit import record

MODELS_BY_TYPE = {name: model for model, name in TRACKED.items()}


class RevertError(ValueError):
    """This revision cannot be reverted (shown to the moderator)."""


def _python_value(model, field: str, value):
    column_type = inspect(model).columns[field].type
    if value is None:
        return None
    if isinstance(column_type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return date.fromisoformat(value)
    return value


# Creations a revert can undo: a position is retired, a contact retracted, a derived detail removed.
DERIVED_DETAILS = ("company_name", "identifier", "address", "brand")
REVERTABLE_CREATIONS = ("position", "contact", "person", *DERIVED_DETAILS)


def can_revert(revision: Revision) -> bool:
    """Whether `_undo` knows how to take this revision back; the history offers "Revert"
    only then."""
    if revision.action == "update":
        return revision.entity_type in MODELS_BY_TYPE
    return revision.action == "create" and revision.entity_type in REVERTABLE_CREATIONS


def _undo(revision: Revision) -> None:
    model = MODELS_BY_TYPE.get(revision.entity_type)
    target = db.session.get(model, revision.entity_id) if model else None
    if target is None:
        raise RevertError("The record this revision changed no longer exists.")
    if revision.action == "update":
        if _restores_removed_value(target, revision.changes):
            raise RevertError("This would put back a value removed at the request of the person it concerns.")
        for field, (old, _new) in revision.changes.items():
            if isinstance(target, Company) and field == "slug":
                _restore_slug(target, old)
            else:
                setattr(target, field, _python_value(model, field, old))
    elif revision.action == "create" and isinstance(target, Position):
        target.is_current = False
    elif revision.action == "create" and isinstance(target, Contact):
        target.status = "retracted"
    elif revision.action == "create" and revision.entity_type == "person":
        return  # the person stays; the position that named them is retired by its own revision
    elif revision.action == "create" and revision.entity_type in DERIVED_DETAILS:
        db.session.delete(target)  # a derived detail; its delete revision keeps the values
    else:
        raise RevertError(f"A {revision.action} of a {revision.entity_type} cannot be reverted here.")


def _restores_removed_value(target, changes: dict) -> bool:
    """A revert, like any writer, respects the suppression list (values removed on request)."""
    if isinstance(target, Contact):
        restored = [(target.kind, changes["value"][0])] if "value" in changes else []
        country = target.company.country if target.company else None
    elif isinstance(target, Company):
        restored = [(name, changes[name][0]) for name in ("phone", "website") if name in changes]
        country = target.country
    else:
        return False
    return any(value == REDACTED for _, value in restored) or bool(
        suppressed(contact_key(kind, value, country) for kind, value in restored if value))


def _restore_slug(company: Company, slug: str) -> None:
    """Old URLs keep working both ways: the slug being replaced becomes an alias."""
    for alias in list(company.old_slugs):
        if alias.slug == slug:
            company.old_slugs.remove(alias)
    db.session.flush()
    company.old_slugs.append(CompanySlug(slug=company.slug))
    company.slug = slug


def revert(revisions: list[Revision], moderator: User) -> int:
    """Undo `revisions`, newest first, as revisions attributed to `moderator`."""
    for revision in sorted(revisions, key=lambda r: r.id, reverse=True):
        with revision_context(f"user:{moderator.id}", user_id=moderator.id, approved_by_id=moderator.id,
                              reverts_id=revision.id):
            _undo(revision)
            db.session.flush()
        record(moderator, "revert", "revision", revision.id)
    return len(revisions)


def consecutive_run(revision: Revision) -> list[Revision]:
    """`revision` and the later and earlier revisions of the same company by the same
    contributor with no one else's change in between."""
    if revision.user_id is None or revision.company_id is None:
        return [revision]
    history = list(db.session.scalars(
        select(Revision).where(Revision.company_id == revision.company_id).order_by(Revision.id)))
    index = next(i for i, r in enumerate(history) if r.id == revision.id)
    start = index
    while start > 0 and history[start - 1].user_id == revision.user_id and history[start - 1].reverts_id is None:
        start -= 1
    end = index
    while end + 1 < len(history) and history[end + 1].user_id == revision.user_id and history[end + 1].reverts_id is None:
        end += 1
    return history[start:end + 1]


def revert_contribution(contribution: Contribution, moderator: User) -> int:
    """Undo what an applied contribution changed (its revisions share its Source)."""
    revisions = list(db.session.scalars(
        select(Revision).where(Revision.source_id == contribution.source_id, Revision.reverts_id.is_(None))))
    return revert(revisions, moderator)
