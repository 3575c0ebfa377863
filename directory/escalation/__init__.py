"""The escalation pages: the letter composer and bounce reports (the ladder, regulators, email
formats and letters are rules: directory/rules/).

`create_app` registers its blueprint (`bp`, under /companies) and `flask regulators` (`commands`).
"""
from flask import Blueprint

bp = Blueprint("escalation", __name__)

from . import views  # noqa: E402,F401
