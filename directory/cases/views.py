"""My complaints: the list, one page per case, its steps, answers, close, reminders and calendar.

Every page and action is the owner's alone (`owned_case_or_404`); every write is a POST with
CSRF, limited per account, committed here after one operation.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import queries as company_queries
from ..clock import today
from ..discovery.urls import public_root
from ..rules.ladder import LADDER_TIERS
from ..extensions import db
from ..models import utcnow
from ..models.contact import TIER_LABELS
from ..operations import cases as ops
from ..ratelimit import account_key, configured, limiter
from ..ratings.forms import ButtonForm
from . import bp
from .calendar import case_calendar
from ..rules.case_clocks import case_clocks, next_letter
from .forms import CaseForm, CloseForm, ResponseForm, SentForm, StepForm
from .queries import cases_of, owned_case_or_404, owned_step_or_404

rate_limit = limiter.limit(configured("RATELIMIT_CASES"), key_func=account_key, methods=["POST"])


def _private(response):
    """Case pages hold what the user told us about their dispute: no shared cache keeps them."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/")
@login_required
def index():
    cases = cases_of(current_user.id)
    on = today()
    clocks = {case.id: case_clocks(case) for case in cases}
    return _private(current_app.make_response(render_template(
        "cases/index.html", cases=cases, clocks=clocks, today=on, form=ButtonForm())))


@bp.route("/new", methods=["GET", "POST"])
@login_required
@rate_limit
def new():
    company = company_queries.company_or_404(request.args.get("company", ""))
    form = CaseForm()
    if form.validate_on_submit():
        case = ops.open_case(current_user, company, title=form.title.data, problem=form.problem.data,
                             wanted=form.wanted.data)
        db.session.commit()
        flash("Your case is open. Add each step you take, and we will count the days for you.")
        return redirect(url_for(".detail", case_id=case.id), 303)
    return render_template("cases/new.html", company=company, form=form), 400 if request.method == "POST" else 200


def _detail(case, *, step_form=None, close_form=None, status=200):
    on = today()
    clocks = case_clocks(case)
    step_form = step_form or StepForm(formdata=None, data={"taken_on": on})
    step_form.with_contacts([c for c in case.company.contacts if c.status != "retracted"])
    return _private(current_app.make_response((render_template(
        "cases/detail.html", case=case, clocks=clocks, today=on, next_letter=next_letter(case, clocks, on),
        step_form=step_form,
        close_form=close_form or CloseForm(formdata=None, prefix="close", data={"rung": _top_rung(case)}),
        response_forms={step.id: _response_form(step, formdata=None, data={"response_on": on})
                        for step in case.steps if not step.is_answered},
        button_form=ButtonForm(),
        tier_labels=TIER_LABELS), status)))


def _response_form(step, **kwargs) -> ResponseForm:
    """One answer form per waiting step, prefixed so their fields' ids stay unique on the page."""
    return ResponseForm(prefix=f"step{step.id}", **kwargs)


def _top_rung(case) -> str | None:
    return max((s.rung for s in case.steps), key=LADDER_TIERS.index, default=None)


@bp.get("/<int:case_id>")
def detail(case_id: int):
    return _detail(owned_case_or_404(case_id))


def _failed(case, error: ops.CaseError, form, **forms):
    """Nothing was written: roll back and show the form again with the reason."""
    db.session.rollback()
    target = form[error.field] if error.field and error.field in form else None
    if target is not None:
        target.errors = [*target.errors, str(error)]
    else:
        flash(str(error))
    return _detail(case, status=400, **forms)


@bp.post("/<int:case_id>/steps")
@rate_limit
def add_step(case_id: int):
    case = owned_case_or_404(case_id)
    form = StepForm().with_contacts([c for c in case.company.contacts if c.status != "retracted"])
    if not form.validate_on_submit():
        return _detail(case, step_form=form, status=400)
    try:
        ops.add_step(case, taken_on=form.taken_on.data, rung=form.rung.data, channel=form.channel.data,
                     contact_id=form.chosen_contact_id(), contact=form.contact.data, reference=form.reference.data,
                     response=form.response.data, response_on=form.response_on.data,
                     final_response=form.final_response.data, today=today())
    except ops.CaseError as error:
        return _failed(case, error, form, step_form=form)
    db.session.commit()
    flash("Step added.")
    return redirect(url_for(".detail", case_id=case.id, _anchor="steps"), 303)


@bp.post("/<int:case_id>/steps/<int:step_id>/response")
@rate_limit
def record_response(case_id: int, step_id: int):
    case = owned_case_or_404(case_id)
    step = owned_step_or_404(case, step_id)
    form = _response_form(step)
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors) or "Check the answer's date.")
        return redirect(url_for(".detail", case_id=case.id, _anchor=f"step-{step.id}"), 303)
    return _apply(case, lambda: ops.record_response(
        step, response=form.response.data, response_on=form.response_on.data,
        final_response=form.final_response.data, today=today()), "Their answer is recorded.")


@bp.post("/<int:case_id>/sent")
@rate_limit
def letter_sent(case_id: int):
    """The composer's "I have sent this letter": the step is added with today's date."""
    case = owned_case_or_404(case_id)
    form = SentForm()
    if not form.validate_on_submit():
        return redirect(url_for(".detail", case_id=case.id), 303)
    return _apply(case, lambda: ops.add_step(
        case, taken_on=today(), rung=form.rung.data, channel=form.channel.data, contact=form.contact.data,
        letter=form.letter.data or None, today=today()),
        "The letter is added to your case as a step; its clock starts today.")


def _apply(case, write, done: str):
    """Run one operation and commit, or roll back (nothing half-saved) and say why."""
    try:
        write()
    except ops.CaseError as error:
        db.session.rollback()
        flash(str(error))
    else:
        db.session.commit()
        flash(done)
    return redirect(url_for(".detail", case_id=case.id, _anchor="steps"), 303)


@bp.post("/<int:case_id>/close")
@rate_limit
def close(case_id: int):
    case = owned_case_or_404(case_id)
    form = CloseForm(prefix="close")
    if not form.validate_on_submit():
        return _detail(case, close_form=form, status=400)
    try:
        ops.close_case(case, resolved=form.resolved.data == "yes", rung=form.rung.data)
    except ops.CaseError as error:
        return _failed(case, error, form, close_form=form)
    db.session.commit()
    flash("Your case is closed. Its outcome now counts in the company's figures.")
    return redirect(url_for(".detail", case_id=case.id), 303)


@bp.post("/<int:case_id>/reminders")
@rate_limit
def case_reminders(case_id: int):
    case = owned_case_or_404(case_id)
    if ButtonForm().validate_on_submit():
        ops.set_reminders(case, request.form.get("reminders") == "on")
        db.session.commit()
        flash("Reminders for this case are " + ("on." if case.reminders else "off."))
    return redirect(url_for(".detail", case_id=case.id), 303)


@bp.post("/reminders")
@login_required
@rate_limit
def account_reminders():
    if ButtonForm().validate_on_submit():
        ops.set_account_reminders(current_user, request.form.get("reminders") == "on")
        db.session.commit()
        flash("Deadline reminders for all your cases are " + ("on." if current_user.case_reminders else "off."))
    return redirect(url_for(".index"), 303)


@bp.get("/<int:case_id>/calendar.ics")
def calendar(case_id: int):
    case = owned_case_or_404(case_id)
    host = urlsplit(public_root()).hostname or "localhost"
    response = current_app.response_class(case_calendar(case, case_clocks(case), host=host, now=utcnow()),
                                          mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="case-{case.id}-deadlines.ics"'
    return _private(response)
