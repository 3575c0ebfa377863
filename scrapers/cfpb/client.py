"""Streaming the complaints CSV: one GET, read line by line as it arrives, never whole.

The full download is well over a gigabyte, so unlike `scrapers.http.HttpClient` (which
returns bodies) this client hands out the response's lines (`iter_lines`) while the
connection is open. Retries follow the same rules, before the first byte only: 429 and 5xx
wait (`Retry-After` honoured) and try again, another 4xx is an answer (FetchError at once).
"""
from __future__ import annotations

import random
import time
from contextlib import contextmanager
from typing import Callable, Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests

from ..errors import ConfigurationError, FetchError
from ..http import RETRYABLE_ERRORS, ClosesOnExit, retry_after_seconds

# The CFPB's search API answering with every complaint as CSV (the columns of the bulk file).
DEFAULT_URL = "https://www.consumerfinance.gov/data-research/consumer-complaints/search/api/v1/?format=csv&no_aggs=true"


def with_since(url: str, since) -> str:
    """`url` asking for complaints received from `since` on (the API's `date_received_min`);
    a plain file ignores the parameter and the reader drops older rows itself."""
    if since is None:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "date_received_min"]
    query.append(("date_received_min", since.isoformat()))
    return urlunsplit(parts._replace(query=urlencode(query)))


class ComplaintsClient(ClosesOnExit):
    def __init__(self, user_agent: str | None, *, timeout: tuple[float, float] = (10.0, 60.0),
                 max_attempts: int = 4, backoff: float = 2.0, max_backoff: float = 120.0,
                 sleep: Callable[[float], None] = time.sleep, jitter: Callable[[], float] = random.random):
        if not user_agent or not user_agent.strip():
            raise ConfigurationError("No User-Agent declared. Set SCRAPER_USER_AGENT to your organisation and a "
                                     "contact address before reading the CFPB's complaints.")
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._sleep = sleep
        self._jitter = jitter
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": user_agent.strip(), "Accept": "text/csv, */*;q=0.5"})

    def close(self) -> None:
        self.session.close()

    @contextmanager
    def lines(self, url: str) -> Iterator[Iterator[str]]:
        """The body's lines, decoded (UTF-8 unless the server says otherwise), while the
        response stays open; it is closed when the block ends, read to the end or not."""
        response = self._open(url)
        try:
            response.encoding = response.encoding if "charset" in response.headers.get("Content-Type", "") else "utf-8"
            yield self._decoded(url, response)
        finally:
            response.close()

    @staticmethod
    def _decoded(url: str, response: requests.Response) -> Iterator[str]:
        try:
            yield from response.iter_lines(chunk_size=64 * 1024, decode_unicode=True)
        except RETRYABLE_ERRORS as error:  # the connection broke mid-file: what was read stays read
            raise FetchError(url, f"download interrupted ({type(error).__name__})") from error

    def _open(self, url: str) -> requests.Response:
        for attempt in range(1, self.max_attempts + 1):
            last = attempt == self.max_attempts
            try:
                response = self.session.get(url, timeout=self.timeout, stream=True)
            except RETRYABLE_ERRORS as error:
                if last:
                    raise FetchError(url, f"{type(error).__name__} after {attempt} attempts") from error
                self._sleep(self._delay(attempt, None))
                continue
            status = response.status_code
            if status == 429 or status >= 500:
                response.close()
                if last:
                    raise FetchError(url, f"HTTP {status} after {attempt} attempts", status)
                self._sleep(self._delay(attempt, retry_after_seconds(response.headers.get("Retry-After"))))
                continue
            if status >= 400:
                response.close()
                raise FetchError(url, f"HTTP {status}", status)
            return response
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(self.max_backoff, retry_after)
        base = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
        return base / 2 + base / 2 * self._jitter()
