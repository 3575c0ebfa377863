"""Browser journeys: the real app under gunicorn, driven by Debian's Chromium through Playwright.

The whole folder skips, with the reason listed by `pytest -ra`, when Chromium is not installed
(Playwright's own browser download is not available here). In the PostgreSQL pass the server
gets a database of its own beside the one the other tests truncate. Every journey fails on a
JavaScript error, a blocked resource (CSP) or a failed request.
"""
from __future__ import annotations

import secrets
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from directory import create_app
from directory.extensions import db
from tests.conftest import POSTGRES_URL, REPO
from tests.servers import BIN, flask, gunicorn, scratch_database, server_env

from .seed import seed_directory

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
AXE_JS = REPO / "build" / "node" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "build" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session", autouse=True)
def _browser_available():
    if not CHROMIUM.exists():
        pytest.skip("e2e skipped: Debian chromium not installed (apt-get install chromium)")


def create_moderator(server_database: str, email: str, password: str, *, name: str) -> None:
    """`flask users create ... --role moderator` against the server's database, as an operator
    would (password on stdin)."""
    env = server_env(DATABASE_URL=server_database, SECRET_KEY=secrets.token_urlsafe(32))
    result = subprocess.run([str(BIN / "flask"), "--app", "directory", "users", "create", email, "--role", "moderator",
                             "--name", name], input=password + "\n", cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def register(page, email: str, password: str) -> None:
    """Create an account through the form; its email stays unconfirmed."""
    from playwright.sync_api import expect

    page.goto("/accounts/register")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Repeat the password").fill(password)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("main")).to_contain_text("Thank you. You can log in now.")


def log_in(page, email: str, password: str) -> None:
    from playwright.sync_api import expect

    page.goto("/accounts/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My contributions")).to_be_visible()


@pytest.fixture(scope="session")
def server_database(tmp_path_factory, _browser_available) -> str:
    """An empty database for the server: a SQLite file, or in the PostgreSQL pass a fresh
    `<name>_e2e` database on the same server, dropped afterwards."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path_factory.mktemp('e2e-db') / 'directory.sqlite'}"
        return
    with scratch_database(POSTGRES_URL, "e2e") as url:
        yield url


# Every journey shares this server and this address: with the production budgets (5
# registrations an hour, 10 logins a minute) the journeys' own sign-ups and log-ins would
# throttle one another, more often the faster the machine. The limits themselves are proved
# on a server of their own (test_rate_limits_across_workers.py).
JOURNEY_LIMITS = {f"DIRECTORY_RATELIMIT_{name}": "10000/hour"
                  for name in ("LOGIN", "REGISTER", "SUGGEST", "REPORT", "WRITES", "SEARCH", "RATE")}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, server_database) -> str:
    """The production entry point (`gunicorn wsgi:app`, two workers) over a seeded database."""
    workdir = tmp_path_factory.mktemp("e2e-server")
    database_url = server_database
    index_dir = workdir / "search-index"
    env = server_env(SECRET_KEY=secrets.token_urlsafe(32), DATABASE_URL=database_url, PUBLIC_URL="http://127.0.0.1",
                     SEARCH_INDEX_DIR=str(index_dir), SCRAPER_CACHE_DIR=str(workdir / "http-cache"),
                     SEC_USER_AGENT="CEO Directory e2e tests e2e@example.org", **JOURNEY_LIMITS)
    flask(env, "db", "upgrade")
    seeder = create_app({"SECRET_KEY": env["SECRET_KEY"], "SQLALCHEMY_DATABASE_URI": database_url,
                         "SEARCH_INDEX_DIR": str(index_dir), "SCRAPER_CACHE_DIR": env["SCRAPER_CACHE_DIR"]})
    with seeder.app_context():
        seed_directory()
        db.session.remove()
        db.engine.dispose()
    flask(env, "index", "rebuild")

    with gunicorn(env, workdir / "gunicorn.log", options=("--access-logfile", "-")) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser(_browser_available):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class PageProblems:
    """What went wrong in the browser while a journey ran: console errors, uncaught
    exceptions, failed requests and error responses (bar the ones a journey expects)."""

    expected_statuses: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def expect_status(self, url: str, status: int) -> None:
        self.expected_statuses[url] = status

    def watch(self, page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        url = message.location.get("url")
        if url in self.expected_statuses and message.text.startswith("Failed to load resource"):
            return  # the browser's own note about a 404 the journey asked for
        self.problems.append(f"console error: {message.text} at {url}")

    def _on_request_failed(self, request) -> None:
        # Aborted on purpose (a navigation, or a suggestion fetch superseded by the next
        # keystroke) is not a failure a user sees.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed: {request.method} {request.url} ({request.failure})")

    def _on_response(self, response) -> None:
        if response.status >= 400 and self.expected_statuses.get(response.url) != response.status:
            self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")


def _new_page(browser, problems: PageProblems, **context_options):
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems.watch(page)
    return context, page


@pytest.fixture
def browser_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def open_page(browser, live_server, browser_problems):
    """`open_page(**context_options)` -> a fresh page whose problems fail the test afterwards."""
    contexts = []

    def open_(**context_options):
        context, page = _new_page(browser, browser_problems, base_url=live_server, **context_options)
        contexts.append(context)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert not browser_problems.problems, "problems in the browser:\n" + "\n".join(browser_problems.problems)


@pytest.fixture
def page(open_page):
    return open_page()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.skip(f"axe-core not installed at {AXE_JS.relative_to(REPO)} (run `make e2e-deps`, needs npm)")
    return AXE_JS.read_text()


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS
