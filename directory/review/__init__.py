"""Lists for moderators: signals from filings that need a human look."""
from flask import Blueprint

bp = Blueprint("review", __name__)

from . import views  # noqa: E402,F401
