"""Register, log in and out, reset a forgotten password, list my suggestions."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from ..extensions import db
from ..models import Contribution, Flag
from ..operations import accounts as ops
from ..privacy import accounts as rights
from ..ratelimit import configured, count_failed_login, forget_failed_logins, limiter, login_pause_seconds
from .. import mail as outgoing
from . import bp, mail
from .forms import DeleteAccountForm, LoginForm, LogoutForm, RegisterForm, ResendForm, ResetForm, ResetRequestForm


def _safe_next(default: str | None) -> str | None:
    """Only a same-site path, so ?next= cannot send someone to another site. Browsers drop
    tabs and newlines inside a URL and read a backslash as a slash (`/%09/evil.example` is
    `//evil.example` to them): such characters are removed before the check, not after."""
    target = "".join(ch for ch in request.args.get("next", "") if ch.isprintable() and not ch.isspace())
    target = target.replace("\\", "/")
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        return default
    return target


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_REGISTER"), methods=["POST"])
def register():
    """A new address and a taken one get the same answer; the mailbox's owner learns which."""
    form = RegisterForm()
    if form.validate_on_submit():
        if form.homepage.data:
            return redirect(url_for("main.home"))
        try:
            user = ops.sign_up(form.email.data, form.password.data, display_name=form.display_name.data)
        except ops.AccountError as error:
            form[error.field].errors.append(str(error))
        else:
            db.session.commit()
            if user is None:
                delivery = mail.send_already_registered(form.email.data.strip())
            else:
                delivery = mail.send_confirmation(user)
            flash("Thank you. You can log in now. " + outgoing.delivery_notice(
                delivery, "We have sent you an email: open the link in it to confirm your address."))
            return redirect(url_for("accounts.login", next=_safe_next(None)))
    return render_template("accounts/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_LOGIN"), methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        paused = login_pause_seconds(form.email.data)
        if paused:  # checked before the password: no guess is tried
            return render_template("accounts/login.html", form=form, paused=True), 429, {"Retry-After": str(paused)}
        user = ops.authenticate(form.email.data, form.password.data)
        if user is not None:
            db.session.commit()  # a rehash with newer parameters, if any
            forget_failed_logins(form.email.data)
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(url_for("accounts.mine")))
        count_failed_login(form.email.data)
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


@bp.get("/confirm/<token>")
def confirm(token: str):
    user = ops.confirm_email(token)
    if user is None:
        flash("That confirmation link has expired or is not valid. Log in and ask for a new one.")
        return redirect(url_for("accounts.login"))
    db.session.commit()
    flash("Thank you: your email address is confirmed.")
    return _no_referrer(redirect(url_for("accounts.mine" if current_user.is_authenticated else "accounts.login")))


@bp.post("/confirm")
@login_required
@limiter.limit(configured("RATELIMIT_LOGIN"))
def resend_confirmation():
    if ResendForm().validate_on_submit() and current_user.email_confirmed_at is None:
        flash(outgoing.delivery_notice(mail.send_confirmation(current_user), "We have sent you a new confirmation link."))
    return redirect(url_for("accounts.mine"))


@bp.route("/reset-request", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_LOGIN"), methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = ops.user_by_email(form.email.data)
        if user is not None and user.is_active:
            mail.send_reset(user)
        # The same answer either way, so the form does not reveal who has an account (nor
        # whether its mail went): only the configuration decides the second sentence.
        flash("If an account uses that address, we have sent it a link to choose a new password."
              + (" " + outgoing.CONSOLE_NOTICE if outgoing.prints_to_console() else ""))
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_request.html", form=form)


def _no_referrer(response):
    """Pages reached by a token link: the token must not travel on in a Referer header."""
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


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
            forget_failed_logins(user.email)
            login_user(user)
            flash("Your password has been changed. Other devices have been logged out.")
            return redirect(url_for("accounts.mine"))
    return _no_referrer(make_response(render_template("accounts/reset.html", form=form)))


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
    return render_template("accounts/mine.html", contributions=contributions, flags=flags, resend_form=ResendForm())


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
