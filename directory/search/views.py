"""Search results page and the as-you-type suggestions; thin views over `search_index`."""
from __future__ import annotations

from flask import current_app, jsonify, render_template, request, url_for

from .. import search_index
from ..caching import visitor_page
from ..queries import companies_in_order
from ..ratelimit import configured, limiter, search_limit
from . import bp
from .finding import close_names, find
from .intent import parse as intent_of

MAX_QUERY_LENGTH = 200
MAX_PAGE = 500  # deep pages only cost time; nobody reads page 501 of search results


def _query_arg() -> str:
    return request.args.get("q", "").strip()[:MAX_QUERY_LENGTH]



@bp.get("")
def results():
    q = _query_arg()
    page = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    country = request.args.get("country", "").strip().upper()[:2] or None
    sector = request.args.get("sector", "").strip()[:200] or None

    def render() -> tuple[str, bool]:
        found, intent = None, intent_of(q)
        companies = []
        with search_limit:
            if q:
                found, intent = find(q, page=page, per_page=current_app.config["PER_PAGE"],
                                     country=country, sector=sector)
                companies = companies_in_order(found.ids)
        close = close_names(intent.query) if found is not None and not found.total else []
        html = render_template("search/results.html", q=q, found=found, companies=companies,
                               country=country, sector=sector, intent=intent, close_names=close)
        return html, not (found and found.timed_out)

    # The key holds the whole query as typed (stripped), not the truncated one searched: the
    # page echoes it in the search box, and must not echo one visitor's text to another.
    key = f"search/{page}/{country}/{sector}/{request.args.get('q', '').strip()}"
    return visitor_page(key, render)


@bp.get("/suggest")
@limiter.limit(configured("RATELIMIT_SEARCH_SUGGEST"))
def suggest():
    q = _query_arg()
    suggestions = [
        dict(item, url=url_for("companies.detail", slug=item["slug"]))
        for item in search_index.suggest(q)
    ]
    return jsonify({"query": q, "suggestions": suggestions})
