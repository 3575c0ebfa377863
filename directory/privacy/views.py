"""The privacy notice, a listed person's objection, and the moderators' decision on it."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from .. import queries
from ..accounts.mail import send_mail
from ..auth import moderator_required
from ..extensions import db
from ..models import Objection
from ..operations import objections as ops
from ..operations.moderation import DecisionConflict
from ..ratelimit import configured, limiter
from .forms import ObjectionDecisionForm, ObjectionForm

bp = Blueprint("privacy", __name__)

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
        try:
            objection = ops.file_objection(person, form.target.data, request=form.request.data,
                                           corrected_value=form.corrected_value.data, requester=form.requester.data,
                                           contact_email=form.contact_email.data, explanation=form.explanation.data)
        except ops.ObjectionError as error:
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            send_mail(objection.contact_email, "Your objection to CEO Directory",
                      f"We received your request to {objection.request} this value published about "
                      f"{person.name}:\n\n  {objection.target_value}\n\nA moderator will decide and write to you "
                      f"with the outcome and the reason. Reference: objection {objection.id}.")
            flash("Thank you. A moderator will review your objection and email you the decision.")
            return redirect(url_for("people.detail", slug=person.slug))
    return render_template("privacy/object.html", person=person, form=form, targets=targets)


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
            ops.decide(item, current_user, uphold=action == "uphold", reason=form.reason.data)
        except (DecisionConflict, ops.ObjectionError) as problem:
            db.session.rollback()
            flash(str(problem))
            return redirect(url_for("privacy.decide", item_id=item_id))
        db.session.commit()
        send_mail(item.contact_email, "Your objection to CEO Directory: decision",
                  f"{OUTCOME_TEXT[item.status]}\n\nThe value: {item.target_value}\nYour request: {item.request}\n"
                  f"Reason: {item.decision_reason}\n\nReference: objection {item.id}.")
        flash("Objection decided; the requester has been emailed.")
        return redirect(url_for("moderate.queue"))
    target = next((t for t in ops.objection_targets(item.person) if t.choice == f"{item.target_type}:{item.target_id}"),
                  None) if item.person else None
    return render_template("privacy/decide.html", item=item, form=form, target=target)
