"""Who a letter goes to on each rung of a company's ladder, for the letter composer."""
from __future__ import annotations

from ..models import Company
from ..labels import country_name
from ..rules.ladder import Rung
from ..rules.letters import Recipient

TEAM_NAMES = {
    "customer_service": "Customer Service Team",
    "complaints": "Complaints Team",
    "executive_office": "Executive Office",
}

def _postal_lines(company: Company) -> tuple[str, ...]:
    address = company.postal_address
    if address is None:
        return ()
    return tuple(country_name(line) if line == address.country else line for line in address.lines)


def _known_email(rung: Rung) -> str | None:
    return next((c.value for c in rung.contacts if c.kind == "email" and c.status == "ok"), None)


def recipient_for(company: Company, rung: Rung) -> Recipient:
    """The addressee on `rung`: a team, the CEO by name, or the first regulator or ombudsman."""
    if rung.tier == "regulator":
        body = rung.regulators[0] if rung.regulators else None
        return Recipient(name=body.name if body else "The regulator or ombudsman",
                         organisation=body.name if body else "the regulator or ombudsman")
    if rung.tier == "ceo":
        ceo = company.ceo_position
        email, inferred = _known_email(rung), False
        if email is None and rung.likely_email and rung.email_guess.level != "low":
            email, inferred = rung.likely_email, True
        return Recipient(
            name=ceo.person.name if ceo else "The Chief Executive Officer",
            organisation=company.name,
            title=ceo.display_title if ceo else None,
            postal_lines=_postal_lines(company),
            email=email,
            email_is_inferred=inferred,
            greeting_name=ceo.person.name if ceo else None,
        )
    return Recipient(name=TEAM_NAMES[rung.tier], organisation=company.name,
                     postal_lines=_postal_lines(company), email=_known_email(rung))


def referral_body(ladder: list[Rung]) -> str:
    """The body a deadlock letter names: the ombudsman when there is one."""
    regulators = ladder[-1].regulators
    body = next((r for r in regulators if r.is_ombudsman), regulators[0] if regulators else None)
    return body.name if body else "the ombudsman or regulator"
