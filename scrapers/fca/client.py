"""FcaClient: the Financial Services Register API through the polite HTTP client, and the
crawl of one firm.

Why each part exists:
- the register serves only registered users: `x-auth-email` and `x-auth-key` on every
  request, and no run at all without them (as SEC_USER_AGENT for EDGAR);
- at most 50 requests per 10 seconds per user, or the key is blocked for a minute: a rate
  limit below that, Retry-After and backoff on 429/5xx, all `HttpClient`'s;
- answers are kept on disk with their validators (`REVALIDATE`), so a re-run asks "changed?";
- a `Next` link in an answer is followed by its page number only, under our own base URL,
  and every address passes `check_url`: an answer can never send the run to another host;
- the API has no look-up by Companies House number: a number is resolved by searching the
  company's name and keeping the firms whose record carries that number.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from urllib.parse import urlencode

from ..companies_house import pad_company_number
from ..errors import ConfigurationError, FetchError, ScraperError
from ..http import REVALIDATE, HttpClient
from ..records import SourceRef
from .parse import (
    PUBLIC_FIRM_URL,
    REGISTER_TITLE,
    Answer,
    FcaFirm,
    parse_addresses,
    parse_answer,
    parse_firm,
    parse_functions,
    parse_names,
    parse_search,
)

DEFAULT_API_URL = "https://register.fca.org.uk/services/V0.1"
DEFAULT_REQUESTS_PER_SECOND = 4.0  # the register allows 50 per 10 seconds
MAX_PAGES = 20  # of one firm's controlled functions (20 a page; current ones come first)
MAX_CANDIDATES = 5  # firms a name search may return that are read to compare company numbers

log = logging.getLogger(__name__)


class FcaClient:
    def __init__(self, email: str | None, key: str | None, *, user_agent: str | None,
                 api_url: str = DEFAULT_API_URL, requests_per_second: float = DEFAULT_REQUESTS_PER_SECOND,
                 cache_dir=None, check_url=None, http: HttpClient | None = None):
        if not (email or "").strip() or not (key or "").strip():
            raise ConfigurationError(
                "The FCA register API needs a registered user: set FCA_API_EMAIL to the address you signed up "
                "with and FCA_API_KEY to its key (free, from https://register.fca.org.uk/Developer/s/).")
        self.api_url = api_url.rstrip("/")
        self.http = http or HttpClient(user_agent, requests_per_second=requests_per_second, cache_dir=cache_dir,
                                       check_url=check_url, user_agent_setting="SCRAPER_USER_AGENT")
        self.http.session.headers.update({"x-auth-email": email.strip(), "x-auth-key": key.strip(),
                                          "Accept": "application/json"})
        self.requests = 0

    def close(self) -> None:
        self.http.close()

    def answer(self, path: str, **query) -> Answer:
        """One API answer; FetchError (with its status) or ParseError when it cannot be read."""
        url = f"{self.api_url}{path}" + (f"?{urlencode(query)}" if query else "")
        self.requests += 1
        return parse_answer(self.http.get(url, cache=REVALIDATE).content, url)

    def pages(self, path: str) -> list[Answer]:
        """Every page of a paged resource, up to MAX_PAGES."""
        answers = [self.answer(path)]
        while answers[-1].next_page and len(answers) < MAX_PAGES:
            answers.append(self.answer(path, pgnp=answers[-1].next_page))
        return answers

    def search_firms(self, name: str):
        return parse_search(self.answer("/Search", q=name, type="firm"))


def crawl_firm(client: FcaClient, frn: str) -> FcaFirm | None:
    """The firm's details, addresses, controlled functions and names; None when the register
    does not know the FRN. A part that fails is logged in `errors` and left empty."""
    frn = frn.strip()
    try:
        details = parse_firm(client.answer(f"/Firm/{frn}"), frn)
    except FetchError as error:
        if error.not_found:
            return None
        raise
    if details is None:
        return None
    retrieved = datetime.now(timezone.utc)
    errors: list[tuple[str, str]] = []

    def source(part: str, form: str) -> SourceRef:
        # The public register's page: the API's own address answers registered users only.
        return SourceRef(kind="registry_record", url=PUBLIC_FIRM_URL.format(frn=frn), document_id=f"FRN {frn}{part}",
                         form_type=form, filed_on=details.as_of, retrieved_at=retrieved, title=REGISTER_TITLE)

    def read(read_part):
        try:
            return read_part()
        except ScraperError as error:
            log.warning("FCA register: %s", error)
            errors.append((getattr(error, "url", None) or f"FRN {frn}", getattr(error, "message", str(error))))
            return None

    address_source = source("/Address", "fca-address")
    addresses = read(lambda: parse_addresses(client.answer(f"/Firm/{frn}/Address"), address_source))
    office, website, phone, contacts = addresses or (None, None, None, ())
    functions = read(lambda: parse_functions(client.pages(f"/Firm/{frn}/CF")))
    names = read(lambda: parse_names(client.answer(f"/Firm/{frn}/Names")))
    return FcaFirm(details=details, source=source("", "fca-firm"), principal_office=office, website=website,
                   phone=phone, contacts=contacts, functions=functions, names=names, errors=tuple(errors),
                   functions_source=source("/CF", "fca-controlled-functions"),
                   names_source=source("/Names", "fca-names"), address_source=address_source)


def frns_for_company(client: FcaClient, ch_number: str, name: str) -> list[str]:
    """FRNs of the firms whose register record carries this Companies House number, found by
    searching the company's name (the API looks firms up by FRN or name only)."""
    found = []
    for hit in client.search_firms(name)[:MAX_CANDIDATES]:
        details = parse_firm(client.answer(f"/Firm/{hit.frn}"), hit.frn)
        if details is not None and _same_number(details.ch_number, ch_number):
            found.append(details.frn)
    return found


def _same_number(one: str | None, other: str) -> bool:
    return bool(one) and pad_company_number(one) == pad_company_number(other)
