"""The audit log: one row per moderator or admin action."""
from __future__ import annotations

from ..extensions import db
from ..models import AuditEntry


def record(actor, action: str, target_type: str, target_id: int | None, details: dict | None = None) -> AuditEntry:
    entry = AuditEntry(actor_id=actor.id if actor is not None else None, action=action,
                       target_type=target_type, target_id=target_id, details=details or {})
    db.session.add(entry)
    return entry
