"""How shareholders reach the board, from a proxy statement (DEF 14A).

Pure: the primary document's bytes in, the board's channels out. Proxy statements are long
(2 MB is common) and the section's heading varies ("Communications with the Board",
"Communicating Concerns to the Board", "Shareholder Communications", "Contacting the
Board"), and it appears first in the table of contents: the section taken is the first
heading followed by a paragraph that says how to communicate. Its phone line, email address and
web form are read from the section; the postal address too, or, when the section names none
(it often says "write to the Secretary"), the Secretary's address the statement gives most
often elsewhere.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .press import EMAIL, PHONE, document_lines

BOARD_HEADING = re.compile(
    r"^(?:[\d.]+\s*)?(?:communicat\w*(?: concerns| directly)? (?:with|to) (?:the |our )?"
    r"(?:board|directors|non-management)"
    r"|(?:shareholder|stockholder|security ?holder|shareowner)s?['’]? communications?\b"
    r"|(?:how to )?contact(?:ing)? (?:the|our) (?:board|directors))", re.IGNORECASE)
HOW_TO = re.compile(r"\b(?:communicat\w*|contact\w*|writ\w+|call\w*|send\w*|mail\w*)\b", re.IGNORECASE)
ZIP = r"\b\d{5}(?:-\d{4})?\b"
# An address runs to its ZIP code, through no semicolon and no colon but a mail stop's.
ADDRESS_TEXT = r"(?:[^;:]|(?<=Stop):|(?<=Drop):|(?<=MS):)"
SECRETARY_ADDRESS = re.compile(rf"\b((?:Corporate\s+)?Secretary,\s{ADDRESS_TEXT}{{5,160}}?{ZIP})")
CARE_OF = re.compile(rf"\b(c/o\s{ADDRESS_TEXT}{{5,160}}?{ZIP})", re.IGNORECASE)
ENDS_WITH_ZIP = re.compile(rf"{ZIP}\W*$")
WEB = re.compile(r"\b(https?://[^\s\"'<>)]+|www\.[^\s\"'<>)]+)", re.IGNORECASE)
SECTION_LINES = 12
LABEL = "Board of directors, via the Corporate Secretary"


@dataclass(frozen=True)
class BoardChannel:
    kind: str  # postal | phone | email | web_form
    value: str
    label: str = LABEL


def parse_board_communications(content: bytes | str) -> tuple[BoardChannel, ...]:
    """The board's postal address, phone line, email and web form; () without such a section."""
    lines = document_lines(content)
    section = _section(lines)
    if section is None:
        return ()
    channels: list[BoardChannel] = []
    postal = _address(section) or _address(" ".join(lines), most_common=True)
    if postal:
        channels.append(BoardChannel("postal", postal))
    phones = [m.group(0) for m in PHONE.finditer(section) if 10 <= sum(ch.isdigit() for ch in m.group(0)) <= 15]
    channels += [BoardChannel("phone", p) for p in dict.fromkeys(phones)]
    channels += [BoardChannel("email", e) for e in dict.fromkeys(EMAIL.findall(section))]
    forms = [w.rstrip(".,;") for w in WEB.findall(section) if not EMAIL.search(w)]
    channels += [BoardChannel("web_form", w if w.lower().startswith("http") else f"https://{w}")
                 for w in dict.fromkeys(forms)]
    return tuple(channels)


def _section(lines: list[str]) -> str | None:
    """The text under the first board-communications heading that reads like instructions."""
    for index, line in enumerate(lines[:-1]):
        if len(line) > 90 or not BOARD_HEADING.match(line):
            continue
        first_paragraph = lines[index + 1]  # in the table of contents: a page number or the next title
        if len(first_paragraph) > 60 and HOW_TO.search(first_paragraph):
            return _cut_at_next_heading(lines[index + 1:index + 1 + SECTION_LINES])
    return None


def _cut_at_next_heading(lines: list[str]) -> str:
    """The section's paragraphs, up to the next short title-like line after the first paragraph.

    An address set out line by line after "by writing to:" is no title: its short lines are
    kept up to the one ending with a ZIP code, and joined with commas as one address.
    """
    text, in_address = "", False
    for line in lines:
        if text and not in_address and len(line) < 70 and not line.rstrip().endswith((".", ":", ",", ";")) \
                and line[:1].isupper():
            break
        if text:
            text += ", " if in_address and not text.endswith(":") else " "
        text += line
        in_address = line.rstrip().endswith(":") or (in_address and len(line) < 70 and not ENDS_WITH_ZIP.search(line))
    return text


def _address(text: str, most_common: bool = False) -> str | None:
    found = [m.group(1).strip() for pattern in (CARE_OF, SECRETARY_ADDRESS) for m in pattern.finditer(text)]
    if not found:
        return None
    return Counter(found).most_common(1)[0][0] if most_common else found[0]
