"""Parse Companies House Public Data API JSON: company profile, officer pages, search results.

Pure: bytes (or a decoded dict) in, records out. Unknown or reordered members are ignored
and optional ones may be missing; a record without its required members (company_number
and company_name; an officer's name) raises ParseError for the company, or is skipped and
reported in `problems` for one officer.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from ..errors import ParseError
from ..records import CompanyRecord, FormerNameRecord, IdentifierRecord, OfficerRecord, SourceRef
from .addresses import from_members
from .client import pad_company_number
from .officers import build_officer, officer_id_from_link
from .sic import split_sic_text

JURISDICTIONS = {"england-wales": "England and Wales", "wales": "Wales", "scotland": "Scotland",
                 "northern-ireland": "Northern Ireland", "united-kingdom": "United Kingdom"}

LONG_STATUSES = {"voluntary arrangement": "arrangement", "insolvency proceedings": "insolvency"}


@dataclass(frozen=True)
class OfficersPage:
    officers: tuple[OfficerRecord, ...]
    total_results: int
    start_index: int = 0
    items_per_page: int = 0
    problems: tuple[str, ...] = ()  # officers skipped, and why
    next_page: int | None = None  # the HTML pages' pager: the number of the following page


@dataclass(frozen=True)
class SearchHit:
    company_number: str
    title: str
    company_status: str | None = None
    address_snippet: str | None = None


def load_json(data, url: str | None):
    if isinstance(data, dict):
        return data
    try:
        doc = json.loads(data)
    except ValueError as exc:
        raise ParseError(url, f"not JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise ParseError(url, "expected a JSON object")
    return doc


def uk_company_record(name: str, number: str, source: SourceRef, office, **facts) -> CompanyRecord:
    """A UK company as every Companies House source (API, register pages, bulk file) gives it:
    identified by its padded company number, located at its registered office."""
    return CompanyRecord(
        name=name,
        source=source,
        identifiers=(IdentifierRecord("ch_number", pad_company_number(number)),),
        addresses=(office,) if office else (),
        country="GB",
        region=office.region if office else None,
        city=office.city if office else None,
        **facts,
    )


def parse_company(data, *, url: str | None = None, source: SourceRef) -> CompanyRecord:
    """The company profile (`/company/{number}`) as a CompanyRecord; `source` is its provenance."""
    doc = load_json(data, url)
    number, name = clean(doc.get("company_number")), clean(doc.get("company_name"))
    if not number or not name:
        raise ParseError(url, "company profile without company_number and company_name")
    office = from_members(doc.get("registered_office_address"))
    sic_code, sector = split_sic_text(next(iter(doc.get("sic_codes") or []), None))
    return uk_company_record(
        name, number, source, office,
        former_names=tuple(
            FormerNameRecord(clean(p["name"]), parse_date(p.get("effective_from")), parse_date(p.get("ceased_on")))
            for p in doc.get("previous_company_names") or () if isinstance(p, dict) and clean(p.get("name"))
        ),
        sic_code=sic_code,
        sector=sector,
        entity_type=clean(doc.get("type")),
        incorporated_in=JURISDICTIONS.get(doc.get("jurisdiction") or "", clean(doc.get("jurisdiction"))),
        status=company_status(doc.get("company_status")),
    )


def parse_officers(data, *, url: str | None = None, source: SourceRef) -> OfficersPage:
    """One page of `/company/{number}/officers`; officers without a name are skipped."""
    doc = load_json(data, url)
    officers, problems = [], []
    for index, item in enumerate(doc.get("items") or ()):
        raw_name = clean(item.get("name")) if isinstance(item, dict) else None
        if not raw_name:
            problems.append(f"officer #{int(doc.get('start_index') or 0) + index + 1} without a name")
            continue
        links = item.get("links") or {}
        officer_link = (links.get("officer") or {}).get("appointments") if isinstance(links, dict) else None
        officers.append(build_officer(
            raw_name=raw_name,
            officer_role=clean(item.get("officer_role")),
            occupation=clean(item.get("occupation")),
            appointed_on=parse_date(item.get("appointed_on")),
            resigned_on=parse_date(item.get("resigned_on")),
            officer_id=officer_id_from_link(officer_link),
            source=source,
        ))
    return OfficersPage(
        officers=tuple(officers),
        total_results=_int(doc.get("total_results"), len(officers)),
        start_index=_int(doc.get("start_index"), 0),
        items_per_page=_int(doc.get("items_per_page"), len(officers)),
        problems=tuple(problems),
    )


def parse_search(data, *, url: str | None = None) -> tuple[SearchHit, ...]:
    """`/search/companies?q=` results; items without a company number are left out."""
    doc = load_json(data, url)
    return tuple(
        SearchHit(pad_company_number(item["company_number"]), " ".join((item.get("title") or "").split()),
                  clean(item.get("company_status")), clean(item.get("address_snippet")))
        for item in doc.get("items") or () if isinstance(item, dict) and clean(item.get("company_number"))
    )


def company_status(value) -> str:
    """ "active", "dissolved", "liquidation", "administration" ... in at most 20 characters.

    The API sends "voluntary-arrangement", the bulk file "Voluntary Arrangement" and
    "Active - Proposal to Strike off"; long ones are shortened to a word a reader knows.
    """
    text = " ".join(str(value or "").replace("-", " ").lower().split())
    if not text or text.startswith("active"):
        return "active"
    text = LONG_STATUSES.get(text, text)
    return text if len(text) <= 20 else text[:20].rsplit(" ", 1)[0]


def clean(value) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def parse_date(value) -> date | None:
    """ISO dates ("2002-07-02"), or the register's "02/07/2002" and "2 July 2002"."""
    text = clean(value)
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text[:10] if pattern == "%Y-%m-%d" else text, pattern).date()
        except ValueError:
            continue
    return None


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
