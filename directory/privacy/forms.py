"""The objection form of a listed person and the moderator's decision on it."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..formfields import no_html


class ObjectionForm(FlaskForm):
    target = SelectField("What are you objecting to?", validators=[DataRequired()], choices=[])
    request = RadioField("What should we do?", default="remove", validators=[DataRequired()],
                         choices=[SelectChoice("remove", "Remove it"), SelectChoice("correct", "Correct it")])
    corrected_value = StringField("The correct value (when correcting)", validators=[Optional(), Length(max=500), no_html])
    requester = RadioField("Who is asking?", default="self", validators=[DataRequired()],
                           choices=[SelectChoice("self", "I am the person listed"),
                                    SelectChoice("company", "I act for their company")])
    contact_email = EmailField("Your email address", validators=[
        DataRequired(), Length(max=254),
        Regexp(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$", message="Enter an email address like name@example.com.")],
                               description="We write to you with the decision, and use it for nothing else.")
    explanation = TextAreaField("Anything we should know (optional)", validators=[Optional(), Length(max=2000), no_html])
    homepage = StringField("Leave this empty", validators=[Optional()])  # honeypot


class ObjectionDecisionForm(FlaskForm):
    reason = TextAreaField("Reason (sent to the requester)", validators=[DataRequired(), Length(max=2000), no_html])
