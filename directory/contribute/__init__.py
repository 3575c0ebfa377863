"""Suggestions from contributors and "report outdated" flags from visitors."""
from flask import Blueprint

bp = Blueprint("contribute", __name__)

from . import views  # noqa: F401
