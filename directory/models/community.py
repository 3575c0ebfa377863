"""Contributions, "report outdated" flags, the audit log, role changes and rate-limit counters."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

CONTRIBUTION_STATUSES = ("pending", "approved", "rejected", "withdrawn")
FLAG_STATUSES = ("pending", "resolved", "dismissed")


class Contribution(Base):
    """A suggested change, kept forever whatever its fate.

    `current` is a snapshot of the values when the suggestion was made, `proposed` the new
    values; both are {field: value}. `version` guards decisions: two moderators deciding at
    once both run `UPDATE ... WHERE version = :seen`, and only one matches.
    """

    __tablename__ = "contributions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column()
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id", ondelete="SET NULL"), index=True)
    current: Mapped[dict] = mapped_column(JSON, default=dict)
    proposed: Mapped[dict] = mapped_column(JSON, default=dict)
    evidence_url: Mapped[str | None] = mapped_column(String(1000))
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    high_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    applied_early: Mapped[bool] = mapped_column(Boolean, default=False)  # trusted, reviewed after
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    author_ip: Mapped[str | None] = mapped_column(String(64))  # salted hash, never the address
    first_reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    second_reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])  # noqa: F821
    first_reviewer: Mapped[User | None] = relationship(foreign_keys=[first_reviewer_id])  # noqa: F821
    second_reviewer: Mapped[User | None] = relationship(foreign_keys=[second_reviewer_id])  # noqa: F821
    company: Mapped[Company | None] = relationship()  # noqa: F821

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'withdrawn') OR first_reviewer_id IS NOT NULL",
                        name="decided_has_moderator"),
        Index("ix_contributions_status_created", "status", "created_at"),
    )


class Flag(Base):
    """A visitor's one-click "this is outdated" on a fact, with an optional note."""

    __tablename__ = "flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column()
    field: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_ip: Mapped[str | None] = mapped_column(String(64))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    company: Mapped[Company] = relationship()  # noqa: F821

    __table_args__ = (
        CheckConstraint("status = 'pending' OR resolved_by_id IS NOT NULL", name="resolved_has_moderator"),
    )


class AuditEntry(Base):
    """One moderator or admin action: decisions, reverts, role changes."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[int | None] = mapped_column()
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)

    actor: Mapped[User | None] = relationship()  # noqa: F821


class RoleChange(Base):
    """Every change of a user's role, by whom (None: the command line)."""

    __tablename__ = "role_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    old_role: Mapped[str | None] = mapped_column(String(16))
    new_role: Mapped[str] = mapped_column(String(16))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RateLimitCounter(Base):
    """Fixed-window counters for Flask-Limiter, shared by every worker through the database."""

    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[float] = mapped_column(Float)  # Unix time
