"""Openness ratings, outcome reports, leaderboards, contact problems and the right of reply.

Registered by `create_app`; its settings live in `directory/config.py`. The company page reads the aggregates through the `company_ratings`
template global, so the company view itself needs no change.
"""
from flask import Blueprint

bp = Blueprint("ratings", __name__)

from . import views  # noqa: F401

