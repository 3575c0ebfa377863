"""The contact policy: what each status means and the evidence for it.

`contact_policy` is a Company column, so the revision listener records its history when a
moderator approves a suggestion of kind "contact_policy" (see `operations.contributions`).
"""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Company, Contribution
from ..models.company import CONTACT_POLICY_LABELS

POLICY_LABELS = CONTACT_POLICY_LABELS
POLICY_SENTENCES = {
    "open": "{name} names its executives and publishes a way to reach them.",
    "partial": "{name} names its executives or publishes a way to reach them, but not both.",
    "no_name": "{name} refuses to name its executives or to pass messages on to them.",
    "unknown": "We do not know yet whether {name} names its executives or passes messages on to them.",
}


def policy_sentence(company: Company) -> str:
    return POLICY_SENTENCES.get(company.contact_policy, POLICY_SENTENCES["unknown"]).format(name=company.name)


def policy_evidence(company: Company) -> Contribution | None:
    """The approved suggestion that set the current status: its link and quoted reply."""
    return db.session.scalar(
        select(Contribution).where(Contribution.company_id == company.id, Contribution.kind == "contact_policy",
                                   Contribution.status == "approved")
        .order_by(Contribution.decided_at.desc(), Contribution.id.desc()).limit(1))
