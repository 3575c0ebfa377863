"""Account forms. Password rules live in `operations.accounts` (one place for NIST rules)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Optional

from ..formfields import EMAIL_CHECKS, MAX_EMAIL_LENGTH, at_most, honeypot, no_html


class RegisterForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), *EMAIL_CHECKS],
                       description="Never shown to anyone: we send a link to confirm it, and password resets.")
    display_name = StringField("Name shown on your contributions (optional)", validators=[Optional(), at_most(80), no_html],
                               description="Public, next to your suggestions and in the history. Without one, "
                                           "you are shown as “Contributor” and your account number.")
    password = PasswordField("Password", validators=[DataRequired(), at_most(256)],
                             description="At least 12 characters. A few unrelated words make a strong passphrase.")
    confirm = PasswordField("Repeat the password", validators=[DataRequired(), at_most(256),
                                                               EqualTo("password", "The passwords differ.")])
    homepage = honeypot()


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), at_most(MAX_EMAIL_LENGTH)])
    password = PasswordField("Password", validators=[DataRequired(), at_most(256)])
    remember = BooleanField("Keep me logged in on this device")


class LogoutForm(FlaskForm):
    """Logging out is a POST with a CSRF token, so a link on another site cannot do it."""


class ResendForm(FlaskForm):
    """"Send the confirmation link again": a POST with a CSRF token, nothing else."""


class ResetRequestForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), at_most(MAX_EMAIL_LENGTH)])


class ResetForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired(), at_most(256)])
    confirm = PasswordField("Repeat the password", validators=[DataRequired(), at_most(256),
                                                               EqualTo("password", "The passwords differ.")])


class DeleteAccountForm(FlaskForm):
    """Deleting an account asks for the password again: a borrowed, logged-in browser is not enough."""

    password = PasswordField("Your password", validators=[DataRequired(), at_most(256)])
