"""`flask refresh` against loopback stand-ins for EDGAR and Companies House: every source runs,
each run is recorded and shown on /status, and a failed source makes the command exit 1."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from directory.refresh import steps as refresh
from directory.extensions import db
from directory.models import CompanyRead, Identifier, RefreshRun
from scrapers.edgar.daily_index import daily_index_url
from scrapers.edgar.urls import EdgarUrls
from tests.edgar_server import EdgarServer, Scripted

from .factories import make_company
from .test_import_companies_house_e2e import API_KEY, register  # noqa: F401 (a fixture)

# The day every run in these tests counts as today, given to `flask refresh --today`, so a
# suite that straddles midnight asks for the same daily index as the test scripts.
TODAY = date.today()
YESTERDAY = TODAY - timedelta(days=1)


def index_path(day: date) -> str:
    return "/www" + daily_index_url(EdgarUrls(""), day)


EMPTY_INDEX = (b"Description:           Daily Index of EDGAR Dissemination Feed by Form Type\n\n"
               b"Form Type   Company Name                                                  CIK         Date Filed  "
               b"File Name\n" + b"-" * 141 + b"\n")


@pytest.fixture
def mirror():
    """EDGAR with no files: each test scripts the daily index it needs (needs no ../shared)."""
    with EdgarServer() as server:
        yield server


@pytest.fixture
def app_config(app_config, mirror, register):
    return {**app_config, "SEC_WWW_URL": mirror.www_url, "SEC_DATA_URL": mirror.data_url,
            "COMPANIES_HOUSE_API_KEY": API_KEY, "COMPANIES_HOUSE_API_URL": f"{register.root}/api",
            "COMPANIES_HOUSE_WEB_URL": f"{register.root}/web", "COMPANIES_HOUSE_REQUESTS_PER_SECOND": 10.0,
            "SCRAPER_USER_AGENT": "CEO Directory tests tests@example.org"}


@pytest.fixture
def uk_company(app):
    with app.app_context():
        company = make_company("Tesco PLC", country="GB")
        company.identifiers.append(Identifier(scheme="ch_number", value="00445790"))
        db.session.commit()
        return company.slug


def refresh_cli(runner, *args):
    return runner.invoke(args=["refresh", "--today", TODAY.isoformat(), *args], catch_exceptions=False)


def test_every_source_is_refreshed_recorded_and_shown(app, runner, mirror, register, uk_company):
    mirror.script(index_path(YESTERDAY), Scripted(200, EMPTY_INDEX))
    result = refresh_cli(runner)
    assert result.exit_code == 0, result.output
    assert "SEC EDGAR: ok: 0 companies refreshed, 0 errors." in result.output
    assert "Companies House: ok: 1 companies refreshed, 0 errors." in result.output
    assert "/api/company/00445790" in register.paths()
    with app.app_context():
        runs = {run.source: run for run in db.session.scalars(select(RefreshRun))}
        assert set(runs) == {"edgar", "read_requests", "companies_house", "websites", "wikidata", "case_reminders",
                             "open_data"}
        assert all(run.succeeded for run in runs.values())
        assert runs["edgar"].through == YESTERDAY  # today has no index yet: tomorrow's run asks again
        assert db.session.scalar(select(CompanyRead.read_on).where(CompanyRead.source == "companies_house")) == TODAY
    page = app.test_client().get(f"/companies/{uk_company}").get_data(as_text=True)
    assert "Companies House: <time" in page
    status = app.test_client().get("/status").get_data(as_text=True)
    assert status.count(">ok</span>") == 7 and ">failed</span>" not in status
    assert app.test_client().get("/data").status_code == 200  # the download was published

    register.requests.clear()
    result = refresh_cli(runner, "--only", "companies_house")
    assert result.exit_code == 0, result.output
    assert "Every UK company was read in the last 30 days." in result.output
    assert register.paths() == []


def test_a_run_reads_through_the_day_it_is_given_not_the_day_it_reaches_edgar(app, runner, mirror, register):
    """A run started just before midnight still asks for the day it set out to read."""
    day = date(2026, 3, 2)
    mirror.script(index_path(day - timedelta(days=1)), Scripted(200, EMPTY_INDEX))
    result = runner.invoke(args=["refresh", "--today", day.isoformat(), "--only", "edgar"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert mirror.requests_for(index_path(day - timedelta(days=1)))
    with app.app_context():
        assert db.session.scalar(select(RefreshRun.through).where(RefreshRun.source == "edgar")) == day - timedelta(days=1)


def test_a_failed_source_is_reported_and_the_command_exits_non_zero(app, runner, mirror, register, uk_company):
    mirror.script(index_path(YESTERDAY), Scripted(200, b"<html>Your request has been blocked</html>"))
    result = refresh_cli(runner)
    assert result.exit_code == 1
    assert "SEC EDGAR: FAILED: 0 companies refreshed, 1 errors." in result.output
    assert "Companies House: ok: 1 companies refreshed" in result.output  # the other sources still ran
    assert "Failed: SEC EDGAR." in result.output
    status = app.test_client().get("/status").get_data(as_text=True)
    assert ">failed</span>" in status
    with app.app_context():
        run = db.session.scalar(select(RefreshRun).where(RefreshRun.source == "edgar"))
        assert (run.succeeded, run.errors, run.through) == (False, 1, None)
        assert "daily index" in run.message


def test_a_new_source_is_one_line_and_its_crash_is_its_own_failure(app, runner, mirror, monkeypatch):
    def registry(limit):
        raise RuntimeError(f"reader broke after {limit}")

    mirror.script(index_path(YESTERDAY), Scripted(200, EMPTY_INDEX))
    monkeypatch.setattr(refresh, "STEPS", [*refresh.STEPS, refresh.Step("registry", "Another registry", registry, 7)])
    result = refresh_cli(runner)
    assert result.exit_code == 1
    assert "SEC EDGAR: ok" in result.output and "Companies House: ok" in result.output
    assert "Another registry: FAILED" in result.output
    assert "RuntimeError: reader broke after 7" in result.output
    result = refresh_cli(runner, "--only", "registry", "--limit", "registry=3")
    assert "reader broke after 3" in result.output


def test_a_limit_for_an_unknown_source_is_a_usage_error(runner):
    result = runner.invoke(args=["refresh", "--limit", "nowhere=3"])
    assert result.exit_code == 2
    assert "SOURCE=N" in result.output


def test_status_before_any_run_says_never(client):
    page = client.get("/status").get_data(as_text=True)
    assert "SEC EDGAR" in page and "Companies House" in page
    assert page.count("Never run") == len(refresh.STEPS)
