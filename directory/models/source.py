"""Provenance: where a fact came from and when."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow

# The FCA register's resources a fact may come from (`scrapers.fca`), as a reader names them.
FCA_REGISTER_PARTS = {"fca-firm": "firm record", "fca-address": "addresses", "fca-controlled-functions":
                      "controlled functions", "fca-names": "names"}
SOURCE_KINDS = ("sec_filing", "registry_record", "contribution", "company_website", "wikidata", "form4_digest",
                "complaints_database", "other")
# Source.form_type of SEC's list of listed companies (company_tickers_exchange.json).
LISTING_FORM_TYPE = "company_tickers"


class Source(Base):
    """A document or record that backs one or more facts.

    `document_id` is the accession number for SEC filings, the company number plus
    resource for registry records, the contribution id for moderated edits.
    """

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    url: Mapped[str | None] = mapped_column(String(1000))
    document_id: Mapped[str | None] = mapped_column(String(200))
    form_type: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str | None] = mapped_column(String(300))
    filed_on: Mapped[date | None] = mapped_column(Date)
    retrieved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_sources_kind_document", "kind", "document_id"),)

    @property
    def as_of(self) -> date | None:
        """The date a reader should trust the fact from: filing date, else retrieval date."""
        if self.filed_on:
            return self.filed_on
        return self.retrieved_at.date() if self.retrieved_at else None

    @property
    def label(self) -> str:
        labels = {
            "sec_filing": "SEC filing",
            "registry_record": "Companies House record",
            "contribution": "Moderated contribution",
            "company_website": "Company website",
            "wikidata": "Wikidata",
            "form4_digest": "A public digest of Form 4 filings",
            "complaints_database": "CFPB consumer complaint database",
        }
        if self.form_type in FCA_REGISTER_PARTS:
            return f"FCA register ({FCA_REGISTER_PARTS[self.form_type]})"
        base = labels.get(self.kind, "Source")
        if self.form_type == "objection":
            return "Correction by the listed person, accepted by a moderator"
        if self.form_type == "submissions":
            return "SEC EDGAR company record"
        if self.form_type == LISTING_FORM_TYPE:
            return "SEC list of listed companies"
        if self.form_type:
            base = f"{base} (Form {self.form_type})" if self.kind == "sec_filing" else f"{base} ({self.form_type})"
        return base

    def __repr__(self) -> str:
        return f"<Source {self.id} {self.kind} {self.document_id}>"
