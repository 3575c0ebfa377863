"""The FCA register's parsers on the real recorded answers (`fca-register/`)."""
from __future__ import annotations

import json
from datetime import date

import pytest

from scrapers.errors import ConfigurationError, ParseError
from scrapers.fca import FcaClient
from scrapers.fca.parse import (
    parse_addresses,
    parse_answer,
    parse_firm,
    parse_functions,
    parse_names,
    parse_search,
)
from scrapers.records import SourceRef

SOURCE = SourceRef("registry_record", "https://register.fca.org.uk/s/search?q=552016&type=Companies")


@pytest.fixture
def recorded(shared_fixtures):
    def answer(name):
        document = json.loads((shared_fixtures / "real" / "fca-register" / name).read_text())
        return parse_answer(json.dumps(document["body"]).encode(), document["url"])
    return answer


def test_the_firm_record_gives_status_companies_house_number_and_the_register_date(recorded):
    firm = parse_firm(recorded("firm_552016.json"), "552016")
    assert (firm.name, firm.status, firm.status_since) == (
        "J.P. MORGAN PERSONAL INVESTING LIMITED", "Authorised", date(2011, 10, 6))
    assert (firm.ch_number, firm.as_of) == ("07503666", date(2026, 2, 27))


def test_the_complaints_contact_is_a_named_person_on_the_complaints_step(recorded):
    office, website, phone, contacts = parse_addresses(recorded("firm_552016_address.json"), SOURCE)
    assert (office.line1, office.city, office.postal_code, office.country) == (
        "25 Bank Street", "London", "E14 5JP", "GB")
    assert (website, phone) == ("https://www.personalinvesting.jpmorgan.com", "+442035981515")
    assert {(c.kind, c.value) for c in contacts} == {("postal", "25 Bank Street, London, E14 5JP"),
                                                    ("phone", "+442035981515")}
    assert {(c.person_name, c.tier, c.role) for c in contacts} == {("Anders Fries", "complaints", "complaints")}


def test_senior_managers_functions_name_the_chief_executive_and_the_others(recorded):
    answer = recorded("firm_552016_cf.json")
    assert answer.next_page == 2  # the page number only: never the host an answer names
    functions = parse_functions([answer])
    (ceo,) = [f for f in functions if f.is_ceo]
    assert (ceo.name, ceo.function, ceo.start_date, ceo.is_current) == (
        "James McManus", "SMF1 Chief Executive", date(2026, 2, 5), True)
    assert ("Clive Peter Adamson", "chair") in {(f.name, f.role) for f in functions if f.is_current}
    ended = [f for f in functions if not f.is_current]
    assert {f.name for f in ended} == {"Darragh Patrick Geraghty"} and all(f.end_date for f in ended)
    assert not any(f.function.startswith("[FCA CF]") for f in functions)  # certification roles are not SMFs


def test_trading_names_and_previous_names(recorded):
    names = parse_names(recorded("firm_552016_names.json"))
    assert names.trading == ("J.P. Morgan Personal Investing",)
    assert [(n.name, n.used_until) for n in names.former][:1] == [("Nutmeg", date(2025, 11, 3))]


def test_a_search_lists_firms_without_their_postcode(recorded):
    hits = parse_search(recorded("search_hastings_direct.json"))
    assert [(h.frn, h.name) for h in hits][:2] == [("969197", "Hastings Financial Services Limited"),
                                                   ("311492", "Hastings Insurance Services Limited")]


def test_an_unknown_firm_is_no_data_and_a_broken_answer_a_parse_error():
    url = "https://register.fca.org.uk/services/V0.1/Firm/1"
    assert parse_firm(parse_answer(b'{"Data": null, "Message": "Firm not found"}', url), "1") is None
    with pytest.raises(ParseError, match="not JSON"):
        parse_answer(b'{"Data": [', url)
    with pytest.raises(ParseError, match="not a list of records"):
        parse_answer(b'{"Data": "oops"}', url)


@pytest.mark.parametrize("email, key", [(None, "k"), ("a@example.org", ""), ("", None)])
def test_the_client_refuses_to_run_without_a_registered_user(email, key):
    with pytest.raises(ConfigurationError, match="FCA_API_KEY"):
        FcaClient(email, key, user_agent="tests tests@example.org")
