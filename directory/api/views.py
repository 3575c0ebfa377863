"""Read-only JSON endpoints: thin views over the query helpers and the serializers."""
from __future__ import annotations

from flask import abort, current_app, jsonify, redirect, request, url_for
from sqlalchemy import select

from .. import keyset
from ..aggregates import counts
from ..browse.queries import with_current_ceo
from ..models import Company
from ..queries import company_by_slug, companies_in_order, person_or_gone
from ..ratelimit import search_limit
from ..search.finding import find
from . import bp, serializers
from .openapi import openapi_document

# The listing's order, unique and served by the index ix_companies_name_id.
LIST_ORDER = (Company.name, Company.id)


def _positive_int(name: str, default: int) -> int:
    """A positive integer query parameter; anything else is the client's error (400)."""
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        abort(400, description=f"'{name}' must be a positive whole number, got {raw!r}.")
    return value


def _page_args() -> tuple[int, int]:
    page = _positive_int("page", 1)
    if page > keyset.MAX_OFFSET_PAGE:
        abort(400, description=f"'page' is at most {keyset.MAX_OFFSET_PAGE}; to go further, follow the "
                               "'next' link of each page (it carries an 'after' cursor).")
    per_page = _positive_int("per_page", current_app.config["PER_PAGE"])
    return page, min(per_page, current_app.config["MAX_PER_PAGE"])


def _next_url(**args) -> str:
    return url_for("api.companies", _external=True, **{k: v for k, v in request.args.items() if k not in args}, **args)


@bp.get("/companies")
def companies():
    page, per_page = _page_args()
    query = request.args.get("q", "").strip()
    after = request.args.get("after")
    if after == "":
        abort(400, description="'after' is empty: use the 'next' link as given.")
    if query and after is not None:
        abort(404, description="There is no such page: 'after' cursors page the full listing; search results go "
                               "by 'page'.")
    if query:
        with search_limit:
            found, _intent = find(query, page=page, per_page=per_page)
        rows, total, exact = companies_in_order(found.ids), found.total, not found.truncated
        more = page * per_page < total and page < keyset.MAX_OFFSET_PAGE
        next_url = _next_url(page=page + 1) if more else None
    else:
        try:
            listing = keyset.paginate(with_current_ceo(select(Company)), LIST_ORDER, per_page=per_page,
                                      total=counts.total_companies(), page=page, after=after)
        except keyset.CursorError:
            # A cursor this listing did not write (garbled, or a key out of range) names no page.
            abort(404, description="'after' is not a cursor from this listing: use the 'next' link as given.")
        rows, total, exact, page = listing.items, listing.total, True, listing.page
        next_url = _next_url(after=listing.next_cursor, page=None) if listing.next_cursor else None
    return jsonify({
        "results": [serializers.company_summary(c) for c in rows],
        "total": total,
        "total_is_exact": exact,
        "page": page,
        "per_page": per_page,
        "next": next_url,
    })


@bp.get("/companies/<slug>")
def company(slug: str):
    found, is_old_slug = company_by_slug(slug)
    if found is None:
        abort(404)
    if is_old_slug:
        return redirect(url_for("api.company", slug=found.slug), code=301)
    return jsonify(serializers.company_detail(found))


@bp.get("/people/<slug>")
def person(slug: str):
    return jsonify(serializers.person_detail(person_or_gone(slug)))


@bp.get("/openapi.json")
def openapi():
    base_url = url_for("api.companies", _external=True).removesuffix("/companies")
    return jsonify(openapi_document(base_url))
