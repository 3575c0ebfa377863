"""The moderators' queue, review and decisions (suggestions, reports, importer conflicts,
leadership changes, rating comments, company replies), reverts, user roles and the audit log."""
from flask import Blueprint

bp = Blueprint("moderate", __name__)
# The former review lists (under /review): each is now a filter of the queue.
review_bp = Blueprint("review", __name__)

from . import views  # noqa: E402,F401
from . import link  # noqa: E402,F401
