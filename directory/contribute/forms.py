"""One form per kind of suggestion, each with the evidence fields and a honeypot."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from werkzeug.datastructures import MultiDict
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..formfields import at_most, email_address, honeypot, no_html, web_url
from ..models.company import CONTACT_POLICY_LABELS
from ..models.contact import KIND_LABELS, TIER_LABELS

LINK_KINDS = ("url", "web_form")
STATUS_CHOICES = [SelectChoice("ok", "Works"), SelectChoice("bounced", "Bounces (email returned)"),
                  SelectChoice("unanswered", "Never answered")]


def check_contact_value(contact_kind: str | None, form, field) -> None:
    """A web form or link must be an http(s) address like every other link we show, and an
    email contact a plain address (nothing like `?bcc=` that a mailto: link would obey)."""
    if contact_kind in LINK_KINDS:
        web_url(form, field)
    elif contact_kind == "email":
        email_address(form, field)


class EvidenceForm(FlaskForm):
    """How the contributor knows: a link, or a note, or both. `target` is the record the
    suggestion is about (None for new records), for checks that depend on it."""

    target = None

    evidence_url = StringField("Evidence link", validators=[Optional(), at_most(1000), web_url],
                               description="A page that shows the new value: a filing, a press release, the company's own site.")
    note = TextAreaField("How do you know?", validators=[Optional(), at_most(2000), no_html],
                         description="Needed when there is no link. Plain text only.")
    homepage = honeypot()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.evidence_url.data or "").strip() and not (self.note.data or "").strip():
            self.evidence_url.errors = list(self.evidence_url.errors) + [
                "Give a link to your evidence, or say in the note how you know."]
            return False
        return valid

    def proposed(self) -> dict:
        return {name: self[name].data for name in self.FIELDS}


def _text(label, max_length, *validators, required=False):
    first = DataRequired() if required else Optional()
    return StringField(label, validators=[first, at_most(max_length), no_html, *validators])


class CompanyForm(EvidenceForm):
    FIELDS = ("name", "website", "phone", "city", "region", "country", "sector")
    name = _text("Name", 300, required=True)
    website = _text("Website", 500, web_url)
    phone = _text("Phone", 60, Regexp(r"^[0-9+()./ -]*$", message="Digits, spaces and + ( ) . - only."))
    city = _text("City", 120)
    region = _text("State or region", 80)
    country = _text("Country (two-letter code)", 2, Regexp(r"^[A-Za-z]{2}$", message="Two letters, like US or GB."))
    sector = _text("Sector", 200)

    def proposed(self) -> dict:
        values = super().proposed()
        values["country"] = (values["country"] or "").upper() or None
        return values


class NewCompanyForm(CompanyForm):
    FIELDS = ("name", "country", "city", "website", "phone")


class NewCeoForm(EvidenceForm):
    FIELDS = ("person_name", "title", "start_date")
    person_name = _text("Name of the new chief executive", 200, required=True)
    title = _text("Title as announced", 300)
    start_date = DateField("In post since", validators=[Optional()])


class PositionForm(EvidenceForm):
    FIELDS = ("title", "is_current", "end_date")
    title = _text("Title", 300)
    departed = BooleanField("This person has left the company")
    end_date = DateField("Left on", validators=[Optional()])

    def proposed(self) -> dict:
        values = {"title": self.title.data}
        if self.departed.data:
            values.update(is_current=False, end_date=self.end_date.data)
        return values


class ContactAddForm(EvidenceForm):
    FIELDS = ("kind", "value", "tier", "label")
    kind = SelectField("Kind", choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()])
    value = _text("Address, number or link", 500, required=True)
    tier = SelectField("Step of the ladder", choices=[SelectChoice(k, v) for k, v in TIER_LABELS.items() if k != "regulator"])
    label = _text("Label", 200)

    def validate_value(self, field) -> None:
        check_contact_value(self.kind.data, self, field)


class ContactForm(EvidenceForm):
    FIELDS = ("value", "label", "status")
    value = _text("Address, number or link", 500, required=True)
    label = _text("Label", 200)
    status = SelectField("Does it work?", choices=STATUS_CHOICES)

    def validate_value(self, field) -> None:
        check_contact_value(getattr(self.target, "kind", None), self, field)


class PersonForm(EvidenceForm):
    FIELDS = ("name",)
    name = _text("Name", 200, required=True)


class PolicyForm(EvidenceForm):
    FIELDS = ("contact_policy",)
    contact_policy = SelectField("Contact policy", validators=[DataRequired()],
                                 choices=[SelectChoice(k, v) for k, v in CONTACT_POLICY_LABELS.items()],
                                 description="Open: names its executives and publishes a way to reach them. "
                                             "Partial: one of the two. No name: refuses both.")


class ReportForm(FlaskForm):
    """What is out of date, in the reporter's words: a report a moderator can act on, never
    an empty one filed by a stray click."""

    note = TextAreaField("What is out of date?", validators=[
        DataRequired("Say what is out of date, for example “this CEO left in March”."), at_most(1000),
        Length(min=3), no_html])
    homepage = honeypot()


FORMS = {
    "company": CompanyForm, "new_company": NewCompanyForm, "new_ceo": NewCeoForm, "position": PositionForm,
    "contact_add": ContactAddForm, "contact": ContactForm, "person": PersonForm, "contact_policy": PolicyForm,
}


def check_values(kind_name: str, target, values: dict) -> tuple[dict, list[str]]:
    """Validate values a moderator typed ("approve with an edit") with the same form fields
    and checks as the contributor's form: (the values as the form reads them, the problems)."""
    form = FORMS[kind_name](formdata=MultiDict({k: "" if v is None else str(v) for k, v in values.items()}),
                            meta={"csrf": False})
    form.target = target
    checked, problems = {}, []
    for name in values:
        field = form._fields.get(name)
        if field is None:  # not typed (a yes/no like "still in post"): kept as proposed
            checked[name] = values[name]
            continue
        inline = getattr(type(form), f"validate_{name}", None)
        if field.validate(form, [inline] if inline else []):
            checked[name] = field.data
        else:
            problems.extend(f"{field.label.text}: {error}" for error in field.errors)
    return checked, problems
