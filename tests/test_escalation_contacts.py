"""Contacts on the ladder: newer ones of the same kind and role replace older ones on the
page (which stay in the history), another organisation's contact says so, and the CEO's
address is guessed only from press-release addresses that agree."""
from __future__ import annotations

from datetime import date

from bs4 import BeautifulSoup

from directory.extensions import db
from directory.models import Contact
from tests.factories import make_company, make_source


def press_contact(company, kind, value, person, filed_on, *, role="press", organisation=None, url=None):
    source = make_source(url=url or f"https://www.sec.gov/Archives/edgar/data/1/{filed_on:%Y%m%d}/ex99.htm",
                         document_id=f"acc-{filed_on}", form_type="8-K", filed_on=filed_on)
    contact = Contact(company=company, kind=kind, value=value, tier="executive_office", role=role,
                      person_name=person, organisation=organisation, quality="filed", as_of=filed_on, source=source)
    db.session.add(contact)
    return contact


def executive_rung(client, slug):
    soup = BeautifulSoup(client.get(f"/companies/{slug}").get_data(as_text=True), "lxml")
    return next(li for li in soup.select("ol.ladder > li") if li.h3.get_text(strip=True) == "Executive office")


def test_a_newer_press_contact_replaces_the_older_one_which_stays_in_the_history(app, client):
    with app.app_context():
        apple = make_company("Apple Inc.", ceo="Timothy D. Cook")
        press_contact(apple, "email", "dowling@apple.com", "Steve Dowling", date(2011, 1, 18))
        press_contact(apple, "email", "jrosenstock@apple.com", "Josh Rosenstock", date(2024, 2, 1))
        press_contact(apple, "email", "paxton1@apple.com", "Nancy Paxton", date(2011, 1, 18), role="investor_relations")
        db.session.commit()
    rung = executive_rung(client, "apple-inc")
    shown = [li.select_one(".contact-person").get_text() for li in rung.select("ul.contacts > li.contact")
             if li.select_one(".contact-person")]
    assert shown == ["Josh Rosenstock", "Nancy Paxton"]  # the only IR contact is still the newest IR one
    earlier = rung.select_one("details.earlier-contacts")
    assert earlier.summary.get_text(strip=True) == "Earlier contacts (1)"
    text = earlier.get_text(" ", strip=True)
    assert "Steve Dowling" in text and "dowling@apple.com" in text
    assert "last seen in the filing of 18 January 2011" in text
    assert earlier.select_one(".source a")["href"].endswith("/20110118/ex99.htm")


def test_another_organisations_contact_is_labelled_and_listed_after_the_companys_own(app, client):
    with app.app_context():
        company = make_company("Beyond Air, Inc.")
        press_contact(company, "email", "Cdavis@lifesciadvisors.com", "Corey Davis, PhD", date(2022, 1, 3),
                      role="other", organisation="LifeSci Advisors, LLC")
        press_contact(company, "email", "Mjohnson@beyondcancer.com", "Matt Johnson", date(2022, 1, 3), role="other")
        db.session.commit()
    items = executive_rung(client, "beyond-air-inc").select("ul.contacts > li.contact")
    assert items[0].select_one(".contact-person").get_text() == "Matt Johnson"
    agency = items[1]
    assert "contact-other-organisation" in agency["class"]
    assert agency.select_one(".contact-organisation").get_text() == \
        "LifeSci Advisors, LLC: another organisation, not Beyond Air, Inc. itself"


def test_the_ceo_address_comes_from_two_agreeing_press_addresses_with_links(app, client):
    with app.app_context():
        philips = make_company("Koninklijke Philips N.V.", country="NL", ceo="Roy Jakobs")
        press_contact(philips, "email", "ben.zwirs@philips.com", "Ben Zwirs", date(2023, 1, 30))
        press_contact(philips, "email", "derya.guzel@philips.com", "Derya Guzel", date(2023, 1, 30),
                      role="investor_relations")
        press_contact(philips, "email", "press.office@philips.com", None, date(2023, 1, 30))  # a mailbox: no evidence
        db.session.commit()
    soup = BeautifulSoup(client.get("/companies/koninklijke-philips-n-v").get_data(as_text=True), "lxml")
    guess = soup.select_one("#ceo-email")
    assert guess.code.get_text() == "roy.jakobs@philips.com"
    assert "inferred from 2 addresses in the company's own press releases" in guess.get_text(" ", strip=True)
    assert [a.get_text() for a in guess.select(".email-evidence a")] == ["ben.zwirs@philips.com",
                                                                         "derya.guzel@philips.com"]


def test_apples_disagreeing_press_addresses_give_no_guess(app, client):
    with app.app_context():
        apple = make_company("Apple Inc.", ceo="Timothy D. Cook")
        press_contact(apple, "email", "jrosenstock@apple.com", "Josh Rosenstock", date(2024, 2, 1))
        press_contact(apple, "email", "suhasini@apple.com", "Suhasini Chandramouli", date(2024, 2, 1),
                      role="investor_relations")
        press_contact(apple, "email", "dowling@apple.com", "Steve Dowling", date(2011, 1, 18))
        press_contact(apple, "email", "paxton1@apple.com", "Nancy Paxton", date(2011, 1, 18), role="investor_relations")
        db.session.commit()
    soup = BeautifulSoup(client.get("/companies/apple-inc").get_data(as_text=True), "lxml")
    guess = soup.select_one("#ceo-email")
    assert guess.code is None and guess.form is None
    assert "do not show one clear format" in guess.get_text(" ", strip=True)


def test_one_agreeing_address_is_not_enough(app, client):
    with app.app_context():
        company = make_company("Acme Corp", ceo="Wile Coyote")
        press_contact(company, "email", "road.runner@acme.example", "Road Runner", date(2024, 5, 1))
        db.session.commit()
    guess = BeautifulSoup(client.get("/companies/acme-corp").get_data(as_text=True), "lxml").select_one("#ceo-email")
    assert guess.code is None
    assert "One known address at acme.example is not enough" in guess.get_text(" ", strip=True)


def _from_real_release(company, shared_fixtures, name: str, filed_on: date) -> None:
    """Store a real release's contacts as the importer does: the parser's output, one row each."""
    from scrapers.edgar.press import parse_press_contacts, parse_submission_file

    data = (shared_fixtures / "real" / "edgar" / "8k_ex99" / name).read_bytes()
    exhibits = [d.content for d in parse_submission_file(data).press_releases] if b"<DOCUMENT>" in data else [data]
    for exhibit in exhibits:
        for found in parse_press_contacts(exhibit, company_name=company.name):
            press_contact(company, found.kind, found.value, found.person_name, filed_on, role=found.role,
                          organisation=found.organisation, url=f"https://www.sec.gov/{name}")


def test_the_real_releases_give_philips_a_guess_and_apple_none(app, client, shared_fixtures):
    with app.app_context():
        philips = make_company("Koninklijke Philips N.V.", country="NL", ceo="Roy Jakobs")
        _from_real_release(philips, shared_fixtures, "6k_royal-philips_2023-01-30.html", date(2023, 1, 30))
        apple = make_company("Apple Inc.", ceo="Timothy D. Cook")
        _from_real_release(apple, shared_fixtures, "8k_apple_2024-02-01_0000320193-24-000005.txt", date(2024, 2, 1))
        _from_real_release(apple, shared_fixtures, "8k_apple_2011-01-18_0001193125-11-009392.txt", date(2011, 1, 18))
        db.session.commit()
    guess = BeautifulSoup(client.get("/companies/koninklijke-philips-n-v").get_data(as_text=True),
                          "lxml").select_one("#ceo-email")
    assert guess.code.get_text() == "roy.jakobs@philips.com"
    assert "inferred from 2 addresses in the company's own press releases" in guess.get_text(" ", strip=True)
    assert {a.get_text(): a["href"] for a in guess.select(".email-evidence a")} == {
        "ben.zwirs@philips.com": "https://www.sec.gov/6k_royal-philips_2023-01-30.html",
        "derya.guzel@philips.com": "https://www.sec.gov/6k_royal-philips_2023-01-30.html"}
    # jrosenstock@, suhasini@, dowling@, paxton1@ do not agree: no address is guessed for Apple.
    guess = BeautifulSoup(client.get("/companies/apple-inc").get_data(as_text=True), "lxml").select_one("#ceo-email")
    assert guess.code is None and "do not show one clear format" in guess.get_text(" ", strip=True)
