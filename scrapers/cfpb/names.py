"""Company names as the CFPB writes them ("WELLS FARGO & COMPANY", "CITIBANK, N.A.") made
comparable with the directory's, and the link to the CFPB's own search for a name."""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from urllib.parse import urlencode

SEARCH_URL = "https://www.consumerfinance.gov/data-research/consumer-complaints/search/"
# Words that say what kind of legal entity a name is, not which company: dropped from its end.
LEGAL_WORDS = frozenset("""
    inc incorporated corp corporation co company companies llc llp lp ltd limited plc na
    national association fsb holdings holding group usa us and
""".split())


def _words(name: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    folded = folded.replace("&", " and ").replace("'", "").replace(".", "")
    return re.findall(r"[a-z0-9]+", folded)


def normalise_company_name(name: str) -> str:
    """Lower case, no accents or punctuation, "&" as "and", legal words dropped from the end
    ("Wells Fargo & Co" and "WELLS FARGO & COMPANY" both give "wells fargo"; "CITIBANK, N.A."
    gives "citibank"). A leading "the" goes too. Empty when nothing but legal words is left."""
    words = _words(name)
    while words and words[-1] in LEGAL_WORDS:
        words.pop()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def search_url(names: list[str], start: date | None = None, end: date | None = None) -> str:
    """The CFPB's public search for complaints about these company names in the period."""
    query: list[tuple[str, str]] = [("company", name) for name in names]
    if start is not None:
        query.append(("date_received_min", start.isoformat()))
    if end is not None:
        query.append(("date_received_max", end.isoformat()))
    return f"{SEARCH_URL}?{urlencode(query)}"
