"""Free-text officer titles -> a normalised role and "is this the CEO?" with a confidence.

No register has a CEO field: SEC Form 4 carries a free-text `officerTitle` ("President & CEO",
"See Remarks"). The raw title is always kept next to the derived values, which a person can
correct. The rules lean towards "not the CEO": a subsidiary's chief executive ("CEO of AWS",
"President and CEO, Tesla Energy") or a former one is never the company's CEO.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

ROLES = ("ceo", "chair", "president", "cfo", "coo", "director", "secretary", "other")

CEO_CONFIDENCE = 0.95
CO_CEO_CONFIDENCE = 0.8
PRINCIPAL_EXECUTIVE_CONFIDENCE = 0.85
INTERIM_CONFIDENCE = 0.6
REMARKS_FACTOR = 0.9  # the title was found in free-text remarks, not the title field

CEO = re.compile(r"\b(?:co-?)?(?:chief exec(?:utive)?(?: off(?:icer)?)?|ceo)\b|\bprincipal executive officer\b")
CO_CEO = re.compile(r"\bco-?(?:chief executive|ceo)\b")
PRINCIPAL_EXECUTIVE = re.compile(r"\bprincipal executive officer\b")
INTERIM = re.compile(r"\b(?:interim|acting|temporary)\b")
NOT_CURRENT = re.compile(r"\b(?:former|formerly|ex|retired|emeritus|previously|past|outgoing|resigned)\b")
# Not (yet) the chief executive: a CEO-elect, or someone who works for or beside the CEO.
NOT_THE_CEO = re.compile(r"\b(?:elect|designate)\b|\bto (?:the )?(?:chairman and )?ceo\b|\boffice of the ceo\b")
CHAIR = re.compile(r"\b(?:chair(?:man|woman|person)?)\b(?! of the (?:audit|compensation|nominating))")
VICE = re.compile(r"\bvice[- ]?(?:chair|president)|\bvp\b|\bsvp\b|\bevp\b")
PRESIDENT = re.compile(r"\bpres(?:ident)?\b")
CFO = re.compile(r"\b(?:chief financial officer|cfo|principal financial officer)\b")
COO = re.compile(r"\b(?:chief operating officer|coo)\b")
SECRETARY = re.compile(r"\b(?<!assistant )(?:corporate )?secretary\b")
# Words of job titles. A qualifier after "of", a comma, a dash or "(" made only of these is
# part of the title ("CEO and Director", "SVP, GC and Secretary"); any other word names a
# business unit or another company ("CEO of AWS", "President and CEO, Tesla Energy").
ROLE_WORDS = frozenset(
    """and the of a board director directors chairman chairwoman chair chairperson president
    member officer officers executive chief principal ceo co-ceo co founder cofounder co-founder
    interim acting company corporation treasurer secretary trustee senior vice executive evp svp
    vp cfo coo cto cio cao clo cmo cco chro gc peo pfo pao general counsel legal financial finance operating
    operations accounting controller technology information human resources people marketing
    sales strategy global worldwide head products product services customer digital
    administrative administration business development corporate affairs communications risk
    compliance investment investments commercial medical scientific research engineering
    managing partner lead independent non-executive nonexecutive 10% owner see remarks group
    innovation chairman's office bod bd pres exec off co non""".split()
)


@dataclass(frozen=True)
class TitleClass:
    role: str = "other"
    is_ceo: bool = False
    ceo_confidence: float = 0.0


def classify_title(title: str | None, *, is_director: bool = False, from_remarks: bool = False) -> TitleClass:
    """Role and CEO likelihood of one filed title.

    `is_director` is the filing's director flag: a director with no (or no recognised)
    officer title gets the role "director". `from_remarks` lowers the confidence a little,
    since remarks are prose that may mention other people's roles.
    """
    fallback = TitleClass("director" if is_director else "other")
    text = _normalise(title)
    if not text or NOT_CURRENT.search(text):
        return fallback
    if CEO.search(text):
        if NOT_THE_CEO.search(text) or _names_a_unit(text):
            return fallback
        confidence = _ceo_confidence(text) * (REMARKS_FACTOR if from_remarks else 1.0)
        return TitleClass("ceo", True, round(confidence, 2))
    if _names_another_entity(text):
        return fallback
    for role, pattern in (("chair", CHAIR), ("president", PRESIDENT), ("cfo", CFO), ("coo", COO),
                          ("secretary", SECRETARY)):
        if pattern.search(_without_vice(text)):
            return TitleClass(role)
    return fallback


def _normalise(title: str | None) -> str:
    """Lower case, "&" spelled out, abbreviations' dots dropped ("Pres. & CEO": "pres and ceo")."""
    text = (title or "").lower().replace("&", " and ").replace("\u2019", "'")
    text = re.sub(r"(?<=\w)\.(?=[\s,&]|$)|(?<=\w)\.(?=\w)", " ", text)
    text = re.sub(r"[/;]", ", ", text)
    return re.sub(r"\s+", " ", text).strip(" .,-")


def _without_vice(text: str) -> str:
    """ "Senior Vice President" is not the president; "Vice Chairman" is not the chair."""
    return VICE.sub(" ", text)


def _ceo_confidence(text: str) -> float:
    if INTERIM.search(text):
        return INTERIM_CONFIDENCE
    if CO_CEO.search(text):
        return CO_CEO_CONFIDENCE
    if PRINCIPAL_EXECUTIVE.search(text) and not re.search(r"\bchief executive|\bceo\b", text):
        return PRINCIPAL_EXECUTIVE_CONFIDENCE
    return CEO_CONFIDENCE


def _names_a_unit(text: str) -> bool:
    """True when a CEO title has any word that is not a job-title word: the chief executive
    of a division, region or subsidiary, wherever its name stands ("CEO Brazil", "Taco Bell,
    CEO", "CEO-Fabric Home and Habitat Care", "ceo, International"). The group's CEO is
    titled with role words only ("Chairman, President and CEO", "Co-CEO and Director")."""
    return any(word not in ROLE_WORDS for word in re.split(r"[^a-z0-9'%]+", text) if word)


def _names_another_entity(text: str) -> bool:
    """True when the title is qualified by a business unit: "CEO of AWS", "CEO, Tesla Energy".

    Everything after an "of", a comma, a dash or inside parentheses must be role words
    ("Chairman and CEO", "CEO and Director", "CEO (Principal Executive Officer)") or the
    title belongs to someone else's organisation.
    """
    for qualifier in re.findall(r"(?:\bof\b|,| - |\(|\bat\b|\bfor\b)([^,()]*)", text):
        words = [w for w in re.split(r"[\s)]+", qualifier) if w]
        if words and not all(w.strip(".") in ROLE_WORDS for w in words):
            return True
    return False


# Companies House: an officer's appointment role, and their self-declared occupation.
OCCUPATION_CEO_CONFIDENCE = 0.7  # "Chief Executive": often this company, sometimes another one
MANAGING_DIRECTOR_CONFIDENCE = 0.6  # the UK title of a small company's chief executive
MANAGING_DIRECTOR = re.compile(r"\bmanaging director\b")
NOT_THE_TOP = re.compile(r"\b(?:deputy|assistant|vice|associate|regional|divisional|country|area|joint)\b")
REGISTRY_ROLES = {
    "director": "director", "corporate-director": "director", "nominee-director": "director",
    "corporate-nominee-director": "director", "secretary": "secretary", "corporate-secretary": "secretary",
    "nominee-secretary": "secretary", "corporate-nominee-secretary": "secretary",
}


def classify_occupation(occupation: str | None, officer_role: str | None) -> TitleClass:
    """Role from the appointment, and an inferred CEO from a director's occupation.

    The occupation is what the person wrote on the form, about themselves, not about this
    appointment: a non-executive director's "Chief Executive" may be another company's. So
    the confidence stays below 0.9 and the page marks the CEO "inferred" until a moderator
    confirms. Secretaries and other appointments are never inferred CEOs.
    """
    role = REGISTRY_ROLES.get((officer_role or "").strip().lower(), "other")
    text = _normalise(occupation)
    if role != "director" or not text or NOT_CURRENT.search(text) or NOT_THE_TOP.search(text):
        return TitleClass(role)
    if _names_another_entity(text) or "non-executive" in text or "non executive" in text:
        return TitleClass(role)
    if CEO.search(text) and not CO_CEO.search(text):
        confidence = INTERIM_CONFIDENCE if INTERIM.search(text) else OCCUPATION_CEO_CONFIDENCE
        return TitleClass(role, True, confidence)
    if MANAGING_DIRECTOR.search(text):
        return TitleClass(role, True, MANAGING_DIRECTOR_CONFIDENCE)
    return TitleClass(role)
