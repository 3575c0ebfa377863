"""Crawl one company: its profile and every page of its officers, from the API or the pages.

Fetching is here; parsing is in the pure modules. Officers that cannot be read are logged
in `errors` and skipped; only the company's own profile is essential (a 404 there means
"no such company"). A 401 is raised: a bad API key will not fix itself, so the run stops.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from ..edgar.crawl import FetchProblem
from ..errors import FetchError, ParseError
from ..records import CompanyRecord, OfficerRecord, SourceRef
from .client import CompaniesHouseClient, pad_company_number
from .parse_api import SearchHit, parse_company, parse_officers, parse_search
from .parse_html import parse_company_page, parse_officers_page

MAX_OFFICER_PAGES = 50  # 5,000 appointments: far beyond any real company; stops a looping pager


@dataclass(frozen=True)
class CompanyBundle:
    """Everything one crawl learned about one UK company, ready for the importer."""

    number: str
    company: CompanyRecord | None  # None: the register does not know this number
    officers: tuple[OfficerRecord, ...] = ()
    errors: tuple[FetchProblem, ...] = ()
    not_modified: bool = False  # profile and every officers page unchanged since the cached copy


def crawl_company(client: CompaniesHouseClient, number: str,
                  *, now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> CompanyBundle:
    number = pad_company_number(number)
    retrieved_at = now()
    company_source = SourceRef(kind="registry_record", url=client.page_url(number), document_id=number,
                               form_type="company profile", retrieved_at=retrieved_at,
                               title="Companies House company record")
    officers_source = SourceRef(kind="registry_record", url=client.officers_page_url(number),
                                document_id=f"{number}/officers", form_type="officers", retrieved_at=retrieved_at,
                                title="Companies House register of officers")
    url = client.company_url(number) if client.uses_api else client.page_url(number)
    try:
        result = client.fetch(url)
    except FetchError as exc:
        if exc.not_found:
            return CompanyBundle(number=number, company=None)
        raise
    parse = parse_company if client.uses_api else parse_company_page
    company = parse(result.content, url=url, source=company_source)
    officers, errors, unchanged = _officers(client, number, officers_source)
    return CompanyBundle(number=number, company=company, officers=officers, errors=errors,
                         not_modified=result.not_modified and unchanged)


def _officers(client, number: str, source: SourceRef) -> tuple[tuple, tuple, bool]:
    """Every officer page in turn: the API pages by start_index, the HTML pages by Next link."""
    officers: list[OfficerRecord] = []
    errors: list[FetchProblem] = []
    unchanged = True
    page_number = 1
    url = client.officers_url(number) if client.uses_api else client.officers_page_url(number)
    for _ in range(MAX_OFFICER_PAGES):
        try:
            result = client.fetch(url)
            if client.uses_api:
                page = parse_officers(result.content, url=url, source=source)
            else:
                page = parse_officers_page(result.content, url=url, source=source)
        except FetchError as exc:
            if exc.status == 401:
                raise
            errors.append(FetchProblem(url, exc.message))
            break
        except ParseError as exc:
            errors.append(FetchProblem(url, exc.message))
            break
        unchanged = unchanged and result.not_modified
        officers.extend(page.officers)
        errors.extend(FetchProblem(url, problem) for problem in page.problems)
        if client.uses_api:
            read = len(page.officers) + len(page.problems)  # every item, named or not
            following = page.start_index + read
            if not read or following >= page.total_results:
                break
            url = client.officers_url(number, start_index=following)
        elif page.next_page and page.next_page > page_number:
            page_number = page.next_page
            url = client.officers_page_url(number, page=page_number)
        else:
            break
    return tuple(officers), tuple(errors), unchanged


def search_companies(client: CompaniesHouseClient, query: str) -> tuple[SearchHit, ...]:
    """Companies matching a name (the API's search; the pages' search is not read)."""
    url = client.search_url(query)
    return parse_search(client.fetch_search(query).content, url=url)
