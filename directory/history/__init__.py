"""Public history pages: every revision of a company, person or contact, with its source."""
from flask import Blueprint

bp = Blueprint("history", __name__)

from . import views  # noqa: F401
