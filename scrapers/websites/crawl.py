"""Reading one company's website: the page asked for, then up to 8 contact pages it links.

A page that fails (404, timeout, too large, not decodable, refused by robots.txt or by the
address check) is recorded as a `PageProblem` and skipped; the rest of the site is still read.
One `WebsiteReader` serves a whole run and every thread of it: its per-host rate limiter and
its robots.txt rules are shared, so parallel companies on one host still take turns.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from ..errors import ScraperError
from ..http import NO_CACHE, ClosesOnExit, HttpClient, PerHostRateLimiter
from .parse import PageReading, parse_page
from .safety import AddressPolicy, RobotsRules, refuse_private_peers

MAX_LINKED_PAGES = 8
MAX_PAGE_BYTES = 2 * 1024 * 1024  # a contact page is tens of kilobytes; 2 MB is generous


@dataclass(frozen=True)
class PageProblem:
    url: str
    message: str


@dataclass(frozen=True)
class WebsiteReading:
    url: str  # as asked
    retrieved_at: datetime
    pages: tuple[PageReading, ...]
    problems: tuple[PageProblem, ...]  # pages that failed: each counts in the run's exit status
    refused_links: tuple[PageProblem, ...] = ()  # linked pages robots.txt forbids: skipped, not failed

    @property
    def home(self) -> PageReading | None:
        return self.pages[0] if self.pages else None


class WebsiteReader(ClosesOnExit):
    """The polite, address-checked HTTP client for company websites, shared by a run."""

    def __init__(self, user_agent: str | None, *, allow_private_addresses: bool = False,
                 requests_per_second: float = 1.0, timeout: tuple[float, float] = (5.0, 15.0),
                 max_bytes: int = MAX_PAGE_BYTES, max_linked_pages: int = MAX_LINKED_PAGES,
                 address_policy: AddressPolicy | None = None, **http_options):
        self.addresses = address_policy or AddressPolicy(allow_private=allow_private_addresses)
        self.robots = RobotsRules((user_agent or "").strip())
        self.max_linked_pages = max_linked_pages
        # Two attempts at most: a website that fails twice is read again next month, not hammered.
        http_options.setdefault("max_attempts", 2)
        http_options.setdefault("max_backoff", 10.0)
        self.http = HttpClient(user_agent, rate_limiter=PerHostRateLimiter(requests_per_second), timeout=timeout,
                               max_bytes=max_bytes, check_url=self._check, user_agent_setting="SCRAPER_USER_AGENT",
                               **http_options)
        self.robots.fetch = lambda url: self.http.get(url, cache=NO_CACHE).content
        if self.addresses.check_connections:
            refuse_private_peers(self.http.session)

    def _check(self, url: str) -> None:
        self.addresses.check(url)  # first: robots.txt of a private host is not fetched either
        self.robots.check(url)

    def fetch_page(self, url: str) -> PageReading:
        result = self.http.get(url, cache=NO_CACHE)
        return parse_page(result.content, result.url, result.headers.get("Content-Type"))

    def close(self) -> None:
        self.http.close()


def read_website(reader: WebsiteReader, url: str) -> WebsiteReading:
    """The page at `url` and the contact pages it links; never raises for a bad page."""
    retrieved_at = datetime.now(timezone.utc)
    pages: list[PageReading] = []
    problems: list[PageProblem] = []
    refused: list[PageProblem] = []
    try:
        home = reader.fetch_page(url)
    except ScraperError as error:
        return WebsiteReading(url, retrieved_at, (), (PageProblem(url, _message(error)),))
    pages.append(home)
    for link in home.links[:reader.max_linked_pages]:
        try:
            reader.robots.check(link)
        except ScraperError as error:
            refused.append(PageProblem(link, _message(error)))
            continue
        try:
            pages.append(reader.fetch_page(link))
        except ScraperError as error:
            problems.append(PageProblem(link, _message(error)))
    return WebsiteReading(url, retrieved_at, tuple(pages), tuple(problems), tuple(refused))


def _message(error: ScraperError) -> str:
    return getattr(error, "message", None) or str(error)
