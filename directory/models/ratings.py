"""Openness ratings, escalation outcome reports, contact problem reports and the right of reply.

A company's page computes its aggregates from these rows with SQL (see
`directory/ratings/queries.py`). The leaderboards, which rank every company at once, read
`CompanyScore`: one row per listed company, recomputed from the rows (never incremented) by
each write that changes them (`directory/aggregates/scores.py`).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin, utcnow

CHANNELS = ("email", "letter", "phone", "web_form", "social_media")
CHANNEL_LABELS = {"email": "Email", "letter": "Letter", "phone": "Phone", "web_form": "Web form",
                  "social_media": "Social media"}
# visible: shown; reported: shown, waiting for a moderator; kept: a moderator kept it after a report.
COMMENT_STATES = ("visible", "reported", "kept", "hidden")
CONTACT_PROBLEMS = ("bounced", "unanswered")
REPLY_STATUSES = ("pending", "approved", "rejected", "superseded")


class Rating(TimestampMixin, Base):
    """One account's 1-5 star rating of how useful a company's policy and contacts were.

    The unique constraint on (company_id, user_id) is what enforces "one rating per account
    per company", including when two requests insert at the same moment.
    """

    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    stars: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(String(500))
    comment_state: Mapped[str] = mapped_column(String(16), default="visible", server_default="visible")

    user: Mapped[User] = relationship()  # noqa: F821
    company: Mapped[Company] = relationship()  # noqa: F821
    changes: Mapped[list[RatingChange]] = relationship(
        back_populates="rating", cascade="all, delete-orphan", order_by="RatingChange.id")

    __table_args__ = (
        UniqueConstraint("company_id", "user_id"),
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),
    )


class RatingChange(Base):
    """Every version of a rating as its author saved it, the first one included."""

    __tablename__ = "rating_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id", ondelete="CASCADE"), index=True)
    stars: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    rating: Mapped[Rating] = relationship(back_populates="changes")


class OutcomeReport(Base):
    """What happened when the author contacted one rung of the ladder (sent with a rating, or
    recorded when a case closes). One per account, company and rung, enforced by the unique
    index: a second report updates this row, so one account is one vote."""

    __tablename__ = "outcome_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None when the report comes from closing a case (directory/cases) rather than a rating.
    rating_id: Mapped[int | None] = mapped_column(ForeignKey("ratings.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    rung: Mapped[str] = mapped_column(String(20))  # a contact tier
    channel: Mapped[str] = mapped_column(String(16))
    got_reply: Mapped[bool] = mapped_column(Boolean)
    days_to_reply: Mapped[int | None] = mapped_column(Integer)
    resolved: Mapped[bool | None] = mapped_column(Boolean)
    # The contact this report made `tested` (operations/ratings.py `mark_tested`), if any.
    tested_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"),
                                                          index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    changes: Mapped[list[OutcomeReportChange]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="OutcomeReportChange.id")

    __table_args__ = (
        CheckConstraint("days_to_reply IS NULL OR days_to_reply >= 0", name="days_not_negative"),
        Index("uq_outcome_reports_user_id_company_id_rung", "user_id", "company_id", "rung", unique=True),
    )


class OutcomeReportChange(Base):
    """Every version of an outcome report as its author saved it, the first one included."""

    __tablename__ = "outcome_report_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_report_id: Mapped[int] = mapped_column(ForeignKey("outcome_reports.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    got_reply: Mapped[bool] = mapped_column(Boolean)
    days_to_reply: Mapped[int | None] = mapped_column(Integer)
    resolved: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    report: Mapped[OutcomeReport] = relationship(back_populates="changes")


class ContactProblem(Base):
    """One account's report that a published contact bounced or went unanswered."""

    __tablename__ = "contact_problems"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    problem: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (UniqueConstraint("contact_id", "user_id"),)


class CompanyReply(Base):
    """A company representative's public reply under its policy status (the right of reply).

    It is published only once a moderator approves it; approving a newer one supersedes the
    old, so a company has at most one public reply.
    """

    __tablename__ = "company_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_role: Mapped[str] = mapped_column(String(200))  # "Head of customer relations"
    evidence: Mapped[str | None] = mapped_column(Text)  # how a moderator can check they speak for it
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    company: Mapped[Company] = relationship()  # noqa: F821
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])  # noqa: F821


class CompanyScore(Base):
    """What the leaderboards rank, for each company on one of them: a policy of "open" or "no
    name", or at least one counted outcome report. Name, country, sector and policy are copied
    here so a leaderboard reads this small table alone, each board in the order of its index."""

    __tablename__ = "company_scores"

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    sector: Mapped[str | None] = mapped_column(String(200), index=True)
    contact_policy: Mapped[str] = mapped_column(String(16))
    ratings: Mapped[int] = mapped_column(Integer)  # counted ratings
    average: Mapped[float] = mapped_column(Float)  # their mean stars; 0 when none, so unrated sort last
    reports: Mapped[int] = mapped_column(Integer, index=True)  # established accounts that reported
    replies: Mapped[int] = mapped_column(Integer)  # of which got a reply at some rung
    unanswered: Mapped[int] = mapped_column(Integer)  # reports - replies: accounts never answered

    company: Mapped[Company] = relationship()  # noqa: F821

    __table_args__ = (
        Index("ix_company_scores_most_open", "contact_policy", text("average DESC"), text("ratings DESC"), "name"),
        Index("ix_company_scores_stonewallers", "contact_policy", text("unanswered DESC"), "name"),
    )


class PhoneReport(Base):
    """What one account learnt calling one phone contact: minutes on hold, when it called
    (weekday and hour) and the keys or words that reached a person ("2, then 0", "say agent").

    One per account and number (the unique constraint), so saving again edits it and one
    account is one voice; its author may withdraw it (the row is deleted). It counts in the
    number's figures under the ratings' rule (confirmed or old enough accounts only).
    """

    __tablename__ = "phone_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    hold_minutes: Mapped[int | None] = mapped_column(Integer)
    called_weekday: Mapped[int | None] = mapped_column(Integer)  # 0 Monday ... 6 Sunday
    called_hour: Mapped[int | None] = mapped_column(Integer)  # 0-23, local time of the caller
    way_to_person: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    contact: Mapped[Contact] = relationship()  # noqa: F821

    __table_args__ = (
        UniqueConstraint("contact_id", "user_id"),
        CheckConstraint("hold_minutes IS NULL OR hold_minutes BETWEEN 0 AND 1440", name="hold_minutes_range"),
        CheckConstraint("called_weekday IS NULL OR called_weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("called_hour IS NULL OR called_hour BETWEEN 0 AND 23", name="hour_range"),
    )
