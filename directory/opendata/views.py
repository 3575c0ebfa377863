"""/data (the published snapshot, its schema and licence) and the Atom feeds."""
from __future__ import annotations

from flask import Response, abort, current_app, jsonify, redirect, render_template, send_file, url_for

from .. import queries
from ..discovery.urls import absolute_url
from ..models import utcnow
from ..snapshot.schema import snapshot_line_schema
from . import bp
from .feeds import atom_feed, leadership_changes
from .publishing import served

ATOM = "application/atom+xml; charset=utf-8"


@bp.get("/data")
def data():
    return render_template("opendata/data.html", snapshot=served())


@bp.get("/data/directory.jsonl.gz")
def snapshot_file():
    """The snapshot itself, without anything removed on request since it was exported; `ETag`
    is its SHA-256, and caches must ask again each time (a cheap 304 while it is unchanged),
    so a removed value is not served from a cache either."""
    snapshot = served()
    if snapshot is None:
        abort(404)
    response = send_file(snapshot.path, mimetype="application/gzip", as_attachment=True,
                         download_name="ceo-directory.jsonl.gz", etag=snapshot.sha256,
                         last_modified=snapshot.exported_at, conditional=True, max_age=0)
    response.cache_control.public = True
    response.cache_control.no_cache = True
    response.cache_control.max_age = None
    return response


@bp.get("/data/snapshot-line.schema.json")
def snapshot_schema():
    return jsonify(snapshot_line_schema(absolute_url("opendata.snapshot_schema")))


@bp.get("/feeds/leadership.atom")
def leadership_feed():
    changes = leadership_changes(current_app.config["FEED_ENTRIES"])
    body = atom_feed("CEO Directory: leadership changes", "opendata.leadership_feed", {}, changes,
                     alternate=absolute_url("main.home"), updated_fallback=utcnow())
    return Response(body, content_type=ATOM)


@bp.get("/companies/<slug>/feed.atom")
def company_feed(slug: str):
    company = queries.company_or_404(slug)
    if company.slug != slug:
        return redirect(url_for(".company_feed", slug=company.slug), 301)
    changes = leadership_changes(current_app.config["FEED_ENTRIES"], company_id=company.id)
    page = absolute_url("companies.detail", slug=company.slug)
    body = atom_feed(f"{company.name}: leadership changes", "opendata.company_feed", {"slug": company.slug},
                     changes, alternate=page, updated_fallback=company.updated_at or utcnow())
    return Response(body, content_type=ATOM)
