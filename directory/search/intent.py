"""What a consumer means by "expedia customer service": a company, and the rung they want.

People search the way they talk: "apple complaints", "contact tesla", "sony ceo email". The
service words name a step of the escalation ladder, not the company, and would otherwise
stop the company from matching at all. They are recognised here, taken out of the query,
and the step they name is remembered so each result can open the company page at that step.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Longest phrases first, so "customer service number" is taken whole before "service".
_RUNG_PHRASES = {
    "customer_service": (
        "customer service number", "customer services", "customer service", "customer support",
        "customer care", "contact number", "phone number", "contact us", "helpline", "help line",
        "support", "contact", "phone", "number", "helpdesk", "help",
    ),
    "complaints": ("complaints department", "complaints", "complaint", "complain"),
    "executive_office": ("executive office", "corporate office", "head office", "headquarters", "hq"),
    "ceo": ("chief executive", "ceo email", "email the ceo", "ceo", "boss"),
    "regulator": ("ombudsman", "regulator"),
}
_FILLER = ("email address", "email", "address", "how to", "to", "the", "of", "for", "who is")
_PHRASES = sorted(((phrase, rung) for rung, phrases in _RUNG_PHRASES.items() for phrase in phrases),
                  key=lambda item: -len(item[0]))


@dataclass(frozen=True)
class SearchIntent:
    """The query to search for and the ladder step it asked for (None: just a company)."""

    query: str
    rung: str | None = None


def _without(phrase: str, text: str) -> tuple[str, bool]:
    """The text without the phrase as a whole word: "Support.com" is a name, not "support"."""
    pattern = re.compile(rf"(?<!\S){re.escape(phrase)}(?=$|[\s?!,])", re.IGNORECASE)
    stripped, count = pattern.subn(" ", text)
    return " ".join(stripped.split()), bool(count)


def parse(query: str) -> SearchIntent:
    """The company words of a query and the first rung its service words name.

    Nothing is taken out when it would leave no company words: "Support.com" or "Help" alone
    is searched as typed."""
    remaining, rung = query, None
    for phrase, phrase_rung in _PHRASES:
        remaining, found = _without(phrase, remaining)
        if found and rung is None:
            rung = phrase_rung
    if rung is None:
        return SearchIntent(query)
    for filler in _FILLER:
        remaining, _ = _without(filler, remaining)
    remaining = remaining.strip(" ,.?!'\"")
    return SearchIntent(remaining, rung) if remaining else SearchIntent(query)
