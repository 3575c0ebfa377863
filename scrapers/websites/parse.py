"""Pure parsers for company web pages: bytes in, contacts out.

What a consumer needs from a company's site is who answers customers and where complaints
go, so the parser reads, in order of trust:
1. schema.org data the company publishes for search engines (JSON-LD, then microdata):
   `ContactPoint`s with their `contactType` (also one given as an `@id` reference to a node
   elsewhere in the graph), the organisation's head office, `sameAs`;
2. `mailto:` and `tel:` links, complaint addresses and forms, placed by the words nearest to
   them: the link's own text, the label in the same small block ("24h Kundenservice",
   "Kundenhotline"), then the heading they sit under ("Customer Service", "Our complaints
   procedure"), with the opening hours written beside a phone;
3. links to the company's accounts on X, Facebook, Instagram, LinkedIn, Threads, Bluesky and
   YouTube (a public question to a support account often gets the answer private ones did not);
4. on a complaints procedure ("How to complain"), the promised final-response time and the
   ombudsman it names as the next step.
English and German wording are understood. A contact the parser cannot place (a sales line, a
copyright mailbox) is left out: it is not a way to escalate a complaint, and guessing would put
it on the ladder. Press and investor-relations contacts go to the executive office rung, as
the ones in filings do.
"""
from __future__ import annotations

import codecs
import itertools
import json
import re
from copy import deepcopy
from dataclasses import dataclass, replace
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import lxml.html
from lxml import etree

from ..channels import channel_key, same_phone
from ..errors import ParseError
from ..records import AddressRecord
from .safety import Site

CUSTOMER_SERVICE, COMPLAINTS, SOCIAL = "customer_service", "complaints", "social"
PRESS, INVESTOR_RELATIONS = "press", "investor_relations"
# Role -> the ladder rung its contacts are shown on (press and investors as in filings).
RUNGS = {CUSTOMER_SERVICE: "customer_service", SOCIAL: "customer_service", COMPLAINTS: "complaints",
         PRESS: "executive_office", INVESTOR_RELATIONS: "executive_office"}
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
COMPLAINT_WORDS = re.compile(r"complain|customer relations|escalat|dispute|beschwerde|reklamation", re.I)
# "Press office", a heading "Press", "Pressekontakt"; not "press 2 for billing" beside a service line.
PRESS_WORDS = re.compile(r"\bpress (?:office|team|enquiries|inquiries|contacts?|relations|cent(?:re|er)|room)\b|"
                         r"^\s*press\s*$|\bmedia (?:relations|enquiries|inquiries|contacts?)|\bpresse", re.I)
INVESTOR_WORDS = re.compile(r"\binvestor|\bshareholder|\baktionär", re.I)
SERVICE_WORDS = re.compile(r"customer\s*(service|care|support)|support|help|contact us|get in touch|"
                           r"kunden(?:service|dienst|hotline|center|betreuung)|\bkontakt|\bhilfe|\bservice-?hotline|"
                           r"\bimpressum", re.I)
# In order: the first that a text names is the contact's role (a "Pressekontakt" is press).
ROLE_WORDS = ((COMPLAINTS, COMPLAINT_WORDS), (PRESS, PRESS_WORDS), (INVESTOR_RELATIONS, INVESTOR_WORDS),
              (CUSTOMER_SERVICE, SERVICE_WORDS))
# Pages worth reading, by what their link or path says; complaints before contact, so a
# "/kontakt/beschwerde" page is read as the complaints page it is.
PAGE_KINDS = (("complaints", re.compile(r"complain|beschwerde|escalat", re.I)),
              ("contact", re.compile(r"contact|kontakt|customer[\s_-]*(?:services?|care|support)|"
                                     r"kunden(?:service|dienst|center|betreuung)|get[\s_-]*in[\s_-]*touch", re.I)),
              ("help", re.compile(r"\bhelp(?:\b|desk|cent)|support|\bhilfe", re.I)),  # not "helpful"
              ("legal", re.compile(r"impressum|imprint|legal[\s_-]*notice", re.I)))
NEAR_TEXT_LIMIT = 300  # characters: a block longer than this is page text, not a contact's label
NOT_TEXT = ("script", "style", "noscript", "svg")
HEAD_OFFICE_WORDS = re.compile(r"head\s*(office|quarters)|headquarters|corporate address|registered office|"
                               r"principal (executive )?office", re.I)
RESPONSE_PROMISE = re.compile(r"\b(?:final response|respond|reply)\b.*\b(?:weeks?|days)\b", re.I)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
HOURS = re.compile(r"\b(?:hours|lines (?:are )?open|opening times|we(?:'re| are) open|öffnungszeiten|erreichbar"
                   r"|rund um die uhr)\b|24/7|"
                   r"\b(?:mo|mon|monday|montag)\b\.?\s*(?:-|–|to|bis)\s*(?:fr|fri|friday|freitag|sa|sat|saturday|"
                   r"samstag|so|sun|sunday|sonntag)\b|"
                   r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|uhr)?\s*(?:-|–|to|bis)\s*"
                   r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|uhr)\b",
                   re.I)
SHORT_LINE = 80  # characters: a line this short is quoted whole, a longer one by its sentence
OMBUDSMAN = re.compile(r"\b((?:[A-Z][\w&'-]*\s+){0,4}Ombudsman(?:\s+Services?)?|[\wÄÖÜäöüß-]*Ombudsmann\b|"
                       r"[\wÄÖÜäöüß-]*[Ss]chlichtungsstelle\b(?:\s+[A-ZÄÖÜ][\wäöüß-]+)?)")
PHONE = re.compile(r"\+?\(?\d[\d\s().-]{5,}\d")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
US_LOCALITY = re.compile(r"^(?P<city>[^,]+),\s*(?P<region>[A-Z]{2})\s+(?P<postal>\d{5}(?:-\d{4})?)$")
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_:.-]+)", re.I)
SOFT_HYPHEN = "\u00ad"
COUNTRY_NAMES = {"deutschland": "DE", "germany": "DE", "united kingdom": "GB", "great britain": "GB",
                 "united states": "US", "united states of america": "US", "usa": "US"}
CONTACT_OPTIONS = {"TollFree": "toll free", "HearingImpairedSupported": "for callers with impaired hearing"}

# Host (without "www."/"m.") -> network name, and the first path parts that are not accounts.
SOCIAL_NETWORKS = {"x.com": "X", "twitter.com": "X", "facebook.com": "Facebook", "instagram.com": "Instagram",
                   "linkedin.com": "LinkedIn", "threads.net": "Threads", "threads.com": "Threads",
                   "bsky.app": "Bluesky", "youtube.com": "YouTube"}
NOT_ACCOUNTS = {"intent", "share", "sharer", "sharer.php", "dialog", "home", "hashtag", "search", "shareArticle",
                "sharing", "watch", "embed", "p", "reel", "explore", "login", "signup", "privacy", "legal"}
SUPPORT_HANDLE = re.compile(r"support|help|care|service|assist", re.I)


@dataclass(frozen=True)
class WebContact:
    """One channel a page publishes: a phone, an email, a contact page, a form or an address."""

    kind: str  # phone | email | url | web_form | postal
    value: str
    role: str  # customer_service | complaints
    label: str | None
    page_url: str


@dataclass(frozen=True)
class SocialAccount:
    network: str  # "X", "Facebook", ...
    handle: str
    url: str
    is_support: bool  # a support account ("AppleSupport", "MicrosoftHelps"), asked first
    page_url: str

    @property
    def label(self) -> str:
        """What the page shows beside the link: "X, support account", "YouTube"."""
        return self.network + (", support account" if self.is_support else "")


@dataclass(frozen=True)
class HeadOffice:
    address: AddressRecord | None
    phone: str | None


@dataclass(frozen=True)
class Link:
    url: str
    kind: str  # contact | complaints | help | legal (see PAGE_KINDS)


@dataclass(frozen=True)
class PageReading:
    url: str
    title: str | None
    contacts: tuple[WebContact, ...]
    social: tuple[SocialAccount, ...]
    head_office: HeadOffice | None
    links: tuple[Link, ...]  # pages worth reading next (contact, help, complaints), header and footer first
    ombudsman: str | None = None  # named by a complaints procedure as the next step


def parse_page(content: bytes, url: str, content_type: str | None = None) -> PageReading:
    """Everything useful on one page; ParseError when the page cannot be decoded or parsed."""
    text = decode_html(content, content_type, url)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise ParseError(url, f"not an HTML page ({error})") from error
    title = _clean(root.findtext(".//title") or "") or None
    items = [*_json_ld_items(root), *_microdata_items(root)]
    structured = _structured_contacts(items, url)
    found = _marked_up_contacts(root, url, title)
    social = _social_accounts(root, items, url)
    head_office = _head_office(items) or _head_office_from_page(root)
    contacts = _unique(structured + found)
    ombudsman = _ombudsman(root, title, contacts)
    if ombudsman:
        contacts = tuple(_add_to_label(c, f"Next step: {ombudsman}") if c.role == COMPLAINTS else c
                         for c in contacts)
    return PageReading(url=url, title=title, contacts=contacts, social=social, head_office=head_office,
                       links=_links_to_follow(root, url), ombudsman=ombudsman)


def decode_html(content: bytes, content_type: str | None, url: str) -> str:
    """Text in the charset the server or the page declares (UTF-8 if neither does).

    A page whose bytes are not valid in that charset is refused, not guessed at: a wrongly
    decoded address would be stored as a wrong address.
    """
    charset = _charset_of(content, content_type)
    try:
        return content.decode(charset).replace(SOFT_HYPHEN, "")
    except LookupError as error:
        raise ParseError(url, f"unknown charset {charset!r}") from error
    except UnicodeDecodeError as error:
        raise ParseError(url, f"not valid {charset} (byte {error.start})") from error


def _charset_of(content: bytes, content_type: str | None) -> str:
    """A byte-order mark first, then the HTTP header, then <meta charset>, as browsers do."""
    for mark, charset in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if content.startswith(mark):
            return charset
    declared = HEADER_CHARSET.search(content_type or "")
    if declared:
        return declared.group(1)
    meta = META_CHARSET.search(content[:4096])
    return meta.group(1).decode("ascii", "replace") if meta else "utf-8"


# -- schema.org: JSON-LD and microdata ------------------------------------------------------

def _json_ld_items(root) -> list[dict]:
    items = []
    for script in root.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except json.JSONDecodeError:
            continue  # a broken block hides nothing we could read
        items.extend(_flatten(data))
    return items


def _flatten(data) -> list[dict]:
    if isinstance(data, list):
        return [item for element in data for item in _flatten(element)]
    if isinstance(data, dict):
        return [data, *_flatten(data.get("@graph", []))]
    return []


def _microdata_items(root) -> list[dict]:
    """Top-level microdata items as JSON-LD-shaped dicts, so one interpreter reads both."""
    return [_microdata_item(element) for element in root.xpath("//*[@itemscope][not(@itemprop)]")]


def _microdata_item(element) -> dict:
    item: dict = {"@type": (element.get("itemtype") or "").rstrip("/").rsplit("/", 1)[-1]}
    for prop in _item_properties(element):
        value = _microdata_item(prop) if prop.get("itemscope") is not None else _microdata_value(prop)
        for name in prop.get("itemprop", "").split():
            if name in item:
                item[name] = [*_as_list(item[name]), value]
            else:
                item[name] = value
    return item


def _item_properties(element):
    """Descendants with itemprop that belong to this item, not to a nested one."""
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.get("itemprop") is not None:
            yield child
        if child.get("itemscope") is None:
            yield from _item_properties(child)


def _microdata_value(element) -> str:
    tag = element.tag
    if tag == "meta":
        return element.get("content", "")
    if tag in ("a", "link", "area"):
        return element.get("href", "")
    if tag in ("time", "data"):
        return element.get("datetime") or element.get("value") or _clean(element.text_content())
    return _clean(element.text_content())


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _type_names(item: dict) -> set[str]:
    return {str(t).rsplit("/", 1)[-1] for t in _as_list(item.get("@type", []))}


def _contact_points(items: list[dict]) -> list[dict]:
    """Every ContactPoint once: standing alone, nested (in lists of lists, as some plugins
    write them), or referenced by `@id` from an organisation in another block of the page."""
    nodes = {str(item["@id"]): item for item in items if isinstance(item.get("@id"), str)}
    points: dict[int, dict] = {}
    for item in items:
        if "ContactPoint" in _type_names(item):
            points.setdefault(id(item), item)
        for point in _nested(item.get("contactPoint", [])):
            point = nodes.get(str(point.get("@id")), point) if "@id" in point else point
            points.setdefault(id(point), point)
    return list(points.values())


def _nested(value) -> list[dict]:
    if isinstance(value, list):
        return [item for element in value for item in _nested(element)]
    return [value] if isinstance(value, dict) else []


def _role_in(text: str) -> str | None:
    for role, words in ROLE_WORDS:
        if words.search(text):
            return role
    return None


def _structured_contacts(items: list[dict], page_url: str) -> list[WebContact]:
    contacts = []
    for point in _contact_points(items):
        kind_of = str(point.get("contactType") or "")
        role = _role_in(kind_of)
        if role is None:
            continue  # sales, reservations: not a rung of the ladder
        label = _point_label(kind_of, point)
        for phone in _as_list(point.get("telephone", [])):
            contacts.append(WebContact("phone", _clean(str(phone)), role, label, page_url))
        for email in _as_list(point.get("email", [])):
            address = _email(str(email))
            if address:
                contacts.append(WebContact("email", address, role, label, page_url))
        for link in _as_list(point.get("url", [])):
            if str(link).startswith(("http://", "https://")):
                contacts.append(WebContact("url", str(link), role, label, page_url))
    return contacts


def _point_label(contact_type: str, point: dict) -> str:
    label = contact_type[:1].upper() + contact_type[1:]
    options = [CONTACT_OPTIONS.get(str(o).rsplit("/", 1)[-1]) for o in _as_list(point.get("contactOption", []))]
    if any(options):
        label += ", " + ", ".join(o for o in options if o)
    served = [s if isinstance(s, str) else s.get("name", "") for s in _as_list(point.get("areaServed", []))]
    if any(served):
        label += f" ({', '.join(s for s in served if s)})"
    hours = [_hours_text(h) for name in ("hoursAvailable", "openingHoursSpecification", "openingHours")
             for h in _as_list(point.get(name, []))]
    if any(hours):
        label += ". Hours: " + "; ".join(h for h in hours if h)
    return label


def _hours_text(hours) -> str:
    if isinstance(hours, str):
        return hours
    if isinstance(hours, dict):
        days = ", ".join(str(d).rsplit("/", 1)[-1] for d in _as_list(hours.get("dayOfWeek", [])))
        opens, closes = hours.get("opens"), hours.get("closes")
        return " ".join(p for p in (days, f"{opens}-{closes}" if opens and closes else "") if p)
    return ""


def _head_office(items: list[dict]) -> HeadOffice | None:
    for item in items:
        if not _type_names(item) & {"Organization", "Corporation", "LocalBusiness", "Store", "OnlineStore"}:
            continue
        address = item.get("address")
        record = None
        if isinstance(address, dict):
            record = AddressRecord(
                kind="principal_office", line1=_clean(str(address.get("streetAddress") or "")) or None,
                city=address.get("addressLocality"), region=address.get("addressRegion"),
                postal_code=address.get("postalCode"), country=_country(address.get("addressCountry")))
        phone = item.get("telephone")
        if record or phone:
            return HeadOffice(record, _clean(str(phone)) if phone else None)
    return None


def _country(value) -> str | None:
    """A two-letter code, also from the names sites write ("Deutschland", "United Kingdom")."""
    if isinstance(value, dict):
        value = value.get("name")
    if not isinstance(value, str):
        return None
    return value.upper() if len(value) == 2 else COUNTRY_NAMES.get(value.strip().lower())


# -- links, headings and addresses in the page -----------------------------------------------

def _marked_up_contacts(root, page_url: str, title: str | None) -> list[WebContact]:
    """mailto:/tel: links, <address> blocks and forms, placed by their heading or own text."""
    contacts = []
    heading = title or ""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in HEADINGS:
            heading = _clean(element.text_content())
            continue
        if element.tag == "a":
            contact = _link_contact(element, heading, page_url)
        elif element.tag == "address":
            contact = _postal_contact(element, heading, page_url)
        elif element.tag == "form":
            role = _role_of(heading, _clean(element.text_content()))
            contact = WebContact("web_form", page_url, role, f"{heading} (form on this page)",
                                 page_url) if role == COMPLAINTS else None
        else:
            continue
        if contact is not None:
            contacts.append(contact)
    promise = _response_promise(root)
    if promise:
        contacts = [_add_to_label(c, promise) if c.role == COMPLAINTS else c for c in contacts]
    return contacts


def _add_to_label(contact: WebContact, words: str) -> WebContact:
    if not contact.label:
        return replace(contact, label=words)
    stop = "" if contact.label.endswith((".", "!", "?")) else "."
    return replace(contact, label=f"{contact.label}{stop} {words}")


def _ombudsman(root, title: str | None, contacts) -> str | None:
    """The ombudsman a complaints procedure names as the next step ("refer your complaint to
    the Financial Ombudsman Service"), on a page that is about complaints."""
    about_complaints = any(c.role == COMPLAINTS for c in contacts) or COMPLAINT_WORDS.search(title or "") or any(
        COMPLAINT_WORDS.search(h.text_content()) for h in root.iter(*HEADINGS))
    if not about_complaints:
        return None
    for block in root.iter("p", "li", "dd", "td"):
        found = OMBUDSMAN.search(_clean(block.text_content()))
        if found:
            return re.sub(r"^(?:The|Die|Der)\s+", "", found.group(1).strip())
    return None


def _response_promise(root) -> str | None:
    """The sentence of a complaints page that says how soon the company answers ("We will send
    you a final response within eight weeks"): the deadline after which a consumer moves up."""
    for block in root.iter("p", "li", "dd", "td"):
        for sentence in SENTENCE_END.split(_clean(block.text_content())):
            if RESPONSE_PROMISE.search(sentence):
                return sentence
    return None


def _role_of(heading: str, own_text: str = "") -> str | None:
    """The role the link's own words name, else the one its heading names."""
    for text in (own_text, heading):
        role = _role_in(text)
        if role is not None:
            return role
    return None


def _link_contact(anchor, heading: str, page_url: str) -> WebContact | None:
    """A mailto:/tel: link placed by the nearest words that name a role: its own text, the
    label in its small block ("24h Kundenservice"), then its heading. A link that shows
    nothing (no text, title or image text) is not something the company publishes."""
    href = (anchor.get("href") or "").strip()
    scheme = href.split(":", 1)[0].lower()
    if scheme not in ("mailto", "tel"):
        return None
    own_text = _clean(" ".join([anchor.text_content(), anchor.get("title") or "", anchor.get("aria-label") or "",
                                *(img.get("alt") or "" for img in anchor.iter("img"))]))
    if not own_text:
        return None
    role, near_label, lines = _near_label(anchor, _clean(anchor.text_content()))
    role = _role_in(own_text) or role or _role_in(heading)
    if role is None:
        return None
    label = near_label or heading or None
    if scheme == "mailto":
        address = _email(href)
        return WebContact("email", address, role, label, page_url) if address else None
    hours = _hours_in(lines)
    if hours and hours not in (label or ""):
        label = f"{label}. {hours}" if label else hours
    number = href[len("tel:"):].strip()
    return WebContact("phone", _display_phone(number, _clean(anchor.text_content())), role, label, page_url)


def _near_label(anchor, own_text: str) -> tuple[str | None, str | None, list[str]]:
    """(role, label line, lines) from the smallest block around `anchor` with a line naming a
    role, looking no further than blocks of NEAR_TEXT_LIMIT characters; the lines of the
    largest such block are returned too, for the opening hours written beside a phone."""
    lines: list[str] = []
    for block in itertools.islice(anchor.iterancestors(), 6):
        block_lines = [line for line in (_clean(_clean(x).replace(own_text, "")) for x in _visible_lines(block))
                       if line]
        if sum(len(line) for line in block_lines) > NEAR_TEXT_LIMIT:
            break
        lines = block_lines
        for line in block_lines:
            role = _role_in(line)
            if role is not None:
                return role, line.strip(" |:-–·")[:200], block_lines
    return None, None, lines


def _hours_in(lines: list[str]) -> str | None:
    """Opening hours written beside a phone ("Lines open 8am-8pm", "Mo. bis Sa. 8:00 - 20:00 Uhr"):
    the line saying them, or its sentence when the line is long."""
    for line in lines:
        if HOURS.search(line):
            if len(line) <= SHORT_LINE:
                return line.strip(" .")
            return next((s for s in SENTENCE_END.split(line) if HOURS.search(s)), line[:SHORT_LINE]).strip(" .")
    return None


def _contact_link(node) -> bool:
    """A mailto:/tel: link: its words label that link, not the one beside it."""
    return node.tag == "a" and (node.get("href") or "").strip().lower().startswith(("mailto:", "tel:"))


def _spaced(text: str | None) -> str:
    return (text or "").replace("\r", " ").replace("\n", " ")


BLOCKS = frozenset({"p", "div", "li", "dt", "dd", "td", "th", "tr", "br", "section", "article", "header", "footer",
                    "nav", "ul", "ol", "dl", "address", "template", "form", "label", "button", *HEADINGS})


def _visible_lines(element) -> list[str]:
    """The text a reader sees in `element`, one line per block (scripts and styles left out;
    line breaks in the source are spaces, as a browser shows them)."""
    parts: list[str] = []

    def walk(node) -> None:
        if isinstance(node.tag, str) and node.tag not in NOT_TEXT and not _contact_link(node):
            block = node.tag in BLOCKS
            parts.append("\n" if block else "")
            parts.append(_spaced(node.text))
            for child in node:
                walk(child)
                parts.append(_spaced(child.tail))
            parts.append("\n" if block else "")

    walk(element)
    return "".join(parts).split("\n")


def _display_phone(number: str, link_text: str) -> str:
    """The number as the page writes it ("1-800-642-7676") when the link text shows it."""
    for written in PHONE.findall(link_text):
        if same_phone(written, number):
            return _clean(written)
    return number


def _postal_contact(element, heading: str, page_url: str) -> WebContact | None:
    if _role_of(heading) != COMPLAINTS:
        return None
    lines = _text_lines(element)
    return WebContact("postal", ", ".join(lines), COMPLAINTS, heading or None, page_url) if lines else None


def _head_office_from_page(root) -> HeadOffice | None:
    """An <address> under a "Corporate headquarters" or "Head office" heading."""
    heading = ""
    for element in root.iter(*HEADINGS, "address"):
        if element.tag in HEADINGS:
            heading = _clean(element.text_content())
        elif HEAD_OFFICE_WORDS.search(heading):
            return _office_from_lines(_text_lines(element))
    return None


def _office_from_lines(lines: list[str]) -> HeadOffice | None:
    phone = None
    rest = []
    for line in lines:
        found = PHONE.search(line)
        if found and len(re.sub(r"\D", "", found.group(0))) >= 7 and not US_LOCALITY.match(line):
            phone = _clean(found.group(0))
        else:
            rest.append(line)
    address = None
    for index, line in enumerate(rest):
        locality = US_LOCALITY.match(line)
        if locality and index >= 1:
            street = rest[index - 1]
            address = AddressRecord(kind="principal_office", line1=street, city=locality["city"],
                                    region=locality["region"], postal_code=locality["postal"], country="US")
            break
    return HeadOffice(address, phone) if (address or phone) else None


def _text_lines(element) -> list[str]:
    """The element's text split at <br> and block boundaries, each line cleaned."""
    copy = deepcopy(element)
    for node in copy.iter("br", "p", "div", "li"):
        node.tail = "\n" + (node.tail or "")
    return [line for line in (_clean(x) for x in copy.text_content().split("\n")) if line]


# -- social accounts ---------------------------------------------------------------------

def _social_accounts(root, items: list[dict], page_url: str) -> tuple[SocialAccount, ...]:
    candidates = [(str(link), "") for item in items for link in _as_list(item.get("sameAs", []))]
    candidates += [(urljoin(page_url, a.get("href", "")), _clean(a.text_content()))
                   for a in root.iter("a") if a.get("href")]
    accounts: dict[str, SocialAccount] = {}
    for link, text in candidates:
        account = social_account(link, text, page_url)
        if account is not None and account.url.lower() not in accounts:
            accounts[account.url.lower()] = account
    return tuple(accounts.values())


def social_account(link: str, text: str = "", page_url: str = "") -> SocialAccount | None:
    """The account a link points to, or None for other links and share buttons."""
    parts = urlsplit(link)
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "mobile."):
        host = host.removeprefix(prefix)
    network = SOCIAL_NETWORKS.get(host)
    segments = [s for s in parts.path.split("/") if s]
    if network is None or not segments or segments[0] in NOT_ACCOUNTS:
        return None
    if network == "LinkedIn":
        if segments[0] not in ("company", "showcase") or len(segments) < 2:
            return None  # a person's profile is not the company's channel
        handle, path = segments[1], "/".join(segments[:2])
    elif network == "Bluesky":
        if segments[0] != "profile" or len(segments) < 2:
            return None
        handle, path = segments[1], "/".join(segments[:2])
    elif network == "YouTube" and segments[0] in ("c", "channel", "user") and len(segments) > 1:
        handle, path = segments[1], "/".join(segments[:2])
    else:
        handle, path = segments[0].lstrip("@"), segments[0]
    url = urlunsplit(("https", parts.netloc.lower(), "/" + path, "", ""))
    is_support = bool(SUPPORT_HANDLE.search(handle) or SUPPORT_HANDLE.search(text))
    return SocialAccount(network, handle, url, is_support, page_url)


# -- what to read next ---------------------------------------------------------------------

def page_kind(text: str) -> str | None:
    """contact | complaints | help | legal: the kind of page a link's words or a path name."""
    for kind, words in PAGE_KINDS:
        if words.search(text):
            return kind
    return None


def _links_to_follow(root, page_url: str) -> tuple[Link, ...]:
    """Pages whose link text or path says contact, customer service, help or complaints, in
    English or German (Kontakt, Kundenservice, Hilfe, Beschwerde, Impressum): header, footer and
    navigation links first, then the rest in page order; on the page's site, without fragments
    or repeats."""
    site = Site.of(page_url)
    found: dict[str, tuple[bool, Link]] = {}
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("mailto:", "tel:", "javascript:", "#")):
            continue
        target = urljoin(page_url, href).split("#", 1)[0]
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or target == page_url or target in found or not site.holds(target):
            continue
        words = _clean(" ".join((anchor.text_content(), anchor.get("title") or "", anchor.get("aria-label") or "")))
        kind = page_kind(words) or page_kind(unquote(parts.path))
        if kind is not None:
            found[target] = (not _in_page_frame(anchor), Link(target, kind))
    return tuple(link for _, link in sorted(found.values(), key=lambda item: item[0]))


FRAME_ROLES = {"banner", "contentinfo", "navigation"}
FRAME_NAMES = re.compile(r"header|footer|\bnav", re.I)


def _in_page_frame(element) -> bool:
    """In the site's header, footer or navigation, where companies put their contact links."""
    for ancestor in element.iterancestors():
        if ancestor.tag in ("header", "footer", "nav") or ancestor.get("role") in FRAME_ROLES:
            return True
        if FRAME_NAMES.search(f"{ancestor.get('id') or ''} {ancestor.get('class') or ''}"):
            return True
    return False


# -- small helpers ---------------------------------------------------------------------------

def _clean(text: str) -> str:
    return " ".join(text.replace(SOFT_HYPHEN, "").split())


def _email(text: str) -> str | None:
    """The address of "help@x.com" or "mailto:help%40x.com?subject=...", lower-cased; None if
    it is not one."""
    address = unquote(text.strip().split("?", 1)[0]).lower().removeprefix("mailto:")
    return address if EMAIL.match(address) else None


def contact_key(contact: WebContact) -> tuple[str, str, str]:
    return contact.role, contact.kind, channel_key(contact.kind, contact.value)


def _unique(contacts: list[WebContact]) -> tuple[WebContact, ...]:
    """First occurrence wins: structured data comes first, so its wording is kept. A page does
    not say its country, so a number written nationally is the same line as one written with
    its country code beside it ("030 5683 8000 60" and "+49 030 5683 8000 60")."""
    kept: dict[tuple, WebContact] = {}
    for contact in contacts:
        if contact.kind == "phone" and any(
                other.kind == "phone" and other.role == contact.role and same_phone(other.value, contact.value)
                for other in kept.values()):
            continue
        kept.setdefault(contact_key(contact), contact)
    return tuple(kept.values())
