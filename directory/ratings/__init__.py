"""Openness ratings, outcome reports, leaderboards, contact problems and the right of reply.

Registered by `directory/community.py`. Settings get their defaults here when the blueprint
is registered, and the company page reads the aggregates through the `company_ratings`
template global, so the company view itself needs no change.
"""
from flask import Blueprint

bp = Blueprint("ratings", __name__)

DEFAULTS = {
    "RATING_MIN_ACCOUNT_AGE_DAYS": 3,
    "RATING_BURST_COUNT": 5,       # ratings from new accounts on one company ...
    "RATING_BURST_HOURS": 24,      # ... within this many hours flag it to moderators
    "LEADERBOARD_MIN_REPORTS": 5,
    "CONTACT_PROBLEM_THRESHOLD": 3,
    "RATELIMIT_RATE": "30/hour",
}


@bp.record_once
def _defaults(state) -> None:
    for key, value in DEFAULTS.items():
        state.app.config.setdefault(key, value)


from . import views  # noqa: F401
from .policy import register_policy_suggestions

register_policy_suggestions()
