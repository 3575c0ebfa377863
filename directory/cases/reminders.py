"""`flask cases remind`: email each owner once when a deadline of their case is reached.

Each due deadline is claimed first (`operations.cases.claim_reminder`, a conditional UPDATE)
and committed, then mailed: two runs at once, or the same run twice, mail it exactly once.
A mail that fails is un-claimed, so the next run tries again. Deadlines of one case that fall
due together go in one message.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..mail import Delivery, send_mail
from ..discovery.urls import public_root
from ..extensions import db
from ..models import Case, User
from ..operations import cases as ops
from ..formatting import human_date
from ..rules.case_clocks import Clock, NextLetter, case_clocks, next_letter


@dataclass(frozen=True)
class Due:
    case: Case
    clocks: list[Clock]
    next: NextLetter | None


def due_reminders(on: date) -> list[Due]:
    """Open cases, reminders on for the case and the account, with a deadline reached on `on`
    that has not been mailed yet."""
    cases = db.session.scalars(
        select(Case).join(User, User.id == Case.user_id)
        .where(Case.status == "open", Case.reminders.is_(True), User.case_reminders.is_(True),
               User.is_active.is_(True)).order_by(Case.id)
        .options(selectinload(Case.steps), selectinload(Case.company), selectinload(Case.user)))
    due = []
    for case in cases:
        clocks = case_clocks(case)
        mailed = {step.reminded_for for step in case.steps}  # a deadline shared by steps is mailed once
        reached = [c for c in clocks if c.remind_on <= on and c.ends_on not in mailed]
        if reached:
            due.append(Due(case, reached, next_letter(case, clocks, on)))
    return due


def _link(path: str) -> str:
    return public_root() + path


def reminder_message(item: Due, on: date) -> tuple[str, str]:
    """(subject, body) of the reminder for one case."""
    case = item.case
    lines = [f"Your complaint to {case.company.name}, “{case.title}”:", ""]
    for clock in item.clocks:
        lines += [f"- {clock.label} {human_date(clock.ends_on)} (today is day {clock.day(on)} of {clock.length}).",
                  f"  {clock.rule}"]
    lines.append("")
    if item.next is not None:
        lines += [f"Next step: {item.next.rung_label.lower()}. Your letter, filled in from your case:",
                  _link(f"/companies/{case.company.slug}/write?case={case.id}"), ""]
    lines += ["Your case:", _link(f"/cases/{case.id}"), "",
              "You get one email per deadline. To stop them, turn reminders off on the case page."]
    return f"Deadline reached: your complaint to {case.company.name}", "\n".join(lines)


def send_reminders(on: date) -> tuple[int, int]:
    """Mail every due reminder; returns (sent, failed)."""
    sent = failed = 0
    for item in due_reminders(on):
        previous = {clock.step.id: clock.step.reminded_for for clock in item.clocks}
        claimed = [clock for clock in item.clocks if ops.claim_reminder(clock.step, clock.ends_on)]
        db.session.commit()
        if not claimed:
            continue  # another run mailed these
        subject, body = reminder_message(Due(item.case, claimed, item.next), on)
        if send_mail(item.case.user.email, subject, body) is Delivery.NOT_SENT:
            current_app.logger.error("Reminder for case %s not sent; the next run retries", item.case.id)
            for clock in claimed:
                ops.release_reminder(clock.step, clock.ends_on, previous[clock.step.id])
            db.session.commit()
            failed += 1
        else:
            sent += 1
    return sent, failed
