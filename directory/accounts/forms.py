"""Account forms. Password rules live in `operations.accounts` (one place for NIST rules)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from ..formfields import no_html


class RegisterForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Regexp(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$", message="Enter an email address like name@example.com."), Length(max=254)])
    display_name = StringField("Name shown on your contributions (optional)", validators=[Optional(), Length(max=80), no_html])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)],
                             description="At least 12 characters. A few unrelated words make a strong passphrase.")
    confirm = PasswordField("Repeat the password", validators=[DataRequired(), EqualTo("password", "The passwords differ.")])
    homepage = StringField("Leave this empty", validators=[Optional()])


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)])
    remember = BooleanField("Keep me logged in on this device")


class LogoutForm(FlaskForm):
    """Logging out is a POST with a CSRF token, so a link on another site cannot do it."""


class ResetRequestForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])


class ResetForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired(), Length(max=256)])
    confirm = PasswordField("Repeat the password", validators=[DataRequired(), EqualTo("password", "The passwords differ.")])


class DeleteAccountForm(FlaskForm):
    """Deleting an account asks for the password again: a borrowed, logged-in browser is not enough."""

    password = PasswordField("Your password", validators=[DataRequired(), Length(max=256)])
