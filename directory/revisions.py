"""Automatic revisions and change tracking for search.

A `after_flush` listener writes one `Revision` per changed row of a tracked model, so no
code path (view, importer, CLI) can change data silently. Who made the change comes from
`revision_context(...)`; without one the actor is "system".

The same listener collects the ids of companies whose search document is affected into
`session.info["changed_company_ids"]`; the search module reads them after commit and
the set is cleared on rollback, so a rolled-back transaction never reaches the index.
"""
from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import insert, inspect, select
from sqlalchemy.orm import Session

from .models import Address, Brand, Company, CompanyName, Contact, Identifier, Person, Position, Revision
from .models.base import utcnow

TRACKED = {
    Company: "company",
    Person: "person",
    Position: "position",
    Contact: "contact",
    Address: "address",
    Identifier: "identifier",
    CompanyName: "company_name",
    Brand: "brand",
}
# Bookkeeping, not facts: no revision, no history line (a parent awaited from Wikidata is
# a note to the importer; its fact is parent_id, once that company is listed).
UNTRACKED_FIELDS = {"id", "created_at", "updated_at", "parent_wikidata_id"}
CHANGED_COMPANIES_KEY = "changed_company_ids"


@dataclass(frozen=True)
class RevisionActor:
    actor: str = "system"
    user_id: int | None = None
    approved_by_id: int | None = None
    source_id: int | None = None
    reverts_id: int | None = None


_current_actor: contextvars.ContextVar[RevisionActor] = contextvars.ContextVar(
    "revision_actor", default=RevisionActor()
)


@contextmanager
def revision_context(actor: str, **details):
    """Attribute every change flushed inside the block to `actor` (and user, source, ...)."""
    token = _current_actor.set(RevisionActor(actor=actor, **details))
    try:
        yield
    finally:
        _current_actor.reset(token)


def _json_value(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _column_keys(obj) -> list[str]:
    return [attr.key for attr in inspect(obj).mapper.column_attrs if attr.key not in UNTRACKED_FIELDS]


def _creation_changes(values: dict, keys) -> dict:
    """{field: [None, value]} for every non-null column in `keys`: what a "create" records."""
    return {key: [None, value if type(value) is str else _json_value(value)]
            for key, value in values.items() if value is not None and key in keys}


def _changes_for(obj, action: str) -> dict:
    state = inspect(obj)
    if action == "create":
        keys = _column_keys(obj)
        return _creation_changes({key: getattr(obj, key) for key in keys}, frozenset(keys))
    changes = {}
    for key in _column_keys(obj):
        if action == "delete":
            value = getattr(obj, key)
            if value is not None:
                changes[key] = [_json_value(value), None]
        else:
            history = state.attrs[key].history
            if history.has_changes():
                old = history.deleted[0] if history.deleted else None
                new = history.added[0] if history.added else None
                if old != new:
                    changes[key] = [_json_value(old), _json_value(new)]
    return changes


def _company_id_of(obj) -> int | None:
    if isinstance(obj, Company):
        return obj.id
    return getattr(obj, "company_id", None)


def _revision_row(entity_type: str, entity_id: int, company_id: int | None, action: str, changes: dict,
                  actor: RevisionActor, now: datetime) -> dict:
    """One row of the revisions table, as both the flush listener and bulk loaders write it."""
    return {
        "entity_type": entity_type,
        "entity_id": entity_id,
        "company_id": company_id,
        "action": action,
        "changes": changes,
        "actor": actor.actor,
        "user_id": actor.user_id,
        "approved_by_id": actor.approved_by_id,
        "source_id": actor.source_id,
        "reverts_id": actor.reverts_id,
        "created_at": now,
    }


def creation_revision_rows(model, rows, actor: str, source_ids) -> list[dict]:
    """The "create" revisions of rows inserted with Core (which the flush listener never sees).

    `rows` are the inserted column dicts, each with its new "id" (and "company_id" for rows
    that belong to a company); `source_ids` gives, in the same order, the source each row
    is attributed to. Same shape as the listener writes for objects added to a session.
    """
    entity_type = TRACKED[model]
    keys = frozenset(attr.key for attr in inspect(model).column_attrs if attr.key not in UNTRACKED_FIELDS)
    now = utcnow()
    revisions = []
    for row, source_id in zip(rows, source_ids, strict=True):
        company_id = row["id"] if model is Company else row.get("company_id")
        revisions.append(_revision_row(entity_type, row["id"], company_id, "create", _creation_changes(row, keys),
                                       RevisionActor(actor=actor, source_id=source_id), now))
    return revisions


def record_statement_update(session: Session, obj, before: dict) -> None:
    """The "update" revision of a tracked row changed by an UPDATE statement (a moderator's
    conditional claim), which the flush listener never sees. `before` holds the columns the
    statement set, as they were; `obj` has been refreshed since. Same shape as the listener's."""
    entity_type = TRACKED.get(type(obj))
    if entity_type is None:
        return
    changes = {key: [_json_value(old), _json_value(getattr(obj, key))] for key, old in before.items()
               if key not in UNTRACKED_FIELDS and old != getattr(obj, key)}
    if not changes:
        return
    company_id = _company_id_of(obj)
    if company_id is not None:
        mark_changed(session, [company_id])
    session.connection().execute(insert(Revision.__table__), [
        _revision_row(entity_type, obj.id, company_id, "update", changes, _current_actor.get(), utcnow())])


def after_flush(session: Session, flush_context) -> None:
    """One `Revision` per changed tracked row, and the changed companies collected."""
    actor = _current_actor.get()
    rows = []
    changed = session.info.setdefault(CHANGED_COMPANIES_KEY, set())
    people_changed = set()
    now = utcnow()
    for action, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            entity_type = TRACKED.get(type(obj))
            if entity_type is None:
                continue
            if action == "update" and not session.is_modified(obj, include_collections=False):
                continue
            changes = _changes_for(obj, action)
            if not changes and action == "update":
                continue
            company_id = _company_id_of(obj)
            if company_id is not None:
                changed.add(company_id)
            if isinstance(obj, Person):
                people_changed.add(obj.id)
            rows.append(_revision_row(entity_type, obj.id, company_id, action, changes, actor, now))
    if people_changed:
        # A renamed person changes the search document of every company they work at.
        changed.update(session.connection().scalars(
            select(Position.company_id).where(Position.person_id.in_(people_changed))
        ))
    if rows:
        session.connection().execute(insert(Revision.__table__), rows)


def forget_changes(session: Session, previous_transaction) -> None:
    """A rolled-back root transaction changed nothing. A failed savepoint keeps the set:
    re-indexing a company that did not change is harmless, missing one is not."""
    if previous_transaction.parent is None:
        session.info.pop(CHANGED_COMPANIES_KEY, None)


def mark_changed(session: Session, company_ids) -> None:
    """Name companies a Core statement changed (no flush saw them): their search documents
    and cached pages follow, as for an ORM write."""
    session.info.setdefault(CHANGED_COMPANIES_KEY, set()).update(company_ids)


def take_changed(session: Session) -> set[int]:
    """Take this transaction's changed companies away: the search index will not hear of them."""
    return session.info.pop(CHANGED_COMPANIES_KEY, None) or set()
