"""The public status page."""
from flask import render_template

from . import bp
from .queries import source_statuses


@bp.get("/status")
def status():
    return render_template("status/status.html", statuses=source_statuses())
