"""Escalation data that belongs to one company: its regulators and the bounces users report."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin, utcnow


class CompanyRegulator(TimestampMixin, Base):
    """A moderator's word on one regulator for one company, overriding the SIC mapping.

    `regulator_id` is an id from `directory/data/regulators.json`, not a foreign key: the
    regulators are curated in the repository. `is_member=False` removes a body the mapping
    would suggest (for example a voluntary ADR scheme the company has not joined).
    """

    __tablename__ = "company_regulators"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    regulator_id: Mapped[str] = mapped_column(String(64))
    is_member: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str | None] = mapped_column(String(500))
    set_by: Mapped[str | None] = mapped_column(String(120))
    source: Mapped[str | None] = mapped_column(String(500))  # URL showing membership, if any

    company: Mapped["Company"] = relationship()  # noqa: F821

    __table_args__ = (UniqueConstraint("company_id", "regulator_id"),)


class BounceReport(Base):
    """A user's report that an address in an inferred email format bounced.

    Each report lowers the confidence of that format on the company page; moderators see
    them in their queue. The IP is kept only as a salted hash, to count one report per person:
    the database refuses a second report of a visitor, company and format.
    """

    __tablename__ = "bounce_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    format: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ip_hash: Mapped[str] = mapped_column(String(64))  # ratelimit.hashed_address()

    __table_args__ = (Index("uq_bounce_reports_company_id_format_ip_hash", "company_id", "format", "ip_hash",
                            unique=True),)
