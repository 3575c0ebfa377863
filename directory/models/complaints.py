"""Figures from the US consumer complaints database (CFPB), kept per company name it uses.

Every complaint is read and counted by `flask scrape cfpb` (`directory/importers/cfpb.py`),
none is stored: one row per CFPB company name that matches a company of the directory holds
the counts of the period read. A company's figures are the sum of its rows whose match is
certain (`name`: its name, a former name or a brand, normalised, is the CFPB's) or confirmed
by a moderator; a doubtful match (`pending`) waits in the moderation queue and counts only
once confirmed; a `rejected` one is never proposed again.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

MATCH_STATES = ("name", "pending", "confirmed", "rejected")
COUNTED_MATCHES = ("name", "confirmed")


class ComplaintRecord(Base):
    """The CFPB's complaints about one of its company names, over one period."""

    __tablename__ = "complaint_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    cfpb_company: Mapped[str] = mapped_column(String(300), unique=True)  # "WELLS FARGO & COMPANY"
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    match: Mapped[str] = mapped_column(String(16), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    received: Mapped[int] = mapped_column(Integer)
    timely: Mapped[int] = mapped_column(Integer)  # "Timely response?" = Yes
    relief: Mapped[int] = mapped_column(Integer)  # closed with monetary or non-monetary relief
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    company: Mapped["Company"] = relationship(back_populates="complaint_records")  # noqa: F821
    source: Mapped["Source | None"] = relationship()  # noqa: F821
