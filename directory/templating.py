"""Template filters, globals and context processors: every name a template finds without a
view passing it is registered here, in `init_app` (called by `create_app`, above every page's
package, so it may import from any of them)."""
from __future__ import annotations

from scrapers.names import company_display_name, place_display_name

from .aggregates.counts import sector_key
from .formatting import human_date, iso_date, phone_number, sentence
from .labels import country_name, field_label, row_label, value_label
from .models.contact import TIER_LABELS, TRUST_BADGES


def init_app(app) -> None:
    """The names every template can use. The ones that query are imported here rather than at
    the top: low modules (letters, reminders, history) import this one for its date filters."""
    from .browse.queries import last_updated
    from .companies.presenters import tel_href
    from .discovery.urls import canonical_url
    from .escalation.complaints import complaint_figures
    from .moderate.link import link_candidates
    from .moderate.queue import navigation_counts
    from .operations.accounts import may_ban
    from .ratings.panel import company_panel

    app.jinja_env.filters["country_name"] = country_name
    app.jinja_env.filters["company_name"] = company_display_name
    app.jinja_env.filters["human_date"] = human_date
    app.jinja_env.filters["phone_number"] = phone_number
    app.jinja_env.filters["place"] = place_display_name
    app.jinja_env.filters["sentence"] = sentence
    app.jinja_env.filters["iso_date"] = iso_date
    app.jinja_env.filters["tier_label"] = lambda tier: TIER_LABELS.get(tier, tier)
    app.jinja_env.globals["sector_key"] = sector_key
    app.jinja_env.globals["value_label"] = value_label
    app.jinja_env.globals["trust_badges"] = TRUST_BADGES
    app.jinja_env.globals["row_label"] = row_label
    app.jinja_env.globals["field_label"] = field_label
    app.jinja_env.filters["tel_href"] = tel_href
    app.add_template_global(canonical_url)  # every page's <head>
    app.add_template_global(last_updated, "site_last_updated")  # a callable: only the footer that shows it queries
    app.add_template_global(company_panel, "company_ratings")  # the company page's ratings panel
    app.add_template_global(link_candidates, "link_candidates")  # moderators only, on UK-only companies
    app.add_template_global(complaint_figures)  # the formal-complaints step: CFPB figures
    app.add_template_global(may_ban)  # the review page's ban button, by the rule the operation applies
    app.context_processor(navigation_counts)  # moderators see how many items wait for them
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
