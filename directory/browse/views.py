"""Browse the directory by initial letter, country and sector, a page at a time."""
import pycountry
from flask import abort, current_app, redirect, render_template, url_for

from .. import browsing
from ..extensions import db
from ..queries import page_arg
from ..templating import country_name
from . import bp


def _paginate(stmt):
    return db.paginate(
        stmt,
        page=page_arg(),
        per_page=current_app.config["PER_PAGE"],
        max_per_page=current_app.config["MAX_PER_PAGE"],
        error_out=False,
    )


@bp.get("/")
def index():
    return render_template(
        "browse/index.html",
        letter_counts=browsing.letter_counts(),
        letters=browsing.LETTERS,
    )


@bp.get("/a-z/<letter>")
def letter(letter: str):
    if letter.upper() != letter:
        return redirect(url_for("browse.letter", letter=letter.upper()), 301)
    if letter not in browsing.LETTERS:
        abort(404)
    return render_template(
        "browse/list.html",
        heading=f"Companies starting with {letter}" if letter != "#" else "Companies starting with a number or symbol",
        pagination=_paginate(browsing.companies_by_letter_stmt(letter)),
        endpoint="browse.letter",
        endpoint_args={"letter": letter},
        letters=browsing.LETTERS,
        current_letter=letter,
    )


@bp.get("/countries/")
def countries():
    by_name = sorted(browsing.country_counts(), key=lambda row: country_name(row[0]))
    return render_template("browse/countries.html", countries=by_name)


@bp.get("/countries/<code>")
def country(code: str):
    if code.upper() != code:
        return redirect(url_for("browse.country", code=code.upper()), 301)
    if pycountry.countries.get(alpha_2=code) is None:
        abort(404)
    # A real country with no company yet (the UK before the register is loaded) is an empty
    # list, not a missing page.
    pagination = _paginate(browsing.companies_by_country_stmt(code))
    return render_template(
        "browse/list.html",
        heading=f"Companies in {country_name(code)}",
        pagination=pagination,
        endpoint="browse.country",
        endpoint_args={"code": code},
    )


@bp.get("/sectors/")
def sectors():
    return render_template("browse/sectors.html", sectors=browsing.sector_counts())


@bp.get("/sectors/<sic_code>")
def sector(sic_code: str):
    pagination = _paginate(browsing.companies_by_sector_stmt(sic_code))
    if pagination.total == 0:
        abort(404)
    description = browsing.sector_description(sic_code)
    return render_template(
        "browse/list.html",
        heading=f"{description or 'Sector'} (SIC {sic_code})",
        pagination=pagination,
        endpoint="browse.sector",
        endpoint_args={"sic_code": sic_code},
    )
