"""Writing what callers learn on a phone line: one report per account and number, edited in
place by saving again, withdrawn (deleted) by its author alone.

A report is stored at once and counts in the number's figures under the ratings' rule
(`ratings.established_accounts`): a confirmed email or an account old enough.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Contact, PhoneReport, User


class NotAPhone(ValueError):
    """Reports are kept per phone number: another kind of contact has none."""


@dataclass(frozen=True)
class PhoneCall:
    """What the caller says: every part optional, but a report says something."""

    hold_minutes: int | None = None
    called_weekday: int | None = None  # 0 Monday ... 6 Sunday
    called_hour: int | None = None  # 0-23
    way_to_person: str | None = None  # "2, then 0", "say agent"

    @property
    def is_empty(self) -> bool:
        return self.hold_minutes is None and self.called_hour is None and self.called_weekday is None \
            and not self.way_to_person


def report_of(user: User, contact: Contact) -> PhoneReport | None:
    return db.session.scalar(select(PhoneReport).where(PhoneReport.contact_id == contact.id,
                                                       PhoneReport.user_id == user.id))


def save(user: User, contact: Contact, call: PhoneCall) -> PhoneReport:
    """The account's report on this number, created or changed; two requests of the same
    account at once leave one row (the unique constraint; the loser updates it)."""
    if contact.kind != "phone":
        raise NotAPhone(f"contact {contact.id} is not a phone number")
    values = {"hold_minutes": call.hold_minutes, "called_weekday": call.called_weekday,
              "called_hour": call.called_hour, "way_to_person": " ".join((call.way_to_person or "").split()) or None}
    report = report_of(user, contact)
    if report is None:
        try:
            with db.session.begin_nested():
                report = PhoneReport(contact_id=contact.id, company_id=contact.company_id, user_id=user.id, **values)
                db.session.add(report)
            return report
        except IntegrityError:  # the same account's other request inserted it first
            report = report_of(user, contact)
    for field, value in values.items():
        setattr(report, field, value)
    db.session.flush()
    return report


def withdraw(user: User, contact: Contact) -> bool:
    """Remove the account's report on this number; whether there was one."""
    report = report_of(user, contact)
    if report is None:
        return False
    db.session.delete(report)
    db.session.flush()
    return True
