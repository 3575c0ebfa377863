"""A case belongs to its owner: exported with the account's data, deleted with the account.

The account export and deletion (the privacy feature) call these two functions; the foreign
keys also cascade, so a user row deleted by any other path takes its cases with it.
"""
from __future__ import annotations

from sqlalchemy import delete, select

from ..extensions import db
from ..models import Case, User


def export_cases(user: User) -> list[dict]:
    """Every case of the account with every step, as plain JSON-ready values."""
    cases = db.session.scalars(select(Case).where(Case.user_id == user.id).order_by(Case.id))
    return [{
        "company": case.company.name, "company_slug": case.company.slug, "title": case.title,
        "problem": case.problem, "wanted": case.wanted, "status": case.status, "reminders": case.reminders,
        "resolved": case.resolved, "resolved_rung": case.resolved_rung,
        "opened_at": case.created_at.isoformat(), "closed_at": case.closed_at.isoformat() if case.closed_at else None,
        "steps": [{
            "taken_on": step.taken_on.isoformat(), "rung": step.rung, "channel": step.channel,
            "contact": step.contact, "reference": step.reference, "letter": step.letter,
            "response": step.response, "response_on": step.response_on.isoformat() if step.response_on else None,
            "final_response": step.final_response,
        } for step in case.steps],
    } for case in cases]


def delete_cases(user: User) -> int:
    """Delete the account's cases and their steps (flushes; the caller commits). Returns how many."""
    return db.session.execute(delete(Case).where(Case.user_id == user.id)
                              .execution_options(synchronize_session="fetch")).rowcount
