"""The moderators' queue, review and decisions, reverts, user roles and the audit log."""
from flask import Blueprint

bp = Blueprint("moderate", __name__)

from . import views  # noqa: E402,F401
from . import link  # noqa: E402,F401
