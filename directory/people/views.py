"""The person page: every position a person holds or held, across companies."""
from flask import render_template

from .. import queries
from ..discovery import jsonld
from . import bp


@bp.get("/<slug>")
def detail(slug: str):
    person = queries.person_or_gone(slug)
    ordered = sorted(person.positions, key=lambda p: (not p.is_current, p.company.name.lower()))
    return render_template(
        "people/detail.html",
        person=person,
        current_positions=[p for p in ordered if p.is_current],
        past_positions=[p for p in ordered if not p.is_current],
        jsonld=jsonld.person(person),
    )
