"""Moderators' decisions: approve (once or twice), reject, resolve flags and importer conflicts.

Every kind of decision (these, comments and company replies in `ratings`, privacy objections
in `objections`) goes through `decide`: nobody decides their own submission, the item is
claimed with one conditional UPDATE (`claim`: `WHERE status = 'pending'`, plus `version =
:seen` for suggestions) whose row count says who won, so when two moderators decide the same
item at once exactly one wins and the other is told, on SQLite and PostgreSQL alike; and the
decision is written to the audit log.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, func, or_, update

from ..extensions import db
from ..models import (
    Company,
    CompanyReply,
    ComplaintRecord,
    Contribution,
    Flag,
    Objection,
    ProposedChange,
    Rating,
    User,
    utcnow,
)
from ..revisions import TRACKED, record_statement_update, revision_context
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
# How the audit log names what was decided.
AUDIT_TARGETS = {Contribution: "contribution", Flag: "flag", ProposedChange: "proposed_change", Company: "company",
                 Rating: "rating", CompanyReply: "company_reply", Objection: "objection",
                 ComplaintRecord: "complaint_record"}


SECOND_MODERATOR = ("A second, different moderator must approve this: it changes who is chief executive, a chief "
                    "executive's title or dates, a contact on the CEO step or an executive's email.")


class DecisionConflict(RuntimeError):
    """Someone else decided this item first (or it changed since the page was loaded)."""


class DecisionError(ValueError):
    """The decision is not allowed (shown to the moderator)."""


def refuse_own(author_id: int | None, moderator: User) -> None:
    """Nobody decides on their own submission, of any kind: a moderator's own suggestion,
    report, comment or company reply goes to another moderator."""
    if author_id is not None and author_id == moderator.id:
        raise DecisionError("You sent this yourself: another moderator must decide on it.")


def claim(row, *where, what: str = "item", **values) -> None:
    """Set `values` on `row` only if it is still undecided (`where`; by default `status =
    'pending'`), in one UPDATE; DecisionConflict when another moderator got there first.
    The row is re-read, so the caller sees what was stored, and a row with a history (a
    company) gets its revision as a flushed change would."""
    model = type(row)
    before = {key: getattr(row, key) for key in values}
    claimed = db.session.execute(
        update(model).where(model.id == row.id, *(where or (model.status == "pending",))).values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise DecisionConflict(f"Another moderator decided this {what} while you were reviewing it.")
    db.session.refresh(row)
    record_statement_update(db.session, row, before)


def decide(row, moderator: User, action: str, *where, author_id: int | None = None, what: str = "item",
           details: dict | None = None, **values) -> None:
    """One decision on one queue item: refuse the author's own, claim it (see `claim`), audit it."""
    refuse_own(author_id, moderator)
    claim(row, *where, what=what, **values)
    record(moderator, action, AUDIT_TARGETS[type(row)], row.id, details)


def _suggestion(contribution: Contribution, seen_version: int, moderator: User, action: str,
                details: dict | None = None, **values) -> None:
    """A decision on a suggestion: only the version the moderator saw, and the version moves on."""
    decide(contribution, moderator, action, Contribution.status == "pending", Contribution.version == seen_version,
           author_id=contribution.author_id, what="suggestion", details=details,
           version=Contribution.version + 1, **values)


def approve(contribution: Contribution, moderator: User, *, seen_version: int, values: dict | None = None) -> str:
    """Approve; high-risk suggestions need two different moderators. Risk is asked of what
    would finally be applied, so a moderator's edit that turns a phone number into a CEO's
    email waits for a second moderator, and an edit at the second approval is a new proposal
    that its editor approves first. Returns "approved", "awaiting_second" or "confirmed" (a
    trusted edit already applied and now reviewed)."""
    kind = contributions.KINDS[contribution.kind]
    if values is not None:
        values = contributions.changed_fields(kind, contribution.current, values)
        if not values:
            raise DecisionError("The edited values would change nothing.")
    final_values = values if values is not None else contribution.proposed
    edited = final_values != contribution.proposed
    high_risk = contribution.high_risk or contributions.is_high_risk(kind, contributions.target_of(contribution),
                                                                       final_values)
    if high_risk and (contribution.first_reviewer_id is None or edited):
        _suggestion(contribution, seen_version, moderator, "first_approval", {"values": final_values},
                    first_reviewer_id=moderator.id, high_risk=True, proposed=final_values)
        return "awaiting_second"
    if high_risk and contribution.first_reviewer_id == moderator.id:
        raise DecisionError(SECOND_MODERATOR)
    reviewer = {"second_reviewer_id": moderator.id} if high_risk else {"first_reviewer_id": moderator.id}
    if contribution.applied_early:
        action, details = "confirm_applied", None
    else:
        action, details = "approve_edited" if values is not None else "approve", {"values": final_values}
    _suggestion(contribution, seen_version, moderator, action, details, status="approved", decided_at=utcnow(),
                proposed=final_values, **reviewer)
    if contribution.applied_early:
        return "confirmed"
    contributions.apply(contribution, approved_by=moderator, values=final_values)
    return "approved"


def reject(contribution: Contribution, moderator: User, *, seen_version: int, reason: str) -> None:
    """Reject with a reason; a trusted edit that was applied early is reverted. Too many recent
    rejections pause the author from suggesting for a week."""
    if not reason.strip():
        raise DecisionError("Give a reason: the contributor sees it.")
    reviewer = moderator.id if contribution.first_reviewer_id is None else contribution.first_reviewer_id
    extra = {} if contribution.first_reviewer_id is None else {"second_reviewer_id": moderator.id}
    _suggestion(contribution, seen_version, moderator, "reject", {"reason": reason.strip()}, status="rejected",
                decided_at=utcnow(), decision_reason=reason.strip(), first_reviewer_id=reviewer, **extra)
    if contribution.applied_early:
        from .revert import revert_contribution
        revert_contribution(contribution, moderator)
    _maybe_pause(contribution.author_id)


def _maybe_pause(author_id: int | None) -> None:
    if author_id is None:
        return
    config = current_app.config
    if contributions.recent_rejections(author_id, 7) >= config["PAUSE_AFTER_REJECTIONS"]:
        author = db.session.get(User, author_id)
        author.paused_until = utcnow() + timedelta(days=7)


def close_flag(flag: Flag, moderator: User, *, resolved: bool) -> None:
    status = "resolved" if resolved else "dismissed"
    decide(flag, moderator, f"flag_{status}", author_id=flag.author_id, what="report", status=status,
           resolved_by_id=moderator.id, resolved_at=utcnow())


def proposed_change_subject(change: ProposedChange):
    """The row an importer's change is about (None once deleted): its source is the current value's."""
    return db.session.get(MODELS_BY_TYPE[change.entity_type], change.entity_id)


def decide_proposed_change(change: ProposedChange, moderator: User, *, accept: bool) -> None:
    """Accept an importer's value (it becomes current, with the filing as source) or keep ours."""
    decide(change, moderator, "importer_change_" + ("accepted" if accept else "rejected"), what="importer conflict",
           status="approved" if accept else "rejected")
    if accept:
        target = proposed_change_subject(change)
        if target is None:
            raise DecisionError("The record this change was about no longer exists.")
        with revision_context(f"user:{moderator.id}", user_id=moderator.id, approved_by_id=moderator.id,
                              source_id=change.source_id):
            setattr(target, change.field, change.proposed_value)
            db.session.flush()


def decide_complaint_match(record: ComplaintRecord, moderator: User, *, confirm: bool) -> None:
    """A doubtful match of a CFPB company name: confirmed, its complaints count for the
    company from now on; rejected, it never counts and no later run proposes it again."""
    decide(record, moderator, "complaint_match_" + ("confirmed" if confirm else "rejected"),
           ComplaintRecord.match == "pending", what="complaint record", details={"cfpb_company": record.cfpb_company},
           match="confirmed" if confirm else "rejected", decided_by_id=moderator.id, decided_at=utcnow())


def mark_leadership_reviewed(company: Company, moderator: User) -> None:
    """The leadership-change signal is reviewed, once: it is claimed while it is still unreviewed."""
    with revision_context(f"user:{moderator.id}", user_id=moderator.id, approved_by_id=moderator.id):
        decide(company, moderator, "leadership_change_reviewed", leadership_change_unreviewed(),
               what="leadership change", last_reviewed_at=utcnow())


def leadership_change_unreviewed():
    """SQL: a filing reports a leadership change no moderator has reviewed since (the day it
    was reported or later counts as reviewed, as `Company.has_unreviewed_leadership_change`)."""
    return and_(Company.leadership_change_on.is_not(None),
                or_(Company.last_reviewed_at.is_(None),
                    func.date(Company.last_reviewed_at) < Company.leadership_change_on))
