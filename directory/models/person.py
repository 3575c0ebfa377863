"""People and the positions they hold at companies."""
from __future__ import annotations

import html
from datetime import date

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin

# How far a kind of source speaks for the company on who holds a post, highest first: a filing
# or a register (any kind not named here), then a third party's digest of Form 4 filings (the
# titles as filed, but not read from SEC), then Wikidata.
CEO_SOURCE_TIERS = {"form4_digest": 1, "wikidata": 0}
FILED_TIER = 2


def ceo_rank(confirmed: bool | None, source_kind: str | None, confidence: float | None,
             start_date: date | None) -> tuple:
    """How strongly a current CEO fact claims the post, to choose one when sources disagree.

    A moderator's confirmation first; then the source's tier (`CEO_SOURCE_TIERS`: a filing
    the EDGAR importer read over the Form 4 digest over Wikidata), whatever their confidence
    (Wikidata's CEO is an explicit statement, so not "inferred", but a filing's guess from a
    title still speaks for the company itself); then the confidence of the reading; then the
    newer start. The page, the API and both search backends use it."""
    return (bool(confirmed), CEO_SOURCE_TIERS.get(source_kind, FILED_TIER), confidence or 0, start_date or date.min)


ROLES = ("ceo", "chair", "president", "cfo", "coo", "director", "secretary", "other")
ROLE_LABELS = {
    "ceo": "Chief executive",
    "chair": "Chair",
    "president": "President",
    "cfo": "Chief financial officer",
    "coo": "Chief operating officer",
    "director": "Director",
    "secretary": "Company secretary",
    "other": "Officer",
}
# How much of a position's date is known, when less than the day (Wikidata's "since 2011"):
# the date column holds the period's first day.
DATE_PRECISIONS = ("year", "month")
# Order of the executives table: the people a consumer is most likely to write to first.
ROLE_ORDER = {role: index for index, role in enumerate(ROLES)}


class Person(TimestampMixin, Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    honorific: Mapped[str | None] = mapped_column(String(40))
    sec_cik: Mapped[str | None] = mapped_column(String(10), unique=True)
    ch_officer_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    wikidata_id: Mapped[str | None] = mapped_column(String(20), unique=True)

    positions: Mapped[list["Position"]] = relationship(back_populates="person")

    def __repr__(self) -> str:
        return f"<Person {self.id} {self.slug}>"


class Position(TimestampMixin, Base):
    """A person at a company: the title as filed, a normalised role and its period."""

    __tablename__ = "positions"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    # active_history on person_id and is_current: the executives count needs the old values.
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True,
                                           active_history=True)
    title: Mapped[str | None] = mapped_column(String(300))  # raw, as filed
    role: Mapped[str] = mapped_column(String(16), default="other")
    is_ceo: Mapped[bool] = mapped_column(Boolean, default=False)
    ceo_confidence: Mapped[float | None] = mapped_column(Float)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)  # by a moderator
    is_current: Mapped[bool] = mapped_column(Boolean, default=True, active_history=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    start_precision: Mapped[str | None] = mapped_column(String(5))  # DATE_PRECISIONS; None: the day
    end_precision: Mapped[str | None] = mapped_column(String(5))
    last_seen_on: Mapped[date | None] = mapped_column(Date)  # latest filing naming them
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))

    company: Mapped["Company"] = relationship(back_populates="positions")  # noqa: F821
    person: Mapped[Person] = relationship(back_populates="positions")
    source: Mapped["Source | None"] = relationship()  # noqa: F821
    contacts: Mapped[list["Contact"]] = relationship(back_populates="position")  # noqa: F821

    __table_args__ = (Index("ix_positions_company_current", "company_id", "is_current"),)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, "Officer")

    @property
    def display_title(self) -> str:
        """The title as written: entities an older import left in it ("Chairman &amp; CEO")
        read as the character they stand for."""
        return html.unescape(self.title) if self.title else self.role_label

    @property
    def ceo_rank(self) -> tuple:
        return ceo_rank(self.confirmed, self.source.kind if self.source is not None else None,
                        self.ceo_confidence, self.start_date)

    @property
    def is_inferred_ceo(self) -> bool:
        """A CEO guessed from a title or occupation, not yet confirmed by a person."""
        return self.is_ceo and not self.confirmed and (self.ceo_confidence or 0) < 0.9

    @property
    def start_date_precision(self) -> str | None:
        return date_precision(self.start_date, self.start_precision)

    @property
    def end_date_precision(self) -> str | None:
        return date_precision(self.end_date, self.end_precision)

    @property
    def fact_date(self) -> date | None:
        """The date the page shows for this fact: its source's, else the start date."""
        if self.source is not None and self.source.as_of is not None:
            return self.source.as_of
        return self.start_date

    @property
    def sort_key(self) -> tuple:
        return (not self.is_current, not self.is_ceo, ROLE_ORDER.get(self.role, 99), self.person.name)


def date_precision(value: date | None, precision: str | None) -> str | None:
    """year, month or day for a known date (no stored precision: filings give the day); None
    without a date."""
    return None if value is None else precision or "day"
