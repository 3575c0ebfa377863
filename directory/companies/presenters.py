"""Shape a loaded company into what its page shows: executives and addresses.

Kept apart from the view so the view stays a lookup plus a render. The escalation ladder
(rungs, advice per country, regulators, email format) is a rule: `directory/rules/ladder.py`.
"""
from __future__ import annotations

from ..models import Address, Company, Position


def address_of(company: Company, kind: str) -> Address | None:
    return next((a for a in company.addresses if a.kind == kind), None)


def executives(company: Company) -> tuple[list[Position], list[Position]]:
    """(current, former) positions, each in the table's order: CEO first, then by role and name."""
    ordered = sorted(company.positions, key=lambda p: p.sort_key)
    return [p for p in ordered if p.is_current], [p for p in ordered if not p.is_current]


def tel_href(number: str) -> str:
    """A tel: link from a phone number as filed, "(408) 996-1010" -> "tel:4089961010"."""
    return "tel:" + "".join(ch for ch in number if ch.isdigit() or ch == "+")


def known_only_from_listing(company: Company) -> bool:
    """A company we know from a stock-exchange listing alone (SEC's listed-company file):
    a name, tickers, an exchange, a CIK, but no executive, address or contact yet. Its page
    says so instead of showing empty sections as if they were all there is."""
    listed = any(i.scheme == "ticker" for i in company.identifiers)
    return listed and not (company.positions or company.addresses or company.contacts)


def exchanges(company: Company) -> list[str]:
    """The exchanges its tickers trade on, in the order listed, each once."""
    return list(dict.fromkeys(i.exchange for i in company.identifiers if i.scheme == "ticker" and i.exchange))
