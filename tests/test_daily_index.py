"""EDGAR's daily index: the real index files parsed, and `flask scrape edgar --daily` end to end
against a loopback mirror whose request log proves that only known filers are fetched."""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.importers.store import find_company_by_cik
from directory.models import Identifier, RefreshRun
from directory.operations.companies import new_company
from directory.revisions import revision_context
from scrapers.edgar.daily_index import daily_index_url, parse_daily_index
from scrapers.edgar.urls import EdgarUrls
from tests.community import log_in, make_user
from tests.conftest import SHARED
from tests.edgar_server import EdgarServer, Scripted
from tests.test_scrapers_edgar_crawl import TESLA_8K_NEWEST, WRITTEN_8K

DAY = date(2023, 8, 8)  # Apple's mirror has Tim Cook's Form 4 filed that day
FORM_INDEX = f"/www/Archives/edgar/daily-index/2023/QTR3/form.{DAY:%Y%m%d}.idx"
COOK_FORM4 = "/www/Archives/edgar/data/320193/000032019323000079/wk-form4_1691533817.xml"
TESLA_CEO_FORM4 = "/www/Archives/edgar/data/1318605/000197292826000001/edgardoc.xml"


def index_file(rows: list[tuple[str, str, str, str]], day: date = DAY) -> bytes:
    """A form index in EDGAR's layout (preamble and header as in the real form.*.idx):
    rows of (form type, company name, CIK, accession)."""
    lines = [
        "Description:           Daily Index of EDGAR Dissemination Feed by Form Type",
        f"Last Data Received:    {day:%B} {day.day}, {day.year}",
        "Comments:              webmaster@sec.gov",
        "Anonymous FTP:         ftp://ftp.sec.gov/edgar/",
        "", "", "", "",
        "Form Type   Company Name                                                  CIK         Date Filed  File Name",
        "-" * 141,
    ]
    for form, name, cik, accession in rows:
        lines.append(f"{form:<12}{name:<62}{cik:<12}{day:%Y%m%d}    edgar/data/{cik}/{accession}.txt")
    return ("\n".join(lines) + "\n").encode()


# -- parsing the real files ---------------------------------------------------------------------

@pytest.fixture
def index_dir(shared_fixtures):
    return shared_fixtures / "real" / "edgar" / "index"


def test_fixed_width_form_index_with_spaces_inside_columns(index_dir):
    entries = parse_daily_index((index_dir / "form.2021QTR1_excerpt.idx").read_bytes())
    assert len(entries) == 10
    pos = entries[5]
    assert (pos.form, pos.company_name, pos.cik, pos.filed_on, pos.accession) == (
        "1-A POS", "ALFADAN INC.", "0001809660", date(2021, 3, 26), "0001477932-21-001700")
    long_name = entries[6]  # the name fills its column up to the CIK
    assert (long_name.form, long_name.company_name, long_name.cik) == (
        "X-17A-5", "UNITED PLANNERS' FINANCIAL SERVICES OF AMERICA A LIMITED PARTNER", "0000820694")


def test_company_index_with_its_wrapped_header(index_dir):
    entries = parse_daily_index((index_dir / "daily-index_company.20221003.idx").read_bytes())
    assert len(entries) == 4_925
    # A few rows (effectiveness notices, late paper filings) carry an earlier date of their own.
    days = Counter(e.filed_on for e in entries)
    assert days.most_common(1)[0][0] == date(2022, 10, 3) and max(days) == date(2022, 10, 3)
    first = entries[0]
    assert (first.company_name, first.form, first.cik) == ("1st stREIT Office Inc.", "1-A POS", "0001700461")
    assert sum(e.form == "4" for e in entries) == 2_067
    assert sum(e.form == "8-K" for e in entries) == 280


def test_pipe_delimited_master_indexes(index_dir):
    daily = parse_daily_index((index_dir / "master.20181231_excerpt.idx").read_bytes())
    assert [(e.cik, e.form) for e in daily[:4]] == [
        ("0001000228", "4"), ("0001000275", "424B2"), ("0001000275", "424B2"), ("0001000694", "8-K")]
    old = parse_daily_index((index_dir / "master.1993QTR4_excerpt.idx").read_bytes())  # "Filename" column
    assert old[0].accession == "9999999997-02-056978"


def test_an_empty_day_has_no_rows(index_dir):
    assert parse_daily_index((index_dir / "form.2025QTR1_empty.idx").read_bytes()) == []


def test_index_urls_by_quarter():
    urls = EdgarUrls("https://www.sec.gov")
    assert daily_index_url(urls, date(2024, 10, 1)) == \
        "https://www.sec.gov/Archives/edgar/daily-index/2024/QTR4/form.20241001.idx"
    assert daily_index_url(urls, date(2024, 3, 31), "master").endswith("/2024/QTR1/master.20240331.idx")


# -- end to end ---------------------------------------------------------------------------------

@pytest.fixture
def mirror():
    """The EDGAR mirror of ../shared when it is there; otherwise an empty one, for the tests
    that script every answer (the Apple test asks for `shared_fixtures` and skips)."""
    root = SHARED / "fixtures" / "edgar-mirror"
    with EdgarServer(root if root.is_dir() else None) as server:
        yield server


@pytest.fixture
def app_config(app_config, mirror):
    # The mirror's captures are from 2023: a look-back long enough to reach them.
    return {**app_config, "SEC_WWW_URL": mirror.www_url, "SEC_DATA_URL": mirror.data_url,
            "SEC_LOOKBACK_DAYS": (date.today() - date(2022, 1, 1)).days}


@pytest.fixture
def known(app):
    """Apple and Tesla are in the directory; Microsoft and Wolfspeed are not."""
    with app.app_context():
        with revision_context("test"):
            for name, cik in (("Apple Inc.", "0000320193"), ("Tesla, Inc.", "0001318605")):
                company = new_company(name)
                company.identifiers.append(Identifier(scheme="cik", value=cik))
                db.session.add(company)
            db.session.commit()


def scrape(runner, *args):
    return runner.invoke(args=["scrape", "edgar", *args], catch_exceptions=False)


def test_only_known_companies_that_filed_are_refreshed_with_that_days_filings(app, runner, mirror, known,
                                                                           shared_fixtures):
    mirror.script(FORM_INDEX, Scripted(200, index_file([
        ("4", "Apple Inc.", "320193", "0000320193-23-000079"),
        ("4", "COOK TIMOTHY D", "1214156", "0000320193-23-000079"),  # the reporting owner's own row
        ("4", "MICROSOFT CORP", "789019", "0001062993-23-016000"),  # not in the directory
        ("424B2", "Tesla, Inc.", "1318605", "0001318605-23-000100"),  # a form that names no officer
        ("8-K", "WOLFSPEED, INC.", "895419", "0001628280-23-000200"),
    ])))
    result = scrape(runner, "--daily", "--date", DAY.isoformat())
    assert result.exit_code == 0, result.output
    assert f"{DAY.isoformat()}: 5 filings listed, 1 known companies refreshed." in result.output
    paths = [r.path for r in mirror.requests]
    assert paths[0] == FORM_INDEX
    assert "/data/submissions/CIK0000320193.json" in paths
    assert COOK_FORM4 in paths
    assert not [p for p in paths if "789019" in p or "1318605" in p or "895419" in p]
    older = [p for p in paths if "/Archives/edgar/data/320193/" in p and "000032019323000079" not in p
             and "000032019324" not in p]
    assert older == []  # filings before the day are left to the bulk load
    with app.app_context():
        apple = find_company_by_cik("320193")
        assert apple.ceo_position.person.name == "Timothy D. Cook"
        run = db.session.scalar(select(RefreshRun))
        assert (run.source, run.succeeded, run.companies, run.through) == ("edgar", True, 1, DAY)
    status = app.test_client().get("/status").get_data(as_text=True)
    assert "SEC EDGAR" in status and "ok" in status


def test_a_known_company_without_officers_gets_its_8k_sentence_in_the_queue(app, runner, mirror, known,
                                                                           shared_fixtures):
    """Tesla is in the directory with no officers: the daily refresh still reads its 8-K with
    item 5.02 (once) so the moderators' queue says who leaves or joins."""
    day = date(2025, 11, 7)
    mirror.script(TESLA_CEO_FORM4, Scripted(404), Scripted(404))  # a later filing: no officer is known
    mirror.script(index_path(day), Scripted(200, index_file([("8-K", "Tesla, Inc.", "1318605",
                                                               "0001104659-25-108507")], day)))
    mirror.script(TESLA_8K_NEWEST, Scripted(200, WRITTEN_8K, {"Content-Type": "text/html"}))
    result = scrape(runner, "--daily", "--date", day.isoformat())
    assert result.exit_code == 0, result.output
    sentence = "On November 6, 2025, the Board appointed Jane Roe as Chief Financial Officer."
    with app.app_context():
        tesla = find_company_by_cik("1318605")
        assert (tesla.leadership_change_on, tesla.leadership_change_summary) == (day, sentence)
        make_user("moderator@example.org", role="moderator")
    client = app.test_client()
    log_in(client, "moderator@example.org")
    page = client.get("/moderate/?kind=leadership").get_data(as_text=True)
    assert sentence in page and "Filing reports a leadership change" not in page

    mirror.script(index_path(day), Scripted(200, index_file([("8-K", "Tesla, Inc.", "1318605",
                                                               "0001104659-25-108507")], day)))
    assert scrape(runner, "--daily", "--date", day.isoformat()).exit_code == 0
    assert len(mirror.requests_for(TESLA_8K_NEWEST)) == 1  # read once, in the first run


def index_path(day: date, kind: str = "form") -> str:
    return "/www" + daily_index_url(EdgarUrls(""), day, kind)


def test_days_without_an_index_are_skipped_and_the_next_run_starts_after_the_last_day_read(app, runner, mirror,
                                                                                            known):
    read, missing, today = date.today() - timedelta(days=2), date.today() - timedelta(days=1), date.today()
    mirror.script(index_path(read), Scripted(200, index_file([], read)))
    mirror.script(index_path(missing), Scripted(403))  # what EDGAR answers for a day with no index
    result = scrape(runner, "--daily", "--since", read.isoformat())
    assert result.exit_code == 0, result.output
    assert f"{read.isoformat()}: 0 filings listed, 0 known companies refreshed." in result.output
    assert f"{missing.isoformat()}: no daily index" in result.output
    assert f"read through {read.isoformat()}" in result.output
    assert index_path(missing, "master") in [r.path for r in mirror.requests]  # the fallback was asked too

    mirror.requests.clear()
    result = scrape(runner, "--daily")
    assert result.exit_code == 0, result.output
    assert [r.path for r in mirror.requests] == [
        index_path(missing), index_path(missing, "master"), index_path(today), index_path(today, "master")]


def test_an_index_that_cannot_be_read_fails_the_run_and_keeps_the_day(app, runner, mirror, known):
    mirror.script(FORM_INDEX, Scripted(200, b"<html><body>Request Rate Threshold Exceeded</body></html>"))
    result = scrape(runner, "--daily", "--date", DAY.isoformat())
    assert result.exit_code == 1
    assert "error: daily index 2023-08-08" in result.output
    with app.app_context():
        run = db.session.scalar(select(RefreshRun))
        assert (run.succeeded, run.errors, run.through) == (False, 1, None)


def test_daily_without_a_user_agent_is_a_usage_error(app, runner):
    app.config["SEC_USER_AGENT"] = ""
    result = scrape(runner, "--daily")
    assert result.exit_code == 2
    assert "SEC_USER_AGENT" in result.output


def test_date_without_daily_is_a_usage_error(runner):
    result = scrape(runner, "--date", (date.today() - timedelta(days=1)).isoformat())
    assert result.exit_code == 2


def test_daily_with_other_targets_is_a_usage_error(runner):
    result = scrape(runner, "--daily", "--cik", "320193")
    assert result.exit_code == 2
    assert "on its own" in result.output

