"""Compose a complaint letter from a template and the user's case. Pure: nothing is stored.

A letter is a list of paragraphs made of segments; a segment is fixed text or one of the
user's fields. Keeping the fields as segments (instead of one formatted string) lets the page
mark them up so the preview can update as the user types (static/js/site.js), while the
plain text below (for the mailto link and the copy button) is built by the same rules:
an optional paragraph or segment disappears when its field is empty, a required field shows
a bracketed placeholder.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from urllib.parse import quote

from .. import clock

# The letter that usually fits each rung, preselected when the user changes rung.
DEFAULT_LETTER = {
    "customer_service": "first_complaint",
    "complaints": "first_complaint",
    "executive_office": "executive_escalation",
    "ceo": "executive_escalation",
    "regulator": "ombudsman_referral",
}

PLACEHOLDERS = {
    "your_name": "[Your name]",
    "your_address": "[Your address]",
    "what_happened": "[What happened]",
    "dates": "[Dates]",
    "references": "[Reference numbers]",
    "tried": "[What you have tried]",
    "wanted": "[What you want them to do]",
}
USER_FIELDS = tuple(PLACEHOLDERS)
_SLOT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Case:
    """What the user tells us about their problem; every field may be empty."""

    your_name: str = ""
    your_address: str = ""
    what_happened: str = ""
    dates: str = ""
    references: str = ""
    tried: str = ""
    wanted: str = ""

    @classmethod
    def from_form(cls, form) -> "Case":
        return cls(**{f.name: (form.get(f.name) or "").strip() for f in fields(cls)})


@dataclass(frozen=True)
class Recipient:
    name: str  # a person, or a team such as "Complaints Team"
    organisation: str
    title: str | None = None
    postal_lines: tuple[str, ...] = ()
    email: str | None = None
    email_is_inferred: bool = False
    greeting_name: str | None = None  # None: "Dear Sir or Madam"


@dataclass(frozen=True)
class Segment:
    text: str
    field: str | None = None  # the user field this segment shows, if any
    requires: str | None = None  # hidden when this user field is empty


@dataclass(frozen=True)
class Paragraph:
    segments: tuple[Segment, ...]
    requires: str | None = None

    def text(self, case: Case) -> str:
        return "".join(s.text for s in self.segments if not s.requires or getattr(case, s.requires))

    def shown(self, case: Case) -> bool:
        return not self.requires or bool(getattr(case, self.requires))


@dataclass(frozen=True)
class LetterTemplate:
    key: str
    title: str
    rung: str  # the rung this letter is usually sent to
    subject: tuple  # pieces: "text" or (requires, "text")
    paragraphs: tuple  # pieces as above, one per paragraph


TEMPLATES = {t.key: t for t in (
    LetterTemplate(
        "first_complaint", "First complaint", "complaints",
        ("Formal complaint", ("references", " (reference {references})")),
        ("I am writing to make a formal complaint to {organisation}.",
         "What happened: {what_happened}",
         ("dates", "Relevant dates: {dates}"),
         ("references", "Reference numbers: {references}"),
         ("tried", "What I have done so far: {tried}"),
         "To put this right, I would like: {wanted}",
         "Please treat this as a formal complaint, acknowledge it, and reply to me in writing with your "
         "decision. I have kept a copy of this letter."),
    ),
    LetterTemplate(
        "executive_escalation", "Executive escalation", "ceo",
        ("Unresolved complaint: request for your help", ("references", " (reference {references})")),
        ("I am writing to you because my complaint to {organisation} has not been resolved through the "
         "usual channels, and I would be grateful for your personal help.",
         "What happened: {what_happened}",
         ("dates", "Relevant dates: {dates}"),
         ("references", "Reference numbers: {references}"),
         ("tried", "What I have already tried: {tried}"),
         "What I am asking for: {wanted}",
         "Please ask someone in your office to look into this and contact me within 7 days. "
         "If it cannot be resolved, I will take it further."),
    ),
    LetterTemplate(
        "deadlock_request", "Request for a final response (deadlock letter)", "complaints",
        ("Request for a final response to my complaint", ("references", " (reference {references})")),
        ("I made a complaint to {organisation} that has not been resolved.",
         "What happened: {what_happened}",
         ("dates", "Relevant dates: {dates}"),
         ("references", "Reference numbers: {references}"),
         ("tried", "What I have done so far: {tried}"),
         "What I am asking for: {wanted}",
         "Please either resolve my complaint as set out above or send me your final response in "
         "writing (a deadlock letter), so that I can refer it to {referral_body}."),
    ),
    LetterTemplate(
        "ombudsman_referral", "Referral to the regulator or ombudsman", "regulator",
        ("Complaint about {company}", ("references", " (reference {references})")),
        ("I would like to refer my unresolved complaint about {company} to {organisation}.",
         "What happened: {what_happened}",
         ("dates", "Relevant dates, including when I complained: {dates}"),
         ("references", "Reference numbers: {references}"),
         ("tried", "What I have done to resolve it with the company: {tried}"),
         "The outcome I am seeking: {wanted}",
         "I can provide copies of my correspondence with the company. Please let me know what you need "
         "from me to take this forward."),
    ),
)}


@dataclass(frozen=True)
class Letter:
    template: LetterTemplate
    case: Case
    recipient: Recipient
    subject_line: Paragraph
    paragraphs: tuple[Paragraph, ...]
    written_on: date

    @property
    def greeting(self) -> str:
        name = self.recipient.greeting_name
        return f"Dear {name}," if name else "Dear Sir or Madam,"

    @property
    def subject(self) -> str:
        return self.subject_line.text(self.case)

    @property
    def signature(self) -> str:
        return self.case.your_name or PLACEHOLDERS["your_name"]

    @property
    def body(self) -> str:
        """The plain text of the letter from greeting to signature, as the email body."""
        shown = [p.text(self.case) for p in self.paragraphs if p.shown(self.case)]
        return "\n\n".join([self.greeting, *shown, "Yours sincerely,\n" + self.signature])

    @property
    def mailto(self) -> str:
        return mailto_url(self.recipient.email, self.subject, self.body)


def _paragraph(piece, context: dict, case: Case) -> Paragraph:
    requires, text = piece if isinstance(piece, tuple) else (None, piece)
    return Paragraph(_segments(text, context, case, requires), requires)


def _segments(text: str, context: dict, case: Case, requires: str | None = None) -> tuple[Segment, ...]:
    segments = []
    for index, part in enumerate(_SLOT.split(text)):
        if index % 2 == 0:
            if part:
                segments.append(Segment(part, requires=requires))
        elif part in USER_FIELDS:
            segments.append(Segment(getattr(case, part) or PLACEHOLDERS[part], field=part, requires=requires))
        else:
            segments.append(Segment(context[part], requires=requires))
    return tuple(segments)


def compose(template_key: str, case: Case, recipient: Recipient, *, company: str,
            referral_body: str = "the ombudsman", today: date | None = None) -> Letter:
    """The letter `template_key` to `recipient` about `company`, dated today."""
    template = TEMPLATES[template_key]
    context = {"organisation": recipient.organisation, "company": company, "referral_body": referral_body}
    subject = []
    for piece in template.subject:
        requires, text = piece if isinstance(piece, tuple) else (None, piece)
        subject.extend(_segments(text, context, case, requires))
    paragraphs = tuple(_paragraph(piece, context, case) for piece in template.paragraphs)
    return Letter(template, case, recipient, Paragraph(tuple(subject)), paragraphs, today or clock.today())


def _encode(value: str) -> str:
    """RFC 6068 hfvalue: UTF-8 percent-encoding, line breaks as CRLF, nothing left bare but
    unreserved characters (so space is %20, never "+", and & ? # = % are encoded)."""
    normalised = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    return quote(normalised, safe="")


def mailto_url(to: str | None, subject: str, body: str) -> str:
    address = quote(to or "", safe="@")
    return f"mailto:{address}?subject={_encode(subject)}&body={_encode(body)}"
