"""Regulators and ombudsmen: the curated data file, the SIC mapping, moderator overrides, CLI."""
from __future__ import annotations

import copy

import pytest
from bs4 import BeautifulSoup

from directory.rules.regulators import load, parse, read_raw, regulators_for, sector_for, validate
from directory.extensions import db
from directory.models import CompanyRegulator, Identifier
from tests.factories import make_company

COUNTRY_OF_SCHEME = {"us_sic_1987": "US", "uk_sic_2007": "GB"}
RAW = read_raw()


def test_the_data_file_is_valid_and_every_entry_cites_its_own_website():
    assert validate(RAW) == []
    data = load()
    for regulator in data.regulators.values():
        assert regulator.source.startswith("https://")
        assert regulator.handles and regulator.country in ("GB", "US")


@pytest.mark.parametrize("country, sector", [
    (country, sector) for country in ("GB", "US")
    for sector in ("banking_credit", "insurance", "energy", "water", "telecoms", "airlines", "rail", "post",
                   "retail_general")
])
def test_every_consumer_sector_has_a_body_in_the_uk_and_the_us(country, sector):
    assert [r for r in load().regulators.values() if r.country == country and sector in r.sectors]


@pytest.mark.parametrize("row", RAW["sector_map"], ids=lambda r: f"{r['scheme']}-{r['from']}-{r['to']}")
def test_each_mapping_row_maps_both_ends_of_its_range_to_its_sector(row):
    country = COUNTRY_OF_SCHEME[row["scheme"]]
    for code in (row["from"], row["to"]):
        assert sector_for(country, code) == row["sector"]
        bodies = regulators_for(country, code)
        assert bodies and all(row["sector"] in b.sectors and b.country == country for b in bodies)


@pytest.mark.parametrize("country, sic_code, expected", [
    ("US", "6021", {"us-cfpb"}),  # national commercial banks
    ("US", "4813", {"us-fcc"}),  # telephone communications
    ("US", "4512", {"us-dot-aviation-consumer-protection"}),
    ("US", "3571", {"us-ftc", "us-state-attorneys-general"}),  # computers: not mapped, general consumer
    ("US", None, {"us-ftc", "us-state-attorneys-general"}),
    ("GB", "64191", {"uk-financial-ombudsman"}),  # banks
    ("GB", "35140", {"uk-energy-ombudsman"}),  # trade of electricity
    ("GB", "61900", {"uk-ombudsman-services-communications", "uk-cisas", "uk-ofcom"}),
    ("GB", "36000", {"uk-ccw", "uk-ofwat"}),
    ("GB", "4813", {"uk-citizens-advice-consumer"}),  # a US code read as UK SIC maps nowhere
    ("FR", "64191", set()),  # no bodies curated for France yet
])
def test_bodies_for_country_and_sic_code(country, sic_code, expected):
    assert {r.id for r in regulators_for(country, sic_code)} == expected


def test_a_moderator_override_adds_or_removes_a_body():
    ids = {r.id for r in regulators_for("GB", "61900", {"uk-cisas": False, "uk-rail-ombudsman": True})}
    assert "uk-cisas" not in ids and "uk-rail-ombudsman" in ids and "uk-ofcom" in ids


def test_validate_reports_missing_sources_unknown_sectors_and_dangling_mapping_rows():
    raw = copy.deepcopy(RAW)
    del raw["regulators"][0]["source"]
    raw["regulators"][1]["sectors"].append("casinos")
    raw["sector_map"].append({"scheme": "uk_sic_2007", "from": "92000", "to": "92000", "sector": "gambling"})
    raw["sector_map"].append({"scheme": "us_sic_1987", "from": "7000", "to": "6000", "sector": "insurance"})
    problems = validate(raw)
    assert "uk-financial-ombudsman: missing source" in problems
    assert "uk-energy-ombudsman: unknown sector casinos" in problems
    assert "sector_map uk_sic_2007 92000-92000: unknown sector gambling" in problems
    assert "sector_map us_sic_1987 7000-6000: not a valid range" in problems
    with pytest.raises(ValueError, match="missing source"):
        parse(raw)


def test_validate_reports_a_sector_no_regulator_handles():
    raw = copy.deepcopy(RAW)
    for entry in raw["regulators"]:
        entry["sectors"] = [s for s in entry["sectors"] if s != "rail"]
    assert "sector_map us_sic_1987 4011-4013: no regulator handles sector rail" in validate(raw)


def test_cli_check_passes_on_the_repository_file(runner):
    result = runner.invoke(args=["regulators", "check"])
    assert result.exit_code == 0, result.output
    assert "regulators" in result.output and "mapping rows" in result.output


def test_cli_assign_records_membership_and_the_page_follows(app, runner, client):
    with app.app_context():
        make_company("Sky UK Limited", country="GB", sic_code="61900")
        db.session.commit()
    result = runner.invoke(args=["regulators", "assign", "sky-uk-limited", "uk-cisas", "--not-member",
                                 "--note", "Member of Ombudsman Services only"])
    assert result.exit_code == 0, result.output
    assert "not a member of" in result.output
    result = runner.invoke(args=["regulators", "assign", "sky-uk-limited", "uk-rail-ombudsman"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        rows = {r.regulator_id: r for r in db.session.scalars(db.select(CompanyRegulator))}
    assert rows["uk-cisas"].is_member is False and rows["uk-cisas"].note == "Member of Ombudsman Services only"
    assert rows["uk-rail-ombudsman"].is_member is True

    page = client.get("/companies/sky-uk-limited").get_data(as_text=True)
    assert "Ombudsman Services: Communications" in page and "Rail Ombudsman" in page
    assert "CISAS" not in page

    # Assigning again updates the row instead of failing on the unique constraint.
    assert runner.invoke(args=["regulators", "assign", "sky-uk-limited", "uk-cisas"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(db.select(CompanyRegulator).filter_by(regulator_id="uk-cisas")).is_member


def test_cli_assign_refuses_unknown_company_or_regulator(app, runner):
    with app.app_context():
        make_company("Sky UK Limited", country="GB", sic_code="61900")
        db.session.commit()
    unknown_company = runner.invoke(args=["regulators", "assign", "nope", "uk-cisas"])
    assert unknown_company.exit_code != 0 and "No company" in unknown_company.output
    unknown_body = runner.invoke(args=["regulators", "assign", "sky-uk-limited", "uk-nope"])
    assert unknown_body.exit_code != 0 and "No regulator" in unknown_body.output


FCA_FIRM = {"fca": "Nutmeg Ltd is authorised by the Financial Conduct Authority (FRN 552016)"}


@pytest.mark.parametrize("sic_code, expected", [
    ("7323", {"us-cfpb"}),  # credit bureaus
    ("6141", {"us-cfpb"}),  # personal credit institutions: card issuers, lenders
    ("6331", {"us-naic-state-insurance"}),  # fire, marine and casualty insurers
    ("4841", {"us-fcc"}),  # cable and other pay television
    ("4512", {"us-dot-aviation-consumer-protection"}),
])
def test_us_consumer_finance_telecoms_airlines_and_insurers_get_their_own_body(sic_code, expected):
    assert {r.id for r in regulators_for("US", sic_code)} == expected


def test_an_fca_firm_goes_to_the_financial_ombudsman_because_of_its_authorisation():
    bodies = regulators_for("GB", None, memberships=FCA_FIRM)
    assert [b.id for b in bodies] == ["uk-financial-ombudsman"]  # not the general consumer bodies
    assert bodies[0].reason == FCA_FIRM["fca"]
    assert "DISP" in bodies[0].wait_rule


def test_a_register_body_comes_first_and_a_sector_body_says_which_code_chose_it():
    bodies = regulators_for("GB", "61900", memberships=FCA_FIRM)
    assert bodies[0].id == "uk-financial-ombudsman"
    ofcom = next(b for b in bodies if b.id == "uk-ofcom")
    assert ofcom.reason == "its sector code, SIC 61900, is in telecoms and broadband"
    assert regulators_for("GB", "35140")[0].wait_rule == "Ofgem's complaint-handling standards"
    general = regulators_for("US", "3571")[0]
    assert "no specialist body covers its sector code (SIC 3571)" in general.reason


def test_a_moderator_can_remove_the_register_body_too():
    ids = {r.id for r in regulators_for("GB", None, {"uk-financial-ombudsman": False}, memberships=FCA_FIRM)}
    assert ids == {"uk-citizens-advice-consumer"}


@pytest.mark.parametrize("status, expected", [("Authorised", True), ("No longer authorised", False)])
def test_the_page_names_the_ombudsman_of_an_authorised_firm_with_the_reason(app, client, status, expected):
    with app.app_context():
        company = make_company("Nutmeg Ltd", country="GB", fca_status=status)
        company.identifiers.append(Identifier(scheme="frn", value="552016"))
        db.session.commit()
    page = client.get("/companies/nutmeg-ltd").get_data(as_text=True)
    regulator = BeautifulSoup(page, "html.parser").select_one("#rung-regulator").get_text(" ", strip=True)
    assert ("Financial Ombudsman Service" in regulator) is expected
    assert ("Why this body: Nutmeg Ltd is authorised by the Financial Conduct Authority (FRN 552016)"
            in regulator) is expected
    assert "FCA firm reference number" in page and status in page
