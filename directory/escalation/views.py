"""The letter composer and the "this address bounced" report.

The composer renders what the user typed back to them and nothing else: no database
write, no logging of the case, `Cache-Control: no-store` so neither browser nor proxy
keeps a copy. It posts to itself (with CSRF) so the text stays out of URLs and access logs.
Opened with `?case=<id>` (the owner's own case) it starts filled in from that case, and
"I have sent this letter" posts to the case tracker, which adds the step.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from .. import queries
from ..cases.clocks import today
from ..cases.letters import composer_prefill
from ..cases.queries import owned_case_or_404
from ..extensions import db
from ..operations import bounces
from ..ratelimit import hashed_address
from .complaints import complaint_figures
from .composer import DEFAULT_LETTER, recipient_for, referral_body
from .email_formats import FORMATS
from .forms import LetterForm
from .ladder import LADDER_TIERS, escalation_ladder
from .letters import PLACEHOLDERS, TEMPLATES, Case, compose

bp = Blueprint("escalation", __name__)
bp.add_app_template_global(complaint_figures, "complaint_figures")


@bp.route("/<slug>/write", methods=["GET", "POST"])
def write(slug: str):
    company = queries.company_or_404(slug)
    if company.slug != slug:
        return redirect(url_for(".write", slug=company.slug), 301)
    tracked = _case_for(company)
    form = LetterForm()
    if request.method == "GET":
        form.rung.data = request.args.get("rung", form.rung.default)
        if tracked is not None:
            for name, value in composer_prefill(tracked, today()).items():
                form[name].data = value
    if form.rung.data not in LADDER_TIERS:
        form.rung.data = form.rung.default
    if form.letter.data and form.letter.data not in TEMPLATES:  # only a tampered form sends one
        form.letter.data = form.letter.default
    if form.validate_on_submit():
        case = Case.from_form(request.form)
    else:  # a first visit: empty, or what the tracked case pre-filled
        case = Case.from_form(form.data) if tracked is not None and request.method == "GET" else Case()
    ladder = escalation_ladder(company)
    rung = ladder[LADDER_TIERS.index(form.rung.data)]
    letter = compose(form.letter.data or DEFAULT_LETTER[rung.tier], case, recipient_for(company, rung),
                     company=company.name, referral_body=referral_body(ladder))
    response = current_app.make_response(render_template(
        "escalation/write.html", company=company, form=form, letter=letter, rung=rung,
        placeholders=PLACEHOLDERS, tracked_case=tracked))
    response.headers["Cache-Control"] = "no-store"
    return response


def _case_for(company):
    """The user's own case about this company named by `?case=`, else None (404 for any other)."""
    if "case" not in request.args:
        return None
    case = owned_case_or_404(request.args.get("case", type=int))
    if case.company_id != company.id:
        abort(404)
    return case


@bp.post("/<slug>/email-format/bounce")
def report_bounce(slug: str):
    """One report per visitor and format lowers the format's confidence on the page."""
    company = queries.company_or_404(slug)
    format_name = request.form.get("format", "")
    if format_name not in FORMATS:
        abort(400)
    bounces.report_bounce(company, format_name, hashed_address())
    db.session.commit()
    flash("Thank you. We have lowered our confidence in this address format and a moderator will check it.")
    return redirect(url_for("companies.detail", slug=company.slug, _anchor="ceo-email"), 303)

