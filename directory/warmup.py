"""What a gunicorn worker does before it accepts its first connection (gunicorn.conf.py).

Without it the first visitors of every new worker pay for what is loaded lazily: seconds of
opening the search index and reading its word lists at a million companies, and a few
milliseconds per template compiled. A worker that is still warming takes no connection, so
they go to the workers that are ready.
"""
from __future__ import annotations

from flask import Flask

from . import search_index
from .aggregates import counts
from .extensions import db


def warm(app: Flask) -> None:
    with app.app_context():
        for name in app.jinja_env.list_templates(extensions=["html"]):
            app.jinja_env.get_template(name)
        counts.headline()  # the pool's first connection, and the counts' pages in its cache
        search_index.warm()
        db.session.remove()
