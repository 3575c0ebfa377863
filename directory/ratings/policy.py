"""The contact policy: what each status means, its evidence, and suggesting a change of it.

`contact_policy` is a Company column, so the revision listener records its history when a
moderator approves a suggestion. The suggestion kind is registered here with the
contribution registry (kinds, appliers, forms, targets), so the existing suggest → preview →
moderate → apply flow handles it unchanged.
"""
from __future__ import annotations

from sqlalchemy import select
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from ..contribute import views as contribute_views
from ..contribute.forms import FORMS, EvidenceForm
from ..extensions import db
from ..models import CONTACT_POLICIES, Company, Contribution
from ..operations import contributions

POLICY_LABELS = {"open": "Open", "partial": "Partial", "no_name": "No name", "unknown": "Unknown"}
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


class PolicyForm(EvidenceForm):
    FIELDS = ("contact_policy",)
    contact_policy = SelectField("Contact policy", validators=[DataRequired()],
                                 choices=[SelectChoice(k, v) for k, v in POLICY_LABELS.items()],
                                 description="Open: names its executives and publishes a way to reach them. "
                                             "Partial: one of the two. No name: refuses both.")


def _apply_policy(company: Company, values: dict, source) -> None:
    """Moderators may edit the value before approving: only a known status is accepted."""
    if values.get("contact_policy") not in CONTACT_POLICIES:
        raise contributions.SuggestionError("The contact policy must be one of: " + ", ".join(CONTACT_POLICIES) + ".")
    company.contact_policy = values["contact_policy"]


def register_policy_suggestions() -> None:
    """Make "contact_policy" a kind of suggestion, with evidence, like any other field."""
    contributions.KINDS["contact_policy"] = contributions.Kind(
        "contact_policy", "Contact policy", "company", ("contact_policy",))
    contributions.APPLIERS["contact_policy"] = _apply_policy
    contributions.FIELD_LABELS["contact_policy"] = "Contact policy"
    FORMS["contact_policy"] = PolicyForm
    contribute_views.TARGET_OF_KIND["contact_policy"] = "company"
