"""Template filters, globals and context processors: every name a template finds without a
view passing it is registered here, in `init_app`."""
from __future__ import annotations

from datetime import date, datetime

import pycountry

from scrapers.names import company_display_name

from .models.contact import TIER_LABELS

def country_name(code: str | None) -> str:
    """The name people use for an ISO 3166-1 country code ("KR" -> "South Korea")."""
    if not code:
        return "Unknown country"
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code.upper()
    return getattr(country, "common_name", None) or country.name


def human_date(value, precision: str | None = None) -> str:
    """5 March 2026: unambiguous on both sides of the Atlantic. A date known only to the
    month or the year (`Position.start_date_precision`) reads "March 2026" or "2026", never
    as the first day of the period it is stored as."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.date()
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return f"{value:%B %Y}"
    return f"{value.day} {value:%B %Y}"


def iso_date(value: date | str, precision: str | None = None) -> str:
    """2026-03-05, 2026-03 or 2026: as much of the ISO date as is known (valid in <time>)."""
    text = value if isinstance(value, str) else value.isoformat()
    return text[:4] if precision == "year" else text[:7] if precision == "month" else text


def init_app(app) -> None:
    """The names every template can use. The ones that query are imported here rather than at
    the top: low modules (letters, reminders, history) import this one for its date filters."""
    from .browse.queries import last_updated
    from .companies.presenters import tel_href
    from .discovery.urls import canonical_url
    from .moderate.link import link_candidates
    from .moderate.queue import navigation_counts
    from .operations.accounts import may_ban
    from .ratings.panel import company_panel

    app.jinja_env.filters["country_name"] = country_name
    app.jinja_env.filters["company_name"] = company_display_name
    app.jinja_env.filters["human_date"] = human_date
    app.jinja_env.filters["iso_date"] = iso_date
    app.jinja_env.filters["tier_label"] = lambda tier: TIER_LABELS.get(tier, tier)
    app.jinja_env.filters["tel_href"] = tel_href
    app.add_template_global(canonical_url)  # every page's <head>
    app.add_template_global(last_updated, "site_last_updated")  # a callable: only the footer that shows it queries
    app.add_template_global(company_panel, "company_ratings")  # the company page's ratings panel
    app.add_template_global(link_candidates, "link_candidates")  # moderators only, on UK-only companies
    app.add_template_global(may_ban)  # the review page's ban button, by the rule the operation applies
    app.context_processor(navigation_counts)  # moderators see how many items wait for them
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
