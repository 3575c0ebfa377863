"""`flask scrape companies-house` end to end against a register-shaped server on 127.0.0.1.

The server answers the API paths under /api (slicing the officers list into pages of at
most three, as the real API caps `items_per_page`) and the public pages under /web, sends
rate-limit headers, and can be scripted to answer a path with canned responses first.
"""
from __future__ import annotations

import base64
import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import event, func, select

from directory import search_index
from directory.extensions import db
from directory.refresh.scrape_commands import companies_cli
from directory.importers.companies_house import find_company_by_number
from directory.models import Base, Company, ProposedChange, Revision
from directory.queries import company_by_slug
from directory.revisions import revision_context

from .conftest import _config
from .factories import make_company
from .test_scrapers_companies_house import BULK_ROWS, write_bulk

FIXTURES = Path(__file__).parent / "fixtures" / "companies_house"
API_KEY = "test-key-0000"
PAGE_CAP = 3
COMPANY = "/api/company/00445790"
OFFICERS = "/api/company/00445790/officers"


class RegisterServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), RegisterHandler)
        self.requests: list[dict] = []
        self.scripted: dict[str, deque] = {}
        self.lock = threading.Lock()
        self.officers = json.loads((FIXTURES / "officers_00445790.json").read_bytes())

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def script(self, path: str, *responses: tuple[int, dict, bytes]) -> None:
        self.scripted.setdefault(path, deque()).extend(responses)

    def paths(self) -> list[str]:
        return [r["path"] for r in self.requests]

    def answer(self, path: str) -> tuple[int, dict, bytes]:
        route, query = urlsplit(path).path, parse_qs(urlsplit(path).query)
        if route == COMPANY:
            return 200, {"Content-Type": "application/json"}, (FIXTURES / "company_00445790.json").read_bytes()
        if route == OFFICERS:
            start = int(query.get("start_index", ["0"])[0])
            size = min(PAGE_CAP, int(query.get("items_per_page", ["35"])[0]))
            page = {**self.officers, "start_index": start, "items_per_page": size,
                    "items": self.officers["items"][start:start + size]}
            return 200, {"Content-Type": "application/json"}, json.dumps(page).encode()
        pages = {"/web/company/00445790": "company_00445790.html",
                 "/web/company/00445790/officers": "officers_00445790_page1.html"}
        if route in pages and not query:
            return 200, {"Content-Type": "text/html"}, (FIXTURES / pages[route]).read_bytes()
        if route == "/web/company/00445790/officers" and query.get("page") == ["2"]:
            return 200, {"Content-Type": "text/html"}, (FIXTURES / "officers_00445790_page2.html").read_bytes()
        return 404, {"Content-Type": "application/json"}, b'{"errors":[{"error":"company-profile-not-found"}]}'


class RegisterHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        server = self.server
        with server.lock:
            server.requests.append({"path": self.path, "wall": time.time(),
                                    "authorization": self.headers.get("Authorization")})
            queue = server.scripted.get(self.path)
            scripted = queue.popleft() if queue else None
        status, headers, body = scripted or server.answer(self.path)
        self.send_response(status)
        window = {"X-Ratelimit-Limit": "600", "X-Ratelimit-Remain": "590",
                  "X-Ratelimit-Reset": str(int(time.time()) + 300), "X-Ratelimit-Window": "5m"}
        for name, value in {**window, **headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def register():
    server = RegisterServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def api_key():
    return API_KEY


@pytest.fixture
def app_config(tmp_path, database_uri, register, api_key):
    return _config(tmp_path, database_uri, COMPANIES_HOUSE_API_KEY=api_key,
                   COMPANIES_HOUSE_API_URL=f"{register.root}/api", COMPANIES_HOUSE_WEB_URL=f"{register.root}/web",
                   COMPANIES_HOUSE_REQUESTS_PER_SECOND=10.0)


def scrape(runner, *args):
    return runner.invoke(args=["scrape", "companies-house", *args])


def row_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables}


def positions_by_name(company: Company) -> dict[str, list]:
    found: dict[str, list] = {}
    for position in company.positions:
        found.setdefault(position.person.name, []).append(position)
    return found


def test_company_directors_and_inferred_ceo_from_the_api(app, runner, client, register):
    result = scrape(runner, "--number", "445790")
    assert result.exit_code == 0, result.output
    assert "Companies: 1 created" in result.output
    assert "officer #8 without a name" in result.output  # logged and skipped
    assert [p for p in register.paths() if p.startswith(OFFICERS)] == [
        f"{OFFICERS}?start_index={start}&items_per_page=100" for start in (0, 3, 6)]
    expected_auth = "Basic " + base64.b64encode(f"{API_KEY}:".encode()).decode()
    assert {r["authorization"] for r in register.requests} == {expected_auth}
    with app.app_context():
        tesco = find_company_by_number("00445790")
        assert (tesco.name, tesco.country, tesco.identifier("ch_number")) == ("Tesco PLC", "GB", "00445790")
        office = tesco.addresses[0]
        assert (office.kind, office.postal_code, office.country) == ("registered_office", "AL7 1GA", "GB")
        assert office.source.url == f"{register.root}/web/company/00445790"
        ceo = tesco.ceo_position
        assert ceo.person.name == "Kenneth Andrew Murphy" and ceo.is_inferred_ceo
        assert ceo.source.url == f"{register.root}/web/company/00445790/officers"
        people = positions_by_name(tesco)
        allan = people["John Murray Allan"][0]
        assert (allan.is_current, allan.end_date.isoformat(), allan.person.honorific) == (False, "2024-10-04", "Sir")
        lewis = people["Dave Lewis"][0]  # a chief executive who resigned: a former executive
        assert (lewis.is_current, lewis.end_date.isoformat()) == (False, "2020-09-30")
        assert people["Christopher Edward Welch"][0].role == "secretary"
        assert "LONDON LAW SERVICES LIMITED" not in people  # a company, not a person to write to
        assert search_index.search("kenneth murphy").ids == [tesco.id]
        assert search_index.search("tesco").ids == [tesco.id]
    html = client.get("/companies/tesco-plc").get_data(as_text=True)
    assert "Kenneth Andrew Murphy" in html and "badge-inferred" in html
    assert "Director (occupation: Chief Executive)" in html
    assert "Former executives (2)" in html and "John Murray Allan" in html
    assert "Registered office" in html and "AL7 1GA" in html


def test_second_run_writes_nothing(app, runner, register):
    assert scrape(runner, "--number", "00445790").exit_code == 0
    with app.app_context():
        before = row_counts()
        writes = []

        def record(conn, cursor, statement, *args):
            if statement.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE"):
                writes.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
    try:
        result = scrape(runner, "--number", "00445790")
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", record)
    assert result.exit_code == 0, result.output
    assert "0 created, 0 updated, 1 unchanged" in result.output
    assert writes == []
    with app.app_context():
        assert row_counts() == before


def test_resignation_on_a_later_run_makes_the_director_former(app, runner, register):
    assert scrape(runner, "--number", "00445790").exit_code == 0
    murphy = register.officers["items"][0]
    murphy["resigned_on"] = "2026-11-20"
    result = scrape(runner, "--number", "00445790")
    assert "1 updated" in result.output and "ended: 1" in result.output
    with app.app_context():
        tesco = find_company_by_number("00445790")
        position = positions_by_name(tesco)["Kenneth Andrew Murphy"][0]
        assert (position.is_current, position.end_date.isoformat()) == (False, "2026-11-20")
        assert tesco.ceo_position is None


def test_429_waits_for_the_window_to_reset(app, runner, register):
    first_page = f"{OFFICERS}?start_index=0&items_per_page=100"
    reset = int(time.time()) + 2
    register.script(first_page, (429, {"X-Ratelimit-Remain": "0", "X-Ratelimit-Reset": str(reset)}, b"{}"))
    result = scrape(runner, "--number", "00445790")
    assert result.exit_code == 0, result.output
    retried = [r for r in register.requests if r["path"] == first_page]
    assert len(retried) == 2
    assert retried[1]["wall"] >= reset - 0.05  # nothing was sent before the window reset
    with app.app_context():
        assert find_company_by_number("00445790").ceo_position.person.name == "Kenneth Andrew Murphy"


def test_401_stops_the_run_with_a_message_about_the_key(app, runner, register):
    register.script(COMPANY, (401, {"Content-Type": "application/json"}, b'{"error":"Invalid Authorization"}'))
    result = scrape(runner, "--number", "00445790", "--number", "04475590")
    assert result.exit_code != 0
    assert "COMPANIES_HOUSE_API_KEY" in result.output
    assert register.paths() == [COMPANY]  # the second company was never asked for
    with app.app_context():
        assert find_company_by_number("00445790") is None


def test_unknown_number_is_reported_and_the_run_fails(app, runner, register):
    result = scrape(runner, "--number", "99999999")
    assert result.exit_code == 1
    assert "1 not found" in result.output


def test_bulk_file_imports_companies_once(app, runner, register, tmp_path):
    path = write_bulk(tmp_path / "BasicCompanyDataAsOneFile-2026-11-01.zip", BULK_ROWS)
    result = scrape(runner, "--bulk", str(path))
    assert result.exit_code == 0, result.output
    assert "Companies: 2 created" in result.output and "1 failed" in result.output
    assert register.requests == []  # the file alone: no requests
    with app.app_context():
        you = find_company_by_number("04475590")
        assert (you.name, you.city, you.addresses[0].kind) == ("You Limited", "BEVERLEY", "registered_office")
        assert you.addresses[0].source.url.endswith("BasicCompanyDataAsOneFile-2026-11-01.zip")
        assert search_index.search("you limited").ids == [you.id]
        before = row_counts()
    again = scrape(runner, "--bulk", str(path))
    assert "0 created, 0 updated, 2 unchanged" in again.output
    with app.app_context():
        assert row_counts() == before


def test_likely_sec_match_is_offered_and_linked_by_a_moderator(app, runner, register):
    with app.app_context():
        make_company("Tesco Inc", cik="0000999999", city="Austin", region="TX")
        db.session.commit()
    result = scrape(runner, "--number", "00445790")
    assert "possible same company as tesco-inc" in result.output

    linked = runner.invoke(companies_cli, ["link", "00445790", "tesco-inc"])
    assert linked.exit_code == 0, linked.output
    assert "Merged tesco-plc into tesco-inc" in linked.output
    with app.app_context():
        tesco = find_company_by_number("00445790")
        assert tesco.slug == "tesco-inc" and tesco.identifier("cik") == "0000999999"
        assert tesco.ceo_position.person.name == "Kenneth Andrew Murphy"
        assert {a.kind for a in tesco.addresses} == {"principal_office", "registered_office"}
        company, is_old_slug = company_by_slug("tesco-plc")
        assert company.id == tesco.id and is_old_slug
        assert db.session.scalar(select(func.count()).select_from(Revision).where(
            Revision.actor == "cli: companies link")) > 0
        assert db.session.scalar(select(func.count()).select_from(Company)) == 1

    again = scrape(runner, "--number", "00445790")
    assert "0 created" in again.output
    with app.app_context():
        tesco = find_company_by_number("00445790")
        assert (tesco.name, tesco.country, tesco.city) == ("Tesco Inc", "US", "Austin")


class TestWithoutAnApiKey:
    @pytest.fixture
    def api_key(self):
        return None

    def test_public_pages_give_the_same_records(self, app, runner, register):
        result = scrape(runner, "--number", "00445790")
        assert result.exit_code == 0, result.output
        assert register.paths() == ["/web/company/00445790", "/web/company/00445790/officers",
                                    "/web/company/00445790/officers?page=2"]
        assert all(r["authorization"] is None for r in register.requests)
        with app.app_context():
            tesco = find_company_by_number("00445790")
            assert tesco.addresses[0].postal_code == "AL7 1GA"
            assert tesco.ceo_position.person.name == "Kenneth Andrew Murphy"
            people = positions_by_name(tesco)
            assert set(people) == {"Kenneth Andrew Murphy", "John Murray Allan", "Christopher Edward Welch"}
            assert not people["John Murray Allan"][0].is_current

    def test_search_needs_a_key(self, app, runner, register):
        result = scrape(runner, "--search", "tesco")
        assert result.exit_code != 0 and "COMPANIES_HOUSE_API_KEY" in result.output


def test_search_imports_the_companies_found(app, runner, register):
    found = {"kind": "search#companies", "total_results": 1, "items": [
        {"company_number": "00445790", "title": "TESCO  PLC", "company_status": "active"}]}
    register.script("/api/search/companies?q=tesco&items_per_page=20",
                    (200, {"Content-Type": "application/json"}, json.dumps(found).encode()))
    result = scrape(runner, "--search", "tesco")
    assert result.exit_code == 0, result.output
    assert "Companies: 1 created" in result.output
    with app.app_context():
        assert find_company_by_number("00445790").name == "Tesco PLC"


def test_a_persons_edit_is_kept_and_the_register_value_proposed(app, runner, register):
    assert scrape(runner, "--number", "00445790").exit_code == 0
    with app.app_context():
        office = find_company_by_number("00445790").addresses[0]
        with revision_context("user:3"):
            office.postal_code = "AL7 1GB"
            db.session.commit()
    moved = (FIXTURES / "company_00445790.json").read_bytes().replace(b"AL7 1GA", b"AL7 9ZZ")
    register.script(COMPANY, (200, {"Content-Type": "application/json"}, moved))
    result = scrape(runner, "--number", "00445790")
    assert "Proposed changes for moderators: 1" in result.output
    with app.app_context():
        assert find_company_by_number("00445790").addresses[0].postal_code == "AL7 1GB"
        proposal = db.session.scalars(select(ProposedChange)).one()
        assert (proposal.field, proposal.proposed_value) == ("postal_code", "AL7 9ZZ")
