"""Pure parsers for the UK Financial Services Register API (FCA, `V0.1`): its JSON answers
become plain records (`scrapers.records`) and the small `FcaFirm` bundle.

Every answer is `{"Data": [...], "Message", "ResultInfo", "Status"}`. A firm the register
does not know comes back as HTTP 200 with no `Data`, so "no data" means "not found" here.
Field names are the API's own, typos included ("Address LIne 3").
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime

from ..errors import ParseError
from ..records import AddressRecord, ContactRecord, FormerNameRecord, SourceRef

REGISTER_TITLE = "FCA Financial Services Register"
PUBLIC_FIRM_URL = "https://register.fca.org.uk/s/search?q={frn}&type=Companies"
# Senior Managers functions whose holder the directory lists, by the code that opens their name.
SMF_ROLES = {"SMF1": "ceo", "SMF2": "cfo", "SMF9": "chair", "SMF24": "coo", "SMF3": "director",
             "SMF27": "director"}
SMF_CODE = re.compile(r"^(SMF\d+)\b")
COUNTRIES = {"UNITED KINGDOM": "GB", "ENGLAND": "GB", "SCOTLAND": "GB", "WALES": "GB", "NORTHERN IRELAND": "GB"}
ADDRESS_LINES = ("Address Line 1", "Address Line 2", "Address LIne 3", "Address Line 3", "Address Line 4")
SEARCH_POSTCODE = re.compile(r"\s*\(Postcode:[^)]*\)\s*$")


@dataclass(frozen=True)
class Answer:
    """One parsed API answer: its rows (empty when the register found nothing) and paging."""

    url: str
    data: tuple
    next_page: int | None = None


@dataclass(frozen=True)
class FirmDetails:
    frn: str
    name: str
    status: str | None
    status_since: date | None
    ch_number: str | None
    as_of: date | None  # the register's "System Timestamp": the date every fact is sourced to


@dataclass(frozen=True)
class ControlledFunction:
    """A person's controlled function at the firm ("SMF1 Chief Executive"), current or ended."""

    function: str
    name: str
    role: str
    is_ceo: bool
    start_date: date | None
    end_date: date | None
    is_current: bool


@dataclass(frozen=True)
class FirmNames:
    trading: tuple[str, ...]  # current trading names: brands people know the firm by
    former: tuple[FormerNameRecord, ...]  # previous trading and registered names


@dataclass(frozen=True)
class SearchHit:
    frn: str
    name: str
    status: str | None


@dataclass(frozen=True)
class FcaFirm:
    """What the importer stores for one firm; a part the register could not give is empty."""

    details: FirmDetails
    source: SourceRef
    principal_office: AddressRecord | None = None
    website: str | None = None
    phone: str | None = None
    contacts: tuple[ContactRecord, ...] = ()
    functions: tuple[ControlledFunction, ...] | None = None  # None: not read (not: nobody holds one)
    names: FirmNames | None = None
    errors: tuple[tuple[str, str], ...] = ()  # (url, message) of the parts that failed
    functions_source: SourceRef | None = None
    names_source: SourceRef | None = None
    address_source: SourceRef | None = None  # where the principal place of business and its phone come from


def parse_answer(content: bytes, url: str) -> Answer:
    """The rows and next page of an API answer; ParseError when it is not the API's JSON."""
    try:
        body = json.loads(content)
    except (ValueError, UnicodeDecodeError) as error:
        raise ParseError(url, f"not JSON ({type(error).__name__})") from error
    if not isinstance(body, dict):
        raise ParseError(url, "not an FCA register answer (no object)")
    data = body.get("Data") or []
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise ParseError(url, "not an FCA register answer (Data is not a list of records)")
    info = body.get("ResultInfo") if isinstance(body.get("ResultInfo"), dict) else {}
    return Answer(url, tuple(data), _next_page(info.get("Next")))


def _next_page(link) -> int | None:
    """The page number of the register's `Next` link: only the number is kept, so a run never
    follows a host named in an answer."""
    match = re.search(r"[?&]pgnp=(\d+)", link or "")
    return int(match.group(1)) if match else None


def register_date(value: str | None) -> date | None:
    """The register's dates: "06/10/2011" and "27/02/2026 11:21" (day first)."""
    text = (value or "").strip()
    for layout in ("%d/%m/%Y %H:%M", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    return None


def parse_firm(answer: Answer, frn: str) -> FirmDetails | None:
    """The firm's name, status, Companies House number and date; None when not found."""
    if not answer.data:
        return None
    row = answer.data[0]
    name = _text(row.get("Organisation Name"))
    if not name:
        raise ParseError(answer.url, "firm without an Organisation Name")
    return FirmDetails(
        frn=_text(row.get("FRN")) or frn, name=name, status=_text(row.get("Status")),
        status_since=register_date(row.get("Status Effective Date")),
        ch_number=_text(row.get("Companies House Number")),
        as_of=register_date(row.get("System Timestamp")))


def parse_addresses(answer: Answer, source: SourceRef) -> tuple[AddressRecord | None, str | None, str | None,
                                                                tuple[ContactRecord, ...]]:
    """(principal place of business, website, phone, complaints contacts) of the firm."""
    office = website = phone = None
    contacts: list[ContactRecord] = []
    for row in answer.data:
        kind = _text(row.get("Address Type")) or ""
        address = _address(row)
        if kind == "Principal Place of Business":
            office = address
            website = _website(row.get("Website Address"))
            phone = _text(row.get("Phone Number"))
        elif kind == "Complaints Contact":
            contacts += _complaints_contacts(row, address, source)
    return office, website, phone, tuple(contacts)


def _address(row: dict) -> AddressRecord:
    lines = [line for key in ADDRESS_LINES if (line := _text(row.get(key)))]
    country = _text(row.get("Country"))
    return AddressRecord(
        kind="principal_office", line1=lines[0] if lines else None, line2=", ".join(lines[1:]) or None,
        city=_text(row.get("Town")), region=_text(row.get("County")), postal_code=_text(row.get("Postcode")),
        country=COUNTRIES.get((country or "").upper()))


def _complaints_contacts(row: dict, address: AddressRecord, source: SourceRef) -> list[ContactRecord]:
    """The named complaints handler's post, phone and email: the formal-complaints step."""
    person = _text(row.get("Individual"))
    common = {"tier": "complaints", "role": "complaints", "source": source, "person_name": person,
              "label": "Complaints contact (FCA register)"}
    postal = ", ".join(p for p in (address.line1, address.line2, address.city, address.region, address.postal_code)
                       if p)
    found = []
    if postal:
        found.append(ContactRecord(kind="postal", value=postal, **common))
    if phone := _text(row.get("Phone Number")):
        found.append(ContactRecord(kind="phone", value=phone, **common))
    email = _text(row.get("Email Address") or row.get("Email"))
    if email and "@" in email:
        found.append(ContactRecord(kind="email", value=email, **common))
    if website := _website(row.get("Website Address")):
        found.append(ContactRecord(kind="web_form", value=website, **common))
    return found


def parse_functions(answers: list[Answer]) -> tuple[ControlledFunction, ...]:
    """The Senior Managers functions (SMF...) of every page of `/Firm/{frn}/CF`."""
    found = []
    for answer in answers:
        for row in answer.data:
            for part, current in (("Current", True), ("Previous", False)):
                entries = row.get(part) or {}
                if isinstance(entries, dict):
                    found += [f for entry in entries.values() if (f := _function(entry, current))]
    return tuple(found)


def _function(entry, current: bool) -> ControlledFunction | None:
    if not isinstance(entry, dict):
        return None
    function, name = _text(entry.get("Name")), _text(entry.get("Individual Name"))
    match = SMF_CODE.match(function or "")
    if not (match and name):
        return None
    role = SMF_ROLES.get(match.group(1), "other")
    return ControlledFunction(
        function=function, name=name, role=role, is_ceo=role == "ceo",
        start_date=register_date(entry.get("Effective Date")), end_date=register_date(entry.get("End Date")),
        is_current=current)


def parse_names(answer: Answer) -> FirmNames:
    """Current trading names, and every previous name with the dates it was used."""
    trading, former = [], []
    for row in answer.data:
        for entry in row.get("Current Names") or ():
            if isinstance(entry, dict) and entry.get("Status") == "Trading" and _text(entry.get("Name")):
                trading.append(_text(entry["Name"]))
        for entry in row.get("Previous Names") or ():
            if isinstance(entry, dict) and _text(entry.get("Name")):
                former.append(FormerNameRecord(_text(entry["Name"]), register_date(entry.get("Effective From")),
                                               register_date(entry.get("Effective To"))))
    return FirmNames(tuple(dict.fromkeys(trading)), tuple(former))


def parse_search(answer: Answer) -> tuple[SearchHit, ...]:
    """Firms a `/Search?type=firm` answer lists (their postcode cut off their name)."""
    hits = []
    for row in answer.data:
        frn = _text(row.get("Reference Number"))
        if frn and frn.isdigit() and (row.get("Type of business or Individual") in (None, "Firm")):
            hits.append(SearchHit(frn, SEARCH_POSTCODE.sub("", _text(row.get("Name")) or ""), _text(row.get("Status"))))
    return tuple(hits)


def _website(value) -> str | None:
    text = _text(value)
    if not text:
        return None
    return text if text.startswith(("http://", "https://")) else f"https://{text}"


def _text(value) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None
