"""The escalation ladder: regulators and ombudsmen, email formats, the letter composer.

`create_app` registers its blueprint (`bp`, under /companies) and `flask regulators` (`commands`).
"""
from flask import Blueprint

bp = Blueprint("escalation", __name__)
# Its routes (`views`) are imported by `create_app`, not here: `ladder` is imported by
# `operations`, which the views import back, so importing the views with the package would
# close that loop. Once those rules live below `operations` (issue 31, item 2), `from . import
# views` joins the other blueprints' shape.
