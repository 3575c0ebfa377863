"""Template filters and globals shared by every page."""
from __future__ import annotations

from datetime import date, datetime

from .models.contact import TIER_LABELS

COUNTRY_NAMES = {
    "US": "United States", "GB": "United Kingdom", "DE": "Germany", "JP": "Japan",
    "CA": "Canada", "FR": "France", "IE": "Ireland", "NL": "Netherlands", "CH": "Switzerland",
    "CN": "China", "IL": "Israel", "BM": "Bermuda", "KY": "Cayman Islands", "LU": "Luxembourg",
    "AU": "Australia", "IN": "India", "SG": "Singapore", "HK": "Hong Kong", "BR": "Brazil",
    "MX": "Mexico", "SE": "Sweden", "DK": "Denmark", "NO": "Norway", "ES": "Spain", "IT": "Italy",
    "KR": "South Korea", "TW": "Taiwan", "BE": "Belgium", "FI": "Finland", "GR": "Greece",
}


def country_name(code: str | None) -> str:
    if not code:
        return "Unknown country"
    return COUNTRY_NAMES.get(code.upper(), code.upper())


def human_date(value) -> str:
    """5 March 2026: unambiguous on both sides of the Atlantic."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.date()
    return f"{value.day} {value:%B %Y}"


def init_app(app) -> None:
    app.jinja_env.filters["country_name"] = country_name
    app.jinja_env.filters["human_date"] = human_date
    app.jinja_env.filters["tier_label"] = lambda tier: TIER_LABELS.get(tier, tier)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
