"""/status: how fresh each source is, in public, so a stale directory is visible."""
from flask import Blueprint

bp = Blueprint("status", __name__)

from . import views  # noqa: E402,F401
