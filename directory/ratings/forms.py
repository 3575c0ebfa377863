"""The rating form (with its optional outcome report), the report buttons and the reply form."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    NumberRange,
    Optional,
)

from ..formfields import at_most, no_html
from ..models.contact import TIER_LABELS
from ..models.ratings import CHANNEL_LABELS
from ..operations.phone_reports import PhoneCall
from ..operations.ratings import Outcome

STAR_CHOICES = [SelectChoice(n, f"{n} star{'s' if n > 1 else ''}") for n in range(5, 0, -1)]
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAY_CHOICES = [SelectChoice("", "Not saying")] + [SelectChoice(str(n), day) for n, day in enumerate(WEEKDAYS)]
HOUR_CHOICES = [SelectChoice("", "Not saying")] + [SelectChoice(str(h), f"{h:02d}:00 to {h + 1:02d}:00") for h in range(24)]
YES_NO = [SelectChoice("", "Not saying"), SelectChoice("yes", "Yes"), SelectChoice("no", "No")]


def _number(value):
    """A chosen day or hour as a number; anything else (nothing chosen, or a value no choice
    has, which the field itself reports) is None."""
    return int(value) if isinstance(value, str) and value.isdigit() else None


class PhoneCallFields:
    """What a caller learnt, on the rating form (with a phone outcome) and on a number's own
    report page: the same fields, the same words, one `PhoneCall`."""

    hold_minutes = IntegerField("Minutes on hold before a person answered", validators=[Optional(), NumberRange(min=0, max=1440)])
    called_weekday = SelectField("Day you called", choices=WEEKDAY_CHOICES, validators=[Optional()])
    called_hour = SelectField("Time you called (your local time)", choices=HOUR_CHOICES, validators=[Optional()])
    way_to_person = StringField("Keys or words that reached a person", validators=[Optional(), at_most(100), no_html],
                                description="For example “2, then 0” or “say agent”. Shown publicly.")

    def phone_call(self) -> PhoneCall:
        return PhoneCall(hold_minutes=self.hold_minutes.data, called_weekday=_number(self.called_weekday.data),
                         called_hour=_number(self.called_hour.data),
                         way_to_person=(self.way_to_person.data or "").strip() or None)


class PhoneReportForm(PhoneCallFields, FlaskForm):
    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and self.phone_call().is_empty:
            self.hold_minutes.errors = [*self.hold_minutes.errors, "Say at least one thing about your call."]
            valid = False
        return valid


class RatingForm(PhoneCallFields, FlaskForm):
    stars = RadioField("How useful were this company's policy and published contacts to you?",
                       choices=STAR_CHOICES, coerce=int, validators=[InputRequired("Choose from 1 to 5 stars.")])
    comment = TextAreaField("Short comment (optional)", validators=[Optional(), at_most(500), no_html],
                            description="Plain text, up to 500 characters. Shown publicly; readers can report it.")
    rung = SelectField("Which step did you contact?", validators=[Optional()],
                       choices=[SelectChoice("", "I'd rather not report an outcome")]
                       + [SelectChoice(k, v) for k, v in TIER_LABELS.items()])
    channel = SelectField("How?", validators=[Optional()],
                          choices=[SelectChoice("", "Choose")] + [SelectChoice(k, v) for k, v in CHANNEL_LABELS.items()])
    got_reply = SelectField("Did you get a reply?", choices=YES_NO, validators=[Optional()])
    days_to_reply = IntegerField("After how many days?", validators=[Optional(), NumberRange(min=0, max=3650)])
    resolved = SelectField("Was your issue resolved?", choices=YES_NO, validators=[Optional()])
    phone_contact = SelectField("Which number did you call?", choices=[], validators=[Optional()])

    def offer_numbers(self, phones) -> None:
        """The company's phone contacts a call report can be about (set by the view)."""
        self.phone_contact.choices = [SelectChoice("", "Choose")] + [
            SelectChoice(str(c.id), f"{c.value} ({c.label or c.tier_label})") for c in phones]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.rung.data:
            if not self.channel.data:
                self.channel.errors = [*self.channel.errors, "Say how you contacted them."]
                valid = False
            if not self.got_reply.data:
                self.got_reply.errors = [*self.got_reply.errors, "Say whether they replied."]
                valid = False
        call = self.phone_call()
        if not call.is_empty and (self.channel.data != "phone" or not self.rung.data):
            self.channel.errors = [*self.channel.errors, "Minutes on hold and the way to a person are for a phone call: "
                                                          "choose the step you called and “Phone”."]
            valid = False
        elif not call.is_empty and not self.phone_contact.data:
            self.phone_contact.errors = [*self.phone_contact.errors, "Say which number you called."]
            valid = False
        return valid

    @staticmethod
    def saved(rating, report) -> dict:
        """The form's values for an existing rating and the outcome report sent with it."""
        data = {"stars": rating.stars, "comment": rating.comment}
        if report is not None:
            answer = {True: "yes", False: "no", None: ""}
            data.update(rung=report.rung, channel=report.channel, got_reply=answer[report.got_reply],
                        days_to_reply=report.days_to_reply, resolved=answer[report.resolved])
        return data
    def phone_report(self) -> tuple[int, PhoneCall] | None:
        """(contact id, what was learnt), when the outcome is a phone call that says something."""
        call = self.phone_call()
        if call.is_empty or self.channel.data != "phone" or not self.phone_contact.data:
            return None
        return int(self.phone_contact.data), call

    def outcome(self) -> Outcome | None:
        if not self.rung.data:
            return None
        return Outcome(rung=self.rung.data, channel=self.channel.data, got_reply=self.got_reply.data == "yes",
                       days_to_reply=self.days_to_reply.data,
                       resolved={"yes": True, "no": False}.get(self.resolved.data))


class ButtonForm(FlaskForm):
    """A one-button POST (report a comment): only the CSRF token."""


class ContactProblemForm(FlaskForm):
    problem = SelectField("What happened?", choices=[SelectChoice("bounced", "It bounced or the number is dead"),
                                                     SelectChoice("unanswered", "Nobody ever answered")])


class ReplyForm(FlaskForm):
    author_role = StringField("Your role at the company", validators=[DataRequired(), at_most(200), no_html])
    evidence = TextAreaField("How can a moderator check that you speak for the company?",
                             validators=[DataRequired(), at_most(1000), no_html],
                             description="For example your work email address or a page on the company's site. "
                                         "Not published.")
    body = TextAreaField("Your public reply", validators=[DataRequired(), at_most(1500), no_html],
                         description="Plain text. Shown under the company's contact policy once a moderator approves it.")
