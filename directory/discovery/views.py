"""/robots.txt and the sitemaps: an index, then files of at most SITEMAP_MAX_URLS pages each.

File n holds the n-th block of companies or people in id order (a walk of the primary key),
and their revisions are read for that id range only, so a file costs the same however large
the directory grows. `lastmod` is the record's last change: for a company the newest
revision of anything on its page, for a person their own row.
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Response, abort, current_app
from lxml import etree
from sqlalchemy import func, select

from ..extensions import cache, db
from ..models import Company, Person, Revision
from . import bp
from .urls import absolute_url, public_root

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
KINDS = {"companies": (Company, "companies.detail"), "people": (Person, "people.detail")}
# Which rows have a page: a person without any listing left (removed on request) has none.
LISTED = {"companies": Company.id.is_not(None), "people": Person.positions.any()}
# Crawlers are kept out of accounts, moderation, search results and forms.
DISALLOWED = ("/accounts/", "/moderate/", "/review/", "/contribute/", "/search", "/api/", "/ratings/")


@bp.get("/robots.txt")
def robots():
    lines = ["# CEO Directory: the public directory is open to crawlers; accounts, moderation and search are not.",
             "User-agent: *", "Allow: /", *(f"Disallow: {path}" for path in DISALLOWED),
             f"Sitemap: {absolute_url('discovery.sitemap_index')}"]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


def _xml(root) -> Response:
    return Response(etree.tostring(root, xml_declaration=True, encoding="UTF-8"), mimetype="application/xml")


def _utc(value: datetime | None) -> datetime | None:
    """Naive UTC: SQLite hands back naive UTC datetimes, PostgreSQL aware ones."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def _file_count(kind: str) -> int:
    model, _ = KINDS[kind]
    total = db.session.scalar(select(func.count(model.id)).where(LISTED[kind])) or 0
    size = current_app.config["SITEMAP_MAX_URLS"]
    return max(1, -(-total // size))


@bp.get("/sitemap.xml")
def sitemap_index():
    root = etree.Element(f"{{{SITEMAP_NS}}}sitemapindex", nsmap={None: SITEMAP_NS})
    for kind in KINDS:
        for number in range(1, _file_count(kind) + 1):
            entry = etree.SubElement(root, f"{{{SITEMAP_NS}}}sitemap")
            etree.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = absolute_url(
                "discovery.sitemap", kind=kind, number=number)
    return _xml(root)


def _rows(kind: str, number: int) -> list[tuple[str, datetime | None]]:
    """(slug, last change) of the number-th block of records, in id order."""
    model, _ = KINDS[kind]
    size = current_app.config["SITEMAP_MAX_URLS"]
    rows = db.session.execute(select(model.id, model.slug, model.updated_at).where(LISTED[kind]).order_by(model.id)
                              .offset((number - 1) * size).limit(size)).all()
    if not rows or kind != "companies":
        return [(slug, _utc(updated)) for _, slug, updated in rows]
    changed = dict(db.session.execute(
        select(Revision.company_id, func.max(Revision.created_at))
        .where(Revision.company_id.between(rows[0][0], rows[-1][0])).group_by(Revision.company_id)).all())
    return [(slug, max((_utc(t) for t in (updated, changed.get(id_)) if t is not None), default=None))
            for id_, slug, updated in rows]


@bp.get("/sitemaps/<any(companies, people):kind>-<int:number>.xml")
def sitemap(kind: str, number: int):
    if number < 1:
        abort(404)
    document = sitemap_document(kind, number, public_root())
    if document is None:
        abort(404)
    return Response(document, mimetype="application/xml")


@cache.memoize()  # seconds to build at 50,000 URLs; crawlers ask rarely, every worker keeps it CACHE_DEFAULT_TIMEOUT
def sitemap_document(kind: str, number: int, root_url: str) -> bytes | None:
    """The number-th sitemap file of `kind`, or None past the last one (`root_url`, the public
    address its URLs start with, is part of the cache key)."""
    rows = _rows(kind, number)
    if not rows and number > 1:
        return None
    # One url_for for the whole file (50,000 calls would take seconds); slugs are URL-safe.
    prefix = absolute_url(KINDS[kind][1], slug="-").removesuffix("-")
    urlset = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS})
    for slug, changed in rows:
        entry = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = prefix + slug
        if changed is not None:
            etree.SubElement(entry, f"{{{SITEMAP_NS}}}lastmod").text = changed.isoformat(timespec="seconds") + "Z"
    return etree.tostring(urlset, xml_declaration=True, encoding="UTF-8")
