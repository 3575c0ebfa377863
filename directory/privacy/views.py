"""The privacy notice, a listed person's objection, and the moderators' decision on it."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from .. import queries
from ..mail import public_link, send_mail
from ..auth import moderator_required
from ..extensions import db
from ..models import Objection
from ..opendata.publishing import served
from ..operations import objections as ops
from ..operations.moderation import DecisionConflict, DecisionError
from ..ratelimit import configured, limiter, mail_allowed
from . import bp
from .forms import ObjectionDecisionForm, ObjectionForm

OUTCOME_TEXT = {
    "upheld": "We have upheld your objection.",
    "rejected": "We have decided not to change what we publish.",
}


@bp.get("/privacy")
def notice():
    return render_template("privacy/notice.html")


@bp.route("/people/<slug>/object", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_REPORT"), methods=["POST"])
def object_to(slug: str):
    person = queries.person_by_slug(slug)
    if person is None:
        abort(404)
    targets = ops.objection_targets(person)
    form = ObjectionForm()
    form.target.choices = [SelectChoice("", "Choose a value")] + [SelectChoice(t.choice, t.label) for t in targets]
    if form.validate_on_submit():
        if form.homepage.data:
            return redirect(url_for("people.detail", slug=person.slug))
        account = current_user if current_user.is_authenticated else None
        try:
            objection = ops.file_objection(person, form.target.data, request=form.request.data,
                                           corrected_value=form.corrected_value.data, requester=form.requester.data,
                                           contact_email=form.contact_email.data, explanation=form.explanation.data,
                                           account=account, may_mail=mail_allowed)
        except ops.ObjectionError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            _mail_filed(objection, person)
            return redirect(url_for("people.detail", slug=person.slug))
    elif request.method == "GET" and current_user.is_authenticated and current_user.email_confirmed_at:
        form.contact_email.data = current_user.email
    return render_template("privacy/object.html", person=person, form=form, targets=targets)


def _mail_filed(objection: Objection, person) -> None:
    """The one mail filing sends: a link to confirm, to an address someone typed (nothing
    else is sent there unless it is opened), or a receipt to the logged-in account's own."""
    what = f"this value published about {person.name}:\n\n  {objection.target_value}"
    if objection.confirmed_at is not None:
        send_mail(objection.contact_email, "Your objection to CEO Directory",
                  f"We received your request to {objection.request} {what}\n\nA moderator will decide and write to "
                  f"you with the outcome and the reason. Reference: objection {objection.id}.")
        flash("Thank you. A moderator will review your objection and email you the decision.")
        return
    days = current_app.config["EMAIL_CONFIRM_MAX_AGE"] // 86400
    link = public_link("privacy.confirm_objection", token=ops.confirmation_token(objection))
    send_mail(objection.contact_email, "Confirm your objection to CEO Directory",
              f"Someone asked CEO Directory to {objection.request} {what}\n\nIf it was you, confirm the request "
              f"by opening:\n{link}\n\nThe link works for {days} day(s). Nothing is reviewed until it is opened; "
              "if you did not ask, ignore this email and you will hear nothing more.")
    flash(f"Almost done: we have emailed a link to {objection.contact_email}. Open it to confirm the objection; "
          "a moderator reviews it only then.")


@bp.get("/objections/confirm/<token>")
def confirm_objection(token: str):
    objection = ops.confirm(token)
    if objection is None:
        flash("That confirmation link has expired, is not valid, or the objection is already decided.")
        response = redirect(url_for("privacy.notice"))
    else:
        db.session.commit()
        flash("Thank you: your objection is confirmed. A moderator will decide and email you the outcome and the reason.")
        person = objection.person
        response = redirect(url_for("people.detail", slug=person.slug) if person else url_for("privacy.notice"))
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in this page's address
    return response


@bp.route("/moderate/objections/<int:item_id>", methods=["GET", "POST"])
@moderator_required
def decide(item_id: int):
    item = db.get_or_404(Objection, item_id)
    form = ObjectionDecisionForm()
    if item.status == "pending" and form.validate_on_submit():
        action = request.form.get("action")
        if action not in ("uphold", "reject"):
            abort(400)
        try:
            outcome = ops.decide(item, current_user, uphold=action == "uphold", reason=form.reason.data)
        except (DecisionConflict, DecisionError, ops.ObjectionError) as problem:
            db.session.rollback()
            flash(str(problem))
            return redirect(url_for("privacy.decide", item_id=item_id))
        db.session.commit()
        if outcome == "awaiting_second":
            flash("Upheld once; a second, different moderator must uphold it before anything changes.")
            return redirect(url_for("moderate.queue"))
        send_mail(item.contact_email, "Your objection to CEO Directory: decision",
                  f"{OUTCOME_TEXT[item.status]}\n\nThe value: {item.target_value}\nYour request: {item.request}\n"
                  f"Reason: {item.decision_reason}\n\nReference: objection {item.id}.")
        if item.status == "upheld":
            served()  # the open-data download leaves the value now (a download would do it too, later)
        flash("Objection decided; the requester has been emailed.")
        return redirect(url_for("moderate.queue"))
    target = next((t for t in ops.objection_targets(item.person) if t.choice == f"{item.target_type}:{item.target_id}"),
                  None) if item.person else None
    domain = ops.company_domain(item.company) if item.company else None
    return render_template("privacy/decide.html", item=item, form=form, target=target, domain=domain)
