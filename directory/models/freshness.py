"""How fresh the directory is: each source's refresh runs, and when each company was last read."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class RefreshRun(Base):
    """One run of one source (`flask refresh`, `flask scrape edgar --daily`): a stale
    directory shows on /status as an old last success or a run with errors, never silently.

    `through` is the last day a day-by-day source (EDGAR's daily index) has read, so the next
    run starts the day after it.
    """

    __tablename__ = "refresh_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
    companies: Mapped[int] = mapped_column(Integer, default=0)  # companies refreshed
    errors: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)  # the first errors, for operators
    through: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (Index("ix_refresh_runs_source_started", "source", "started_at"),)


class CompanyRead(Base):
    """The day a source was last read for a company, shown on its page ("SEC EDGAR: read
    2 Dec 2026"). A day, not a time: a second run the same day writes nothing."""

    __tablename__ = "company_reads"

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True)
    source: Mapped[str] = mapped_column(String(40), primary_key=True)
    read_on: Mapped[date] = mapped_column(Date)

    __table_args__ = (Index("ix_company_reads_source_read_on", "source", "read_on"),)
