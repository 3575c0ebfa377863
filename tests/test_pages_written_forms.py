"""Data filed in a register's own forms reads as people write it (issue 30, item 11)."""
from __future__ import annotations

from datetime import date

from bs4 import BeautifulSoup

from directory.extensions import db
from directory.models import CompanyName
from tests.factories import make_company, make_contact, make_position, make_source


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.get_data(as_text=True), "lxml")


def test_city_in_capitals_reads_as_a_name(app, client):
    with app.app_context():
        make_company("Two Harbors Investment Corp.", city="ST. LOUIS PARK", region="MN")
        db.session.commit()

    soup = page(client, "/companies/two-harbors-investment-corp")
    assert soup.select_one(".subtitle").get_text(" ", strip=True).startswith("St. Louis Park, MN")
    assert "St. Louis Park MN" in soup.select_one(".address-card address").get_text(" ", strip=True)
    assert "ST. LOUIS PARK" not in soup.get_text()


def test_phone_numbers_are_written_for_the_companys_country_and_the_api_keeps_the_filed_form(app, client):
    with app.app_context():
        company = make_company("Wolfspeed, Inc.", city="DURHAM", region="NC", phone="9194075300")
        make_contact(company, "phone", "612.453.4100", tier="executive_office", label="Investor relations")
        db.session.commit()

    soup = page(client, "/companies/wolfspeed-inc")
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd") for dt in soup.select("dl.facts dt")}
    assert facts["Phone"].a.get_text(strip=True) == "(919) 407-5300"
    assert facts["Phone"].a["href"] == "tel:9194075300"
    values = [v.get_text(strip=True) for v in soup.select(".ladder .contact-value")]
    assert "(612) 453-4100" in values and "(919) 407-5300" in values
    assert "612.453.4100" not in soup.get_text() and "9194075300" not in soup.get_text()
    assert client.get("/api/v1/companies/wolfspeed-inc").get_json()["phone"] == "9194075300"


def test_head_office_phone_shows_its_source_and_date(app, client):
    with app.app_context():
        company = make_company("Apple Inc.", city="CUPERTINO", region="CA", phone="(408) 996-1010")
        company.addresses[0].source = make_source(form_type="submissions", filed_on=date(2024, 11, 1),
                                                  url="https://data.sec.gov/submissions/CIK0000320193.json")
        db.session.commit()

    soup = page(client, "/companies/apple-inc")
    switchboard = soup.select_one(".contact-head-office")
    assert "SEC EDGAR company record" in switchboard.get_text(" ", strip=True)
    assert switchboard.select_one("time")["datetime"] == "2024-11-01"
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd") for dt in soup.select("dl.facts dt")}
    assert "SEC EDGAR company record, 1 November 2024" in facts["Phone"].get_text(" ", strip=True).replace(" ,", ",")


def test_html_entities_in_a_stored_title_read_as_characters(app, client):
    with app.app_context():
        company = make_company("Cabot Corp", city="BOSTON", region="MA")
        make_position(company, "Sean D. Keohane", "Chairman &amp; CEO", role="ceo", is_ceo=True, source=make_source())
        db.session.commit()

    html = client.get("/companies/cabot-corp").get_data(as_text=True)
    assert "Chairman &amp; CEO" in html  # escaped once, as any "&" is
    assert "&amp;amp;" not in html


def test_one_former_name_filed_twice_is_listed_once_with_its_last_date(app, client):
    with app.app_context():
        company = make_company("Apple Inc.")
        source = make_source()
        company.former_names.extend([
            CompanyName(name="APPLE COMPUTER INC", used_until=date(2007, 1, 4), source=source),
            CompanyName(name="APPLE COMPUTER INC/ FA", used_until=date(1997, 7, 28), source=source)])
        db.session.commit()

    soup = page(client, "/companies/apple-inc")
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd") for dt in soup.select("dl.facts dt")}
    names = [li.get_text(" ", strip=True) for li in facts["Former names"].select("li")]
    assert len(names) == 1 and names[0].startswith("Apple Computer Inc (until 4 January 2007")
