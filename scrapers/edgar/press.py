"""Contacts in press releases: the EX-99 exhibits of 8-K and 6-K filings.

Pure functions, bytes in and plain dataclasses out. A filing is read from its complete
submission text file (SGML `<DOCUMENT>` parts); each press release is turned into lines the
way a reader sees them (one line per paragraph, cell or `<br>`), then contact blocks are
found by their headings ("Press Contact:", "Investor Relations Contacts:", "Contact:", "For
additional information, please contact:", wire-service "/CONTACT: ... /") and read person
by person. Nothing outside a contact block is taken, so a release without one yields
nothing rather than a guess; the one exception is the press office's own line ("call
Apple's Media Helpline at ..."), which is a channel, not a person.
"""
from __future__ import annotations

import html as html_entities
import re
from dataclasses import dataclass, field

from lxml import etree

from ..channels import channel_key
from ..errors import ParseError

PRESS, INVESTOR_RELATIONS, OTHER = "press", "investor_relations", "other"

SGML_FIELD = re.compile(rb"^<(TYPE|FILENAME|DESCRIPTION)>([^\r\n<]*)", re.MULTILINE | re.IGNORECASE)
CONFORMED_NAME = re.compile(rb"COMPANY CONFORMED NAME:\s*([^\r\n]+)")
LOOKS_HTML = re.compile(rb"<(?:html|body|p|div|table|font|br)\b", re.IGNORECASE)

EMAIL = re.compile(r"[A-Za-z0-9][\w.+\-]*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<![\w/])(?:\+\d{1,3}[\s.\-]?)?(?:\(\d{1,5}\)[\s.\-]?)?\d{1,5}(?:[\s.\-]\d{1,8}){1,5}(?![\w/])")
PHONE_LABEL = re.compile(r"^(?:tel(?:ephone)?|phone|ph|office|direct|mobile|cell|t|m|o)\.?\s*:?\s*", re.IGNORECASE)
EMAIL_LABEL = re.compile(r"^e-?mail\s*:?\s*", re.IGNORECASE)
HEADING = re.compile(
    r"^[\[\(\s*]*(?P<words>for (?:additional|more|further) information,?(?: please)? contact"
    r"|(?:[a-z&/\-]+ ){0,3}contacts?(?: information)?)\s*[:\]\)]*\s*(?P<rest>.*)$", re.IGNORECASE)
WIRE_CONTACT = re.compile(r"/\s*CONTACT:\s*(?P<body>[^/]+?)\s*/", re.IGNORECASE)
HELPLINE = re.compile(
    r"(?P<label>(?:media|press|news)\s+(?:help\s?line|hotline|line|desk))\s+at\s+(?P<value>\S[^,;]*?)[.,;]?\s*$",
    re.IGNORECASE | re.MULTILINE)
# "Media Relations" alone on a line, above a person (a column of a contact table): a sub-heading.
SUBHEADING = re.compile(r"^(?:media|press|news|investors?|ir|public|financial|analysts?)(?: (?:and|&) \w+)?"
                        r"(?: relations| inquiries| contacts?)?\s*:?$", re.IGNORECASE)
STOP = re.compile(r"^(?:note to editors|about\b|forward[- ]looking|safe harbor|source:|#{2,}|[©\-+*=_]{3,}|\(c\)\s*\d|- -c-)",
                  re.IGNORECASE)
# A name's words in any script ("José Núñez", "Zoë O’Neill"): a letter that is not ASCII
# lowercase, then letters, apostrophes or hyphens (`[^\W\d_]` is any letter).
NAME_WORD = r"[^\W\d_a-z](?:[^\W\d_]|['’\-])+"
NAME = re.compile(rf"^(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?{NAME_WORD}(?:\s+(?:[^\W\d_a-z]\.|{NAME_WORD})){{1,3}}$")
NAME_SUFFIX = re.compile(r"^(?:ph\.?\s?d\.?|jr\.?|sr\.?|m\.?d\.?|cfa|cpa|ii|iii|iv)$", re.IGNORECASE)
# A firm's legal form. Not "Company" or a bare "Co": "Company Secretary" and "Co-Founder" are titles.
ORG_SUFFIX = re.compile(r"\b(?:inc|llc|l\.l\.c|ltd|limited|corp|corporation|plc|n\.v|nv|s\.a|a\.g|gmbh|lp|llp)\b\.?"
                        r"|\bco\.(?=\s|,|$)", re.IGNORECASE)
# Words that make a capitalised line a department or a firm rather than a person.
NOT_NAME_WORDS = {"office", "press", "media", "relations", "investor", "investors", "communications", "global",
                  "helpline", "hotline", "department", "team", "advisors", "advisers", "partners", "news", "public",
                  "contact", "contacts", "information", "group", "agency", "inquiries", "desk", "corporate",
                  # and job titles, which are capitalised too ("Company Secretary", "Vice President")
                  "company", "secretary", "officer", "president", "vice", "director", "manager", "head", "chief",
                  "treasurer", "counsel", "spokesperson", "executive", "founder", "chairman", "chair", "senior"}
ROLE_WORDS = ((INVESTOR_RELATIONS, re.compile(r"\b(?:investor|investors|ir|analysts?|shareholder)\b", re.IGNORECASE)),
              (PRESS, re.compile(r"\b(?:press|media|news|public relations|communications|pr)\b", re.IGNORECASE)))
# Mailboxes of an office, not of a person: they go to the press office or IR, never a name.
GENERIC_MAILBOX = re.compile(r"^(?:media|press|news|newsroom|pr|ir|investor|investors|investorrelations|"
                             r"investor\.relations|communications|comms|info|contact)(?:[._\-]?\w*)?$", re.IGNORECASE)
COMPANY_STOPWORDS = {"inc", "corp", "corporation", "company", "co", "ltd", "limited", "llc", "plc", "nv", "sa", "ag",
                     "the", "group", "holdings", "international", "of", "and", "&", "de", "del"}
BLOCK_TAGS = {"p", "div", "br", "tr", "td", "th", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
              "dt", "dd", "blockquote", "center", "pre", "section", "article", "header", "footer", "hr", "title",
              "address", "dl", "main", "nav", "aside", "figure", "figcaption", "caption"}
BREAK = "\ue000"  # a line break between blocks (a private-use character), apart from the whitespace inside them
SPACES = re.compile(r"\s+")
MAX_BLOCK_LINES = 30
MAX_LINE_IN_BLOCK = 110  # a longer line is prose: the block has ended


@dataclass(frozen=True)
class SgmlDocument:
    """One `<DOCUMENT>` of a complete submission text file."""

    type: str
    filename: str | None
    description: str | None
    content: bytes


@dataclass(frozen=True)
class SubmissionFile:
    company_name: str | None
    documents: tuple[SgmlDocument, ...]

    @property
    def press_releases(self) -> tuple[SgmlDocument, ...]:
        """The EX-99 exhibits; a 6-K without any is its own press release (foreign issuers
        often file the release as the 6-K document itself)."""
        exhibits = tuple(d for d in self.documents if d.type.upper().startswith("EX-99"))
        if not exhibits and self.documents[0].type.upper().startswith("6-K"):
            return self.documents[:1]
        return exhibits


@dataclass(frozen=True)
class PressContact:
    """One channel from a contact block: a person's email or phone, or an office's."""

    kind: str  # email | phone
    value: str
    role: str  # press | investor_relations | other
    person_name: str | None = None  # None: the press office's or IR's own line or mailbox
    organisation: str | None = None  # set only when the channel is another organisation's
    label: str | None = None  # the person's title, or the line's name ("Media Helpline")


def parse_submission_file(data: bytes, *, url: str | None = None) -> SubmissionFile:
    """The documents of `<accession>.txt`; ParseError when it has no `<DOCUMENT>` with a `<TYPE>`."""
    documents = []
    for part in data.split(b"<DOCUMENT>")[1:]:  # str methods, not a regex: these files reach megabytes
        part = part.split(b"</DOCUMENT>", 1)[0]
        fields = {name.upper().decode(): value.strip().decode("latin-1") for name, value in SGML_FIELD.findall(part[:2000])}
        if not fields.get("TYPE"):
            continue
        _, has_text, text = part.partition(b"<TEXT>")
        documents.append(SgmlDocument(fields["TYPE"], fields.get("FILENAME") or None, fields.get("DESCRIPTION") or None,
                                      text.split(b"</TEXT>", 1)[0] if has_text else b""))
    if not documents:
        raise ParseError(url, "not an EDGAR submission file: no <DOCUMENT> with a <TYPE>")
    name = CONFORMED_NAME.search(data[:5000])
    return SubmissionFile(name.group(1).strip().decode("latin-1") if name else None, tuple(documents))


def parse_press_contacts(content: bytes | str, *, company_name: str | None) -> tuple[PressContact, ...]:
    """Every contact in one press release, each (kind, value) once, in reading order."""
    lines = document_lines(content)
    own_words = significant_words(company_name or "")
    found: list[PressContact] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        heading = HEADING.match(line) if "ONTACT" in line.upper() else None  # the cheap test first
        if heading and _is_heading(line, heading):
            block, index = _block(lines, index + 1, heading.group("rest"))
            found += _read_block(block, _role_of(heading.group("words")), own_words)
            continue
        index += 1
    text = "\n".join(lines)
    for wire in WIRE_CONTACT.finditer(text.replace("\n", " ")):
        parts = [p for p in re.split(r",\s*|;\s*|\s+or\s+|\s+of\s+", wire.group("body")) if p.strip()]
        found += _read_block(parts, OTHER, own_words)
    for line in HELPLINE.finditer(text):
        found += _office_line(line.group("value"), PRESS, line.group("label").strip())
    return _unique(found)


def document_lines(content: bytes | str) -> list[str]:
    """The document as a reader sees it: one stripped, non-empty line per block of text."""
    raw = content.encode("utf-8", "replace") if isinstance(content, str) else content
    if LOOKS_HTML.search(raw[:20000]):
        text = _html_text(raw)
    else:
        text = html_entities.unescape(_decode(raw)).replace("\n", BREAK)
    text = SPACES.sub(" ", text)  # once over the whole text: each line squashed separately costs 5x
    lines = (line.strip() for line in text.split(BREAK))
    return [line for line in lines if line]


def significant_words(name: str) -> set[str]:
    """The words of a company's name that identify it ("Apple Computer, Inc." -> apple, computer)."""
    words = re.findall(r"[a-z0-9]+", name.lower().replace("n.v.", "nv"))
    return {w for w in words if w not in COMPANY_STOPWORDS and len(w) > 1}


def is_generic_mailbox(address: str) -> bool:
    return bool(GENERIC_MAILBOX.match(address.rpartition("@")[0]))


# -- text ------------------------------------------------------------------------------------

def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def _html_text(raw: bytes) -> str:
    """The text with a BREAK around every block element.

    The breaks are written into the tree (lxml's C loops find the elements) and the text is
    serialised once: a Python walk over every element was five times slower on releases
    with large financial tables. Plain etree elements, because lxml.html's classes cost a
    lookup per element; a parser per call, because lxml parsers must not be shared between
    threads.
    """
    try:
        root = etree.fromstring(raw, etree.HTMLParser(remove_comments=True, remove_pis=True))
    except (etree.ParserError, ValueError):
        return ""
    if root is None:
        return ""
    for hidden in list(root.iter("script", "style", "head")):
        hidden.clear(keep_tail=True)
    for table in list(root.iter("table")):
        if table.getparent() is not None and _is_contact_table(table):
            columns = _table_by_columns(table)
            table.clear(keep_tail=True)
            table.text = columns
    for block in root.iter(*BLOCK_TAGS):
        block.text = BREAK + (block.text or "")
        block.tail = BREAK + (block.tail or "")
    return etree.tostring(root, method="text", encoding="unicode")


def _is_contact_table(table) -> bool:
    """A small table of two or more columns holding an email address or a phone number:
    contact tables put one person per column, so they are read column by column."""
    rows = table.xpath("./tr|./tbody/tr|./thead/tr")
    if not rows or len(rows) > 12 or max(len(r.xpath("./td|./th")) for r in rows) < 2:
        return False
    text = "".join(table.itertext())
    return len(text) < 2000 and ("@" in text or bool(PHONE.search(text)))


def _cell_text(cell) -> str:
    for block in cell.iter(*BLOCK_TAGS):
        block.tail = BREAK + (block.tail or "")
    return "".join(cell.itertext())


def _table_by_columns(table) -> str:
    rows = [r.xpath("./td|./th") for r in table.xpath("./tr|./tbody/tr|./thead/tr")]
    columns: dict[int, list[str]] = {}
    for cells in rows:
        for number, cell in enumerate(cells):
            columns.setdefault(number, []).append(_cell_text(cell))
    return BREAK.join(BREAK.join(column) for _, column in sorted(columns.items()))


# -- blocks ----------------------------------------------------------------------------------

def _is_heading(line: str, match: re.Match) -> bool:
    """A contact heading ends with a colon, sits in brackets, or is the line's only words."""
    words = match.group("words")
    if match.group("rest"):
        return ":" in line[:line.find(match.group("rest"))]
    return line.rstrip().endswith((":", "]", ")")) or line.strip("[]():* ").lower() == words.lower()


def _role_of(words: str) -> str:
    for role, pattern in ROLE_WORDS:
        if pattern.search(words):
            return role
    return OTHER


def _block(lines: list[str], start: int, rest: str) -> tuple[list[str], int]:
    block = [rest] if rest else []
    index = start
    while index < len(lines) and len(block) < MAX_BLOCK_LINES:
        line = lines[index]
        heading = HEADING.match(line)
        if heading and _is_heading(line, heading):
            break
        if STOP.match(line) or re.fullmatch(r"\d{1,3}", line) or _is_prose(line):
            break
        block.append(line)
        index += 1
    return block, index


def _is_prose(line: str) -> bool:
    if EMAIL.search(line) or PHONE.search(line):
        return len(line) > MAX_LINE_IN_BLOCK * 2
    words = line.split()
    shouting = line.isupper() and len(words) > 5
    return len(line) > MAX_LINE_IN_BLOCK or shouting


@dataclass
class _Person:
    name: str
    title: str | None = None
    role: str | None = None
    organisation: str | None = None
    channels: list[tuple[str, str]] = field(default_factory=list)


def _read_block(lines: list[str], role: str, own_words: set[str]) -> list[PressContact]:
    """People (a name line, then their organisation or title, phones and emails) and office lines."""
    found: list[PressContact] = []
    person: _Person | None = None
    for line in lines:
        line = line.strip(" \t;|")
        if SUBHEADING.match(line):
            found += _close(person, role)
            person, role = None, _role_of(line)
            continue
        name, title = _person_name(line, own_words)
        if name:
            found += _close(person, role)
            person = _Person(name, title=title)
            continue
        channels = _channels(line)
        if channels:
            if person is None:
                for kind, value in channels:
                    found += _office_line(value, role, None, kind=kind)
            else:
                person.channels += channels
            continue
        if person is not None:
            _describe(person, line, own_words)
    found += _close(person, role)
    return found


def _close(person: _Person | None, block_role: str) -> list[PressContact]:
    if person is None:
        return []
    role = person.role or block_role
    contacts = []
    for kind, value in person.channels:
        if kind == "email" and is_generic_mailbox(value):
            contacts.append(PressContact(kind, value, role, None, person.organisation, _office_label(role)))
        else:
            contacts.append(PressContact(kind, value, role, person.name, person.organisation, person.title))
    return contacts


def _office_line(value: str, role: str, label: str | None, kind: str | None = None) -> list[PressContact]:
    channels = [(kind, value)] if kind else _channels(value)
    return [PressContact(k, v, role, None, None, label or _office_label(role)) for k, v in channels]


def _office_label(role: str) -> str:
    return {PRESS: "Press office", INVESTOR_RELATIONS: "Investor relations"}.get(role, "Contact line")


def _channels(line: str) -> list[tuple[str, str]]:
    """The emails and phone numbers a line holds, when that is all it holds."""
    emails = EMAIL.findall(line)
    rest = EMAIL.sub(" ", line)
    phones = [m.group(0).strip() for m in PHONE.finditer(rest) if 7 <= sum(ch.isdigit() for ch in m.group(0)) <= 15]
    if not emails and not phones:
        return []
    leftover = PHONE.sub(" ", rest)
    leftover = re.sub(r"(?i)\b(?:e-?mail|tel(?:ephone)?|phone|ph|fax|office|direct|mobile|cell|or|and|at|t|m|o|p|e)\b\.?", " ",
                      leftover)
    if len(re.sub(r"[\W_]+", "", leftover)) > 3:
        return []  # a sentence that mentions a number, not a contact line
    if re.search(r"(?i)\bfax\b", line):
        phones = []
    return [("email", e) for e in emails] + [("phone", p) for p in phones]


def _person_name(line: str, own_words: set[str]) -> tuple[str | None, str | None]:
    """(name, title) when the line starts with a person's name: "Matt Johnson, Head of ..."."""
    head, _, tail = line.partition(",")
    head, tail = head.strip(), tail.strip()
    if not NAME.match(head) or ORG_SUFFIX.fullmatch(tail or "-"):
        return None, None
    words = [w.strip(".").lower() for w in head.split()]
    if any(w in NOT_NAME_WORDS for w in words) or ORG_SUFFIX.search(head) or set(words) <= own_words:
        return None, None
    if tail and NAME_SUFFIX.match(tail):
        return f"{head}, {tail}", None
    return head, (tail or None)


def _describe(person: _Person, line: str, own_words: set[str]) -> None:
    """A line under a person's name: their organisation, department or title.

    A line naming the company ("Apple", "Philips Global Press Office") only tells the role;
    a firm's name that is not the company's makes the contact another organisation's.
    """
    line = line.strip().rstrip(",;")
    role = next((role for role, pattern in ROLE_WORDS if pattern.search(line)), None)
    person.role = person.role or role
    if significant_words(line) & own_words:
        return
    if ORG_SUFFIX.search(line):
        person.organisation = person.organisation or line
    elif person.title is None:
        person.title = line


def _unique(contacts: list[PressContact]) -> tuple[PressContact, ...]:
    """Each channel once: a person's entry wins over the same channel listed as an office's."""
    seen: dict[tuple[str, str], PressContact] = {}
    for contact in contacts:
        key = (contact.kind, channel_key(contact.kind, contact.value))
        if key not in seen or (seen[key].person_name is None and contact.person_name):
            seen[key] = contact
    return tuple(seen.values())
