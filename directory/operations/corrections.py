"""What an upheld correction of a listing does to the position: its title, whether the role
has ended (and when), and the source it is shown with.

A listed person corrects their listing in their own words: "Former Senior Vice President,
CFO (left the role 31 December 2024)". That says the role ended: the position stops being
current (so the page lists them among former executives and the feed reports the departure),
ends on the date given (else on the day of the decision), keeps the title without "Former"
and the note, and is sourced to the decision, not to the filing it corrects.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from ..extensions import db
from ..models import Objection, Position, Source, utcnow

FORMER = re.compile(r"^\s*(?:former|ex-)\s*", re.IGNORECASE)
# "(left the role 31 December 2024)", "until December 2024", "- retired 2024-12-31"
ENDED = re.compile(r"[\s,;(–-]*\b(?:left(?:\s+the\s+(?:role|company|post))?|until|retired|stepped\s+down|ended)"
                   r"(?:\s+(?:on|in))?\s+(?P<when>[^()]*?)\s*\)?\s*$", re.IGNORECASE)
DATE_FORMATS = (("%d %B %Y", None), ("%B %d, %Y", None), ("%B %d %Y", None), ("%Y-%m-%d", None),
                ("%B %Y", "month"), ("%Y", "year"))


@dataclass(frozen=True)
class Correction:
    title: str
    ended: bool
    end_date: date | None = None
    end_precision: str | None = None  # Position.end_precision: None is the day


def read_correction(text: str) -> Correction:
    """The title a correction gives, and whether (and when) it says the role ended."""
    title = " ".join(text.split())
    ended_by_word = bool(FORMER.match(title))
    title = FORMER.sub("", title)
    match = ENDED.search(title)
    when, precision = (_date(match.group("when")) if match else (None, None))
    if match and (when is not None or not match.group("when")):
        title = title[:match.start()].rstrip(" ,;(–-")
    title = title[:1].upper() + title[1:]
    return Correction(title, ended_by_word or when is not None, when, precision)


def _date(text: str) -> tuple[date | None, str | None]:
    text = text.strip(" .,")
    for pattern, precision in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date(), precision
        except ValueError:
            continue
    return None, None


def decision_source(objection: Objection) -> Source:
    """The source of a corrected fact: the moderator's decision on the person's objection."""
    source = Source(kind="other", form_type="objection", document_id=f"objection-{objection.id}",
                    title="Correction by the listed person",
                    filed_on=(objection.decided_at or utcnow()).date())
    db.session.add(source)
    return source


def correct_position(position: Position, objection: Objection) -> None:
    """Apply an upheld correction of `position` (see the module docstring)."""
    correction = read_correction(objection.corrected_value or "")
    position.title = correction.title or position.title
    position.source = decision_source(objection)
    if correction.ended:
        position.is_current = False
        position.end_date = correction.end_date or position.source.filed_on
        position.end_precision = correction.end_precision
