"""The composer's fields, filled from a case: its facts, its dates and references, what was
tried and answered, addressed to the next rung with the letter that fits it."""
from __future__ import annotations

from datetime import date

from ..models import Case
from ..models.contact import TIER_LABELS
from ..models.ratings import CHANNEL_LABELS
from ..formatting import human_date
from ..rules.case_clocks import case_clocks, next_letter


def _step_sentence(step) -> str:
    sentence = f"On {human_date(step.taken_on)} I contacted {TIER_LABELS[step.rung].lower()} " \
               f"({CHANNEL_LABELS[step.channel].lower()}{', ' + step.contact if step.contact else ''})"
    if step.reference:
        sentence += f", reference {step.reference}"
    if step.response_on is not None:
        sentence += f". On {human_date(step.response_on)} they answered"
        sentence += f": {step.response}" if step.response else ""
    else:
        sentence += ". I have had no answer"
    return sentence.rstrip(".") + "."


def composer_prefill(case: Case, on: date) -> dict[str, str]:
    """Values for the composer's form fields (escalation.forms.LetterForm), by field name."""
    steps = case.steps
    values = {
        "what_happened": case.problem,
        "wanted": case.wanted,
        "dates": "; ".join(f"{human_date(s.taken_on)} ({TIER_LABELS[s.rung].lower()})" for s in steps),
        "references": ", ".join(dict.fromkeys(s.reference for s in steps if s.reference)),
        "tried": "\n".join(_step_sentence(step) for step in steps),
        "your_name": case.user.display_name or "",
    }
    upcoming = next_letter(case, case_clocks(case), on)
    if upcoming is not None:
        values.update(rung=upcoming.rung, letter=upcoming.letter)
    return values
