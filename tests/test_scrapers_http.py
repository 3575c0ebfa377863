"""The polite HTTP client against a real HTTP server on 127.0.0.1."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest

from scrapers.errors import ConfigurationError, FetchError
from scrapers.http import CACHE_FOREVER, REVALIDATE, HttpClient, RateLimiter, retry_after_seconds
from tests.edgar_server import EdgarServer, Scripted

USER_AGENT = "CEO Directory tests tests@example.org"


@pytest.fixture
def server(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "ping.json").write_text('{"ok": true}')
    (tmp_path / "www" / "Archives").mkdir(parents=True)
    (tmp_path / "www" / "Archives" / "doc.xml").write_text("<doc/>")
    with EdgarServer(tmp_path) as running:
        yield running


class SleepRecorder:
    """Records the delays the client asks for instead of waiting them out."""

    def __init__(self):
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def make_client(tmp_path=None, **options) -> HttpClient:
    options.setdefault("rate_limiter", RateLimiter(10))
    return HttpClient(USER_AGENT, cache_dir=tmp_path / "cache" if tmp_path else None, **options)


def test_refuses_to_run_without_a_declared_user_agent():
    for missing in (None, "", "   "):
        with pytest.raises(ConfigurationError, match="SEC_USER_AGENT"):
            HttpClient(missing)


def test_server_sees_the_declared_user_agent(server):
    with make_client() as client:
        result = client.get(f"{server.data_url}/ping.json")
    assert result.json() == {"ok": True}
    assert [r.user_agent for r in server.requests] == [USER_AGENT]


def test_never_more_than_ten_requests_in_any_second_across_threads(server):
    url = f"{server.data_url}/ping.json"
    with HttpClient(USER_AGENT, requests_per_second=8) as client:
        with ThreadPoolExecutor(max_workers=4) as pool:
            statuses = list(pool.map(lambda _: client.get(url).status, range(40)))
    assert statuses == [200] * 40
    times = sorted(r.time for r in server.requests)
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert len(times) == 40
    assert busiest <= 10


def test_rate_above_sec_limit_is_refused():
    with pytest.raises(ConfigurationError):
        RateLimiter(11)


def test_429_is_retried_after_the_retry_after_delay(server):
    path = "/data/ping.json"
    server.script(path, Scripted(429, b"slow down", {"Retry-After": "1"}))
    sleep = SleepRecorder()
    with make_client(sleep=sleep) as client:
        result = client.get(server.base_url + path)
    assert result.status == 200
    assert len(server.requests_for(path)) == 2
    assert sleep.delays == [1.0]


def test_retry_after_as_an_http_date():
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("Thu, 01 Jan 2026 12:00:05 GMT", now=now) == 5.0
    assert retry_after_seconds("7", now=now) == 7.0
    assert retry_after_seconds("nonsense", now=now) is None
    assert retry_after_seconds(None) is None


def test_404_is_not_retried(server):
    sleep = SleepRecorder()
    with make_client(sleep=sleep) as client, pytest.raises(FetchError) as raised:
        client.get(f"{server.data_url}/submissions/CIK0000000001.json")
    assert raised.value.status == 404 and raised.value.not_found
    assert len(server.requests) == 1
    assert sleep.delays == []


def test_500_is_retried_with_backoff_then_gives_up(server):
    path = "/data/ping.json"
    server.script(path, *[Scripted(500, b"oops")] * 3)
    sleep = SleepRecorder()
    with make_client(sleep=sleep, max_attempts=3, backoff=1.0, jitter=lambda: 0.5) as client:
        with pytest.raises(FetchError) as raised:
            client.get(server.base_url + path)
    assert raised.value.status == 500
    assert len(server.requests_for(path)) == 3
    assert sleep.delays == [0.75, 1.5]  # half the base delay plus half of it times the jitter


def test_a_stalled_server_hits_the_read_timeout(server):
    path = "/data/ping.json"
    server.script(path, Scripted(200, b"{}", delay=1.0), Scripted(200, b"{}", delay=1.0))
    with make_client(timeout=(2.0, 0.2), max_attempts=2, sleep=SleepRecorder()) as client:
        with pytest.raises(FetchError, match="Timeout"):
            client.get(server.base_url + path)


def test_connection_errors_are_retried_then_reported():
    sleep = SleepRecorder()
    with make_client(sleep=sleep, max_attempts=2) as client, pytest.raises(FetchError) as raised:
        client.get("http://127.0.0.1:9/nothing-listens-here")
    assert raised.value.status is None
    assert len(sleep.delays) == 1


def test_conditional_request_gives_not_modified(server, tmp_path):
    url = f"{server.data_url}/ping.json"
    with make_client(tmp_path) as client:
        first = client.get(url, cache=REVALIDATE)
        second = client.get(url, cache=REVALIDATE)
    assert not first.not_modified
    assert second.not_modified and second.status == 304
    assert second.content == first.content
    assert "If-None-Match" in server.requests[1].headers


def test_archives_are_fetched_once(server, tmp_path):
    url = f"{server.www_url}/Archives/doc.xml"
    with make_client(tmp_path) as client:
        first = client.get(url, cache=CACHE_FOREVER)
        again = client.get(url, cache=CACHE_FOREVER)
    with make_client(tmp_path) as restarted:
        later = restarted.get(url, cache=CACHE_FOREVER)
    assert first.content == again.content == later.content == b"<doc/>"
    assert again.from_cache and later.from_cache
    assert len(server.requests) == 1
