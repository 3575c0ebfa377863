"""Parse the public register's pages (no API key): the company overview and officer pages.

Pure: HTML in, the same records the API parser returns. The pages are read by the labels
a reader sees ("Registered office address", "Appointed on", ...) with the element ids the
service uses as a first choice, so small markup changes do not lose fields.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup

from ..errors import ParseError
from ..records import CompanyRecord, FormerNameRecord, SourceRef
from .addresses import from_one_line
from .officers import build_officer, officer_id_from_link
from .parse_api import OfficersPage, clean, company_status, parse_date, uk_company_record
from .sic import split_sic_text

APPOINTMENT = re.compile(r"^appointment-\d+$")
COMPANY_NUMBER = re.compile(r"\b([A-Z]{2}\d{6}|\d{8})\b")
OFFICER_COUNT = re.compile(r"(\d+)\s+officers?", re.IGNORECASE)


def _soup(content) -> BeautifulSoup:
    return BeautifulSoup(content, "lxml")


def _text(element) -> str | None:
    return clean(element.get_text(" ")) if element is not None else None


def _labelled(scope, label: str) -> str | None:
    """The value (<dd>) after the <dt> whose own first text is `label`."""
    wanted = label.lower()
    for term in scope.find_all("dt"):
        first = next((s.strip() for s in term.strings if s.strip()), "")
        if first.lower() == wanted:
            return _text(term.find_next_sibling("dd"))
    return None


def _by_id_or_label(scope, element_id: str, label: str) -> str | None:
    return _text(scope.find(id=element_id)) or _labelled(scope, label)


def parse_company_page(content, *, url: str | None = None, source: SourceRef) -> CompanyRecord:
    """The overview page, `/company/{number}`."""
    soup = _soup(content)
    name = _text(soup.find(id="company-name")) or _text(soup.find("h1"))
    number_text = _text(soup.find(id="company-number")) or ""
    number_match = COMPANY_NUMBER.search(number_text.upper())
    if not name or not number_match:
        raise ParseError(url, "company page without a company name and number")
    office = from_one_line(_by_id_or_label(soup, "reg-address", "Registered office address"))
    sic_code, sector = None, None
    for item in soup.find_all(id=re.compile(r"^sic\d+$")):
        sic_code, sector = split_sic_text(_text(item))
        if sic_code:
            break
    return uk_company_record(
        name, number_match.group(1), source, office,
        former_names=_previous_names(soup),
        sic_code=sic_code,
        sector=sector,
        entity_type=_by_id_or_label(soup, "company-type", "Company type"),
        status=company_status(_by_id_or_label(soup, "company-status", "Company status")),
    )


def _previous_names(soup) -> tuple[FormerNameRecord, ...]:
    table = soup.find(id="previousNameTable")
    names = []
    for row in table.find_all("tr") if table else ():
        cells = [_text(cell) for cell in row.find_all("td")]
        if len(cells) >= 1 and cells[0]:
            period = (cells[1] or "") if len(cells) > 1 else ""
            start, _, end = period.partition(" - ")
            names.append(FormerNameRecord(cells[0], parse_date(start), parse_date(end)))
    return tuple(names)


def parse_officers_page(content, *, url: str | None = None, source: SourceRef) -> OfficersPage:
    """One page of `/company/{number}/officers`; `next_page` when the pager has a Next link.

    Only the page number is taken from the link: the crawler builds the URL itself, so a
    link never leads it to another host.
    """
    soup = _soup(content)
    officers, problems = [], []
    blocks = soup.find_all("div", class_=APPOINTMENT)
    for position, block in enumerate(blocks, start=1):
        link = block.find("a", href=re.compile(r"/officers/"))
        raw_name = _text(link) or _text(block.find(id=re.compile(r"^officer-name-")))
        if not raw_name:
            problems.append(f"appointment {position} without a name ({url})")
            continue
        role = _labelled(block, "Role")
        officers.append(build_officer(
            raw_name=raw_name,
            officer_role=role.lower().replace(" ", "-") if role else None,
            occupation=_labelled(block, "Occupation"),
            appointed_on=parse_date(_labelled(block, "Appointed on")),
            resigned_on=parse_date(_labelled(block, "Resigned on")),
            officer_id=officer_id_from_link(link.get("href") if link else None),
            source=source,
        ))
    count = OFFICER_COUNT.search(_text(soup.find(id="company-appointments")) or "")
    following = soup.find("a", id="next-page") or soup.find("a", rel="next")
    return OfficersPage(
        officers=tuple(officers),
        total_results=int(count.group(1)) if count else len(officers),
        items_per_page=len(blocks),
        problems=tuple(problems),
        next_page=_page_number(following.get("href")) if following else None,
    )



def _page_number(href: str | None) -> int | None:
    values = parse_qs(urlsplit(href or "").query).get("page") or [""]
    return int(values[0]) if values[0].isdigit() else None
