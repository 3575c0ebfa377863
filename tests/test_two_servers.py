"""Two app servers, one PostgreSQL: what a visitor sees does not depend on which server answers.

Two gunicorn instances, each started from a working folder of its own (its own instance folder,
Whoosh folder and HTTP cache), on two ports, with the same SECRET_KEY and PUBLIC_URL and
SEARCH_BACKEND=postgres: a moderator's edit made through A is on B's company page and in B's
search at once (B had both cached), a session made on A is valid on B, and 100 logins spread
over both let at most the configured limit through (the counters live in the database).

PostgreSQL only (CI's PostgreSQL stage): with SQLite there is one machine by definition.
"""
from __future__ import annotations

import secrets
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from directory import create_app
from directory.extensions import db
from directory.models import Company, Contribution
from tests.community import log_in, make_user, submit, suggest_and_send
from tests.conftest import POSTGRES_URL
from tests.factories import make_company
from tests.servers import Browser, checkout, flask, gunicorn, scratch_database, server_env

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="two servers share a PostgreSQL database (make test-postgres)")

LOGIN_LIMIT = 10
ATTEMPTS = 100
WINDOW = "10 minutes"  # every attempt falls in one window (see tests/e2e/test_rate_limits_across_workers.py)


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """(A's URL, B's URL, the database URL), seeded with one company and two accounts."""
    with scratch_database(POSTGRES_URL, "two_servers") as database_url:
        shared = dict(DATABASE_URL=database_url, SECRET_KEY=secrets.token_urlsafe(32), PUBLIC_URL="http://127.0.0.1",
                      SEARCH_BACKEND="postgres", SEC_USER_AGENT="CEO Directory tests tests@example.org",
                      DIRECTORY_RATELIMIT_LOGIN=f"{LOGIN_LIMIT} per {WINDOW}")
        folders = [checkout(tmp_path_factory.mktemp(name)) for name in ("server-a", "server-b")]
        envs = [server_env(**shared, SEARCH_INDEX_DIR=str(folder / "search-index"),
                           SCRAPER_CACHE_DIR=str(folder / "http-cache")) for folder in folders]
        flask(envs[0], "db", "upgrade", cwd=folders[0])
        seed(database_url)
        for env, folder in zip(envs, folders):
            flask(env, "index", "rebuild", cwd=folder)
        with gunicorn(envs[0], folders[0] / "gunicorn.log", cwd=folders[0]) as server_a, \
                gunicorn(envs[1], folders[1] / "gunicorn.log", cwd=folders[1]) as server_b:
            assert all((folder / "instance").is_dir() for folder in folders)  # two checkouts, two instance folders
            yield server_a, server_b, database_url


def seed(database_url: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "seeding", "SEARCH_ENABLED": False,
                      "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 8, "ARGON2_PARALLELISM": 1})
    with app.app_context():
        make_company("Acme Widgets Inc.", ceo="Wile E. Coyote", city="Phoenix", region="AZ")
        make_user("contributor@example.org")
        make_user("mod@example.org", role="moderator")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def database_scalar(database_url: str, statement):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "reading", "SEARCH_ENABLED": False})
    with app.app_context():
        try:
            return db.session.scalar(statement)
        finally:
            db.session.remove()
            db.engine.dispose()


def result_links(html: str) -> list[str]:
    return [a["href"] for a in BeautifulSoup(html, "lxml").select(".search-results a.result-name")]


@pytest.fixture(scope="module")
def renamed_through_a(servers):
    """B caches its pages, then a contributor suggests a new name on A and a moderator approves
    it on A. The moderator's browser on A."""
    server_a, server_b, database_url = servers
    visitor_b = Browser(server_b)
    assert "Acme Widgets Inc." in visitor_b.get("/companies/acme-widgets-inc").text
    assert result_links(visitor_b.get("/search?q=acme").text) == ["/companies/acme-widgets-inc"]
    company_id = database_scalar(database_url, select(Company.id))

    contributor = Browser(server_a)
    log_in(contributor, "contributor@example.org")
    sent, _ = suggest_and_send(contributor, f"/contribute/suggest/company/{company_id}",
                               {"name": "Zephyr Anvils Inc.", "note": "Renamed at the annual meeting."})
    assert sent.status_code == 302, sent.text
    item = database_scalar(database_url, select(Contribution.id))
    moderator = Browser(server_a)
    log_in(moderator, "mod@example.org")
    assert submit(moderator, f"/moderate/contributions/{item}", {"action": "approve"}).status_code == 302
    return moderator


def test_a_change_made_through_a_is_on_bs_company_page_at_once(servers, renamed_through_a):
    _, server_b, _ = servers
    page = Browser(server_b).get("/companies/acme-widgets-inc", follow_redirects=True)
    assert page.url.endswith("/companies/zephyr-anvils-inc")  # the old address redirects to the new
    assert "Zephyr Anvils Inc." in page.text


def test_bs_cached_search_page_is_not_served_after_the_change(servers, renamed_through_a):
    """The page B cached for "acme" linked the old address; the generation kept in the
    database moved on, so B renders it again (the old name stays searchable as a former name)."""
    _, server_b, _ = servers
    assert "/companies/acme-widgets-inc" not in result_links(Browser(server_b).get("/search?q=acme").text)


def test_the_new_name_is_found_through_bs_search_at_once(servers, renamed_through_a):
    _, server_b, _ = servers
    assert result_links(Browser(server_b).get("/search?q=zephyr").text) == ["/companies/zephyr-anvils-inc"]


def test_a_session_made_on_a_is_valid_on_b(servers, renamed_through_a):
    server_a, server_b, _ = servers
    assert Browser(server_b).get("/moderate/").status_code == 302  # a stranger is sent to log in
    on_b = Browser(server_b, cookies=renamed_through_a.cookies)
    queue = on_b.get("/moderate/")
    assert queue.status_code == 200 and "Log out" in queue.text


def test_100_logins_over_both_servers_let_at_most_the_limit_through(servers):
    server_a, server_b, _ = servers
    login_page = Browser(server_a)
    token = BeautifulSoup(login_page.get("/accounts/login").text, "lxml").find("input", attrs={"name": "csrf_token"})["value"]

    def attempt(number: int) -> int:
        visitor = Browser((server_a, server_b)[number % 2], cookies=login_page.cookies)  # one browser, both servers
        return visitor.post("/accounts/login", data={"csrf_token": token, "email": f"guess{number}@example.org",
                                                     "password": "not the password at all"}).status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(attempt, range(ATTEMPTS)))
    processed = statuses.count(200)  # the form again, with "do not match"
    assert statuses.count(429) + processed == ATTEMPTS, Counter(statuses)
    assert processed <= LOGIN_LIMIT, processed
