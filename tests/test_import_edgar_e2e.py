"""`flask scrape edgar` end to end against an EDGAR-shaped HTTP server on 127.0.0.1."""
from __future__ import annotations

import threading
import zipfile
import time
from collections import deque
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import event, func, select

from directory import search_index
from directory.extensions import db
from directory.importers.store import find_company_by_cik
from directory.models import Base, ProposedChange, Revision
from directory.revisions import revision_context

from .community import log_in, make_user
from .conftest import SHARED, _config
from .edgar_server import assert_failures_listed
from .html import visible_text

MIRROR = SHARED / "fixtures" / "edgar-mirror"
COOK_FORM4 = "/www/Archives/edgar/data/320193/000032019323000079/wk-form4_1691533817.xml"
COOK_FILING_INDEX = "Archives/edgar/data/320193/000032019323000079/0000320193-23-000079-index.htm"
APPLE_SUBMISSIONS = "/data/submissions/CIK0000320193.json"
# Windows ending 2023-12-31: 150 days reach Cook's Form 4 (2023-08-08); 500 days also reach
# Apple's 8-K with item 5.02 of 2022-08-19.
SHORT = ["--as-of", "2023-12-31", "--lookback-days", "150"]


class MirrorServer(ThreadingHTTPServer):
    """Serves the mirror; records (time, path, User-Agent); plays scripted responses first."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), MirrorHandler)
        self.requests: list[tuple[float, str, str]] = []
        self.scripted: dict[str, deque] = {}
        self.lock = threading.Lock()

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def script(self, path: str, *responses: tuple[int, dict, bytes]) -> None:
        self.scripted.setdefault(path, deque()).extend(responses)

    def paths(self) -> list[str]:
        return [path for _, path, _ in self.requests]


class MirrorHandler(SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(MIRROR), **kwargs)

    def do_GET(self):
        server = self.server
        with server.lock:
            server.requests.append((time.monotonic(), self.path, self.headers.get("User-Agent", "")))
            queue = server.scripted.get(self.path)
            scripted = queue.popleft() if queue else None
        if scripted is None:
            return super().do_GET()
        status, headers, body = scripted
        self.send_response(status)
        for name, value in {"Content-Length": str(len(body)), **headers}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture
def edgar_server(shared_fixtures):
    server = MirrorServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def app_config(tmp_path, database_uri, edgar_server):
    return _config(tmp_path, database_uri, SEC_WWW_URL=f"{edgar_server.root}/www",
                   SEC_DATA_URL=f"{edgar_server.root}/data")


def scrape(runner, *args):
    return runner.invoke(args=["scrape", "edgar", *args])


def row_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables}


def test_apple_ceo_from_the_mirror_in_database_search_and_page(app, runner, client, edgar_server):
    result = scrape(runner, "--cik", "320193", "--as-of", "2023-12-31")
    assert_failures_listed(result)
    assert "Companies: 1 created" in result.output
    with app.app_context():
        apple = find_company_by_cik("320193")
        ceo = apple.ceo_position
        assert ceo.person.name == "Timothy D. Cook"
        assert ceo.source.url.endswith(COOK_FILING_INDEX)
        assert ceo.source.document_id == "0000320193-23-000079"
        assert apple.identifier("cik") == "0000320193"
        assert apple.phone == "(408) 996-1010"
        assert search_index.search("timothy cook").ids == [apple.id]
    page = client.get("/companies/apple-inc")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Timothy D. Cook" in html and COOK_FILING_INDEX in html

    agents = {agent for _, _, agent in edgar_server.requests}
    assert agents == {"CEO Directory tests tests@example.org"}
    times = [t for t, _, _ in edgar_server.requests]
    assert len(times) > 10
    assert max(sum(1 for u in times if t <= u < t + 1.0) for t in times) <= 10


def test_rate_limit_answer_is_retried(app, runner, edgar_server):
    edgar_server.script(APPLE_SUBMISSIONS, (429, {"Retry-After": "1"}, b"slow down"))
    result = scrape(runner, "--cik", "320193", *SHORT)
    assert_failures_listed(result)
    assert edgar_server.paths().count(APPLE_SUBMISSIONS) == 2
    with app.app_context():
        assert find_company_by_cik("320193").ceo_position.person.name == "Timothy D. Cook"


def test_truncated_document_is_skipped_and_reported_with_its_url(app, runner, edgar_server):
    body = (MIRROR / COOK_FORM4.lstrip("/")).read_bytes()
    edgar_server.script(COOK_FORM4, (200, {"Content-Type": "application/xml"}, body[: len(body) // 2]))
    result = scrape(runner, "--cik", "320193", *SHORT)
    assert_failures_listed(result)
    assert f"{edgar_server.root}{COOK_FORM4}" in result.output
    with app.app_context():
        apple = find_company_by_cik("320193")
        assert apple.name == "Apple Inc." and apple.ceo_position is None


def test_second_run_writes_nothing(app, runner, edgar_server):
    assert_failures_listed(scrape(runner, "--cik", "320193", *SHORT))
    with app.app_context():
        before = row_counts()
        writes = []

        def record(conn, cursor, statement, *args):
            if statement.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE"):
                writes.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
    try:
        result = scrape(runner, "--cik", "320193", *SHORT)
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", record)
    assert_failures_listed(result)
    assert "0 created, 0 updated, 1 unchanged" in result.output
    assert writes == []
    with app.app_context():
        assert row_counts() == before
    archive_fetches = [p for p in edgar_server.paths() if p == COOK_FORM4]
    assert len(archive_fetches) == 1  # read once, never again


def test_human_edited_phone_is_kept_and_proposed(app, runner, edgar_server):
    assert_failures_listed(scrape(runner, "--cik", "320193", *SHORT))
    with app.app_context():
        apple = find_company_by_cik("320193")
        with revision_context("user:3"):
            apple.phone = "+1 408 555 0199"
            db.session.commit()
    result = scrape(runner, "--cik", "320193", *SHORT)
    assert "Proposed changes for moderators: 1" in result.output
    with app.app_context():
        assert find_company_by_cik("320193").phone == "+1 408 555 0199"
        proposal = db.session.scalars(select(ProposedChange)).one()
        assert (proposal.field, proposal.proposed_value, proposal.status) == ("phone", "(408) 996-1010", "pending")


def test_a_leadership_change_older_than_the_ceo_fact_is_not_flagged(app, runner, client, edgar_server):
    """Apple's 8-K of 19 August 2022 (item 5.02) is older than the Form 4 of 8 August 2023 that
    names the CEO on record: the page must not warn that the people shown may be out of date,
    and no moderator needs to review it."""
    result = scrape(runner, "--cik", "320193", "--as-of", "2023-12-31", "--lookback-days", "500")
    assert_failures_listed(result)
    with app.app_context():
        apple = find_company_by_cik("320193")
        assert apple.leadership_change_on.isoformat() == "2022-08-19"  # the signal is kept
        make_user("moderator@example.org", role="moderator")  # the review list is for moderators
    assert "Leadership change reported" not in client.get("/companies/apple-inc").get_data(as_text=True)
    log_in(client, "moderator@example.org")
    assert "Apple Inc." not in client.get("/review/leadership-changes", follow_redirects=True).get_data(as_text=True)
    assert "Apple Inc." not in client.get("/moderate/?kind=leadership").get_data(as_text=True)


def test_failure_storing_one_company_keeps_it_and_the_run_goes_on(app, runner, edgar_server, monkeypatch):
    assert_failures_listed(scrape(runner, "--cik", "320193", *SHORT))
    with app.app_context():
        revisions = db.session.scalar(select(func.count()).select_from(Revision))
    changed = (MIRROR / APPLE_SUBMISSIONS.lstrip("/")).read_bytes().replace(b"(408) 996-1010", b"(408) 000-0000")
    edgar_server.script(APPLE_SUBMISSIONS, (200, {"Content-Type": "application/json"}, changed))
    from directory.importers import store

    original = store._store_company

    def fails_half_way(writer, cik, record, source):
        company = original(writer, cik, record, source)  # the new phone is already assigned
        if cik == "0000320193":
            raise RuntimeError("disk on fire")
        return company

    monkeypatch.setattr(store, "_store_company", fails_half_way)
    result = scrape(runner, "--cik", "320193", "--cik", "789019", *SHORT)
    assert_failures_listed(result)
    assert "CIK 0000320193: not stored (RuntimeError: disk on fire)" in result.output
    with app.app_context():
        apple = find_company_by_cik("320193")
        assert apple.phone == "(408) 996-1010"
        assert apple.ceo_position.person.name == "Timothy D. Cook"
        assert find_company_by_cik("789019").name == "Microsoft Corp"
        apple_revisions = select(func.count()).select_from(Revision).where(Revision.company_id == apple.id)
        assert db.session.scalar(select(func.count()).select_from(Revision)) > revisions  # Microsoft's
        assert db.session.scalar(apple_revisions) == db.session.scalar(
            apple_revisions.where(Revision.id <= revisions))


def test_a_name_filed_in_capitals_is_shown_as_written_and_kept_as_the_legal_name(app, runner, client):
    """EDGAR files "MICROSOFT CORP": the page says "Microsoft Corp", names the filed form once
    as the legal name with its source, and search still finds the filed form."""
    assert_failures_listed(scrape(runner, "--cik", "789019", *SHORT))
    with app.app_context():
        microsoft = find_company_by_cik("789019")
        assert microsoft.name == "Microsoft Corp"
        assert microsoft.legal_name.name == "MICROSOFT CORP"
        assert microsoft.legal_name.source.url.endswith("/submissions/CIK0000789019.json")
        assert search_index.search("MICROSOFT CORP").ids[:1] == [microsoft.id]
        slug = microsoft.slug
    page = client.get(f"/companies/{slug}").get_data(as_text=True)
    assert "<h1>Microsoft Corp" in page or ">Microsoft Corp</h1>" in page
    shown = visible_text(page)
    assert shown.count("MICROSOFT CORP") == 1 and "Legal name" in shown
    assert "Former names" not in page
    again = scrape(runner, "--cik", "789019", *SHORT)
    assert "0 created, 0 updated, 1 unchanged" in again.output, again.output


def test_nothing_succeeded_exits_non_zero(runner, edgar_server):
    edgar_server.script(APPLE_SUBMISSIONS, *[(500, {"Retry-After": "0"}, b"down")] * 4)
    result = scrape(runner, "--cik", "320193", *SHORT)
    assert result.exit_code == 1
    assert APPLE_SUBMISSIONS in result.output


def test_ticker_is_resolved_through_the_sec_list(app, runner, edgar_server):
    result = scrape(runner, "--ticker", "AAPL", "--ticker", "NOSUCHTICKER", *SHORT)
    assert_failures_listed(result)
    assert "ticker NOSUCHTICKER: not in SEC's ticker list" in result.output
    with app.app_context():
        assert find_company_by_cik("320193").ceo_position.person.name == "Timothy D. Cook"


def test_bulk_archive_stores_company_facts_without_fetching(app, runner, edgar_server, tmp_path):
    archive = tmp_path / "submissions.zip"
    with zipfile.ZipFile(archive, "w") as bulk:
        for cik in ("0000320193", "0000789019"):
            bulk.write(MIRROR / "data" / "submissions" / f"CIK{cik}.json", f"CIK{cik}.json")
        bulk.writestr("CIK0000789019-submissions-001.json", '{"accessionNumber": []}')
    result = scrape(runner, "--bulk", str(archive))
    assert_failures_listed(result)
    assert "Companies: 2 created" in result.output
    assert edgar_server.requests == []
    with app.app_context():
        microsoft = find_company_by_cik("789019")
        assert microsoft.name == "Microsoft Corp" and microsoft.tickers == ["MSFT"]
        assert microsoft.legal_name.name == "MICROSOFT CORP"  # the fast path keeps it too
        assert search_index.search("microsoft").ids == [microsoft.id]
    again = scrape(runner, "--bulk", str(archive))
    assert "0 created, 0 updated, 2 unchanged" in again.output
