"""Conservative detection of departed officers in an 8-K item 5.02 text.

Only names the caller already knows (the company's reporting owners) are looked for, and a
name counts as departed only when a departure verb follows it closely with no appointment
word in between: "X will retire and Y was appointed" marks X, never Y. Anything less clear
is left for a person to review through the LeadershipChangeRecord.
"""
from __future__ import annotations

import re

from lxml import etree, html

DEPARTURE = re.compile(
    r"\b(?:resign\w*|retire\w*|retiring|step(?:ped|s|ping)? down|depart\w*|terminat\w*|"
    r"will not stand for re-?election|separat(?:e|ed|ion) from)\b", re.IGNORECASE)
APPOINTMENT = re.compile(r"\b(?:appoint\w*|elect\w*|name[ds]?|succeed\w*|promot\w*|hire\w*|join\w*|"
                         r"became|become\w*|transition\w*)\b", re.IGNORECASE)
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


SENTENCE_END = re.compile(r"(?<=[a-z0-9\)]\.)\s*(?=[A-Z])")
# The item's own heading ("Departure of Directors or Certain Officers; Election of ...").
HEADING_502 = re.compile(r"^\W*departure of directors.*?compensatory arrangements of certain officers\W*",
                         re.IGNORECASE | re.DOTALL)
PARAGRAPH_LETTER = re.compile(r"^\(?[a-f]\)\s*")
SUMMARY_LENGTH = 300  # characters: one line in the moderators' queue


def leadership_sentence(content: bytes | str) -> str | None:
    """The first sentence of item 5.02 that says someone leaves or joins, for a moderator to
    read in one line (cut at SUMMARY_LENGTH); None when the item names no such move."""
    text = HEADING_502.sub("", item_502_text(document_text(content)), count=1)
    for sentence in SENTENCE_END.split(text):
        moves = [match.start() for match in (DEPARTURE.search(sentence), APPOINTMENT.search(sentence)) if match]
        if moves:
            return _one_line(PARAGRAPH_LETTER.sub("", sentence.strip()), min(moves))
    return None


def _one_line(sentence: str, verb_at: int) -> str:
    """A long sentence keeps the words around its verb: who leaves or joins is named there."""
    if len(sentence) <= SUMMARY_LENGTH:
        return sentence
    start = max(0, verb_at - SUMMARY_LENGTH // 3)
    start = sentence.find(" ", start) + 1 if start else 0
    window = sentence[start:start + SUMMARY_LENGTH - 2].rstrip()
    return ("…" if start else "") + window + ("…" if start + len(window) < len(sentence) else "")
