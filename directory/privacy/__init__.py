"""Privacy: the notice, listed people's objections, the suppression list and what is never published.

`create_app` registers its blueprint (`bp`: /privacy, /people/<slug>/object, /objections/confirm/<token>
and the moderators' objection pages). The account export and deletion live with the accounts
(`directory/privacy/accounts.py` holds their per-feature registries).
"""
from flask import Blueprint

bp = Blueprint("privacy", __name__)
# Its routes (`views`) are imported by `create_app`, not here: `suppression` and `policy` are imported by
# `operations`, which the views import back, so importing the views with the package would
# close that loop. Once those rules live below `operations` (issue 31, item 2), `from . import
# views` joins the other blueprints' shape.
