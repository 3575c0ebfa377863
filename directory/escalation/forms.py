"""The letter composer's form. Its values are only ever rendered back, never stored."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from ..formfields import at_most
from ..models.contact import TIER_LABELS
from ..rules.ladder import LADDER_TIERS
from ..rules.letters import TEMPLATES

LONG = at_most(5000)
SHORT = at_most(500)


class LetterForm(FlaskForm):
    rung = SelectField("Who are you writing to?", default="ceo",
                       choices=[SelectChoice(t, TIER_LABELS[t]) for t in LADDER_TIERS])
    letter = SelectField("Which letter?", default="",
                         choices=[SelectChoice("", "The usual letter for this step"),
                                  *(SelectChoice(t.key, t.title) for t in TEMPLATES.values())])
    what_happened = TextAreaField("What happened", validators=[Optional(), LONG])
    dates = StringField("Dates (when it happened, when you complained)", validators=[Optional(), SHORT])
    references = StringField("Reference numbers (account, order, complaint)", validators=[Optional(), SHORT])
    tried = TextAreaField("What you have tried so far", validators=[Optional(), LONG])
    wanted = TextAreaField("What you want them to do", validators=[Optional(), LONG])
    your_name = StringField("Your name", validators=[Optional(), SHORT])
    your_address = TextAreaField("Your postal address (for a printed letter)", validators=[Optional(), SHORT])
