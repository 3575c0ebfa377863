"""Read-only JSON endpoints: thin views over the query helpers and the serializers."""
from __future__ import annotations

from flask import abort, current_app, jsonify, redirect, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import search_index
from ..extensions import db
from ..models import Company, Position
from ..queries import MAX_PAGE, company_by_slug, companies_in_order, person_by_slug
from ..ratelimit import search_limit
from . import bp, serializers
from .openapi import openapi_document


def _positive_int(name: str, default: int) -> int:
    """A positive integer query parameter; anything else is the client's error (400)."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        abort(400, description=f"'{name}' must be a positive whole number, got {raw!r}.")
    return value


def _page_args() -> tuple[int, int]:
    page = min(_positive_int("page", 1), MAX_PAGE)
    per_page = _positive_int("per_page", current_app.config["PER_PAGE"])
    return page, min(per_page, current_app.config["MAX_PER_PAGE"])


@bp.get("/companies")
def companies():
    page, per_page = _page_args()
    query = request.args.get("q", "").strip()
    if query:
        with search_limit:
            found = search_index.search(query, page=page, per_page=per_page)
        rows, total, exact = companies_in_order(found.ids), found.total, not found.truncated
    else:
        stmt = select(Company).order_by(Company.name, Company.id).options(
            selectinload(Company.positions).selectinload(Position.person)
        )
        pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=True)
        rows, total, exact = pagination.items, pagination.total, True
    return jsonify({
        "results": [serializers.company_summary(c) for c in rows],
        "total": total,
        "total_is_exact": exact,
        "page": page,
        "per_page": per_page,
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
    found = person_by_slug(slug)
    if found is None:
        abort(404)
    return jsonify(serializers.person_detail(found))


@bp.get("/openapi.json")
def openapi():
    base_url = url_for("api.companies", _external=True).removesuffix("/companies")
    return jsonify(openapi_document(base_url))
