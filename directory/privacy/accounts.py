"""An account holder's rights: everything held about the account as JSON, and deletion.

Both are registries, one entry per feature that keeps rows about a user, so a new feature
adds its section and its erasure with one line each:

- `EXPORTERS` maps a section name to a function returning that feature's JSON-able rows;
- `ERASERS` are called in order by `delete_account`, each anonymising its feature's rows.

Deletion keeps the `users` row as an empty placeholder (no email, name, password or address
hashes; `deleted_at` set) rather than deleting it: ratings and reports keep counting in the
aggregates exactly as before (they are detached from the person, not removed), and accepted
contributions stay in the history under a pseudonym. A company reply goes entirely: its role,
its evidence (often the person's work email) and its body (often signed) all name or reach
the person, and the company can send a new one. Functions flush; the view commits.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy import delete, or_, select, update

from ..extensions import db
from ..models import (
    AuditEntry,
    CompanyReply,
    ContactProblem,
    Contribution,
    Flag,
    Objection,
    OutcomeReport,
    PhoneReport,
    Rating,
    RatingChange,
    RoleChange,
    User,
    utcnow,
)
from ..models.base import Base
from ..operations.accounts import DELETED_EMAIL_DOMAIN, end_sessions, verify_password
from ..operations.audit import record
from ..snapshot.fields import to_json
from ..cases.privacy import delete_cases, export_cases

UNUSABLE_PASSWORD = "!deleted"  # not an argon2 hash, so no password ever matches


class DeletionRefused(ValueError):
    """The account cannot be deleted as asked (shown to its owner)."""


def _rows(model: type[Base], condition, exclude: tuple[str, ...] = ()) -> list[dict]:
    columns = [c.key for c in model.__table__.columns if c.key not in exclude]
    return [{name: to_json(getattr(row, name)) for name in columns}
            for row in db.session.scalars(select(model).where(condition).order_by(model.id))]


def _account(user: User) -> dict:
    fields = ("id", "email", "display_name", "role", "email_confirmed_at", "created_at", "updated_at",
              "paused_until", "trusted", "is_active")
    return {name: to_json(getattr(user, name)) for name in fields}


def _ratings(user: User) -> list[dict]:
    ratings = _rows(Rating, Rating.user_id == user.id)
    ids = [r["id"] for r in ratings]
    changes = _rows(RatingChange, RatingChange.rating_id.in_(ids)) if ids else []
    for rating in ratings:
        rating["changes"] = [c for c in changes if c["rating_id"] == rating["id"]]
    return ratings


EXPORTERS: dict[str, Callable[[User], object]] = {
    "account": _account,
    "contributions": lambda user: _rows(Contribution, Contribution.author_id == user.id, exclude=("author_ip",)),
    "reports_outdated": lambda user: _rows(Flag, Flag.author_id == user.id, exclude=("author_ip",)),
    "ratings": _ratings,
    "outcome_reports": lambda user: _rows(OutcomeReport, OutcomeReport.user_id == user.id),
    "contact_reports": lambda user: _rows(ContactProblem, ContactProblem.user_id == user.id),
    "phone_reports": lambda user: _rows(PhoneReport, PhoneReport.user_id == user.id),
    "company_replies": lambda user: _rows(CompanyReply, CompanyReply.author_id == user.id),
    "role_changes": lambda user: _rows(RoleChange, RoleChange.user_id == user.id),
    "objections": lambda user: _rows(Objection, Objection.author_id == user.id),
    "cases": export_cases,
    "audit": lambda user: _rows(AuditEntry, or_(AuditEntry.actor_id == user.id,
                                                (AuditEntry.target_type == "user") & (AuditEntry.target_id == user.id))),
}


def export_account(user: User) -> dict:
    """Everything held about `user`, one section per feature (the right of access)."""
    return {"exported_at": to_json(utcnow()), **{name: export(user) for name, export in EXPORTERS.items()}}


def _erase_rating_comments(user: User) -> None:
    """Stars and reports stay (the aggregates do not move); the words the person wrote go."""
    rating_ids = select(Rating.id).where(Rating.user_id == user.id)
    db.session.execute(update(RatingChange).where(RatingChange.rating_id.in_(rating_ids)).values(comment=None)
                       .execution_options(synchronize_session=False))
    db.session.execute(update(Rating).where(Rating.user_id == user.id).values(comment=None)
                       .execution_options(synchronize_session=False))


def _erase_address_hashes(user: User) -> None:
    for model in (Contribution, Flag):
        db.session.execute(update(model).where(model.author_id == user.id).values(author_ip=None)
                           .execution_options(synchronize_session=False))


def _delete_company_replies(user: User) -> None:
    """Pending, published or superseded: every reply the person wrote for a company."""
    db.session.execute(delete(CompanyReply).where(CompanyReply.author_id == user.id)
                       .execution_options(synchronize_session=False))


def _erase_objection_addresses(user: User) -> None:
    """Objections the account filed stay decided (or undecided) as they are; the address they
    were filed with, the account's own, goes with the account."""
    db.session.execute(update(Objection).where(Objection.author_id == user.id)
                       .values(contact_email=f"deleted-{user.id}@{DELETED_EMAIL_DOMAIN}")
                       .execution_options(synchronize_session=False))


def _empty_account(user: User) -> None:
    """The placeholder row: a pseudonym for the history, nothing that identifies the person."""
    user.email = f"deleted-{user.id}@{DELETED_EMAIL_DOMAIN}"
    user.display_name = f"Former contributor {user.id}"
    user.password_hash = UNUSABLE_PASSWORD
    user.role = "contributor"
    user.trusted = False
    user.is_active = False
    user.deleted_at = utcnow()
    end_sessions(user)


ERASERS: tuple[Callable[[User], None], ...] = (_erase_rating_comments, _erase_address_hashes, _delete_company_replies,
                                                delete_cases, _erase_objection_addresses, _empty_account)


def delete_account(user: User, password: str) -> None:
    """Delete `user` after checking the password again: every eraser runs, sessions end."""
    if user.deleted_at is not None:
        raise DeletionRefused("This account is already deleted.")
    if not verify_password(user, password):
        raise DeletionRefused("That password is not this account's.")
    for erase in ERASERS:
        erase(user)
    record(user, "account_deleted", "user", user.id)  # by its holder, not the command line
    db.session.flush()
