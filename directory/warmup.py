"""What a gunicorn worker does before it accepts its first connection (gunicorn.conf.py).

Without it the first visitors of every new worker pay for what is loaded lazily: seconds of
opening the search index and reading its word lists at a million companies, and on every
other page 50 to 250 ms of compiling templates and SQL statements (SQLAlchemy compiles each
statement once per process), and garbage collections walking all of that. So the worker
opens the index, compiles every template, renders one of each public page for itself, and
freezes what it loaded out of the collector's way. A worker still warming takes no
connection: they go to the workers that are ready.
"""
from __future__ import annotations

import gc

from flask import Flask
from sqlalchemy import select

from . import keyset, search_index
from .browse.queries import LISTING_ORDER
from .extensions import db
from .models import Company, Person


def _sample_pages() -> list[str]:
    """One URL of each public page, with a real company and person when there are any.
    Searches are warmed by `search_index.warm` instead: a search page counts towards the
    rate limit of the address it comes from."""
    pages = ["/", "/browse/", "/browse/countries/", "/browse/sectors/", "/leaderboards",
             "/api/v1/companies", "/api/v1/companies?page=2"]
    company = db.session.execute(select(Company.slug, Company.initial, Company.country, Company.sic_code,
                                        *LISTING_ORDER).limit(1)).first()
    if company is not None:
        slug, initial, country, sic_code, *key = company
        cursor = keyset.encode(tuple(key), 2)  # the keyset pages' statements, forwards and back
        pages += [f"/companies/{slug}", f"/api/v1/companies/{slug}", f"/browse/a-z/{initial}",
                  f"/browse/a-z/{initial}?after={cursor}", f"/browse/a-z/{initial}?before={cursor}"]
        pages += [f"/browse/countries/{country}", f"/browse/countries/{country}?after={cursor}"] if country else []
        pages += [f"/browse/sectors/{sic_code}", f"/browse/sectors/{sic_code}?after={cursor}"] if sic_code else []
    person = db.session.scalar(select(Person.slug).limit(1))
    if person is not None:
        pages += [f"/people/{person}", f"/api/v1/people/{person}"]
    return pages


def warm(app: Flask) -> None:
    with app.app_context():
        for name in app.jinja_env.list_templates(extensions=["html"]):
            app.jinja_env.get_template(name)
        search_index.warm()
        pages = _sample_pages()
        db.session.remove()
    client = app.test_client()
    for page in pages:
        client.get(page)
    following = (client.get("/api/v1/companies?per_page=1").get_json() or {}).get("next")
    if following:
        client.get(following)
    # What is loaded now lives as long as the worker: out of the collector's sight, so a full
    # collection during a request no longer walks the index's word lists (100 ms and more).
    gc.collect()
    gc.freeze()
