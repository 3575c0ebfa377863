"""What the importers remember between runs, and the changes they did not dare to make."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow


class EdgarSyncState(Base):
    """One row per SEC CIK: the submissions fingerprint and the filings already read.

    A later run passes `accessions_read` and `contact_filings_read` to the crawler (nothing is
    fetched twice) and skips the company entirely when the submissions JSON has the same
    fingerprint.
    """

    __tablename__ = "edgar_sync_states"

    cik: Mapped[str] = mapped_column(String(10), primary_key=True)  # 10 digits, zero padded
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id", ondelete="SET NULL"), index=True)
    submissions_hash: Mapped[str | None] = mapped_column(String(64))
    accessions_read: Mapped[list] = mapped_column(JSON, default=list)
    # 8-K/6-K press releases and proxy statements read for contacts (see scrapers/edgar/contacts.py)
    contact_filings_read: Mapped[list | None] = mapped_column(JSON, default=list)
    last_run_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ProposedChange(Base):
    """A value an importer found that differs from one a person set or approved.

    The importer never overwrites such a value; moderators decide (moderation queue).
    """

    __tablename__ = "proposed_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column()
    field: Mapped[str] = mapped_column(String(64))
    current_value: Mapped[object | None] = mapped_column(JSON)
    proposed_value: Mapped[object | None] = mapped_column(JSON)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    source: Mapped["Source | None"] = relationship()  # noqa: F821

    __table_args__ = (Index("ix_proposed_changes_entity_field", "entity_type", "entity_id", "field"),)


class WebsiteRead(Base):
    """One row per company whose website was read: when, from which address, with what result.

    `flask scrape websites --all` reads the companies with a website and no row, or a row
    older than WEBSITE_REREAD_DAYS, so a monthly pass reaches everyone without re-reading.
    """

    __tablename__ = "website_reads"

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    pages_read: Mapped[int] = mapped_column(default=0)
    contacts_found: Mapped[int] = mapped_column(default=0)
    pages_failed: Mapped[int] = mapped_column(default=0)


class CompanyReadRequest(Base):
    """A visitor's "Read this company now": one on-demand EDGAR import of one company.

    At most one a day per company (the unique constraint, so two clicks or two app servers
    cannot queue it twice). A worker claims a queued row with a conditional UPDATE
    (`status = 'queued'`), so only one of several workers runs it; a claim older than
    `STALE_CLAIM` (its worker died) may be taken again.
    """

    __tablename__ = "company_read_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    requested_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued, running, done, failed
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(String(300))  # for operators; pages say it in words

    __table_args__ = (UniqueConstraint("company_id", "requested_on"),
                      Index("ix_company_read_requests_status", "status", "requested_at"))
