"""Errors the scrapers raise, so callers can tell "the network failed" from "the document
was not what we expected" from "this run is not configured to be polite"."""
from __future__ import annotations


class ScraperError(Exception):
    """Base class for every scraper error."""


class ConfigurationError(ScraperError):
    """The scraper cannot run as configured (for example no declared User-Agent)."""


class FetchError(ScraperError):
    """A request failed for good: a non-retryable status, or retries ran out.

    `status` is the last HTTP status (None for connection errors or timeouts), so a caller
    can treat 404 ("no such document") differently from an outage.
    """

    def __init__(self, url: str, message: str, status: int | None = None):
        super().__init__(f"{message} ({url})")
        self.url = url
        self.message = message
        self.status = status

    @property
    def not_found(self) -> bool:
        return self.status == 404


class ParseError(ScraperError):
    """A document could not be parsed, or lacked a part that every valid one has."""

    def __init__(self, url: str | None, message: str):
        super().__init__(f"{message} ({url})" if url else message)
        self.url = url
        self.message = message
