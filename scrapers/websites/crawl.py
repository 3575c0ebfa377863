"""Reading one company's website from its home page: the home page, then the contact, help,
complaints and legal-notice pages it finds (`discover.py`), within a page budget.

A page that fails (404, 429, timeout, too large, not decodable, refused by the address check)
is recorded as a `PageProblem` and skipped; the rest of the site is still read. A page
robots.txt forbids, or one that redirects off the site, is skipped (listed, not a failure), as
is a guessed path the site does not have. A 429 ends the company's reading: the site asked for
fewer requests. One `WebsiteReader` serves a whole run and every thread of it: its per-host
rate limiter and its robots.txt rules are shared, so parallel companies on one host still take
turns.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..errors import FetchError, ScraperError
from ..http import NO_CACHE, ClosesOnExit, HttpClient, PerHostRateLimiter
from .discover import MAX_SITEMAP_FILES, Candidate, Frontier, best_sitemaps, sitemap_links, sitemap_locations
from .parse import PageReading, parse_page
from .safety import AddressPolicy, OffSite, RefusedURL, RobotsRules, Site, refuse_private_peers, site_root

PAGE_BUDGET = 8  # pages read per company, the home page and guessed paths included
MAX_PAGE_BYTES = 2 * 1024 * 1024  # a contact page is tens of kilobytes; 2 MB is generous
TOO_MANY_REQUESTS = 429


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
    # pages skipped, not failed: robots.txt forbids them, they redirect off the site, or the
    # sitemap could not be read
    skipped: tuple[PageProblem, ...] = ()

    @property
    def home(self) -> PageReading | None:
        return self.pages[0] if self.pages else None


class WebsiteReader(ClosesOnExit):
    """The polite, address-checked HTTP client for company websites, shared by a run."""

    def __init__(self, user_agent: str | None, *, allow_private_addresses: bool = False,
                 requests_per_second: float = 1.0, timeout: tuple[float, float] = (5.0, 15.0),
                 max_bytes: int = MAX_PAGE_BYTES, page_budget: int = PAGE_BUDGET,
                 address_policy: AddressPolicy | None = None, **http_options):
        self.addresses = address_policy or AddressPolicy(allow_private=allow_private_addresses)
        self.robots = RobotsRules((user_agent or "").strip())
        self.page_budget = max(1, page_budget)
        self.max_bytes = max_bytes
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

    def fetch_page(self, url: str, site: Site | None = None) -> PageReading:
        """One page; with `site`, every redirect hop must stay on it (`OffSite` otherwise)."""
        result = self.http.get(url, cache=NO_CACHE, check_url=site.check if site else None)
        return parse_page(result.content, result.url, result.headers.get("Content-Type"))

    def sitemap(self, url: str, site: Site) -> tuple[list[str], list[str]]:
        """(pages, sitemaps) of the sitemap at `url`."""
        result = self.http.get(url, cache=NO_CACHE, check_url=site.check)
        return sitemap_locations(result.content, result.url, self.max_bytes)

    def close(self) -> None:
        self.http.close()


def read_website(reader: WebsiteReader, url: str) -> WebsiteReading:
    """The home page at `url` and the contact pages found from it; never raises for a bad page."""
    return _SiteReading(reader, url).read()


@dataclass
class _SiteReading:
    """One company's reading in progress: what was read, what failed, what budget is left."""

    reader: WebsiteReader
    url: str
    retrieved_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    pages: list[PageReading] = field(default_factory=list)
    problems: list[PageProblem] = field(default_factory=list)
    skipped: list[PageProblem] = field(default_factory=list)
    resting: bool = False  # the site answered 429: nothing more is asked of it

    def read(self) -> WebsiteReading:
        try:
            home = self.reader.fetch_page(self.url)  # the home page may move anywhere: it defines the site
        except ScraperError as error:
            self.problems.append(PageProblem(self.url, _message(error)))
            return self._result()
        self.pages.append(home)
        site = Site.of(home.url)
        frontier = Frontier(site)
        frontier.read(self.url)
        frontier.read(home.url)
        frontier.add(home.links, "link")
        frontier.add(sitemap_links(self._sitemap_pages(home.url, site)), "sitemap")
        frontier.guess_missing(home.url)
        budget = self.reader.page_budget - 1
        while budget > 0 and not self.resting and (candidate := frontier.pop()) is not None:
            if not self._allowed(candidate.url):
                continue
            budget -= 1
            page = self._fetch(candidate, site)
            if page is None or frontier.was_read(page.url):
                continue  # failed, skipped, or a redirect to a page already read
            self.pages.append(page)
            frontier.read(page.url)
            frontier.add(page.links, "link")
        return self._result()

    def _fetch(self, candidate: Candidate, site: Site) -> PageReading | None:
        """The candidate page, or None with the reason recorded (a missing guess is no failure)."""
        try:
            return self.reader.fetch_page(candidate.url, site)
        except OffSite as error:
            self.skipped.append(PageProblem(candidate.url, _message(error)))
        except FetchError as error:
            missing_guess = candidate.origin == "guess" and error.status in range(400, 500)
            if missing_guess and error.status != TOO_MANY_REQUESTS:
                return None
            self.problems.append(PageProblem(candidate.url, _message(error)))
            # the site asked for fewer requests: the rest waits for the next run
            self.resting = error.status == TOO_MANY_REQUESTS
        except ScraperError as error:
            self.problems.append(PageProblem(candidate.url, _message(error)))
        return None

    def _allowed(self, url: str) -> bool:
        """robots.txt asked before the request, so a forbidden page is listed as skipped."""
        try:
            self.reader.robots.check(url)
        except RefusedURL as error:
            self.skipped.append(PageProblem(url, _message(error)))
            return False
        return True

    def _sitemap_pages(self, home_url: str, site: Site) -> list[str]:
        """The pages the site's sitemap lists (robots.txt's `Sitemap:` lines, else /sitemap.xml);
        a missing or unreadable sitemap is a hint lost, not a failure."""
        queue = [u for u in self.reader.robots.sitemaps(home_url) if site.holds(u)] or [
            site_root(home_url) + "/sitemap.xml"]
        pages: list[str] = []
        for _ in range(MAX_SITEMAP_FILES):
            if not queue:
                break
            url = queue.pop(0)
            if not self._allowed(url):
                continue
            try:
                listed, sitemaps = self.reader.sitemap(url, site)
            except ScraperError as error:
                if not (isinstance(error, FetchError) and error.status == 404):
                    self.skipped.append(PageProblem(url, _message(error)))
                continue
            pages += listed
            queue = best_sitemaps([u for u in sitemaps if site.holds(u)]) + queue
        return pages

    def _result(self) -> WebsiteReading:
        return WebsiteReading(self.url, self.retrieved_at, tuple(self.pages), tuple(self.problems),
                              tuple(self.skipped))


def _message(error: ScraperError) -> str:
    return getattr(error, "message", None) or str(error)
