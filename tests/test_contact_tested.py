"""A contact becomes `tested` when an outcome report says a reply came through it: the contact
a case step named, or else the only contact of that channel on that rung. Through the real
case and rating forms, then the company page's badge and the API as a visitor sees them."""
from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from directory.clock import today
from directory.extensions import db
from directory.models import utcnow
from tests.community import client_for, make_user, submit
from tests.factories import make_company, make_contact

PAGE = "/companies/northern-bank-plc"


@pytest.fixture
def bank(app):
    """Two complaint addresses (a case must name the one it used), one customer-service phone,
    two customer-service emails; an established account and a brand-new one."""
    with app.app_context():
        company = make_company("Northern Bank PLC", country="GB", sic_code="64191")
        contacts = [make_contact(company, kind, value, tier=tier) for kind, value, tier in (
            ("email", "complaints@northern.example", "complaints"),
            ("email", "escalations@northern.example", "complaints"),
            ("phone", "0800 123 456", "customer_service"),
            ("email", "help@northern.example", "customer_service"),
            ("email", "care@northern.example", "customer_service"))]
        make_user("owner@example.org", email_confirmed_at=utcnow())
        make_user("newcomer@example.org")
        db.session.commit()
        return dict(zip(("complaints", "escalations", "phone", "help", "care"), (c.id for c in contacts)))


def _ago(days: int) -> str:
    return (today() - timedelta(days=days)).isoformat()


def _badges(client) -> dict[str, str]:
    """{contact value: its quality badge's text} on the company page."""
    soup = BeautifulSoup(client.get(PAGE).get_data(as_text=True), "lxml")
    return {li.select_one(".contact-value").get_text(strip=True): li.select_one(".badge-quality").get_text(" ", strip=True)
            for li in soup.select("ol.ladder li.contact")}


def _api(client) -> dict[str, dict]:
    return {c["value"]: c for c in client.get("/api/v1/companies/northern-bank-plc").get_json()["contacts"]}


def _long_date(iso: str) -> str:
    day = today().fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def test_a_case_answered_through_a_named_contact_makes_it_tested_with_the_replys_date(app, client, bank):
    browser = client_for(app, "owner@example.org")
    opened = submit(browser, "/cases/new?company=northern-bank-plc",
                    {"title": "Double charge", "problem": "Charged twice.", "wanted": "A refund."})
    case_url = opened.headers["Location"]
    submit(browser, case_url, {"taken_on": _ago(20), "rung": "complaints", "channel": "email",
                               "contact_id": str(bank["escalations"]), "response": "Refunded.",
                               "response_on": _ago(16)}, action_contains="/steps", index=-1)
    closed = submit(browser, case_url, {"close-resolved": "yes", "close-rung": "complaints"}, action_contains="/close")
    assert closed.status_code == 303
    badges = _badges(client)
    assert badges["escalations@northern.example"] == f"tested {_long_date(_ago(16))}"
    assert badges["complaints@northern.example"] == "filed"  # the address the case did not use
    api = _api(client)
    assert (api["escalations@northern.example"]["quality"], api["escalations@northern.example"]["tested_on"]) == \
        ("tested", _ago(16))
    assert (api["complaints@northern.example"]["quality"], api["complaints@northern.example"]["tested_on"]) == \
        ("filed", None)


def test_a_rating_that_got_a_reply_tests_the_rungs_only_contact_of_that_channel(app, client, bank):
    rater = client_for(app, "owner@example.org")
    by_phone = {"stars": "4", "rung": "customer_service", "channel": "phone", "got_reply": "yes", "days_to_reply": "1"}
    assert submit(rater, "/ratings/northern-bank-plc", by_phone).status_code == 303
    assert _badges(client)["0800 123456"] == f"tested {_long_date(today().isoformat())}"
    # By email: two customer-service addresses, and the report does not say which one answered.
    submit(rater, "/ratings/northern-bank-plc", {**by_phone, "channel": "email"})
    badges = _badges(client)
    assert (badges["help@northern.example"], badges["care@northern.example"]) == ("filed", "filed")


def test_no_reply_or_a_brand_new_account_tests_nothing(app, client, bank):
    no_reply = {"stars": "1", "rung": "customer_service", "channel": "phone", "got_reply": "no"}
    submit(client_for(app, "owner@example.org"), "/ratings/northern-bank-plc", no_reply)
    assert _badges(client)["0800 123456"] == "filed"
    submit(client_for(app, "newcomer@example.org"), "/ratings/northern-bank-plc", {**no_reply, "got_reply": "yes"})
    assert _badges(client)["0800 123456"] == "filed"
    assert _api(client)["0800 123 456"]["quality"] == "filed"


def test_a_contact_is_tested_only_while_a_report_still_says_so(app, client, bank):
    """The owner's report of a phone reply tests the phone; a second account's report keeps it
    tested when the owner changes theirs to "no reply"; once neither says a reply came through
    it, the phone shows what it was before, on the page and in the API."""
    with app.app_context():
        make_user("second@example.org", email_confirmed_at=utcnow())
        db.session.commit()
    by_phone = {"stars": "4", "rung": "customer_service", "channel": "phone", "got_reply": "yes", "days_to_reply": "1"}
    owner, second = client_for(app, "owner@example.org"), client_for(app, "second@example.org")
    submit(owner, "/ratings/northern-bank-plc", by_phone)
    submit(second, "/ratings/northern-bank-plc", by_phone)
    submit(owner, "/ratings/northern-bank-plc", {**by_phone, "got_reply": "no", "days_to_reply": ""})
    assert _badges(client)["0800 123456"] == f"tested {_long_date(today().isoformat())}"
    submit(second, "/ratings/northern-bank-plc", {**by_phone, "channel": "email"})  # two addresses: none tested
    assert _badges(client)["0800 123456"] == "filed"
    assert (_api(client)["0800 123 456"]["quality"], _api(client)["0800 123 456"]["tested_on"]) == ("filed", None)
    submit(owner, "/ratings/northern-bank-plc", by_phone)  # and a new report of a reply tests it again
    assert _badges(client)["0800 123456"] == f"tested {_long_date(today().isoformat())}"
