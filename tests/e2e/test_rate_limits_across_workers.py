"""Rate limits hold across gunicorn workers: counters live in the database, not per process.

A server of its own (two workers, fresh SQLite database) so the burst of logins cannot
throttle the browser journeys that share the session's server. The access log records each
worker's pid, which proves both workers answered.

The limits keep their production budgets (10 logins, 120 searches) but count over ten minutes
instead of one. A window opens at its first request and closes a fixed time later; on a busy
machine a burst of 140 requests sometimes outlasted a one-minute window, which then reopened
mid-burst and let more through. No burst here comes near ten minutes, so every request falls in
one window and the counts are exact.
"""
from __future__ import annotations

import re
import secrets
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from bs4 import BeautifulSoup

from tests.servers import flask, gunicorn, server_env

ATTEMPTS = 100
LOGIN_LIMIT = 10  # RATELIMIT_LOGIN's default budget
SEARCH_LIMIT = 120  # RATELIMIT_SEARCH's default budget: generous for a person
WINDOW = "10 minutes"


@pytest.fixture(scope="module")
def throttled_server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("rate-limit-server")
    env = server_env(SECRET_KEY=secrets.token_urlsafe(32), PUBLIC_URL="http://127.0.0.1",
                     DATABASE_URL=f"sqlite:///{workdir / 'directory.sqlite'}", SEARCH_INDEX_DIR=str(workdir / "search-index"),
                     SCRAPER_CACHE_DIR=str(workdir / "http-cache"), SEC_USER_AGENT="CEO Directory e2e tests e2e@example.org",
                     DIRECTORY_RATELIMIT_LOGIN=f"{LOGIN_LIMIT} per {WINDOW}",
                     DIRECTORY_RATELIMIT_SEARCH=f"{SEARCH_LIMIT} per {WINDOW}")
    flask(env, "db", "upgrade")
    log = workdir / "gunicorn.log"
    access_log = ("--access-logfile", "-", "--access-logformat", "pid=%(p)s %(s)s %(m)s %(U)s")
    with gunicorn(env, log, ready="/robots.txt", options=access_log) as base_url:
        yield base_url, log


def login_form(base_url: str) -> tuple[dict, str]:
    """The session cookie and CSRF token a browser gets from the login page."""
    page = requests.get(f"{base_url}/accounts/login", timeout=10)
    page.raise_for_status()
    token = BeautifulSoup(page.text, "lxml").find("input", attrs={"name": "csrf_token"})["value"]
    return page.cookies.get_dict(), token


def test_100_rapid_logins_over_two_workers_process_at_most_10(throttled_server):
    base_url, log = throttled_server
    cookies, token = login_form(base_url)

    def attempt(number: int) -> int:
        response = requests.post(f"{base_url}/accounts/login", cookies=cookies, allow_redirects=False, timeout=30,
                                 data={"csrf_token": token, "email": f"guess{number}@example.org",
                                       "password": "not the password at all"})
        return response.status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(attempt, range(ATTEMPTS)))

    processed = statuses.count(200)  # the form again, with "do not match"
    assert statuses.count(429) + processed == ATTEMPTS, Counter(statuses)
    assert 1 <= processed <= LOGIN_LIMIT, processed
    pids = set(re.findall(r"pid=<(\d+)> \d+ POST /accounts/login", log.read_text()))
    assert len(pids) == 2, "both workers should have answered some of the attempts"


def test_search_is_limited_per_address_too(throttled_server):
    base_url, _ = throttled_server

    def search(number: int) -> int:
        return requests.get(f"{base_url}/search", params={"q": f"acme {number}"}, timeout=30).status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(search, range(SEARCH_LIMIT + 20)))
    assert statuses.count(200) == SEARCH_LIMIT and statuses.count(429) == 20, Counter(statuses)
