"""Register, log in and out, reset a forgotten password, list my suggestions."""
from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from ..extensions import db
from ..models import Contribution, Flag
from ..operations import accounts as ops
from ..privacy import accounts as rights
from ..ratelimit import configured, limiter
from . import bp
from .forms import DeleteAccountForm, LoginForm, LogoutForm, RegisterForm, ResetForm, ResetRequestForm
from .mail import send_mail


def _safe_next(default: str) -> str:
    """Only same-site paths, so ?next= cannot send someone to another site."""
    target = request.args.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else default


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_REGISTER"), methods=["POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        if form.homepage.data:
            return redirect(url_for("main.home"))
        try:
            user = ops.register(form.email.data, form.password.data, display_name=form.display_name.data)
        except ops.AccountError as error:
            form[error.field].errors.append(str(error))
        else:
            db.session.commit()
            login_user(user)
            flash("Welcome. You can now suggest corrections; moderators review every one.")
            return redirect(_safe_next(url_for("accounts.mine")))
    return render_template("accounts/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_LOGIN"), methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = ops.user_by_email(form.email.data)
        if user is not None and user.is_active and ops.verify_password(user, form.password.data):
            db.session.commit()  # a rehash with newer parameters, if any
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(url_for("accounts.mine")))
        form.form_errors.append("That email and password do not match an account.")
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
def logout():
    if LogoutForm().validate_on_submit():
        if current_user.is_authenticated:
            # The session cookie lives in the browser: a copy taken earlier (or a remember-me
            # cookie) would still log in unless the version it carries stops matching.
            ops.end_sessions(current_user)
            db.session.commit()
        logout_user()
        flash("You are logged out.")
    return redirect(url_for("main.home"))


@bp.route("/reset-request", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_LOGIN"), methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = ops.user_by_email(form.email.data)
        if user is not None and user.is_active:
            link = url_for("accounts.reset", token=ops.reset_token(user), _external=True)
            hours = current_app.config["PASSWORD_RESET_MAX_AGE"] // 3600
            send_mail(user.email, "Reset your CEO Directory password",
                      f"Someone asked to reset the password of this account.\n\nTo choose a new password, open:\n{link}\n\n"
                      f"The link works for {hours} hour(s). If you did not ask for it, ignore this email.")
        # The same answer either way, so the form does not reveal who has an account.
        flash("If an account uses that address, we have sent it a link to choose a new password.")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    user = ops.user_for_reset_token(token)
    if user is None:
        flash("That reset link has expired or was already used. Ask for a new one.")
        return redirect(url_for("accounts.reset_request"))
    form = ResetForm()
    if form.validate_on_submit():
        try:
            ops.set_password(user, form.password.data)
        except ops.AccountError as error:
            form.password.errors.append(str(error))
        else:
            db.session.commit()
            login_user(user)
            flash("Your password has been changed. Other devices have been logged out.")
            return redirect(url_for("accounts.mine"))
    return render_template("accounts/reset.html", form=form)


@bp.get("/mine")
@login_required
def mine():
    """My suggestions and reports, pending ones included (the public pages do not show them)."""
    contributions = db.session.scalars(
        select(Contribution).where(Contribution.author_id == current_user.id).order_by(Contribution.created_at.desc())
    ).all()
    flags = db.session.scalars(
        select(Flag).where(Flag.author_id == current_user.id).order_by(Flag.created_at.desc())
    ).all()
    return render_template("accounts/mine.html", contributions=contributions, flags=flags)


@bp.get("/data")
@login_required
def data():
    """Everything held about the account, as a JSON download (the right of access)."""
    response = jsonify(rights.export_account(current_user))
    response.headers["Content-Disposition"] = 'attachment; filename="ceo-directory-account.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/delete", methods=["GET", "POST"])
@login_required
@limiter.limit(configured("RATELIMIT_LOGIN"), methods=["POST"])
def delete():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            rights.delete_account(current_user, form.password.data)
        except rights.DeletionRefused as error:
            db.session.rollback()
            form.password.errors.append(str(error))
        else:
            db.session.commit()
            logout_user()
            flash("Your account is deleted and you are logged out. Thank you for your contributions.")
            return redirect(url_for("main.home"))
    return render_template("accounts/delete.html", form=form)
