"""Home, about and the favicon browsers ask for at the root (robots.txt: `directory/discovery`)."""
from flask import current_app, render_template, send_from_directory

from ..browse import queries as browse_queries
from ..aggregates import counts
from . import bp


@bp.get("/")
def home():
    return render_template(
        "main/home.html",
        counts=counts.headline(),
        recent=browse_queries.recent_companies(10),
    )


@bp.get("/about")
def about():
    return render_template("main/about.html")


@bp.get("/favicon.ico")
def favicon():
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml")
