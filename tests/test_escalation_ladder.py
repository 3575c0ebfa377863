"""The ladder on the company page: five rungs in order, advice for the company's country,
the regulators, the CEO's inferred email address and the bounce report."""
from __future__ import annotations

from bs4 import BeautifulSoup

from directory.extensions import db
from directory.models import BounceReport
from directory.ratelimit import hashed_address
from tests.factories import make_company, make_contact

RUNGS = ["Customer service", "Formal complaints", "Executive office", "Chief executive", "Regulator or ombudsman"]


def ladder(client, slug):
    response = client.get(f"/companies/{slug}")
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "lxml")
    return soup, soup.select("ol.ladder > li")


def advice(rung) -> str:
    return rung.select_one(".rung-advice").get_text(" ", strip=True)


def test_us_company_ladder_order_and_advice(app, client):
    with app.app_context():
        make_company("Verizon Communications Inc.", sic_code="4813", ceo="Hans Vestberg")
        db.session.commit()
    _, rungs = ladder(client, "verizon-communications-inc")
    assert [r.h3.get_text(strip=True) for r in rungs] == RUNGS
    service, complaints, executive, ceo, regulator = rungs
    assert "reference number" in advice(service)
    assert "case number" in advice(complaints)
    assert "about a week" in advice(executive) and "about a week" in advice(ceo)
    assert "FCC informal complaint in writing within 30 days" in advice(regulator)
    body = regulator.select_one(".regulator")
    assert body.h4.get_text(strip=True) == "Federal Communications Commission (FCC)"
    assert "the company has 30 days to respond" in body.get_text(" ", strip=True)
    assert body.find("a", string="Complain to Federal Communications Commission (FCC)")["href"] == \
        "https://consumercomplaints.fcc.gov/"
    assert body.select_one(".source a")["href"] == "https://consumercomplaints.fcc.gov/"


def test_uk_company_ladder_waits_8_weeks_or_a_deadlock_letter(app, client):
    with app.app_context():
        make_company("Example Bank PLC", country="GB", sic_code="64191")
        db.session.commit()
    _, rungs = ladder(client, "example-bank-plc")
    assert [r.h3.get_text(strip=True) for r in rungs] == RUNGS
    complaints, regulator = rungs[1], rungs[4]
    assert "8 weeks" in advice(complaints) and "deadlock letter" in advice(complaints)
    assert "8 weeks" in advice(regulator) and "deadlock letter" in advice(regulator)
    bodies = regulator.select(".regulator")
    assert [b.h4.get_text(strip=True) for b in bodies] == ["Financial Ombudsman Service"]
    terms = bodies[0].select_one(".regulator-terms").get_text(" ", strip=True)
    assert "once the company has had 8 weeks" in terms
    assert "within 6 months of the business's final response" in terms
    assert "voluntary" not in terms


def test_voluntary_schemes_say_so(app, client):
    with app.app_context():
        make_company("Example Telecom Limited", country="GB", sic_code="61100")
        db.session.commit()
    _, rungs = ladder(client, "example-telecom-limited")
    cisas = next(b for b in rungs[4].select(".regulator") if "CISAS" in b.h4.get_text())
    assert "Membership is voluntary: check that Example Telecom Limited is a member." in cisas.get_text(" ", strip=True)


def test_other_countries_get_general_advice_and_no_invented_regulator(app, client):
    with app.app_context():
        make_company("Exemple SA", country="FR", sic_code="64191")
        db.session.commit()
    _, rungs = ladder(client, "exemple-sa")
    assert [r.h3.get_text(strip=True) for r in rungs] == RUNGS
    assert advice(rungs[4]) == "If the company still has not fixed it, a regulator or ombudsman can step in."
    assert "no regulator or ombudsman on record for companies in France" in rungs[4].get_text(" ", strip=True)


def apple_with_addresses(*addresses):
    company = make_company("Apple Inc.", ceo="Timothy D. Cook", city="Cupertino", region="CA",
                           executives=[("Luca Maestri", "CFO", "cfo"), ("Jeff Williams", "COO", "coo"),
                                       ("Katherine Adams", "General Counsel", "other")])
    for address in addresses:
        make_contact(company, "email", address, tier="executive_office")
    return company


def test_ceo_rung_shows_the_inferred_address_never_as_verified(app, client):
    with app.app_context():
        apple_with_addresses("luca.maestri@apple.com", "jeff.williams@apple.com")
        db.session.commit()
    _, rungs = ladder(client, "apple-inc")
    guess = rungs[3].select_one("#ceo-email")
    text = guess.get_text(" ", strip=True)
    assert guess.code.get_text() == "timothy.cook@apple.com"
    assert guess.code.parent.name != "a"  # not offered as a verified link
    assert "inferred from 2 known addresses" in text
    assert "Not verified" in text and "Confidence: medium" in text


def test_ambiguous_addresses_give_no_guess(app, client):
    with app.app_context():
        apple_with_addresses("luca.maestri@apple.com", "jwilliams@apple.com")
        db.session.commit()
    _, rungs = ladder(client, "apple-inc")
    guess = rungs[3].select_one("#ceo-email")
    assert guess.code is None and guess.form is None
    assert "do not show one clear format (confidence: low)" in guess.get_text(" ", strip=True)


def test_a_bounce_report_needs_csrf_is_counted_once_and_lowers_confidence(app, client):
    with app.app_context():
        apple_with_addresses("luca.maestri@apple.com", "jeff.williams@apple.com", "katherine.adams@apple.com")
        db.session.commit()
    soup, rungs = ladder(client, "apple-inc")
    assert "Confidence: high" in rungs[3].get_text(" ", strip=True)
    form = rungs[3].select_one("#ceo-email form")
    fields = {i["name"]: i["value"] for i in form.select("input")}
    assert fields["format"] == "first.last"

    assert client.post(form["action"], data={"format": "first.last"}).status_code == 400
    assert client.post(form["action"], data={**fields, "format": "<script>"}).status_code == 400
    for _ in range(2):
        response = client.post(form["action"], data=fields)
        assert response.status_code == 303
        assert response.headers["Location"].endswith("/companies/apple-inc#ceo-email")

    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}):  # the test client's address
        hashed_ip = hashed_address()  # the one salted hash of an address, never the address itself
        reports = db.session.scalars(db.select(BounceReport)).all()
        assert [(r.format, r.ip_hash) for r in reports] == [("first.last", hashed_ip)]
    soup, rungs = ladder(client, "apple-inc")
    assert "lowered our confidence in this address format" in soup.select_one(".flashes").get_text()
    assert "Confidence: low" in rungs[3].get_text(" ", strip=True)


def test_uk_company_without_executive_office_is_written_to_at_its_registered_office(app, client):
    from directory.models import Address

    with app.app_context():
        company = make_company("Tesco PLC", country="GB", ceo="Ken Murphy")
        company.addresses.append(Address(kind="registered_office", line1="Tesco House", city="Welwyn Garden City",
                                         postal_code="AL7 1GA", country="GB"))
        db.session.commit()
    _, rungs = ladder(client, "tesco-plc")
    ceo_rung = rungs[3].get_text(" ", strip=True)
    assert "Registered office, addressed to Ken Murphy" in ceo_rung
    assert "Tesco House" in ceo_rung and "AL7 1GA" in ceo_rung
