"""Moderators' decisions: approve (once or twice), reject, resolve flags and importer conflicts.

Every decision claims its item with a conditional UPDATE (`WHERE status = 'pending' AND
version = :seen`) and checks the row count, so when two moderators decide the same item at
once exactly one wins and the other is told, on SQLite and PostgreSQL alike.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import update

from ..extensions import db
from ..models import Company, Contribution, Flag, ProposedChange, User, utcnow
from ..revisions import TRACKED, revision_context
from . import contributions
from .audit import record

REJECTION_REASONS = {
    "no_evidence": "The evidence does not support the change.",
    "outdated": "Our current value is more recent than the suggestion.",
    "duplicate": "Another suggestion already covers this.",
    "wrong_target": "The suggestion is about a different company or person.",
    "spam": "Spam or abuse.",
}
MODELS_BY_TYPE = {name: model for model, name in TRACKED.items()}


class DecisionConflict(RuntimeError):
    """Someone else decided this item first (or it changed since the page was loaded)."""


class DecisionError(ValueError):
    """The decision is not allowed (shown to the moderator)."""


def refuse_own(author_id: int | None, moderator: User) -> None:
    """Nobody decides on their own submission, of any kind: a moderator's own suggestion,
    report, comment or company reply goes to another moderator."""
    if author_id is not None and author_id == moderator.id:
        raise DecisionError("You sent this yourself: another moderator must decide on it.")


def _claim(contribution: Contribution, seen_version: int, **values) -> None:
    claimed = db.session.execute(
        update(Contribution)
        .where(Contribution.id == contribution.id, Contribution.status == "pending", Contribution.version == seen_version)
        .values(version=Contribution.version + 1, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise DecisionConflict("Another moderator decided this suggestion while you were reviewing it.")
    db.session.refresh(contribution)


def approve(contribution: Contribution, moderator: User, *, seen_version: int, values: dict | None = None) -> str:
    """Approve; high-risk suggestions need two different moderators. Returns "approved",
    "awaiting_second" or "confirmed" (a trusted edit already applied and now reviewed)."""
    refuse_own(contribution.author_id, moderator)
    if values is not None:
        values = contributions.changed_fields(contributions.KINDS[contribution.kind], contribution.current, values)
        if not values:
            raise DecisionError("The edited values would change nothing.")
    if contribution.high_risk and contribution.first_reviewer_id is None:
        _claim(contribution, seen_version, first_reviewer_id=moderator.id,
               proposed=values if values is not None else contribution.proposed)
        record(moderator, "first_approval", "contribution", contribution.id)
        return "awaiting_second"
    if contribution.high_risk and contribution.first_reviewer_id == moderator.id:
        raise DecisionError("A second, different moderator must approve a change of chief executive or executive email.")
    now = utcnow()
    reviewer = {"second_reviewer_id": moderator.id} if contribution.high_risk else {"first_reviewer_id": moderator.id}
    final_values = values if values is not None else contribution.proposed
    _claim(contribution, seen_version, status="approved", decided_at=now, proposed=final_values, **reviewer)
    if contribution.applied_early:
        record(moderator, "confirm_applied", "contribution", contribution.id)
        return "confirmed"
    contributions.apply(contribution, approved_by=moderator, values=final_values)
    record(moderator, "approve_edited" if values is not None else "approve", "contribution", contribution.id,
           {"values": final_values})
    return "approved"


def reject(contribution: Contribution, moderator: User, *, seen_version: int, reason: str) -> None:
    """Reject with a reason; a trusted edit that was applied early is reverted. Too many recent
    rejections pause the author from suggesting for a week."""
    refuse_own(contribution.author_id, moderator)
    if not reason.strip():
        raise DecisionError("Give a reason: the contributor sees it.")
    reviewer = moderator.id if contribution.first_reviewer_id is None else contribution.first_reviewer_id
    extra = {} if contribution.first_reviewer_id is None else {"second_reviewer_id": moderator.id}
    _claim(contribution, seen_version, status="rejected", decided_at=utcnow(), decision_reason=reason.strip(),
           first_reviewer_id=reviewer, **extra)
    if contribution.applied_early:
        from .revert import revert_contribution
        revert_contribution(contribution, moderator)
    record(moderator, "reject", "contribution", contribution.id, {"reason": reason.strip()})
    _maybe_pause(contribution.author_id)


def _maybe_pause(author_id: int | None) -> None:
    if author_id is None:
        return
    config = current_app.config
    if contributions.recent_rejections(author_id, 7) >= config["PAUSE_AFTER_REJECTIONS"]:
        author = db.session.get(User, author_id)
        author.paused_until = utcnow() + timedelta(days=7)


def _claim_row(model, row_id: int, **values) -> None:
    claimed = db.session.execute(
        update(model).where(model.id == row_id, model.status == "pending").values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise DecisionConflict("Another moderator handled this item while you were reviewing it.")


def close_flag(flag: Flag, moderator: User, *, resolved: bool) -> None:
    refuse_own(flag.author_id, moderator)
    status = "resolved" if resolved else "dismissed"
    _claim_row(Flag, flag.id, status=status, resolved_by_id=moderator.id, resolved_at=utcnow())
    db.session.refresh(flag)
    record(moderator, f"flag_{status}", "flag", flag.id)


def proposed_change_subject(change: ProposedChange):
    """The row an importer's change is about (None once deleted): its source is the current value's."""
    return db.session.get(MODELS_BY_TYPE[change.entity_type], change.entity_id)


def decide_proposed_change(change: ProposedChange, moderator: User, *, accept: bool) -> None:
    """Accept an importer's value (it becomes current, with the filing as source) or keep ours."""
    _claim_row(ProposedChange, change.id, status="approved" if accept else "rejected")
    db.session.refresh(change)
    if accept:
        target = proposed_change_subject(change)
        if target is None:
            raise DecisionError("The record this change was about no longer exists.")
        with revision_context(f"user:{moderator.id}", user_id=moderator.id, approved_by_id=moderator.id,
                              source_id=change.source_id):
            setattr(target, change.field, change.proposed_value)
            db.session.flush()
    record(moderator, "importer_change_" + ("accepted" if accept else "rejected"), "proposed_change", change.id)


def mark_leadership_reviewed(company: Company, moderator: User) -> None:
    company.last_reviewed_at = utcnow()
    with revision_context(f"user:{moderator.id}", user_id=moderator.id, approved_by_id=moderator.id):
        db.session.flush()
    record(moderator, "leadership_change_reviewed", "company", company.id)
