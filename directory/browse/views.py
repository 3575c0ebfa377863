"""Browse the directory by initial letter, country and sector, a page at a time.

Pages go by keyset (`keyset.py`): the Next and Previous links carry a cursor, `?page=` works
for the first MAX_OFFSET_PAGE pages. Totals come from the counts table.
"""
import pycountry
from flask import abort, current_app, redirect, render_template, request, url_for

from .. import keyset
from ..aggregates import counts
from ..labels import country_name
from ..formatting import sentence
from . import bp, queries


def _paginate(stmt, total: int) -> keyset.KeysetPage:
    page = max(1, request.args.get("page", 1, type=int))
    if page > keyset.MAX_OFFSET_PAGE:
        abort(400, description=f"page is limited to {keyset.MAX_OFFSET_PAGE}: follow the Next links.")
    try:
        return keyset.paginate(stmt, queries.LISTING_ORDER, per_page=current_app.config["PER_PAGE"], total=total,
                               page=page, after=request.args.get("after"), before=request.args.get("before"))
    except keyset.CursorError:
        abort(400, description="This page link is damaged.")


@bp.get("/")
def index():
    return render_template(
        "browse/index.html",
        letter_counts=counts.letter_counts(),
        letters=queries.LETTERS,
    )


@bp.get("/a-z/<letter>")
def letter(letter: str):
    if letter.upper() != letter:
        return redirect(url_for("browse.letter", letter=letter.upper()), 301)
    if letter not in queries.LETTERS:
        abort(404)
    return render_template(
        "browse/list.html",
        heading=f"Companies starting with {letter}" if letter != "#" else "Companies starting with a number or symbol",
        pagination=_paginate(queries.companies_by_letter_stmt(letter), counts.count_of(counts.LETTER, letter)),
        endpoint="browse.letter",
        endpoint_args={"letter": letter},
        letters=queries.LETTERS,
        current_letter=letter,
    )


@bp.get("/countries/")
def countries():
    by_name = sorted(counts.country_counts(), key=lambda row: country_name(row[0]))
    return render_template("browse/countries.html", countries=by_name)


@bp.get("/countries/<code>")
def country(code: str):
    if code.upper() != code:
        return redirect(url_for("browse.country", code=code.upper()), 301)
    if pycountry.countries.get(alpha_2=code) is None:
        abort(404)
    # A real country with no company yet (the UK before the register is loaded) is an empty
    # list, not a missing page.
    pagination = _paginate(queries.companies_by_country_stmt(code), counts.count_of(counts.COUNTRY, code))
    return render_template(
        "browse/list.html",
        heading=f"Companies in {country_name(code)}",
        pagination=pagination,
        endpoint="browse.country",
        endpoint_args={"code": code},
    )


@bp.get("/sectors/")
def sectors():
    return render_template("browse/sectors.html", sectors=counts.sector_counts())


@bp.get("/sectors/<sic_code>")
def sector(sic_code: str):
    """`sic_code`: a SIC code, or the slug of a sector another source names (`sector_key`)."""
    total = counts.count_of(counts.SECTOR, sic_code)
    if total == 0:
        abort(404)
    description = counts.sector_description(sic_code)
    pagination = _paginate(queries.companies_by_sector_stmt(sic_code, description), total)
    return render_template(
        "browse/list.html",
        heading=f"{description or 'Sector'} (SIC {sic_code})" if counts.is_sic_code(sic_code)
        else sentence(description or sic_code),
        pagination=pagination,
        endpoint="browse.sector",
        endpoint_args={"sic_code": sic_code},
    )
