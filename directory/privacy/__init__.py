"""Privacy: the notice, listed people's objections and account data (the suppression list and
what is never published are rules: directory/rules/).

`create_app` registers its blueprint (`bp`: /privacy, /people/<slug>/object, /objections/confirm/<token>
and the moderators' objection pages). The account export and deletion live with the accounts
(`directory/privacy/accounts.py` holds their per-feature registries).
"""
from flask import Blueprint

bp = Blueprint("privacy", __name__)

from . import views  # noqa: E402,F401
