"""A polite HTTP client for public registers.

Why each part exists:
- a declared User-Agent is mandatory: SEC blocks undeclared automated traffic;
- one rate limiter shared by every thread, so the whole process stays under SEC's limit of
  10 requests per second "regardless of the number of computers";
- (connect, read) timeouts, because `requests` has none and a stalled server would hang a run;
- retries with exponential backoff and jitter on 429, 5xx and connection errors only,
  honouring `Retry-After`; other 4xx fail at once (a 404 is an answer, not an outage);
- an on-disk cache: immutable filing documents are fetched once and kept forever, while the
  mutable JSON listings are revalidated with conditional requests;
- for company websites (addresses that anyone may contribute): a per-host rate limit, a size
  cap per page, and redirects followed one hop at a time so `check_url` (the SSRF and
  robots.txt rules of `scrapers.websites`) sees every address before it is requested.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter

from .errors import ConfigurationError, FetchError

# Cache policies for `HttpClient.get`.
NO_CACHE = "none"
CACHE_FOREVER = "forever"  # immutable documents: never asked for twice
REVALIDATE = "revalidate"  # mutable documents: conditional request, 304 => cached body

SEC_MAX_REQUESTS_PER_SECOND = 10.0
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRYABLE_ERRORS = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


@dataclass(frozen=True)
class FetchResult:
    """A successful response (possibly served from, or revalidated against, the cache)."""

    url: str
    status: int
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)
    not_modified: bool = False  # unchanged since the cached copy (HTTP 304 or same bytes)
    from_cache: bool = False  # answered from disk without any request

    def json(self):
        return json.loads(self.content)


class RateLimiter:
    """At most `requests_per_second` requests in any one-second window, across threads.

    Requests are also spaced at least 1/N seconds apart so they do not arrive in bursts.
    The lock is held while waiting on purpose: waiting threads queue up behind it.
    """

    def __init__(self, requests_per_second: float = 8.0, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep, ceiling: float = SEC_MAX_REQUESTS_PER_SECOND):
        """`ceiling` guards public servers from a mistyped setting (SEC's fair-access limit, the
        strictest we read); only a caller that owns the server, a loopback mirror in bench/,
        raises it."""
        if not 0 < requests_per_second <= ceiling:
            limit = "SEC's fair-access limit" if ceiling == SEC_MAX_REQUESTS_PER_SECOND else "the caller's ceiling"
            raise ConfigurationError(
                f"requests_per_second must be above 0 and at most {ceiling:g} ({limit}); got {requests_per_second!r}"
            )
        self.interval = 1.0 / requests_per_second
        self.max_per_window = max(1, int(requests_per_second))
        self._clock = clock
        self._sleep = sleep
        self._recent: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Block until one more request may be sent, then count it."""
        with self._lock:
            while True:
                now = self._clock()
                while self._recent and now - self._recent[0] >= 1.0:
                    self._recent.popleft()
                wait = 0.0
                if self._recent:
                    wait = self._recent[-1] + self.interval - now
                if len(self._recent) >= self.max_per_window:
                    wait = max(wait, self._recent[0] + 1.0 - now)
                if wait <= 0:
                    self._recent.append(now)
                    return
                self._sleep(wait)

    def wait_for(self, url: str) -> None:
        """One budget whatever the URL: SEC counts every request of the process."""
        self.acquire()


class PerHostRateLimiter:
    """A `RateLimiter` per host name: company websites are paced host by host, so one slow
    or small site never sees more than `requests_per_second`, while other hosts proceed."""

    def __init__(self, requests_per_second: float = 1.0, **limiter_options):
        self.requests_per_second = requests_per_second
        self._options = limiter_options
        self._limiters: dict[str, RateLimiter] = {}
        self._lock = threading.Lock()

    def wait_for(self, url: str) -> None:
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            limiter = self._limiters.get(host)
            if limiter is None:
                limiter = self._limiters[host] = RateLimiter(self.requests_per_second, **self._options)
        limiter.acquire()


@dataclass(frozen=True)
class CachedDocument:
    content: bytes
    etag: str | None
    last_modified: str | None


class DiskCache:
    """One file per URL: a JSON header line, then the body; replaced atomically."""

    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    def _path(self, url: str) -> Path:
        key = hashlib.sha256(url.encode()).hexdigest()
        return self.directory / key[:2] / key

    def get(self, url: str) -> CachedDocument | None:
        try:
            raw = self._path(url).read_bytes()
        except FileNotFoundError:
            return None
        header, _, content = raw.partition(b"\n")
        meta = json.loads(header)
        return CachedDocument(content, meta.get("etag"), meta.get("last_modified"))

    def put(self, url: str, content: bytes, headers) -> None:
        path = self._path(url)
        path.parent.mkdir(exist_ok=True)
        meta = {"url": url, "etag": headers.get("ETag"), "last_modified": headers.get("Last-Modified")}
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(json.dumps(meta).encode() + b"\n" + content)
        os.replace(tmp, path)


class ClosesOnExit:
    """`with client:` calls the client's `close()` (its connections) at the end of the block."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class HttpClient(ClosesOnExit):
    """GET with a declared identity, a shared rate limit, retries and an optional cache."""

    def __init__(
        self,
        user_agent: str | None,
        *,
        requests_per_second: float = 8.0,
        rate_limiter: RateLimiter | None = None,
        timeout: tuple[float, float] = (10.0, 30.0),
        max_attempts: int = 4,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        cache_dir: str | os.PathLike | None = None,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
        pool_size: int = 8,
        max_bytes: int | None = None,
        check_url: Callable[[str], None] | None = None,
        user_agent_setting: str = "SEC_USER_AGENT",
    ):
        """`sleep` and `jitter` are the retry waits, injectable so tests need not wait them out.

        `max_bytes` refuses a larger body (read no further than that); `check_url` is called
        with every address before it is requested, the original one and each redirect target,
        and raises to refuse it. `user_agent_setting` names the setting in the error message.
        """
        if not user_agent or not user_agent.strip():
            raise ConfigurationError(
                f"No User-Agent declared. Set {user_agent_setting} to your organisation and a contact "
                f"address, e.g. {user_agent_setting}='Example Org admin@example.org' (SEC and many "
                "sites block undeclared automated traffic)."
            )
        self.user_agent = user_agent.strip()
        self.limiter = rate_limiter or RateLimiter(requests_per_second)
        self.max_bytes = max_bytes
        self.check_url = check_url
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.cache = DiskCache(cache_dir) if cache_dir else None
        self._sleep = sleep
        self._jitter = jitter
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"})
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_size, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def close(self) -> None:
        self.session.close()

    def get(self, url: str, *, cache: str = NO_CACHE, max_bytes: int | None = None,
            check_url: Callable[[str], None] | None = None) -> FetchResult:
        """Fetch `url`; raise FetchError on a non-retryable status or when retries run out.

        `max_bytes` caps this one body, below the client's own cap if it has one (one EDGAR
        client fetches capped filing documents and uncapped data set archives). `check_url`
        is this request's own rule, run before the client's on every hop (a company's linked
        page must not redirect off its site, and that site's robots.txt is then not fetched)."""
        cached = self.cache.get(url) if self.cache and cache != NO_CACHE else None
        if cached and cache == CACHE_FOREVER:
            return FetchResult(url, 200, cached.content, not_modified=True, from_cache=True)
        headers = {}
        if cached and cache == REVALIDATE:
            if cached.etag:
                headers["If-None-Match"] = cached.etag
            if cached.last_modified:
                headers["If-Modified-Since"] = cached.last_modified
        cap = min(filter(None, (self.max_bytes, max_bytes)), default=None)
        final_url, response, content = self._follow(url, headers, cap, check_url)
        if response.status_code == 304 and cached:
            return FetchResult(final_url, 304, cached.content, dict(response.headers), not_modified=True)
        if response.status_code >= 400:
            raise FetchError(final_url, f"HTTP {response.status_code}", response.status_code)
        if self.cache and cache != NO_CACHE:
            self.cache.put(url, content, response.headers)
        unchanged = cached is not None and cached.content == content
        return FetchResult(final_url, response.status_code, content, dict(response.headers), not_modified=unchanged)

    def _follow(self, url: str, headers: dict, max_bytes: int | None,
                check_url: Callable[[str], None] | None = None) -> tuple[str, requests.Response, bytes]:
        """Redirects one hop at a time, each address checked and paced like the first."""
        for _ in range(MAX_REDIRECTS + 1):
            for check in (check_url, self.check_url):  # the request's own rule first: it asks nothing of the host
                if check is not None:
                    check(url)
            response, content = self._send(url, headers, max_bytes)
            location = response.headers.get("Location")
            if response.status_code not in REDIRECT_STATUSES or not location:
                return url, response, content
            url = urljoin(url, location)
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")

    def _send(self, url: str, headers: dict, max_bytes: int | None) -> tuple[requests.Response, bytes]:
        """One request per attempt, each through the rate limiter; retry only what may recover."""
        for attempt in range(1, self.max_attempts + 1):
            last = attempt == self.max_attempts
            self.limiter.wait_for(url)
            try:
                response = self.session.get(url, headers=headers, timeout=self.timeout, stream=True,
                                            allow_redirects=False)
                if response.status_code == 429 or response.status_code >= 500:
                    response.close()  # the body of an error page is not read
                    content = b""
                else:
                    content = self._read_body(url, response, max_bytes)
            except requests.exceptions.SSLError as exc:
                raise FetchError(url, f"TLS error: {exc}") from exc  # will not fix itself
            except RETRYABLE_ERRORS as exc:
                if last:
                    raise FetchError(url, f"{type(exc).__name__} after {attempt} attempts") from exc
                self._sleep(self._backoff_delay(attempt))
                continue
            if response.status_code == 429 or response.status_code >= 500:
                if last:
                    raise FetchError(url, f"HTTP {response.status_code} after {attempt} attempts",
                                     response.status_code)
                delay = retry_after_seconds(response.headers.get("Retry-After"))
                self._sleep(min(self.max_backoff, delay) if delay is not None else self._backoff_delay(attempt))
                continue
            return response, content
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _read_body(self, url: str, response: requests.Response, max_bytes: int | None) -> bytes:
        """The whole body, or FetchError as soon as it is known to exceed `max_bytes`."""
        if max_bytes is None:
            return response.content
        try:
            declared = int(response.headers.get("Content-Length") or 0)
        except ValueError:
            declared = 0
        if declared > max_bytes:
            response.close()
            raise FetchError(url, f"larger than {max_bytes} bytes ({declared} declared)", response.status_code)
        chunks, size = [], 0
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > max_bytes:
                response.close()
                raise FetchError(url, f"larger than {max_bytes} bytes", response.status_code)
            chunks.append(chunk)
        return b"".join(chunks)

    def _backoff_delay(self, attempt: int) -> float:
        """Exponential backoff with "equal jitter": between half and all of the base delay."""
        base = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
        return base / 2 + base / 2 * self._jitter()


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header given as seconds or as an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())
