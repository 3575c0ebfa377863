"""Rate a company (with an optional outcome report), report comments and dead contacts,
the right of reply and the leaderboards (moderators decide on comments and replies in `moderate`)."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import queries as company_queries
from ..extensions import db
from ..models import Contact, Rating, RatingChange
from ..operations import phone_reports as phone_ops
from ..operations import ratings as ops
from ..ratelimit import account_key, configured, limiter
from . import bp, queries
from .forms import ButtonForm, ContactProblemForm, PhoneReportForm, RatingForm, ReplyForm

rate_limit = limiter.limit(configured("RATELIMIT_RATE"), key_func=account_key, methods=["POST"])


@bp.route("/ratings/<slug>", methods=["GET", "POST"])
@login_required
@rate_limit
def rate(slug: str):
    """One rating per account: the form shows the current one, saving changes it."""
    company = company_queries.company_or_404(slug)
    mine = ops.rating_of(company, current_user)
    form = RatingForm(data=RatingForm.saved(mine, ops.outcome_of_rating(mine)) if mine and request.method == "GET"
                      else None)
    phones = {c.id: c for c in company.contacts if c.kind == "phone" and c.status != "retracted"}
    form.offer_numbers(phones.values())
    if form.validate_on_submit():
        _, created = ops.rate(company, current_user, stars=form.stars.data, comment=form.comment.data,
                              outcome=form.outcome())
        if (call := form.phone_report()) is not None:
            phone_ops.save(current_user, phones[call[0]], call[1])
        db.session.commit()
        message = "Thank you: your rating is saved." if created else "Your rating is updated."
        if ops.is_established(current_user):
            message += " It counts in the figures below now."
        else:
            days = current_app.config["RATING_MIN_ACCOUNT_AGE_DAYS"]
            message += (f" It will count in the figures below once your email is confirmed or your account is "
                        f"{days} days old.")
        flash(message, "rating")  # shown in the ratings panel, where the redirect lands
        return redirect(url_for("companies.detail", slug=company.slug, _anchor="ratings-title"), 303)
    history = []
    if mine is not None:
        history = db.session.scalars(select(RatingChange).where(RatingChange.rating_id == mine.id)
                                     .order_by(RatingChange.id.desc())).all()
    return render_template("ratings/rate.html", company=company, form=form, mine=mine, history=history), \
        400 if request.method == "POST" else 200


@bp.post("/ratings/comments/<int:rating_id>/report")
@limiter.limit(configured("RATELIMIT_REPORT"))
def report_comment(rating_id: int):
    """Anyone can report a comment; it stays visible until a moderator hides it."""
    rating = db.get_or_404(Rating, rating_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    ops.report_comment(rating)
    db.session.commit()
    flash("Thank you. A moderator will read this comment.")
    return redirect(url_for("companies.detail", slug=rating.company.slug, _anchor="ratings-title"), 303)


@bp.route("/ratings/contacts/<int:contact_id>/problem", methods=["GET", "POST"])
@login_required
@rate_limit
def contact_problem(contact_id: int):
    contact = db.get_or_404(Contact, contact_id)
    form = ContactProblemForm()
    if form.validate_on_submit():
        ops.report_contact_problem(contact, current_user, form.problem.data)
        db.session.commit()
        flash("Thank you. When several people report the same contact, we flag it and a moderator checks it.")
        return redirect(url_for("companies.detail", slug=contact.company.slug, _anchor="ladder-title"), 303)
    return render_template("ratings/contact_problem.html", contact=contact, form=form)


def _phone_or_404(contact_id: int) -> Contact:
    contact = db.get_or_404(Contact, contact_id)
    if contact.kind != "phone":
        abort(404)
    return contact


def _back_to(contact: Contact):
    return redirect(url_for("companies.detail", slug=contact.company.slug,
                            _anchor=f"rung-{contact.tier.replace('_', '-')}"), 303)


@bp.route("/ratings/phones/<int:contact_id>", methods=["GET", "POST"])
@login_required
@rate_limit
def phone_report(contact_id: int):
    """The account's report on one number: hold time, when, the way to a person; saving
    again changes it, and its author can withdraw it from here."""
    contact = _phone_or_404(contact_id)
    mine = phone_ops.report_of(current_user, contact)
    form = PhoneReportForm(obj=mine if request.method == "GET" else None)
    if request.method == "GET" and mine is not None:
        form.called_weekday.data = "" if mine.called_weekday is None else str(mine.called_weekday)
        form.called_hour.data = "" if mine.called_hour is None else str(mine.called_hour)
    if form.validate_on_submit():
        phone_ops.save(current_user, contact, form.phone_call())
        db.session.commit()
        flash("Thank you: your report on this number is saved." + (
            "" if ops.is_established(current_user) else
            " It will count once your email is confirmed or your account is "
            f"{current_app.config['RATING_MIN_ACCOUNT_AGE_DAYS']} days old."))
        return _back_to(contact)
    return render_template("ratings/phone_report.html", contact=contact, form=form, mine=mine,
                           withdraw_form=ButtonForm()), 400 if request.method == "POST" else 200


@bp.post("/ratings/phones/<int:contact_id>/withdraw")
@login_required
@rate_limit
def withdraw_phone_report(contact_id: int):
    """Only the author's own report can be withdrawn: it is looked up by the logged-in account."""
    contact = _phone_or_404(contact_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if phone_ops.withdraw(current_user, contact):
        db.session.commit()
        flash("Your report on this number is withdrawn.")
    return _back_to(contact)


@bp.route("/ratings/<slug>/reply", methods=["GET", "POST"])
@login_required
@rate_limit
def reply(slug: str):
    """The right of reply: a representative's text, published after a moderator checks it."""
    company = company_queries.company_or_404(slug)
    form = ReplyForm()
    if form.validate_on_submit():
        ops.submit_reply(company, current_user, author_role=form.author_role.data, evidence=form.evidence.data,
                         body=form.body.data)
        db.session.commit()
        flash("Thank you. A moderator will check that you speak for the company before publishing your reply.")
        return redirect(url_for("companies.detail", slug=company.slug), 303)
    return render_template("ratings/reply.html", company=company, form=form)


@bp.get("/leaderboards")
def leaderboards():
    country = (request.args.get("country") or "").strip()[:2] or None
    sector = (request.args.get("sector") or "").strip()[:200] or None
    countries, sectors = queries.filter_choices()
    return render_template(
        "ratings/leaderboards.html", country=country, sector=sector, countries=countries, sectors=sectors,
        most_open=queries.most_open(country=country, sector=sector),
        responders=queries.best_responders(country=country, sector=sector),
        stonewallers=queries.stonewallers(country=country, sector=sector))
