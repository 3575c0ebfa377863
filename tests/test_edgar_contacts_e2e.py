"""Press-release and proxy contacts end to end: `flask scrape edgar` against the EDGAR mirror
served on 127.0.0.1, then the company page and the API as a visitor sees them."""
from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from directory.extensions import db
from directory.importers.store import find_company_by_cik
from directory.models import Contact, ProposedChange, Source

from .conftest import _config
from .edgar_server import EdgarServer, assert_failures_listed

APPLE_8K = "/www/Archives/edgar/data/320193/000032019324000005/0000320193-24-000005.txt"
APPLE_EX99 = "Archives/edgar/data/320193/000032019324000005/a8-kex991q1202412302023.htm"
CABOT_PROXY = "Archives/edgar/data/16040/000001604024900001/cabot-def14a-2024.htm"
CABOT_ADDRESS = "Secretary, Cabot Corporation, Two Seaport Lane, Suite 1400, Boston, Massachusetts 02210"


@pytest.fixture
def mirror(shared_fixtures):
    with EdgarServer(shared_fixtures / "edgar-mirror") as server:
        yield server


@pytest.fixture
def app_config(tmp_path, database_uri, mirror):
    return _config(tmp_path, database_uri, SEC_WWW_URL=mirror.www_url, SEC_DATA_URL=mirror.data_url)


def scrape(runner, cik: str, as_of: str):
    result = runner.invoke(args=["scrape", "edgar", "--cik", cik, "--as-of", as_of, "--lookback-days", "30"])
    assert_failures_listed(result)
    return result


def rungs(client, slug: str) -> dict:
    response = client.get(f"/companies/{slug}")
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "lxml")
    return {li.h3.get_text(strip=True): li for li in soup.select("ol.ladder > li")}


def test_apple_press_contacts_on_the_executive_office_rung_with_source_and_quality(app, runner, client, mirror):
    scrape(runner, "320193", "2024-02-01")
    executive = rungs(client, "apple-inc")["Executive office"]
    people = [li for li in executive.select("li.contact") if li.select_one(".contact-person")]
    first = people[0]
    assert first.select_one(".contact-person").get_text() == "Josh Rosenstock"
    assert "Press office" in first.get_text(" ", strip=True)
    assert first.select_one(".badge-quality").get_text(" ", strip=True) == "filed 1 February 2024"
    assert first.select_one(".source a")["href"].endswith(APPLE_EX99)
    values = {li.select_one(".contact-value").get_text(strip=True) for li in executive.select("li.contact")}
    assert {"jrosenstock@apple.com", "(408) 862-1142", "suhasini@apple.com", "(408) 974-3123",
            "media.help@apple.com"} <= values
    # The head office's phone is on the ladder, not only under the company facts.
    assert executive.select_one(".contact-head-office a")["href"] == "tel:4089961010"
    # Two addresses that disagree (jrosenstock@, suhasini@): no guessed address for the CEO.
    ceo = rungs(client, "apple-inc")["Chief executive"]
    assert ceo.select_one("#ceo-email code") is None

    body = client.get("/api/v1/companies/apple-inc").get_json()
    josh = next(c for c in body["contacts"] if c["value"] == "jrosenstock@apple.com")
    assert (josh["quality"], josh["role"], josh["person_name"], josh["organisation"], josh["tier"]) == (
        "filed", "press", "Josh Rosenstock", None, "executive_office")
    assert josh["source"]["kind"] == "sec_filing" and josh["source"]["as_of"] == "2024-02-01"
    assert josh["source"]["url"].endswith(APPLE_EX99)


def test_a_second_run_fetches_no_filing_again(app, runner, mirror):
    scrape(runner, "320193", "2024-02-01")
    assert len(mirror.requests_for(APPLE_8K)) == 1
    before = len(mirror.requests)
    scrape(runner, "320193", "2024-02-01")
    again = [r.path for r in mirror.requests[before:]]
    assert APPLE_8K not in again
    with app.app_context():
        assert len(db.session.scalars(select(Contact).where(Contact.person_name == "Josh Rosenstock")).all()) == 2


def test_cabot_board_via_the_corporate_secretary(app, runner, client, mirror):
    scrape(runner, "16040", "2024-01-26")
    executive = rungs(client, "cabot-corp")["Executive office"]
    text = executive.get_text(" ", strip=True)
    assert "Board of directors, via the Corporate Secretary" in text
    assert CABOT_ADDRESS in text and "(800) 853-7602" in text  # the filed 1-800-853-7602, written as in the US
    assert executive.select_one(".source a")["href"].endswith(CABOT_PROXY)
    with app.app_context():
        board = db.session.scalars(select(Contact).where(Contact.role == "board")).all()
        assert sorted((c.kind, c.tier, c.quality, c.as_of) for c in board) == [
            ("phone", "executive_office", "filed", date(2024, 1, 26)),
            ("postal", "executive_office", "filed", date(2024, 1, 26))]


def test_a_moderated_board_address_is_never_overwritten_but_proposed(app, runner, mirror):
    scrape(runner, "16040", "2024-01-26")
    with app.app_context():
        postal = db.session.scalar(select(Contact).where(Contact.role == "board", Contact.kind == "postal"))
        postal.value, postal.quality = "Corporate Secretary, Cabot Corporation, 1 Elsewhere Road, Boston, MA 02110", "verified"
        state_reset(find_company_by_cik("16040"))
        db.session.commit()
    scrape(runner, "16040", "2024-01-26")
    with app.app_context():
        postal = db.session.scalar(select(Contact).where(Contact.role == "board", Contact.kind == "postal"))
        assert postal.value.startswith("Corporate Secretary, Cabot Corporation, 1 Elsewhere Road")
        change = db.session.scalar(select(ProposedChange).where(ProposedChange.entity_type == "contact"))
        assert (change.field, change.proposed_value, change.status) == ("value", CABOT_ADDRESS, "pending")
        assert db.session.get(Source, change.source_id).url.endswith(CABOT_PROXY)


def state_reset(company) -> None:
    """Forget which filings were read, so the proxy is read again (as a new proxy would be)."""
    from directory.models import EdgarSyncState

    state = db.session.scalar(select(EdgarSyncState).where(EdgarSyncState.company_id == company.id))
    state.contact_filings_read = []
    state.submissions_hash = None
