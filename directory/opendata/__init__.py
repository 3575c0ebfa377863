"""Open data: the published snapshot at /data with its schema and licence, and the Atom feeds
of leadership changes.

`create_app` registers its blueprint (`bp`). `flask export` without a PATH publishes the
snapshot that /data serves (`publishing.publish_snapshot`).
"""
from flask import Blueprint

bp = Blueprint("opendata", __name__)

from . import views  # noqa: E402,F401
