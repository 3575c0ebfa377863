"""The deadlines of a case: which rule applies to each step, and what to send next.

The rules (one function each, so a change of rule is a change in one place):
- a step on a company rung in the UK: the firm has 8 weeks (the ombudsman's `wait_weeks`)
  from the first complaint to send its final response, whatever rung the consumer writes to;
- a final response (deadlock letter) in the UK starts the ombudsman's own limit
  (`deadline_months` in regulators.json) for referring the case;
- a step on the regulator rung whose body forwards complaints with a response time
  (`response_days`: CFPB 15 days, FCC 30 days): that time;
- anything else: the ladder's default wait for the rung (`escalation.ladder.WAIT_DAYS`).
Answered steps stop their clock, and so does moving up: a rung's wait belongs to the step it
was for, and a later step on a higher rung ends it (the UK 8 weeks and the ombudsman's limit run
for the whole complaint and stay). A closed case has none.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from .letters import DEFAULT_LETTER
from .ladder import LADDER_TIERS, WAIT_DAYS, company_regulators
from .regulators import Regulator
from ..models import Case, CaseStep
from ..models.contact import TIER_LABELS

UK_FINAL_RESPONSE_WEEKS = 8  # FCA DISP 1.6 and the other UK schemes, when a body gives none
REFERRAL_WARNING_DAYS = 28  # remind this long before the consumer's own time limit runs out
COMPANY_RUNGS = LADDER_TIERS[:-1]


@dataclass(frozen=True)
class Clock:
    step: CaseStep
    kind: str  # reply | final_response | regulator_response | referral_limit
    label: str  # what falls due: "Final response due"
    rule: str  # why, in one sentence
    starts_on: date
    ends_on: date
    remind_on: date

    @property
    def length(self) -> int:
        return (self.ends_on - self.starts_on).days

    def day(self, on: date) -> int:
        return (on - self.starts_on).days

    def is_over(self, on: date) -> bool:
        return on >= self.ends_on


def add_months(start: date, months: int) -> date:
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    return start.replace(year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1]))


def ombudsman_of(bodies: list[Regulator]) -> Regulator | None:
    return next((body for body in bodies if body.is_ombudsman), None)


def _referral_limit(step: CaseStep, bodies: list[Regulator]) -> Clock | None:
    ombudsman = ombudsman_of(bodies)
    if ombudsman is None or not ombudsman.deadline_months:
        return None
    ends = add_months(step.response_on, ombudsman.deadline_months)
    return Clock(step, "referral_limit", f"Refer it to {ombudsman.name} by",
                 f"{ombudsman.name} takes a case within {ombudsman.deadline_months} months of "
                 f"{ombudsman.deadline_from or 'the final response'}.",
                 step.response_on, ends, ends - timedelta(days=REFERRAL_WARNING_DAYS))


def _uk_final_response(step: CaseStep, bodies: list[Regulator], complained_on: date) -> Clock:
    weeks = next((body.wait_weeks for body in bodies if body.wait_weeks), UK_FINAL_RESPONSE_WEEKS)
    ombudsman = ombudsman_of(bodies)
    ends = complained_on + timedelta(weeks=weeks)
    return Clock(step, "final_response", "Final response due",
                 f"A UK company has {weeks} weeks from your first complaint to send its final response; "
                 f"after that you can take the case to {ombudsman.name if ombudsman else 'the ombudsman'}.",
                 complained_on, ends, ends)


def _regulator_response(step: CaseStep, body: Regulator) -> Clock:
    ends = step.taken_on + timedelta(days=body.response_days)
    return Clock(step, "regulator_response", "Company's response due",
                 f"Once {body.name} forwards a complaint, the company is expected to respond within "
                 f"{body.response_days} days.", step.taken_on, ends, ends)


def _default_wait(step: CaseStep) -> Clock:
    days = WAIT_DAYS[step.rung]
    ends = step.taken_on + timedelta(days=days)
    return Clock(step, "reply", "Answer expected by",
                 f"Give {TIER_LABELS[step.rung].lower()} about {days} days to answer before moving up.",
                 step.taken_on, ends, ends)


def step_clock(step: CaseStep, *, country: str | None, bodies: list[Regulator],
               complained_on: date | None) -> Clock | None:
    """The deadline running for one step, if any (see the module docstring for the rules)."""
    if step.final_response and step.response_on is not None and country == "GB":
        return _referral_limit(step, bodies)
    if step.is_answered:
        return None
    if step.rung == "regulator":
        timed = next((body for body in bodies if body.response_days), None)
        if timed is not None:
            return _regulator_response(step, timed)
    elif country == "GB" and complained_on is not None:
        return _uk_final_response(step, bodies, complained_on)
    return _default_wait(step)


def moved_up_from(step: CaseStep, steps: list[CaseStep]) -> bool:
    """The consumer has since written to a higher rung: the wait for this one is over."""
    rung = LADDER_TIERS.index(step.rung)
    return any(LADDER_TIERS.index(later.rung) > rung and later.taken_on >= step.taken_on for later in steps)


def case_clocks(case: Case) -> list[Clock]:
    """Every running deadline of an open case, soonest first."""
    if not case.is_open:
        return []
    bodies = company_regulators(case.company)
    company_steps = [s.taken_on for s in case.steps if s.rung in COMPANY_RUNGS]
    complained_on = min(company_steps) if company_steps else None
    clocks: dict[tuple[str, date], Clock] = {}
    for step in case.steps:
        clock = step_clock(step, country=case.company.country, bodies=bodies, complained_on=complained_on)
        if clock is not None and clock.kind == "reply" and moved_up_from(step, case.steps):
            continue
        if clock is not None:  # the UK 8 weeks run once for the whole complaint, not once per step
            clocks.setdefault((clock.kind, clock.ends_on), clock)
    return sorted(clocks.values(), key=lambda c: (c.ends_on, c.step.id))


@dataclass(frozen=True)
class NextLetter:
    rung: str
    letter: str  # a key of escalation.letters.TEMPLATES

    @property
    def rung_label(self) -> str:
        return TIER_LABELS[self.rung]


def next_letter(case: Case, clocks: list[Clock], on: date) -> NextLetter | None:
    """The letter that moves the case up: the rung above the highest one used, except that in
    the UK a final response or the end of the 8 weeks opens the ombudsman's door, and a formal
    complaint is followed by a request for the final response (deadlock letter) first."""
    if not case.is_open:
        return None
    steps = case.steps
    if not steps:
        return NextLetter("complaints", DEFAULT_LETTER["complaints"])
    top = max(LADDER_TIERS.index(step.rung) for step in steps)
    if top == len(LADDER_TIERS) - 1:
        return None
    if case.company.country == "GB":
        deadlocked = any(step.final_response for step in steps)
        overdue = any(c.kind == "final_response" and c.is_over(on) for c in clocks)
        if deadlocked or overdue:
            return NextLetter("regulator", DEFAULT_LETTER["regulator"])
        if LADDER_TIERS[top] == "complaints" and not any(s.letter == "deadlock_request" for s in steps):
            return NextLetter("complaints", "deadlock_request")
    tier = LADDER_TIERS[top + 1]
    return NextLetter(tier, DEFAULT_LETTER[tier])
