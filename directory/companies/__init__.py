from flask import Blueprint

bp = Blueprint("companies", __name__)

from . import views  # noqa: E402,F401
