"""Conservative detection of departed officers in an 8-K item 5.02 text.

Only names the caller already knows (the company's reporting owners) are looked for, and a
name counts as departed only when a departure verb follows it closely with no appointment
word in between: "X will retire and Y was appointed" marks X, never Y. Anything less clear
is left for a person to review through the LeadershipChangeRecord, whose one-line summary
(`leadership_sentence`) is the item's sentence naming who leaves or joins.
"""
from __future__ import annotations

import re

from lxml import etree, html

# Verb forms spelled out where a bare stem would also match "department", "electronic",
# "joint venture" or "promotional".
DEPARTURE = re.compile(
    r"\b(?:resign\w*|retire\w*|retiring|step(?:ped|s|ping)? down|depart(?:s|ed|ing|ure)?|terminat\w*|"
    r"will not stand for re-?election|separat(?:e|ed|ion) from)\b", re.IGNORECASE)
APPOINTMENT = re.compile(r"\b(?:appoint\w*|elect(?:s|ed|ing|ion)?|name[ds]?|succeed\w*|promot(?:e|es|ed|ing|ion)|"
                         r"hire\w*|join(?:s|ed|ing)?|became|become\w*|transition\w*)\b", re.IGNORECASE)
ITEM_502 = re.compile(r"item\s*5\.02(.*?)(?:item\s*\d+\.\d\d|signatures?\b|$)", re.IGNORECASE | re.DOTALL)
WINDOW = 200  # characters between a name and its verb


def document_text(content: bytes | str) -> str:
    """Visible text of an HTML filing document, whitespace collapsed."""
    try:
        tree = html.fromstring(content)
    except (etree.ParserError, ValueError):
        return ""
    for element in tree.xpath("//script|//style|//*[local-name()='header']"):
        element.drop_tree()
    return re.sub(r"\s+", " ", tree.text_content()).strip()


def item_502_text(text: str) -> str:
    match = ITEM_502.search(text)
    return match.group(1) if match else ""


def departed_people(content: bytes | str, people: dict[str, str]) -> tuple[str, ...]:
    """Keys of `people` ({external_id: raw filed name}) whom the 5.02 text says are leaving."""
    text = item_502_text(document_text(content))
    if not text:
        return ()
    departed = []
    for key, raw_name in people.items():
        for start in _name_positions(text, raw_name):
            following = text[start:start + WINDOW]
            verb = DEPARTURE.search(following)
            if verb and not APPOINTMENT.search(following[:verb.start()]):
                departed.append(key)
                break
    return tuple(departed)


def _name_positions(text: str, raw_name: str) -> list[int]:
    """Where the person is named: surname and first given name within a few words."""
    words = [w for w in re.findall(r"[^\W\d_][\w'-]+", raw_name)]
    if len(words) < 2:
        return []
    surname, given = re.escape(words[0]), re.escape(words[1])
    pattern = rf"\b{given}\b(?:\W+\w+\.?){{0,2}}?\W+{surname}\b|\b{surname}\b,?\s+{given}\b"
    return [match.start() for match in re.finditer(pattern, text, re.IGNORECASE)]


SENTENCE_END = re.compile(r"(?<=[a-z0-9\)]\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bMrs\.)(?<!\bDr\.)\s*(?=[A-Z])")
# The item's own heading ("Departure of Directors or Certain Officers; Election of ...").
HEADING_502 = re.compile(r"^\W*departure of directors.*?compensatory arrangements of certain officers\W*",
                         re.IGNORECASE | re.DOTALL)
PARAGRAPH_LETTER = re.compile(r"^\(?[a-f]\)\s*")
SUMMARY_LENGTH = 300  # characters: one line in the moderators' queue
# "Named Executive Officers" is the proxy's term for the best-paid officers, not someone named.
MOVE = re.compile(rf"(?:{DEPARTURE.pattern}|{APPOINTMENT.pattern})(?!\s+executive\s+officers?\b)", re.IGNORECASE)
PAY = re.compile(r"\b(?:compensat\w*|salar\w*|bonus\w*|awards?|grants?|stock options?|equity|incentive|"
                 r"severance|pay|payments?|retention)\b", re.IGNORECASE)
ROLE = re.compile(r"\b(?:chief\s+\w+(?:\s+\w+)?\s+officer|CEO|CFO|COO|CTO|president|chair(?:man|woman|person)?|"
                  r"directors?|board|secretary|treasurer|controller|general counsel|officer)\b", re.IGNORECASE)
# A person as filings name one: "Dina Powell McCormick", "Gary S. Shedlin", "Ms. Roe".
PERSON = re.compile(r"\b(?:(?:Mr|Ms|Mrs|Dr)\.\s+[A-Z][\w'-]+"
                    r"|[A-Z][a-z'-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-z'-]*[a-z]){1,2})\b")
NOT_A_NAME = re.compile(r"\b(?:Chief|Officer|Executive|President|Board|Directors?|Company|Committee|Inc|Corp\w*|"
                        r"Securities|Exchange|Commission|Report|Form|Item|Annual|Meeting|Plan|Agreement|"
                        r"Platforms|Group|Holdings|Vice|Chair\w*|Financial|Operating|The|On|In|As|Also|Effective|"
                        r"January|February|March|April|May|June|July|August|September|October|November|December)\b")


def leadership_sentence(content: bytes | str) -> str | None:
    """The sentence of item 5.02 that best says who leaves or joins, for a moderator to read
    in one line (cut at SUMMARY_LENGTH); None when the item names no such move.

    A pay table or a bonus decision is filed under item 5.02(e) too and reads like a move
    ("the Named Executive Officers", "approved"), so sentences about pay are kept only when
    they also name a person, and the first sentence naming a person and a role wins over one
    naming only either (`_rank`).
    """
    text = HEADING_502.sub("", item_502_text(document_text(content)), count=1)
    best = None
    for sentence in SENTENCE_END.split(text):
        sentence = PARAGRAPH_LETTER.sub("", sentence.strip())
        verb = MOVE.search(sentence)
        rank = _rank(sentence) if verb else None
        if rank is not None and (best is None or rank > best[0]):
            best = (rank, sentence, verb.start())
    return _one_line(best[1], best[2]) if best else None


def _people(sentence: str) -> list[re.Match]:
    """Capitalised names that are not a title, a company, a month or a sentence's first word."""
    return [match for match in PERSON.finditer(sentence) if not NOT_A_NAME.search(match.group())]


def _rank(sentence: str) -> tuple[bool, bool] | None:
    """(names a person, names a role) for a sentence with a move verb; None for one that only
    speaks of pay."""
    person = bool(_people(sentence))
    if PAY.search(sentence) and not person:
        return None
    return person, bool(ROLE.search(sentence))


def _one_line(sentence: str, verb_at: int) -> str:
    """A long sentence keeps the words from the person named just before its verb (who leaves
    or joins), or around the verb when no one is named close before it."""
    if len(sentence) <= SUMMARY_LENGTH:
        return sentence
    reach = max(0, verb_at - SUMMARY_LENGTH // 3)
    named = [match.start() for match in _people(sentence) if reach <= match.start() < verb_at]
    if named:
        start = named[-1]
    else:
        start = sentence.find(" ", reach) + 1 if reach else 0
    window = sentence[start:start + SUMMARY_LENGTH - 2].rstrip()
    return ("…" if start else "") + window + ("…" if start + len(window) < len(sentence) else "")
