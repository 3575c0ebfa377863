"""A consumer's own complaint case: what went wrong, what they want, and every step taken.

Private to its owner: no public page, API, snapshot or search document reads these tables.
Deleting the account deletes its cases (`ON DELETE CASCADE`, and `cases.privacy.delete_cases`).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin, utcnow

class Case(TimestampMixin, Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    problem: Mapped[str] = mapped_column(Text)  # what went wrong
    wanted: Mapped[str] = mapped_column(Text)  # what they want the company to do
    status: Mapped[str] = mapped_column(String(16), default="open", server_default="open", index=True)  # or closed
    reminders: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    resolved: Mapped[bool | None] = mapped_column(Boolean)  # set when closed
    resolved_rung: Mapped[str | None] = mapped_column(String(20))  # the rung the case ended on
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    company: Mapped["Company"] = relationship()  # noqa: F821
    user: Mapped["User"] = relationship()  # noqa: F821
    steps: Mapped[list["CaseStep"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(CaseStep.taken_on, CaseStep.id)")

    @property
    def is_open(self) -> bool:
        return self.status == "open"


class CaseStep(Base):
    """One thing the consumer did (a call, an email, a letter, a referral) and what came back.

    `reminded_for` is the deadline the owner was last emailed about: `flask cases remind`
    claims a reminder by moving it to the current deadline with a conditional UPDATE, so the
    same deadline is mailed once however many times (or processes) the command runs.
    """

    __tablename__ = "case_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    taken_on: Mapped[date] = mapped_column(Date)
    rung: Mapped[str] = mapped_column(String(20))  # a ladder tier
    channel: Mapped[str] = mapped_column(String(16))  # models.ratings.CHANNELS
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    contact: Mapped[str | None] = mapped_column(String(500))  # the address, number or name used
    reference: Mapped[str | None] = mapped_column(String(120))
    letter: Mapped[str | None] = mapped_column(String(32))  # the composer's template, when sent from it
    response: Mapped[str | None] = mapped_column(Text)  # what came back
    response_on: Mapped[date | None] = mapped_column(Date)
    final_response: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    reminded_for: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="steps")

    @property
    def is_answered(self) -> bool:
        return self.response_on is not None
