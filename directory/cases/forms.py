"""The case forms: open a case, add a step, record an answer, close with an outcome."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Optional

from ..rules.ladder import LADDER_TIERS
from ..rules.letters import TEMPLATES
from ..formfields import at_most, no_html
from ..models.contact import TIER_LABELS
from ..models.ratings import CHANNEL_LABELS

RUNG_CHOICES = [SelectChoice(t, TIER_LABELS[t]) for t in LADDER_TIERS]


class CaseForm(FlaskForm):
    title = StringField("A short title", validators=[DataRequired(), at_most(120), no_html],
                        description="For your own list, e.g. “Refund for the broken laptop”.")
    problem = TextAreaField("What went wrong", validators=[DataRequired(), at_most(5000), no_html])
    wanted = TextAreaField("What you want them to do", validators=[DataRequired(), at_most(2000), no_html])


class StepForm(FlaskForm):
    taken_on = DateField("When", validators=[InputRequired("Give the date of this step.")])
    rung = SelectField("Which step of the ladder", choices=RUNG_CHOICES)
    channel = SelectField("How", choices=[SelectChoice(k, v) for k, v in CHANNEL_LABELS.items()])
    contact_id = SelectField("Contact used", choices=[], validate_choice=False,
                             description="From the company's ladder, or type it below.")
    contact = StringField("Or the contact you used", validators=[Optional(), at_most(500), no_html])
    reference = StringField("Reference number", validators=[Optional(), at_most(120), no_html])
    response = TextAreaField("What came back (leave empty while you wait)",
                             validators=[Optional(), at_most(5000), no_html])
    response_on = DateField("Answer received on", validators=[Optional()])
    final_response = BooleanField("This was their final response (a deadlock letter)")

    def with_contacts(self, contacts) -> "StepForm":
        self.contact_id.choices = [SelectChoice("", "Typed below / none")] + [
            SelectChoice(str(c.id), f"{c.tier_label}: {c.label + ' – ' if c.label else ''}{c.value}") for c in contacts]
        return self

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if (self.response.data or "").strip() and self.response_on.data is None:
            self.response_on.errors = [*self.response_on.errors, "Give the date their answer came."]
            valid = False
        return valid

    def chosen_contact_id(self) -> int | None:
        return int(self.contact_id.data) if (self.contact_id.data or "").isdigit() else None


class ResponseForm(FlaskForm):
    response = TextAreaField("What came back", validators=[Optional(), at_most(5000), no_html])
    response_on = DateField("Received on", validators=[InputRequired("Give the date their answer came.")])
    final_response = BooleanField("This was their final response (a deadlock letter)")


class CloseForm(FlaskForm):
    resolved = RadioField("Was your complaint resolved?",
                          choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
                          validators=[InputRequired("Say whether it was resolved.")])
    rung = SelectField("At which step did it end?", choices=RUNG_CHOICES)


class SentForm(FlaskForm):
    """"I sent this letter" from the composer: the step is the letter's rung, today."""

    rung = SelectField(choices=RUNG_CHOICES)
    channel = SelectField(choices=[SelectChoice("email", "Email"), SelectChoice("letter", "Letter")])
    letter = StringField(validators=[Optional(), at_most(100), AnyOf(list(TEMPLATES))])
    contact = StringField(validators=[Optional(), at_most(500), no_html])


