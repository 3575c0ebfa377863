"""Everything the company page shows about openness, gathered for its template.

The company view stays unchanged: its template calls `company_ratings(company)` (a template
global registered by this blueprint) and gets one `Panel`. The page has a statement budget,
so the star distribution, the contact problem counts, the published reply and the number of
outcome reports and of phone reports come back in a single UNION ALL of (label, key, n) rows; everything else is
looked up only when it exists (outcomes when there are reports, which closed cases make
without a rating; comments when there are ratings; the evidence when the policy is known;
your own rating when logged in; what callers reported on its phone lines when anyone did).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_login import current_user
from sqlalchemy import func, literal, select, union_all

from ..extensions import db
from ..models import Company, CompanyReply, ContactProblem, Contribution, OutcomeReport, PhoneReport, Rating, User
from ..operations import ratings as ops
from . import queries
from .policy import POLICY_LABELS, policy_evidence, policy_sentence


@dataclass(frozen=True)
class Panel:
    summary: queries.Summary
    policy_label: str
    policy_sentence: str
    evidence: Contribution | None
    reply: CompanyReply | None
    mine: Rating | None
    problems: dict[int, dict[str, int]]
    problem_threshold: int
    phones: dict[int, queries.PhoneFigures]  # what callers reported, per phone contact

    def phone(self, contact_id: int) -> queries.PhoneFigures | None:
        return self.phones.get(contact_id)

    def contact_flag(self, contact_id: int) -> str | None:
        """"bounced" or "unanswered" once enough people report the contact, else None."""
        counts = self.problems.get(contact_id, {})
        if sum(counts.values()) < self.problem_threshold:
            return None
        return max(counts, key=lambda problem: (counts[problem], problem == "bounced"))

    def contact_reports(self, contact_id: int) -> int:
        return sum(self.problems.get(contact_id, {}).values())


def _counts_stmt(company_id: int):
    problems = (select(ContactProblem.problem, ContactProblem.contact_id, func.count())
                .join(User, User.id == ContactProblem.user_id)
                .where(ContactProblem.company_id == company_id, ops.established_accounts())
                .group_by(ContactProblem.problem, ContactProblem.contact_id))
    reply = (select(literal("reply"), func.max(CompanyReply.id), literal(0))
             .where(CompanyReply.company_id == company_id, CompanyReply.status == "approved"))
    reports = select(literal("outcomes"), literal(0), func.count(OutcomeReport.id)).where(
        OutcomeReport.company_id == company_id)
    calls = select(literal("phone_reports"), literal(0), func.count(PhoneReport.id)).where(
        PhoneReport.company_id == company_id)
    return union_all(queries.distribution_stmt(company_id), problems, reply, reports, calls)


def company_panel(company: Company) -> Panel:
    distribution: dict[int, int] = {}
    problems: dict[int, dict[str, int]] = {}
    reply_id, reports, calls = None, 0, 0
    for label, key, n in db.session.execute(_counts_stmt(company.id)):
        if label == "stars":
            distribution[key] = n
        elif label == "reply":
            reply_id = key
        elif label == "outcomes":
            reports = n
        elif label == "phone_reports":
            calls = n
        else:
            problems.setdefault(key, {})[label] = n
    return Panel(
        summary=queries.summary(company.id, distribution=distribution, has_outcomes=reports > 0),
        policy_label=POLICY_LABELS.get(company.contact_policy, "Unknown"),
        policy_sentence=policy_sentence(company),
        evidence=policy_evidence(company) if company.contact_policy != "unknown" else None,
        reply=db.session.get(CompanyReply, reply_id) if reply_id else None,
        mine=ops.rating_of(company, current_user) if current_user.is_authenticated else None,
        problems=problems,
        problem_threshold=current_app.config["CONTACT_PROBLEM_THRESHOLD"],
        phones=queries.phone_figures(company.id) if calls else {},
    )
