"""crawl_company, the ticker lists, the bulk archive and the CLI end to end against a real
HTTP server on 127.0.0.1 serving the EDGAR-shaped mirror in ../shared/fixtures."""
from __future__ import annotations

import json
import zipfile
from datetime import date

import pytest

from scrapers.__main__ import main
from scrapers.edgar import (
    EdgarClient,
    FetchError,
    crawl_company,
    iter_bulk_submissions,
    iter_listed_companies,
    resolve_tickers,
)
from scrapers.http import RateLimiter
from tests.edgar_server import Scripted

USER_AGENT = "CEO Directory tests tests@example.org"
APPLE = "320193"
COOK_ACCESSION = "0000320193-23-000079"
MAESTRI_ACCESSION = "0000320193-23-000070"
COOK_XML = "/www/Archives/edgar/data/320193/000032019323000079/wk-form4_1691533817.xml"
# From 2023-05-05 to the end of 2023: Apple's last five Form 4s in the captured record.
WINDOW = {"as_of": date(2023, 12, 31), "lookback_days": 240, "press_releases": 0}  # contacts: test_edgar_contacts.py


@pytest.fixture
def client(mirror, tmp_path):
    with EdgarClient(USER_AGENT, mirror.www_url, mirror.data_url, cache_dir=tmp_path / "cache",
                     rate_limiter=RateLimiter(10)) as edgar:
        yield edgar


def officers_by_name(bundle):
    return {officer.name: officer for officer in bundle.officers}


def test_apple_ceo_and_cfo_from_form_4s(client, mirror):
    bundle = crawl_company(client, APPLE, **WINDOW)
    assert bundle.cik == "0000320193"
    assert bundle.company.name == "Apple Inc."
    cook = officers_by_name(bundle)["Timothy D. Cook"]
    assert (cook.is_ceo, cook.role, cook.title, cook.raw_name) == (True, "ceo", "Chief Executive Officer", "COOK TIMOTHY D")
    assert cook.ceo_confidence >= 0.9 and cook.is_director and cook.is_current and cook.start_date is None
    assert cook.source.document_id == COOK_ACCESSION
    assert cook.source.url == f"{mirror.www_url}/Archives/edgar/data/320193/000032019323000079/{COOK_ACCESSION}-index.htm"
    assert (cook.source.kind, cook.source.form_type, cook.source.filed_on) == ("sec_filing", "4", date(2023, 8, 8))
    assert cook.source.title == "Form 4 filed 2023-08-08"
    maestri = officers_by_name(bundle)["Luca Maestri"]
    assert (maestri.role, maestri.is_ceo, maestri.external_id) == ("cfo", False, "0001513362")
    assert maestri.source.document_id == MAESTRI_ACCESSION
    assert bundle.officer_last_filed == {"0009320193": date(2023, 8, 8), "0001513362": date(2023, 5, 18)}
    assert bundle.filings_read == (COOK_ACCESSION, MAESTRI_ACCESSION)
    # The mirror holds only some filings: the others are logged and skipped, never fatal.
    assert len(bundle.errors) == 2 and all(e.message == "HTTP 404" for e in bundle.errors)
    # The raw XML was asked for, not the rendered xslF345X05 view that primaryDocument names.
    assert mirror.requests_for(COOK_XML)


def test_a_truncated_document_is_reported_and_the_rest_still_parsed(client, mirror):
    full = (mirror.root / COOK_XML.lstrip("/")).read_bytes()
    mirror.script(COOK_XML, Scripted(200, full[:1200], {"Content-Type": "application/xml"}))
    bundle = crawl_company(client, APPLE, **WINDOW)
    problem = next(e for e in bundle.errors if e.url == mirror.base_url + COOK_XML)
    assert "malformed" in problem.message
    assert COOK_ACCESSION not in bundle.filings_read
    assert list(officers_by_name(bundle)) == ["Luca Maestri"]


def test_leadership_changes_from_8k_item_502(client):
    bundle = crawl_company(client, APPLE, as_of=date(2023, 12, 31), lookback_days=730, max_documents=3)
    assert len(bundle.filings_read) + len(bundle.errors) >= 3
    changes = {c.source.document_id: c for c in bundle.leadership_changes}
    assert changes and all("5.02" in c.items for c in changes.values())
    change = next(iter(changes.values()))
    assert change.source.form_type == "8-K" and change.source.url.endswith(f"{change.source.document_id}-index.htm")
    assert bundle.departed == ()


def test_unknown_cik_is_none_without_errors(client):
    bundle = crawl_company(client, "1")
    assert (bundle.cik, bundle.company, bundle.officers, bundle.errors) == ("0000000001", None, (), ())


def test_second_run_is_not_modified_and_skips_documents_already_read(client, mirror):
    first = crawl_company(client, APPLE, **WINDOW)
    before = len(mirror.requests)
    again = crawl_company(client, APPLE, already_read=first.filings_read, **WINDOW)
    assert not first.not_modified and again.not_modified
    assert again.officers == () and again.filings_read == ()
    # Only the submissions JSON (a 304) and the documents that were missing last time.
    new_paths = [r.path for r in mirror.requests[before:]]
    assert new_paths.count("/data/submissions/CIK0000320193.json") == 1
    assert not any(COOK_ACCESSION.replace("-", "") in path for path in new_paths)


def test_bulk_submissions_data_is_used_instead_of_fetching(client, mirror, shared_fixtures):
    data = (shared_fixtures / "edgar-mirror" / "data" / "submissions" / "CIK0000320193.json").read_bytes()
    bundle = crawl_company(client, APPLE, submissions_data=data, **WINDOW)
    assert bundle.company.name == "Apple Inc." and "Timothy D. Cook" in officers_by_name(bundle)
    assert not mirror.requests_for("/data/submissions/CIK0000320193.json")


def test_other_failures_of_the_company_record_raise(client, mirror):
    path = "/data/submissions/CIK0000320193.json"
    mirror.script(path, Scripted(403, b"forbidden"))
    with pytest.raises(FetchError) as raised:
        crawl_company(client, APPLE, **WINDOW)
    assert raised.value.status == 403


def test_listed_companies_fall_back_to_company_tickers(client):
    rows = list(iter_listed_companies(client))
    assert ("0000320193", "AAPL", "Apple Inc.", None) in rows
    assert resolve_tickers(client, ["aapl", "MSFT", "NOPE"]) == {"AAPL": "0000320193", "MSFT": "0000789019"}


def test_bulk_archive_members_stream_and_overflow_pages_are_skipped(tmp_path):
    archive = tmp_path / "submissions.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("CIK0000320193.json", b'{"cik": "320193", "name": "Apple Inc."}')
        bundle.writestr("CIK0000320193-submissions-001.json", b'{"accessionNumber": []}')
        bundle.writestr("CIK0000789019.json", b'{"cik": "0000789019", "name": "MICROSOFT CORP"}')
    members = list(iter_bulk_submissions(archive))
    assert [cik for cik, _ in members] == ["0000320193", "0000789019"]
    assert json.loads(members[0][1])["name"] == "Apple Inc."


def test_cli_prints_the_bundle_as_json(mirror, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SEC_USER_AGENT", USER_AGENT)
    monkeypatch.setenv("SEC_WWW_URL", mirror.www_url)
    monkeypatch.setenv("SEC_DATA_URL", mirror.data_url)
    monkeypatch.setenv("SCRAPER_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["edgar", "--ticker", "AAPL", "--as-of", "2023-12-31", "--lookback-days", "240"]) == 0
    bundle = json.loads(capsys.readouterr().out)
    assert bundle["company"]["name"] == "Apple Inc."
    assert {"name": "Timothy D. Cook", "is_ceo": True}.items() <= next(
        o for o in bundle["officers"] if o["name"] == "Timothy D. Cook").items()


def test_cli_refuses_to_run_without_user_agent(monkeypatch, capsys):
    monkeypatch.delenv("SEC_USER_AGENT", raising=False)
    assert main(["edgar", "--cik", "320193"]) == 1
    assert "SEC_USER_AGENT" in capsys.readouterr().err


def test_filings_where_the_company_is_not_the_issuer_give_no_officers(client, mirror, shared_fixtures):
    snowflake = (shared_fixtures / "real" / "edgar" / "ownership" / "form4_snowflake_scarpelli-michael.xml").read_bytes()
    mirror.script(COOK_XML, Scripted(200, snowflake, {"Content-Type": "application/xml"}))
    bundle = crawl_company(client, APPLE, **WINDOW)
    assert "Michael Scarpelli" not in officers_by_name(bundle)
    assert "Timothy D. Cook" not in officers_by_name(bundle)


def test_overflow_page_is_read_when_the_window_reaches_it(client, mirror, shared_fixtures):
    page = (shared_fixtures / "real" / "edgar" / "submissions" / "CIK0000320193-submissions-001_apple.json").read_bytes()
    mirror.script("/data/submissions/CIK0000320193-submissions-001.json", Scripted(200, page))
    bundle = crawl_company(client, APPLE, as_of=date(2013, 2, 7), lookback_days=10, read_8k_documents=False,
                           press_releases=0)
    # Every Form 4 of that window is listed only on the overflow page (absent from the mirror).
    assert len(bundle.errors) == 13  # the thirteen Form 4s Apple filed on 2013-02-04
    assert all("/Archives/edgar/data/320193/" in e.url for e in bundle.errors)
    assert mirror.requests_for("/data/submissions/CIK0000320193-submissions-001.json")


def test_an_officer_from_a_form_3_is_dated_from_the_event_it_reports(client, mirror, shared_fixtures):
    """A Form 3 is filed on becoming an insider: its period of report is when the role began.
    (The real Form 3 names Snowflake as issuer; here it is served as one of Apple's filings.)"""
    form3 = (shared_fixtures / "real" / "edgar" / "ownership" / "form3_snowflake_garrett-mark.xml").read_bytes()
    form3 = form3.replace(b"<issuerCik>0001640147</issuerCik>", b"<issuerCik>0000320193</issuerCik>")
    mirror.script(COOK_XML, Scripted(200, form3, {"Content-Type": "application/xml"}))
    officers = officers_by_name(crawl_company(client, APPLE, **WINDOW))
    assert officers["Mark Garrett"].start_date == date(2020, 9, 15)
    assert all(o.start_date is None for name, o in officers.items() if name != "Mark Garrett")  # Form 4s


TESLA = "1318605"
# Tesla's 8-Ks with item 5.02 between 2025-08-01 and 2025-11-08; the mirror has none of the
# Form 4s of that window, so no officer is known.
TESLA_WINDOW = {"as_of": date(2025, 11, 8), "lookback_days": 99, "press_releases": 0}
TESLA_8K_NEWEST = "/www/Archives/edgar/data/1318605/000110465925108507/tm2530590d1_8k.htm"
TESLA_8K_OLDER = "/www/Archives/edgar/data/1318605/000110465925073263/tm2522385d1_8k.htm"
WRITTEN_8K = (b"<html><body><p>Item 5.02 Departure of Directors or Certain Officers; Election of Directors; "
              b"Appointment of Certain Officers; Compensatory Arrangements of Certain Officers.</p>"
              b"<p>The Committee approved 2025 bonuses for the Named Executive Officers. On November 6, 2025, "
              b"the Board appointed Jane Roe as Chief Financial Officer.</p><p>Signatures</p></body></html>")


def test_without_known_officers_only_the_newest_502_8k_is_read_for_its_sentence(client, mirror):
    """The queue shows the newest change's sentence; older 8-Ks are worth reading only to find
    departed officers, and there are none to look for."""
    mirror.script(TESLA_8K_NEWEST, Scripted(200, WRITTEN_8K, {"Content-Type": "text/html"}))
    bundle = crawl_company(client, TESLA, **TESLA_WINDOW)
    assert bundle.officers == ()
    changes = {c.source.document_id: c.summary for c in bundle.leadership_changes}
    assert changes == {"0001104659-25-108507": "On November 6, 2025, the Board appointed Jane Roe as Chief "
                                               "Financial Officer.", "0001104659-25-073263": None}
    assert len(mirror.requests_for(TESLA_8K_NEWEST)) == 1 and not mirror.requests_for(TESLA_8K_OLDER)
    assert "0001104659-25-108507" in bundle.filings_read  # never fetched again by a later run

    again = crawl_company(client, TESLA, already_read=bundle.filings_read, **TESLA_WINDOW)
    assert len(mirror.requests_for(TESLA_8K_NEWEST)) == 1 and not mirror.requests_for(TESLA_8K_OLDER)
    assert {c.summary for c in again.leadership_changes} == {None}


def test_with_known_officers_every_502_8k_is_read_for_departures(client, mirror):
    mirror.script(TESLA_8K_NEWEST, Scripted(200, WRITTEN_8K, {"Content-Type": "text/html"}))
    crawl_company(client, TESLA, known_officers={"0000000001": "DOE JOHN"}, **TESLA_WINDOW)
    assert len(mirror.requests_for(TESLA_8K_NEWEST)) == 1 and len(mirror.requests_for(TESLA_8K_OLDER)) == 1
