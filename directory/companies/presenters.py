"""Shape a loaded company into what its page shows: the escalation ladder and freshness.

Kept apart from the view so the view stays a lookup plus a render, and so the ladder's
rules (which rungs, in which order, what the CEO rung offers) read in one place.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..models import Address, Company, Contact, Position
from ..models.contact import TIER_LABELS

# Bottom to top: the order a consumer should try them in.
LADDER_TIERS = ("customer_service", "complaints", "executive_office", "ceo")
RUNG_ADVICE = {
    "customer_service": "Start here. Note the date, the name of whoever you spoke to and any reference number.",
    "complaints": "If customer service has not fixed it, make a formal complaint and ask for a written reply.",
    "executive_office": "Executive offices handle problems that reach the top and can cut through delays.",
    "ceo": "Write to the chief executive by name. Be brief and factual, and say what outcome you want.",
    "regulator": "If the company still has not fixed it, a regulator or ombudsman can step in.",
}


@dataclass
class Rung:
    tier: str
    contacts: list[Contact] = field(default_factory=list)
    postal_address: Address | None = None  # the CEO rung: the principal office, to the CEO by name
    addressee: str | None = None

    @property
    def label(self) -> str:
        return TIER_LABELS.get(self.tier, self.tier)

    @property
    def advice(self) -> str:
        return RUNG_ADVICE.get(self.tier, "")

    @property
    def is_empty(self) -> bool:
        return not self.contacts and self.postal_address is None


def escalation_ladder(company: Company) -> list[Rung]:
    """The four rungs in order, plus the regulator rung when a regulator contact is known."""
    rungs = {tier: Rung(tier) for tier in LADDER_TIERS}
    for contact in company.contacts:
        if contact.tier == "regulator":
            rungs.setdefault("regulator", Rung("regulator"))
        if contact.tier in rungs:
            rungs[contact.tier].contacts.append(contact)
    ceo = company.ceo_position
    principal = address_of(company, "principal_office")
    if principal is not None:
        rungs["ceo"].postal_address = principal
        rungs["ceo"].addressee = ceo.person.name if ceo else "The Chief Executive Officer"
    return list(rungs.values())


def address_of(company: Company, kind: str) -> Address | None:
    return next((a for a in company.addresses if a.kind == kind), None)


def executives(company: Company) -> tuple[list[Position], list[Position]]:
    """(current, former) positions, each in the table's order: CEO first, then by role and name."""
    ordered = sorted(company.positions, key=lambda p: p.sort_key)
    return [p for p in ordered if p.is_current], [p for p in ordered if not p.is_current]


def last_verified(company: Company) -> date | None:
    """When a person last checked the record, else the date of the newest source behind it."""
    if company.last_verified_at is not None:
        return company.last_verified_at.date()
    facts = [*company.positions, *company.contacts, *company.addresses, *company.identifiers]
    dates = [fact.source.as_of for fact in facts if fact.source is not None and fact.source.as_of]
    return max(dates, default=None)


def tel_href(number: str) -> str:
    """A tel: link from a phone number as filed, "(408) 996-1010" -> "tel:4089961010"."""
    return "tel:" + "".join(ch for ch in number if ch.isdigit() or ch == "+")
