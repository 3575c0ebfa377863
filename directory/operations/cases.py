"""Writing a consumer's complaint cases: open, add a step, record the answer, close, reminders.

Every date is checked against the same rules before anything is written (`_check_date`), so
a bad date leaves nothing half-saved. Closing a case becomes the account's outcome report
for the company and rung through `ratings.record_outcome`, the one writer of those reports.
Reminders are claimed with a conditional UPDATE (the moderation house pattern): of two
`flask cases remind` processes that see the same deadline, exactly one mails it.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select, update

from ..rules.ladder import LADDER_TIERS
from ..extensions import db
from ..models import Case, CaseStep, Company, CompanyName, Contact, OutcomeReport, User, utcnow
from ..models.ratings import CHANNELS
from .ratings import Outcome, record_outcome


class CaseError(ValueError):
    """A rule the user can fix, shown next to `field` of the form."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def company_known_from(company: Company) -> date | None:
    """The earliest date the company is known to have existed: its oldest recorded name."""
    return db.session.scalar(select(CompanyName.used_from).where(
        CompanyName.company_id == company.id, CompanyName.used_from.is_not(None)).order_by(CompanyName.used_from))


def _check_date(case: Case, value: date, field: str, today: date, *, not_before: date | None = None) -> None:
    if value > today:
        raise CaseError("That date is in the future.", field)
    known_from = company_known_from(case.company)
    if known_from is not None and value < known_from:
        raise CaseError(f"That date is before {case.company.name} existed (our records start on "
                        f"{known_from.isoformat()}).", field)
    if not_before is not None and value < not_before:
        raise CaseError("The answer cannot come before the step it answers.", field)


def _check_open(case: Case) -> None:
    if not case.is_open:
        raise CaseError("This case is closed: open a new case to add steps.")


def open_case(user: User, company: Company, *, title: str, problem: str, wanted: str) -> Case:
    case = Case(user_id=user.id, company_id=company.id, company=company, title=title.strip(),
                problem=problem.strip(), wanted=wanted.strip())
    db.session.add(case)
    db.session.flush()
    return case


def add_step(case: Case, *, taken_on: date, rung: str, channel: str, today: date, contact_id: int | None = None,
             contact: str | None = None, reference: str | None = None, letter: str | None = None,
             response: str | None = None, response_on: date | None = None,
             final_response: bool = False) -> CaseStep:
    """One step (a contact made), optionally with the answer already received."""
    _check_open(case)
    if rung not in LADDER_TIERS:
        raise CaseError("Choose a step of the ladder.", "rung")
    if channel not in CHANNELS:
        raise CaseError("Choose how you contacted them.", "channel")
    _check_date(case, taken_on, "taken_on", today)
    if response_on is not None:
        _check_date(case, response_on, "response_on", today, not_before=taken_on)
    if contact_id is not None:
        known = db.session.get(Contact, contact_id)
        if known is None or known.company_id != case.company_id:
            raise CaseError("That contact is not on this company's ladder.", "contact_id")
        contact = contact or known.value
    step = CaseStep(taken_on=taken_on, rung=rung, channel=channel, contact_id=contact_id,
                    contact=(contact or "").strip() or None, reference=(reference or "").strip() or None,
                    letter=letter, response=(response or "").strip() or None, response_on=response_on,
                    final_response=bool(final_response and response_on))
    case.steps.append(step)
    db.session.flush()
    return step


def record_response(step: CaseStep, *, response: str | None, response_on: date, final_response: bool,
                    today: date) -> None:
    """What came back for a step; it stops that step's clock (a final response starts the
    ombudsman's own limit instead)."""
    _check_open(step.case)
    _check_date(step.case, response_on, "response_on", today, not_before=step.taken_on)
    step.response = (response or "").strip() or None
    step.response_on = response_on
    step.final_response = final_response
    db.session.flush()


def close_case(case: Case, *, resolved: bool, rung: str) -> OutcomeReport:
    """Close the case and report its outcome at `rung`: the account's one report for the
    company and rung, with whether that rung answered and how fast."""
    _check_open(case)
    if rung not in LADDER_TIERS:
        raise CaseError("Choose the step your case ended on.", "rung")
    on_rung = [step for step in case.steps if step.rung == rung]
    answered = [step for step in on_rung if step.response_on is not None]
    days = min(((s.response_on - s.taken_on).days for s in answered), default=None)
    named = [step for step in answered if step.contact_id is not None]  # the reply came through a ladder contact
    case.status, case.resolved, case.resolved_rung, case.closed_at = "closed", resolved, rung, utcnow()
    return record_outcome(case.user, case.company, Outcome(
        rung, channel=on_rung[-1].channel if on_rung else "letter",
        got_reply=bool(answered), days_to_reply=days, resolved=resolved,
        contact_id=named[-1].contact_id if named else None, replied_on=named[-1].response_on if named else None))


def set_reminders(case: Case, on: bool) -> None:
    case.reminders = on
    db.session.flush()


def set_account_reminders(user: User, on: bool) -> None:
    user.case_reminders = on
    db.session.flush()


def claim_reminder(step: CaseStep, deadline: date) -> bool:
    """Mark the deadline as mailed, only if nobody did: True for exactly one claimant."""
    claimed = db.session.execute(
        update(CaseStep)
        .where(CaseStep.id == step.id, or_(CaseStep.reminded_for.is_(None), CaseStep.reminded_for != deadline))
        .values(reminded_for=deadline).execution_options(synchronize_session=False)).rowcount
    return claimed == 1


def release_reminder(step: CaseStep, deadline: date, previous: date | None) -> None:
    """Undo a claim whose mail could not be sent, so the next run tries again."""
    db.session.execute(update(CaseStep).where(CaseStep.id == step.id, CaseStep.reminded_for == deadline)
                       .values(reminded_for=previous).execution_options(synchronize_session=False))
