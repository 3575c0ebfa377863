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
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from ..channels import channel_key
from ..errors import ParseError

PRESS, INVESTOR_RELATIONS, OTHER = "press", "investor_relations", "other"

SGML_FIELD = re.compile(rb"^<(TYPE|FILENAME|DESCRIPTION)>([^\r\n<]*)", re.MULTILINE | re.IGNORECASE)
CONFORMED_NAME = re.compile(rb"COMPANY CONFORMED NAME:\s*([^\r\n]+)")
# Not <TABLE>: plain-text EDGAR documents mark their tables with <TABLE>, <S> and <C> too.
LOOKS_HTML = re.compile(rb"<(?:html|body|p|div|td|font|br)\b", re.IGNORECASE)
SGML_TEXT_TAGS = re.compile(r"</?(?:TABLE|CAPTION|S|C|PAGE|FN)>", re.IGNORECASE)
# Columns in plain text: a stretch of text, three or more spaces, then more text.
COLUMN_GAP = re.compile(r"(\S) {3,}(?=\S)")
STRETCH = re.compile(r"\S+(?: {1,2}\S+)*")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")

EMAIL = re.compile(r"[A-Za-z0-9][\w.+\-]*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<![\w/])(?:\+\d{1,3}[\s.\-]?)?(?:\(\d{1,5}\)[\s.\-]?)?\d{1,5}(?:[\s.\-]\d{1,8}){1,5}(?![\w/])")
PHONE_LABEL = re.compile(r"^(?:tel(?:ephone)?|phone|ph|office|direct|mobile|cell|t|m|o)\.?\s*:?\s*", re.IGNORECASE)
EMAIL_LABEL = re.compile(r"^e-?mail\s*:?\s*", re.IGNORECASE)
HEADING = re.compile(
    r"^[\[\(\s*]*(?P<words>for (?:additional|more|further) information,?(?: please)? contact"
    r"|(?:[\w&/\-]+ ){0,3}contacts?(?: information)?)\s*[:\]\)]*\s*(?P<rest>.*)$", re.IGNORECASE)
# The line ends at a slash before a space ("VP/Chief Financial Officer" is inside it).
WIRE_CONTACT = re.compile(r"/\s*CONTACT:\s*(?P<body>.{5,500}?)\s*/(?=\s|$)", re.IGNORECASE)
HELPLINE = re.compile(
    r"(?P<label>(?:media|press|news)\s+(?:help\s?line|hotline|line|desk))\s+at\s+(?P<value>\S[^,;]*?)[.,;]?\s*$",
    re.IGNORECASE | re.MULTILINE)
# "Media Relations" alone on a line, above a person (a column of a contact table): a sub-heading.
SUBHEADING = re.compile(r"^(?:media|press|news|investors?|ir|public|financial|analysts?)(?: (?:and|&) \w+)?"
                        r"(?: relations| inquiries| contacts?)?\s*:?$", re.IGNORECASE)
STOP = re.compile(r"^(?:note to editors|for immediate release|about\b|forward[- ]looking|safe harbor|source:|#{2,}"
                  r"|[©\-+*=_]{3,}|\(c\)\s*\d|- -c-)", re.IGNORECASE)
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
# "3M Investor Contact", "Solventum Media Contact": the words around the organisation's name.
HEADING_QUALIFIERS = re.compile(
    r"\b(?:contacts?|information|investors?|relations|media|press|news|public|ir|pr|analysts?|financial|corporate|"
    r"communications|inquiries|editorial|general|sales|trade|business|agency|additional|further|more|primary|key|"
    r"our|your|company|shareholders?|stockholders?|and|please)\b", re.IGNORECASE)
# In prose: "... investor relations contact: Jane Roe, +1 224-..., or Jane_Roe@acme.example."
INLINE_CONTACT = re.compile(r"\b(?P<words>(?:investor relations|investors?|media|press|news|ir|pr)\s+contacts?)\s*:\s*"
                            r"(?P<body>\S.*)$", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<![A-Z])\.(?=\s+[A-Z]|\s*$)")  # not an initial's ("Patrick B. Brennan")
PART_SEPARATOR = re.compile(r",\s*|;\s*|\s+or\s+|\s+(?=(?:of|for)\s)|\s+both\s+(?=(?:of|for)\s)", re.IGNORECASE)
# Values run together in inline HTML: "Bruce Jermeland(651) 733-1807orDiane Farrow".
RUN_TOGETHER = re.compile(r"(?<=[a-z])(?=\(\d{3}\))|(?<=\d)or(?=[A-Z])|(?<=\d)(?=[A-Z][a-z])")
CONNECTIVE = re.compile(r"(?:or|and|&|/)", re.IGNORECASE)
OF_FIRM = re.compile(r"(?:(?:both|all)\s+)?of\s+(?P<firm>.+)", re.IGNORECASE)  # a wire line's "..., of Firm"
LEADING_CONNECTIVE = re.compile(r"^(?:or|and)\s+", re.IGNORECASE)
CHANNEL_WORDS = re.compile(r"\b(?:e-?mail|tel(?:ephone)?|phone|ph|fax|office|direct|mobile|cell|or|and|at|t|m|o|p|e|f)"
                           r"\b\.?", re.IGNORECASE)
EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension)\s*\d{1,5}\b", re.IGNORECASE)
FAX_WORD = re.compile(r"(?:or\s+)?fax:?", re.IGNORECASE)
FAX_BEFORE = re.compile(r"(?i)\b(?:fax|f)\b\.?:?\s*$")
FAX_AFTER = re.compile(r"(?i)\s*\(?fax\b")
ROLE_ASIDE = re.compile(r"\s*\(([A-Za-z /&]+)\)\s*$")
WEB_ADDRESS = re.compile(r"(?:https?://|www\.)", re.IGNORECASE)
# A line's last word that makes it a firm (an agency before its people): "Stapleton Communications".
FIRM_WORDS = {"communications", "associates", "partners", "advisors", "advisers", "group", "relations", "pr"}
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


def filing_document_types(data: bytes, *, url: str | None = None) -> tuple[str, ...]:
    """The document types a filing index page (`<accession>-index.htm`) lists ("8-K",
    "EX-99.1", "GRAPHIC"), in its order; () for an index that lists none by type (the oldest
    filings list only their complete submission text file). ParseError for a page that is
    not a filing index."""
    try:
        root = etree.fromstring(data, etree.HTMLParser())
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(url, f"not a filing index page: {exc}") from exc
    tables = root.xpath("//table[contains(@class, 'tableFile')]") if root is not None else []
    if not tables:
        raise ParseError(url, "not a filing index page: no document table")
    types = (" ".join(row[3].itertext()).strip() for table in tables for row in table.xpath(".//tr[count(td) >= 4]"))
    return tuple(t for t in types if t)


def carries_press_release(form: str, document_types: tuple[str, ...]) -> bool:
    """Whether a filing with these documents has a press release, whatever its items say: an
    EX-99 exhibit, or a 6-K's own document (`SubmissionFile.press_releases`)."""
    types = [t.upper() for t in document_types]
    own_document = form.upper().startswith("6-K") and bool(types) and types[0].startswith("6-K")
    return own_document or any(t.startswith("EX-99") for t in types)


def parse_press_contacts(content: bytes | str, *, company_name: str | None) -> tuple[PressContact, ...]:
    """Every contact in one press release, each (kind, value) once, in reading order."""
    lines = document_lines(content)
    own_words = significant_words(company_name or "")
    found: list[PressContact] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if "ONTACT" not in line.upper():  # the cheap test first
            index += 1
            continue
        heading = HEADING.match(line)
        if heading and _is_heading(line, heading):
            words = heading.group("words")
            block, index = _block(lines, index + 1, heading.group("rest"))
            found += _Reader(_role_of(words), own_words, _heading_organisation(words, own_words)).read(block)
            continue
        inline = INLINE_CONTACT.search(line)
        if inline and not WIRE_CONTACT.search(line):
            words = inline.group("words")
            reader = _Reader(_role_of(words), own_words, _heading_organisation(words, own_words))
            found += reader.read(_sentence_parts(SENTENCE_END.split(inline.group("body"), 1)[0]), wire=True)
        index += 1
    text = "\n".join(lines)
    for wire in WIRE_CONTACT.finditer(text.replace("\n", " ")):
        found += _Reader(OTHER, own_words).read(_sentence_parts(wire.group("body")), wire=True)
    for line in _helplines(text):
        found += _office_line(line.group("value"), PRESS, line.group("label").strip())
    return _unique(found)


def _helplines(text: str) -> list[re.Match]:
    """The press office's own lines ("call Apple's Media Helpline at ..."): the regex only on
    the lines that say "line at" or "desk at", found by plain string search (a regex scan of
    a whole filing was the slowest step of reading one)."""
    lower = text.lower()
    found = []
    for marker in ("line at", "desk at"):
        position = lower.find(marker)
        while position >= 0:
            start, end = text.rfind("\n", 0, position) + 1, text.find("\n", position)
            end = len(text) if end < 0 else end
            found += HELPLINE.finditer(text[start:end])
            position = lower.find(marker, end)
    return found


def document_lines(content: bytes | str) -> list[str]:
    """The document as a reader sees it: one stripped, non-empty line per block of text."""
    raw = content.encode("utf-8", "replace") if isinstance(content, str) else content
    if LOOKS_HTML.search(raw[:20000]):
        text = _html_text(raw)
    else:
        text = _plain_text(raw)
    text = " ".join(text.split())  # once over the whole text (each line squashed separately costs 5x; a regex, 3x)
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


def _plain_text(raw: bytes) -> str:
    """A plain-text document with a BREAK per line; contact blocks laid out in columns
    (the company's officer beside its IR firm) are read column by column."""
    text = SGML_TEXT_TAGS.sub("", html_entities.unescape(_decode(raw)))
    text = text.expandtabs() if "\t" in text else text
    if COLUMN_GAP.search(text):
        text = "\n\n".join(_by_columns(p) if _is_column_block(p) else p for p in PARAGRAPH_BREAK.split(text))
    return text.replace("\n", BREAK)


def _is_column_block(paragraph: str) -> bool:
    """A short paragraph with a contact's sign and two gaps (plain `in` tests first: a long
    filing has thousands of paragraphs)."""
    return (len(paragraph) < 1500 and ("@" in paragraph or "ontact" in paragraph or "ONTACT" in paragraph
                                        or "Tel" in paragraph or "TEL" in paragraph)
            and len(COLUMN_GAP.findall(paragraph)) >= 2)


def _by_columns(paragraph: str) -> str:
    """The paragraph's columned lines read column by column: a column starts where two or
    more lines resume after a gap of three spaces (not after a "Tel:" label), and each
    stretch of text belongs to the column it starts in. Lines before the first and after the
    last columned line (a heading, a rule) stay where they are."""
    lines = paragraph.split("\n")
    starts = Counter(m.end() for line in lines for m in COLUMN_GAP.finditer(line) if not m.group(1).endswith(":"))
    columns = sorted({0} | {start for start, count in starts.items() if count >= 2})
    if len(columns) < 2:
        return paragraph
    columned = [i for i, line in enumerate(lines)
                if len({_column_of(m.start(), columns) for m in STRETCH.finditer(line)}) > 1]
    first, last = columned[0], columned[-1]
    while first > 0 and _only_beyond_first_column(lines[first - 1], columns):
        first -= 1
    while last + 1 < len(lines) and _only_beyond_first_column(lines[last + 1], columns):
        last += 1
    cells: list[list[str]] = [[] for _ in columns]
    for line in lines[first:last + 1]:
        row: dict[int, list[str]] = {}
        for stretch in STRETCH.finditer(line):
            row.setdefault(_column_of(stretch.start(), columns), []).append(stretch.group(0))
        for column, texts in row.items():
            cells[column].append(" ".join(texts))
    relaid = [line for column in cells for line in column]
    return "\n".join(lines[:first] + relaid + lines[last + 1:])


def _column_of(position: int, columns: list[int]) -> int:
    return max(i for i, c in enumerate(columns) if c <= position + 1)


def _only_beyond_first_column(line: str, columns: list[int]) -> bool:
    """A line whose text all stands in the second column or further ("      steve@...")."""
    stretches = list(STRETCH.finditer(line))
    return bool(stretches) and all(_column_of(m.start(), columns) > 0 for m in stretches)


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


def _heading_organisation(words: str, own_words: set[str]) -> str | None:
    """The organisation a heading names before its role words ("Solventum Media Contact"),
    when it is not the company itself ("3M Investor Contact") nor a plain qualifier."""
    if words.lower().startswith("for "):
        return None
    name = HEADING_QUALIFIERS.sub(" ", words).strip(" &/-,")
    if not name or significant_words(name) & own_words or not significant_words(name):
        return None
    return " ".join(name.split())


def _sentence_parts(body: str) -> list[str]:
    """A run-on contact sentence ("Name, Title of Firm, +1-..., or fax, +1-..., or Name, ...")
    cut into its parts; "of Firm" parts keep their "of", "for Client" parts are dropped."""
    parts = []
    for part in PART_SEPARATOR.split(body):
        part = LEADING_CONNECTIVE.sub("", part.strip(" .;,"))
        if part and not part.lower().startswith("for "):
            parts.append(part)
    return parts


@dataclass
class _Person:
    name: str
    title: str | None = None
    role: str | None = None
    organisation: str | None = None
    channels: list[tuple[str, str]] = field(default_factory=list)


class _Reader:
    """Reads one contact block line by line: people (a name line, then their organisation or
    title, phones and emails), lines shared by several people, and an office's own lines.

    Names in a row with no channel between them share the channels that follow (one agency
    phone for two people): an email goes to the one whose name it spells, anything else is
    the group's line. An organisation line before any person is the whole block's.
    """

    def __init__(self, role: str, own_words: set[str], organisation: str | None = None):
        self.role = role
        self.own_words = own_words
        self.organisation = organisation
        self.people: list[_Person] = []
        self.pending: list[_Person] = []  # the people the next channels belong to
        self.shared: list[PressContact] = []
        self.offices: list[PressContact] = []
        self.fax_next = False

    def read(self, lines: list[str], wire: bool = False) -> list[PressContact]:
        for line in lines:
            for part in RUN_TOGETHER.split(line):
                self._line(part.strip(" \t;|"), wire)
        return self._contacts()

    def _line(self, line: str, wire: bool) -> None:
        if not line or CONNECTIVE.fullmatch(line):
            return
        if FAX_WORD.fullmatch(line):
            self.fax_next = True
            return
        if SUBHEADING.match(line) and not self._awaiting_channels():
            self.role, self.pending = _role_of(line), []
            return
        firm = OF_FIRM.fullmatch(line) if wire else None
        if firm:
            self._organisation_of_everyone(firm.group("firm"))
            return
        people = _people_named(line, self.own_words)
        if people:
            if not self._awaiting_channels():  # else: one more name for the same channels
                self.pending = []
            for name, title, role in people:
                person = _Person(name, title=title, role=role or (self.role if self.role != OTHER else None),
                                 organisation=self.organisation)
                self.people.append(person)
                self.pending.append(person)
            return
        channels = _channels(line)
        if channels:
            if self.fax_next:
                channels = [(kind, value) for kind, value in channels if kind == "email"]
                self.fax_next = False
            self._give(channels)
            return
        if self.pending:
            for person in self.pending:
                _describe(person, line, self.own_words)
        elif not self.people and self.organisation is None:
            self._block_organisation(line)

    def _awaiting_channels(self) -> bool:
        """Someone was just named and nothing of theirs read yet: "Investor Relations" is their department."""
        return bool(self.pending) and not any(p.channels for p in self.pending) and not self._shared_since_pending()

    def _shared_since_pending(self) -> bool:
        return bool(self.shared) and self.shared[-1].label == _group_label(self.pending)

    def _give(self, channels: list[tuple[str, str]]) -> None:
        if not self.pending:
            for kind, value in channels:
                self.offices += _office_line(value, self.role, None, kind=kind)
            return
        for kind, value in channels:
            if len(self.pending) == 1:
                owner = self.pending[0]
            else:
                owner = _spelled_by(value, self.pending) if kind == "email" else None
            if owner is not None:
                owner.channels.append((kind, value))
                continue
            first = self.pending[0]
            role = first.role or self.role
            label = _office_label(role) if kind == "email" and is_generic_mailbox(value) else _group_label(self.pending)
            self.shared.append(PressContact(kind, value, role, None, first.organisation, label))

    def _organisation_of_everyone(self, name: str) -> None:
        """ "..., or Name, email, of Stapleton Communications": the firm of everyone named so far."""
        organisation = None if significant_words(name) & self.own_words else name.strip()
        unplaced = [p for p in self.people if p.organisation is None]
        for person in unplaced:
            person.organisation = organisation
        if len(unplaced) > 1:
            self.pending = unplaced

    def _block_organisation(self, line: str) -> None:
        """ "Stapleton Communications" above its people: a firm's name, not the company's."""
        name = line.rstrip(",;:")
        words = name.split()
        is_firm = bool(ORG_SUFFIX.search(name)) or (bool(words) and words[-1].lower() in FIRM_WORDS)
        if is_firm and len(words) <= 6 and name[:1].isupper() and not significant_words(name) & self.own_words:
            self.organisation = name

    def _contacts(self) -> list[PressContact]:
        found = list(self.offices)
        for person in self.people:
            found += _person_contacts(person, self.role)
        return found + self.shared


def _people_named(line: str, own_words: set[str]) -> list[tuple[str, str | None, str | None]]:
    """(name, title, role) of each person a line names: "Mitchell Herman, CFO", "Alex
    Hui/Angela Chen", "Andria Arena (Media)"."""
    role = None
    aside = ROLE_ASIDE.search(line)
    if aside:
        role, line = _role_of(aside.group(1)), line[:aside.start()].strip()
        role = role if role != OTHER else None
    if "/" in line and "@" not in line:
        named = [_person_name(part.strip(), own_words) for part in line.split("/")]
        if len(named) > 1 and all(name for name, _ in named):
            return [(name, title, role) for name, title in named]
    name, title = _person_name(line, own_words)
    return [(name, title, role)] if name else []


def _group_label(people: list[_Person]) -> str:
    return " or ".join(p.name for p in people)


def _spelled_by(address: str, people: list[_Person]) -> _Person | None:
    """The person whose name an address spells: their surname, or their given name's first
    letters ("steve@" for Stephen, "deb@" for Deborah, "ahui@" for Alex Hui)."""
    local = re.sub(r"[^a-z]", "", address.rpartition("@")[0].lower())
    for person in people:
        words = [w for w in re.findall(r"[a-z]+", person.name.lower()) if w not in ("dr", "mr", "mrs", "ms", "prof")]
        if len(words) >= 2 and len(words[-1]) >= 3 and words[-1] in local:
            return person
    for person in people:
        words = re.findall(r"[a-z]+", person.name.lower())
        if words and len(words[0]) >= 3 and local.startswith(words[0][:3]):
            return person
    return None


def _person_contacts(person: _Person, block_role: str) -> list[PressContact]:
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
    """The emails and phone numbers a line holds, when that is all it holds; a fax is left out."""
    emails = EMAIL.findall(line)
    rest = EMAIL.sub(" ", line)
    phones = [m for m in PHONE.finditer(rest) if 7 <= sum(ch.isdigit() for ch in m.group(0)) <= 15]
    if not emails and not phones:
        return []
    leftover = EXTENSION.sub(" ", PHONE.sub(" ", rest))
    leftover = CHANNEL_WORDS.sub(" ", leftover)
    if len(re.sub(r"[\W_]+", "", leftover)) > 3:
        return []  # a sentence that mentions a number, not a contact line
    kept = [_with_extension(rest, m) for m in phones if not _is_fax(rest, m)]
    return [("email", e) for e in emails] + [("phone", p) for p in kept]


def _with_extension(line: str, phone: re.Match) -> str:
    extension = EXTENSION.match(line, phone.end())
    return (phone.group(0) + (extension.group(0) if extension else "")).strip()


def _is_fax(line: str, phone: re.Match) -> bool:
    """ "Fax: (408) 435-1100", "F (408) ...", "(212) 370-4505 (Fax)", "567-2203 fax"."""
    before, after = line[max(0, phone.start() - 8):phone.start()], line[phone.end():phone.end() + 8]
    return bool(FAX_BEFORE.search(before) or FAX_AFTER.match(after))


def _person_name(line: str, own_words: set[str]) -> tuple[str | None, str | None]:
    """(name, title) when the line starts with a person's name: "Matt Johnson, Head of ..."."""
    head, _, tail = line.partition(",")
    head, tail = head.strip(), tail.strip()
    if not NAME.match(head) or ORG_SUFFIX.fullmatch(tail or "-") or any(ch.isdigit() for ch in tail):
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
    elif person.title is None and not WEB_ADDRESS.match(line):
        person.title = line


def _unique(contacts: list[PressContact]) -> tuple[PressContact, ...]:
    """Each channel once: a person's entry wins over the same channel listed as an office's."""
    seen: dict[tuple[str, str], PressContact] = {}
    for contact in contacts:
        key = (contact.kind, channel_key(contact.kind, contact.value))
        if key not in seen or (seen[key].person_name is None and contact.person_name):
            seen[key] = contact
    return tuple(seen.values())
