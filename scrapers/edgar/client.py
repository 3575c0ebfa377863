"""EdgarClient: the polite HTTP client plus EDGAR's URLs and cache policy per kind of document."""
from __future__ import annotations

import os

from ..http import CACHE_FOREVER, REVALIDATE, FetchResult, HttpClient, RateLimiter
from .urls import EdgarUrls

# Filing documents read for their text (Form 4s, 8-Ks, press releases, proxies) are far below
# this; a larger one is skipped and reported rather than held in memory.
DEFAULT_MAX_DOCUMENT_BYTES = 25 * 1024 * 1024


class EdgarClient:
    """One per process (or per run): its rate limiter is shared by every thread using it.

    Filing documents under /Archives never change once filed, so they are cached forever;
    the submissions and tickers JSON change daily, so they are revalidated (ETag /
    Last-Modified) and a 304 comes back as `not_modified=True`.
    """

    def __init__(
        self,
        user_agent: str | None,
        www_url: str = "https://www.sec.gov",
        data_url: str = "https://data.sec.gov",
        requests_per_second: float = 8.0,
        cache_dir: str | os.PathLike | None = None,
        *,
        rate_limiter: RateLimiter | None = None,
        max_document_bytes: int | None = DEFAULT_MAX_DOCUMENT_BYTES,
        **http_options,
    ):
        self.urls = EdgarUrls(www_url, data_url)
        self.max_document_bytes = max_document_bytes
        self.http = HttpClient(user_agent, requests_per_second=requests_per_second,
                               rate_limiter=rate_limiter, cache_dir=cache_dir, **http_options)

    def close(self) -> None:
        self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def fetch_listing(self, url: str) -> FetchResult:
        """Tickers JSON and submissions JSON: mutable, so revalidated."""
        return self.http.get(url, cache=REVALIDATE)

    def fetch_submissions(self, cik: str | int) -> FetchResult:
        return self.fetch_listing(self.urls.submissions(cik))

    def fetch_dataset(self, url: str) -> FetchResult:
        """A published quarterly data set (insider transactions): never changes, so cached
        forever; a run that names the same quarters again downloads nothing."""
        return self.http.get(url, cache=CACHE_FOREVER)

    def fetch_archive(self, url: str) -> FetchResult:
        """A document under /Archives/edgar/data: immutable, fetched at most once, and refused
        above `max_document_bytes` (a press release with embedded graphics is not read whole)."""
        return self.http.get(url, cache=CACHE_FOREVER, max_bytes=self.max_document_bytes)
