"""The objection form of a listed person and the moderator's decision on it."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from ..formfields import EMAIL_CHECKS, at_most, honeypot, no_html


class ObjectionForm(FlaskForm):
    target = SelectField("What are you objecting to?", validators=[DataRequired()], choices=[])
    request = RadioField("What should we do?", default="remove", validators=[DataRequired()],
                         choices=[SelectChoice("remove", "Remove it"), SelectChoice("correct", "Correct it")])
    corrected_value = StringField("The correct value (when correcting)", validators=[Optional(), at_most(500), no_html])
    requester = RadioField("Who is asking?", default="self", validators=[DataRequired()],
                           choices=[SelectChoice("self", "I am the person listed"),
                                    SelectChoice("company", "I act for their company")])
    contact_email = EmailField("Your email address", validators=[DataRequired(), *EMAIL_CHECKS],
                               description="We write to you with the decision, and use it for nothing else.")
    explanation = TextAreaField("Anything we should know (optional)", validators=[Optional(), at_most(2000), no_html])
    homepage = honeypot()


class ObjectionDecisionForm(FlaskForm):
    reason = TextAreaField("Reason (sent to the requester)", validators=[DataRequired(), at_most(2000), no_html])
