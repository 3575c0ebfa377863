"""`flask scrape fca` end to end against a loopback FCA register serving the real recorded
answers (`fca-register/`) in the API's URL shapes, and answers written in its shapes."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from directory import search_index
from directory.extensions import db
from directory.models import Company, Identifier, Position, ProposedChange, Revision
from tests.factories import make_company, make_position, make_source

from .conftest import SHARED, _config
from .edgar_server import Scripted
from .fca_server import FcaRegister

FIXTURES = SHARED / "fixtures" / "real" / "fca-register"
EMAIL, KEY = "tests@example.org", "test-key"


@pytest.fixture
def register(shared_fixtures):
    with FcaRegister(FIXTURES, key=KEY) as server:
        yield server


@pytest.fixture
def app_config(tmp_path, database_uri, register):
    return _config(tmp_path, database_uri, FCA_API_URL=register.api_url, FCA_API_EMAIL=EMAIL, FCA_API_KEY=KEY,
                   FCA_REQUESTS_PER_SECOND=10.0, SCRAPER_ALLOW_PRIVATE_ADDRESSES=True)


def scrape(runner, *args):
    return runner.invoke(args=["scrape", "fca", *args])


def rung(page: str, tier: str) -> str:
    return BeautifulSoup(page, "html.parser").select_one(f"#rung-{tier}").get_text(" ", strip=True)


def the_firm() -> Company:
    return db.session.scalar(select(Company).join(Identifier).where(Identifier.scheme == "frn",
                                                                   Identifier.value == "552016"))


def test_a_firm_by_frn_shows_its_complaints_contact_ceo_status_and_ombudsman(app, runner, client, register):
    result = scrape(runner, "--frn", "552016")
    assert result.exit_code == 0, result.output
    assert "Companies: 1 created" in result.output
    with app.app_context():
        firm = the_firm()
        assert firm.name == "J.P. Morgan Personal Investing Limited"
        assert firm.identifier("ch_number") == "07503666"  # the FRN linked to its company number
        assert (firm.fca_status, firm.website) == ("Authorised", "https://www.personalinvesting.jpmorgan.com")
        assert {n.name for n in firm.former_names} >= {"Nutmeg", "Hungry Finance Limited"}
        assert [b.name for b in firm.brands] == ["J.P. Morgan Personal Investing"]
        assert firm.ceo_position.person.name == "James McManus"
        assert firm.ceo_position.title == "SMF1 Chief Executive"
        functions = {(p.person.name, p.title) for p in firm.current_positions}
        assert ("Robert George Rule", "SMF16 Compliance Oversight") in functions
        assert ("Clive Peter Adamson", "SMF9 Chair of the Governing Body") in functions
        assert not any(p.person.name == "Darragh Patrick Geraghty" for p in firm.positions)  # ended before
        for query in ("nutmeg", "j.p. morgan personal investing"):  # a former and a trading name
            assert search_index.search(query).ids[:1] == [firm.id], query
        slug = firm.slug
    page = client.get(f"/companies/{slug}").get_data(as_text=True)
    service = rung(page, "customer-service")  # the register's main number is the first door
    assert "020 3598 1515" in service and "Main number" in service and "FCA register (addresses)" in service
    complaints = rung(page, "complaints")
    assert "Anders Fries" in complaints and "020 3598 1515" in complaints and "25 Bank Street" in complaints
    assert "FCA register (addresses)" in complaints and "27 February 2026" in complaints
    ceo = rung(page, "ceo")
    assert "James McManus" in ceo
    assert "FCA register (controlled functions)" in page
    regulator = rung(page, "regulator")
    assert "Financial Ombudsman Service" in regulator and "authorised by the Financial Conduct Authority" in regulator
    assert "Authorised since 6 October 2011" in " ".join(BeautifulSoup(page, "html.parser").get_text().split())
    record = client.get(f"/api/v1/companies/{slug}").get_json()
    assert (record["fca_status"], record["fca_status_since"]) == ("Authorised", "2011-10-06")
    assert {"scheme": "frn", "value": "552016"}.items() <= next(
        i for i in record["identifiers"] if i["scheme"] == "frn").items()
    sent = register.requests[0].headers
    assert (sent.get("x-auth-email"), sent.get("x-auth-key")) == (EMAIL, KEY)
    assert register.requests[0].user_agent == "CEO Directory tests tests@example.org"


def test_a_rerun_changes_nothing(app, runner, register):
    assert scrape(runner, "--frn", "552016").exit_code == 0
    with app.app_context():
        revisions = db.session.scalar(select(func.count(Revision.id)))
        positions = db.session.scalar(select(func.count(Position.id)))
    result = scrape(runner, "--frn", "552016")
    assert result.exit_code == 0, result.output
    assert "Companies: 0 created, 0 updated, 1 unchanged" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Revision.id))) == revisions
        assert db.session.scalar(select(func.count(Position.id))) == positions


def test_a_companies_house_number_enriches_the_one_record_and_a_different_ceo_goes_to_the_queue(
        app, runner, client, register):
    with app.app_context():
        company = make_company("J.P. Morgan Personal Investing Limited", country="GB", status="active")
        house = make_source(kind="registry_record", url="https://find-and-update.company-information.service.gov.uk/"
                            "company/07503666/officers", document_id="07503666/officers", form_type="officers")
        company.identifiers.append(Identifier(scheme="ch_number", value="07503666", source=house))
        make_position(company, "Neil Alexander", "Chief Executive Officer", role="ceo", is_ceo=True, source=house)
        db.session.commit()
    result = scrape(runner, "--ch-number", "7503666")
    assert result.exit_code == 0, result.output
    assert "Companies: 0 created, 1 updated" in result.output
    assert any(p.startswith("/Search?q=J.P.+Morgan+Personal+Investing+Limited") for p in register.paths())
    with app.app_context():
        assert db.session.scalar(select(func.count(Company.id))) == 1
        firm = the_firm()
        assert firm.status == "active"  # the company's own status is Companies House's
        assert firm.ceo_position.person.name == "Neil Alexander"  # stays until a moderator decides
        proposal = db.session.scalar(select(ProposedChange))
        assert (proposal.field, proposal.proposed_value, proposal.source.form_type) == (
            "is_current", False, "fca-controlled-functions")
        assert ("James McManus", "SMF3 Executive Director") in {(p.person.name, p.title) for p in firm.positions}
    again = scrape(runner, "--ch-number", "07503666")  # the FRN is known now: no search, no second proposal
    assert "Companies: 0 created, 0 updated, 1 unchanged" in again.output, again.output
    assert sum(p.startswith("/Search") for p in register.paths()) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count(ProposedChange.id))) == 1


def test_all_companies_reads_every_company_with_a_companies_house_number(app, runner, register):
    with app.app_context():
        company = make_company("J.P. Morgan Personal Investing Limited", country="GB")
        company.identifiers.append(Identifier(scheme="ch_number", value="07503666"))
        make_company("Tesco PLC", country="GB").identifiers.append(Identifier(scheme="ch_number", value="00445790"))
        db.session.commit()
    result = scrape(runner, "--all-companies")
    assert "Companies: 0 created, 1 updated, 0 unchanged, 1 not found" in result.output, result.output
    assert "company 00445790: no firm on the register carries this number" in result.output


def test_bad_answers_are_logged_with_their_url_and_skipped(app, runner, register, caplog):
    register.script("/Firm/111111", Scripted(404, b'{"Message": "Not found"}', {"Content-Type": "application/json"}))
    register.script("/Firm/552016/Address", Scripted(429, b"", {"Retry-After": "0"}))
    register.script("/Firm/552016/Names", Scripted(200, b'{"Data": [{"Current Names": ', {}))
    result = scrape(runner, "--frn", "111111", "--frn", "552016", "--frn", "999999")
    assert "Companies: 1 created, 0 updated, 0 unchanged, 2 not found" in result.output, result.output
    assert f"error: {register.api_url}/Firm/111111: no such firm on the register" in result.output
    assert f"error: {register.api_url}/Firm/999999: no such firm on the register" in result.output
    assert f"error: {register.api_url}/Firm/552016/Names: not JSON" in result.output
    assert len(register.requests_for("/services/V0.1/Firm/552016/Address")) == 2  # 429, then the answer
    with app.app_context():
        firm = the_firm()
        assert any(c.person_name == "Anders Fries" for c in firm.contacts)
        assert firm.brands == []  # the names could not be read: nothing invented


def test_the_importer_refuses_to_run_without_the_register_key(app, runner, register):
    app.config["FCA_API_KEY"] = None
    result = scrape(runner, "--frn", "552016")
    assert result.exit_code == 2
    assert "FCA_API_EMAIL" in result.output and "FCA_API_KEY" in result.output
    assert register.requests == []


def test_a_refused_key_stops_the_run_at_once(app, runner, register):
    app.config["FCA_API_KEY"] = "expired-key"
    result = scrape(runner, "--frn", "552016", "--frn", "311492")
    assert result.exit_code == 2
    assert "refused the API user (HTTP 401)" in result.output
    assert len(register.requests) == 1


def test_private_addresses_are_refused_unless_configured_for_tests(app, runner, register):
    app.config["SCRAPER_ALLOW_PRIVATE_ADDRESSES"] = False
    result = scrape(runner, "--frn", "552016")
    assert "not a public address" in result.output
    assert register.requests == []


def test_a_listing_removed_on_request_is_not_restored_by_the_next_register_read(app, runner, register):
    """The register names the chief executive again after an upheld objection removed the
    listing: the writer's check holds for the FCA too, though no position of theirs is left."""
    from tests.test_privacy_importers import uphold_removal

    assert scrape(runner, "--frn", "552016").exit_code == 0
    with app.app_context():
        ceo = the_firm().ceo_position
        uphold_removal(ceo.person, f"position:{ceo.id}")
        for position in the_firm().positions:  # his other function too: nothing of his is listed here
            if position.person.name == "James McManus":
                db.session.delete(position)
        db.session.commit()
    result = scrape(runner, "--frn", "552016")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert not any(p.person.name == "James McManus" and p.is_ceo for p in the_firm().positions if p.is_current)
