"""CompaniesHouseClient: the polite HTTP client, Companies House URLs and its rate-limit headers.

Companies House allows 600 requests per 5 minutes per API key and answers 429 past that
until the window resets. Besides pacing requests (2 per second by default), the client reads
`X-Ratelimit-Remain` and `X-Ratelimit-Reset` (epoch seconds) on every response: when few
requests remain it spreads them over what is left of the window, and after a 429 (or when
none remain) it sleeps until the reset. Without an API key the public register's HTML
pages are read instead, through the same limiter.
"""
from __future__ import annotations

import os
import threading
import time
from typing import Callable
from urllib.parse import urlencode

from ..errors import ConfigurationError
from ..http import NO_CACHE, REVALIDATE, FetchResult, HttpClient, RateLimiter

DEFAULT_API_URL = "https://api.company-information.service.gov.uk"
DEFAULT_WEB_URL = "https://find-and-update.company-information.service.gov.uk"
DEFAULT_USER_AGENT = "CEO Directory importer"
DEFAULT_REQUESTS_PER_SECOND = 2.0  # 600 per 5 minutes
LOW_REMAIN = 20  # below this many requests left in the window, spread them out
MAX_PAUSE = 330.0  # never trust a reset further away than one window (plus slack)
OFFICERS_PAGE_SIZE = 100  # the API's maximum items_per_page


def pad_company_number(number: str | int) -> str:
    """The register's 8-character form: "445790" -> "00445790"; "sc123456" -> "SC123456"."""
    text = str(number).strip().upper()
    return text.zfill(8) if text.isdigit() else text


class WindowLimiter(RateLimiter):
    """A RateLimiter that also obeys the server's own account of the rate-limit window."""

    def __init__(self, requests_per_second: float, *, clock: Callable[[], float] = time.monotonic,
                 wall_clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep):
        super().__init__(requests_per_second, clock=clock, sleep=sleep)
        self._wall_clock = wall_clock
        self._not_before = 0.0  # monotonic time before which nothing is sent
        self._spacing = 0.0  # extra gap between requests while few remain
        self._window_lock = threading.Lock()

    def acquire(self) -> None:
        while True:
            with self._window_lock:
                now = self._clock()
                wait = self._not_before - now
                if wait <= 0:
                    if self._spacing:
                        self._not_before = now + self._spacing
                    break
            self._sleep(wait)
        super().acquire()

    def observe(self, status: int, headers) -> None:
        """Read one response's rate-limit headers (called for every response, 429s included)."""
        remain = _number(headers.get("X-Ratelimit-Remain"))
        reset = _number(headers.get("X-Ratelimit-Reset"))
        until_reset = None
        if reset is not None:
            until_reset = min(MAX_PAUSE, max(0.0, reset - self._wall_clock()))
        with self._window_lock:
            if until_reset is None:
                return
            if status == 429 or (remain is not None and remain <= 0):
                self._not_before = max(self._not_before, self._clock() + until_reset)
                self._spacing = 0.0
            elif remain is not None and remain < LOW_REMAIN:
                self._spacing = until_reset / remain
            else:
                self._spacing = 0.0


def _number(value) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


class CompaniesHouseClient:
    """The Public Data API when an API key is given, else the public register's pages."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        api_url: str = DEFAULT_API_URL,
        web_url: str = DEFAULT_WEB_URL,
        user_agent: str | None = None,
        requests_per_second: float = DEFAULT_REQUESTS_PER_SECOND,
        cache_dir: str | os.PathLike | None = None,
        limiter: WindowLimiter | None = None,
        officers_page_size: int = OFFICERS_PAGE_SIZE,
        **http_options,
    ):
        self.api_key = (api_key or "").strip() or None
        self.api_url = api_url.rstrip("/")
        self.web_url = web_url.rstrip("/")
        self.officers_page_size = officers_page_size
        self.limiter = limiter or WindowLimiter(requests_per_second)
        self.http = HttpClient(user_agent or DEFAULT_USER_AGENT, rate_limiter=self.limiter, cache_dir=cache_dir,
                               **http_options)
        if self.api_key:
            self.http.session.auth = (self.api_key, "")  # HTTP Basic: the key, empty password
        self.http.session.hooks["response"].append(self._observe)

    @property
    def uses_api(self) -> bool:
        return self.api_key is not None

    def _observe(self, response, *args, **kwargs):
        self.limiter.observe(response.status_code, response.headers)

    def close(self) -> None:
        self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- URLs ------------------------------------------------------------------------------
    def company_url(self, number: str) -> str:
        return f"{self.api_url}/company/{pad_company_number(number)}"

    def officers_url(self, number: str, start_index: int = 0, items_per_page: int | None = None) -> str:
        query = urlencode({"start_index": start_index, "items_per_page": items_per_page or self.officers_page_size})
        return f"{self.company_url(number)}/officers?{query}"

    def search_url(self, query: str, items_per_page: int = 20) -> str:
        return f"{self.api_url}/search/companies?{urlencode({'q': query, 'items_per_page': items_per_page})}"

    def page_url(self, number: str) -> str:
        """The public register's page: also the link a reader follows as the source."""
        return f"{self.web_url}/company/{pad_company_number(number)}"

    def officers_page_url(self, number: str, page: int = 1) -> str:
        base = f"{self.page_url(number)}/officers"
        return base if page == 1 else f"{base}?page={page}"

    # -- fetching --------------------------------------------------------------------------
    def fetch(self, url: str) -> FetchResult:
        """Company profiles and officer lists change: revalidated against the cache."""
        return self.http.get(url, cache=REVALIDATE)

    def fetch_search(self, query: str) -> FetchResult:
        if not self.uses_api:
            raise ConfigurationError("Searching Companies House needs an API key: set COMPANIES_HOUSE_API_KEY.")
        return self.http.get(self.search_url(query), cache=NO_CACHE)
