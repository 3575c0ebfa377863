from flask import Blueprint

bp = Blueprint("browse", __name__)

from . import views  # noqa: E402,F401
