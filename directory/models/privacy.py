"""Objections of listed people and the suppression list their upheld objections feed.

A suppression is one canonical key (see `directory/rules/suppression.py`): a contact value
("contact:email:jane.doe@example.com") or one person's listing at one company
("listing:12:34"). Importers and contributions ask the list before writing such a value, so
a value removed on request does not come back with the next night's scrape.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

OBJECTION_STATUSES = ("pending", "upheld", "rejected")
# What the objection is about: a published contact, the inferred ("likely") email, a listing.
OBJECTION_TARGETS = ("contact", "inferred_email", "position")
OBJECTION_REQUESTS = ("remove", "correct")
# How the requester proved who they are: a logged-in account with a confirmed address, or a
# link mailed to an address at the company's domain and opened.
OBJECTION_IDENTITIES = ("account", "company_domain")


class Objection(Base):
    """A listed person's (or their company's) request to remove or correct a published value.

    `target_value` is the value as published when the request was made, so the request stays
    readable after the value is gone. Decided once, by a conditional UPDATE on `status`.
    It reaches the moderators only once `confirmed_at` is set (the requester's identity
    checked, `identity` says how); a high-risk one (a chief executive's listing, a CEO-step
    contact) is upheld by two different moderators, `first_reviewer_id` being the first.
    """

    __tablename__ = "objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id", ondelete="SET NULL"))
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)  # contact id, or position id
    target_value: Mapped[str] = mapped_column(String(500))
    request: Mapped[str] = mapped_column(String(16))
    corrected_value: Mapped[str | None] = mapped_column(String(500))
    requester: Mapped[str] = mapped_column(String(16))  # "self" | "company"
    contact_email: Mapped[str] = mapped_column(String(254))
    explanation: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the account that filed it
    identity: Mapped[str | None] = mapped_column(String(32))  # one of OBJECTION_IDENTITIES
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    high_risk: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    first_reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    person: Mapped["Person | None"] = relationship()  # noqa: F821
    company: Mapped["Company | None"] = relationship()  # noqa: F821
    author: Mapped["User | None"] = relationship(foreign_keys=[author_id])  # noqa: F821
    first_reviewer: Mapped["User | None"] = relationship(foreign_keys=[first_reviewer_id])  # noqa: F821

    __table_args__ = (
        CheckConstraint("status = 'pending' OR decided_by_id IS NOT NULL", name="decided_has_moderator"),
    )


class Suppression(Base):
    """A value that must not be published again, and the objection that asked for it."""

    __tablename__ = "suppressions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(600), unique=True)
    objection_id: Mapped[int | None] = mapped_column(ForeignKey("objections.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
