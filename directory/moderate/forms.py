"""Moderator forms: decisions carry the version the moderator saw."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, NumberRange, Optional, Regexp

from ..formfields import at_most, no_html
from ..models import USER_ROLES
from ..operations.moderation import REJECTION_REASONS
from .queue import QUEUE_KINDS


class DecisionForm(FlaskForm):
    version = HiddenField(validators=[DataRequired(), at_most(20), Regexp(r"^[0-9]+$")])
    reason = SelectField("Reason for rejecting", choices=[SelectChoice("", "Choose a reason")]
                         + [SelectChoice(k, v) for k, v in REJECTION_REASONS.items()],
                         validators=[Optional()])
    reason_text = TextAreaField("Details for the contributor", validators=[Optional(), at_most(1000), no_html])

    def reason_message(self) -> str:
        canned = REJECTION_REASONS.get(self.reason.data or "", "")
        return " ".join(part for part in (canned, (self.reason_text.data or "").strip()) if part)


class ActionForm(FlaskForm):
    """A button that changes something (flag, importer conflict, revert): only the CSRF token."""


class RevertForm(FlaskForm):
    whole_run = BooleanField("Also revert this contributor's other consecutive changes to the company")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=[SelectChoice(role, role.capitalize()) for role in USER_ROLES])
    trusted = BooleanField("Trusted: low-risk edits go live at once and are reviewed afterwards")


class QueueFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter; links to a filtered queue must work

    kind = SelectField("Kind", choices=[SelectChoice("", "All kinds")] + [SelectChoice(k, v) for k, v in QUEUE_KINDS.items()],
                       validators=[Optional()])
    older_than = IntegerField("Older than (days)", validators=[Optional(), NumberRange(min=0, max=3650)])
