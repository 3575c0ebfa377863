"""The sources `flask refresh` reads, in its order, with the names pages give them: one table
that the refresh and the status page both read, so the simplest page needs no importer."""
from __future__ import annotations

SOURCES: dict[str, str] = {
    "edgar": "SEC EDGAR",
    "read_requests": "Visitors' read requests",
    "companies_house": "Companies House",
    "websites": "Company websites",
    "wikidata": "Wikidata",
    "case_reminders": "Case reminders",
    "open_data": "Open data download",
}


# Read by their own commands (`flask scrape fca`, `flask scrape cfpb`), not by `flask refresh`.
OTHER_SOURCES: dict[str, str] = {"fca": "FCA register", "cfpb": "CFPB consumer complaints"}


def source_label(name: str) -> str:
    """How pages name a source."""
    return SOURCES.get(name) or OTHER_SOURCES.get(name, name)
