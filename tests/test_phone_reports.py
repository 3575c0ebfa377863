"""What callers learn on a phone line, kept per number: reports from the rating form and from the
number's own page, the figures on the company page and in the API, editing and withdrawing."""
from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from directory.extensions import db
from directory.models import Contact, PhoneReport, User, utcnow
from directory.operations import phone_reports as ops
from directory.ratings.queries import phone_figures, way_key

from .community import client_for, log_in, make_user, submit
from .factories import make_company, make_contact
from .test_api import assert_matches, openapi  # noqa: F401  (a fixture)


@pytest.fixture
def acme(app):
    with app.app_context():
        company = make_company("Acme Widgets Inc.", slug="acme")
        make_contact(company, "phone", "+1 800 555 0100", label="Customer service")
        make_contact(company, "phone", "+1 800 555 0199", tier="complaints", label="Complaints line")
        make_contact(company, "email", "help@acme.example")
        make_user("ada@example.org", email_confirmed_at=utcnow())
        make_user("bob@example.org", email_confirmed_at=utcnow())
        make_user("old@example.org", created_at=utcnow() - timedelta(days=10))
        make_user("new@example.org")
        db.session.commit()
        return {c.value: c.id for c in company.contacts}


def _call(contact_id: int, email: str, **call) -> None:
    ops.save(db.session.scalar(select(User).where(User.email == email)), db.session.get(Contact, contact_id),
             ops.PhoneCall(**call))


def test_figures_come_from_established_accounts_only(app, acme):
    line = acme["+1 800 555 0100"]
    with app.app_context():
        _call(line, "ada@example.org", hold_minutes=10, called_hour=9, way_to_person="2, then 0")
        _call(line, "old@example.org", hold_minutes=4, called_hour=8, way_to_person="2 THEN 0.")
        _call(line, "bob@example.org", hold_minutes=30, called_hour=17, way_to_person="say agent")
        _call(line, "new@example.org", hold_minutes=90, called_hour=8, way_to_person="say agent")  # not yet counted
        db.session.commit()
        figures = phone_figures(db.session.get(Contact, line).company_id)[line]

    assert figures.reports == 3
    assert figures.median_hold_minutes == 10
    assert (figures.way_to_person, figures.way_to_person_reports) == ("2 THEN 0.", 2)  # the newest wording
    assert figures.best_hour_labels == ["08:00-09:00", "09:00-10:00", "17:00-18:00"]


def test_ways_are_compared_without_case_or_punctuation():
    assert way_key("2, then 0") == way_key("2 then 0") == way_key(" 2 THEN 0.")
    assert way_key("press *, then #") == "press * then #"
    assert way_key("say agent") != way_key("say operator")


def test_saving_again_edits_the_one_report_and_withdrawal_removes_it(app, acme):
    line = acme["+1 800 555 0100"]
    with app.app_context():
        _call(line, "ada@example.org", hold_minutes=10)
        _call(line, "ada@example.org", hold_minutes=3, way_to_person="  say   agent ")
        db.session.commit()
        (report,) = db.session.scalars(select(PhoneReport)).all()
        assert (report.hold_minutes, report.way_to_person) == (3, "say agent")
        ada = db.session.scalar(select(User).where(User.email == "ada@example.org"))
        bob = db.session.scalar(select(User).where(User.email == "bob@example.org"))
        assert ops.withdraw(bob, db.session.get(Contact, line)) is False  # nobody withdraws another's report
        assert ops.withdraw(ada, db.session.get(Contact, line)) is True
        db.session.commit()
        assert db.session.scalars(select(PhoneReport)).all() == []
        with pytest.raises(ops.NotAPhone):
            ops.save(ada, db.session.get(Contact, acme["help@acme.example"]), ops.PhoneCall(hold_minutes=1))


def test_the_rating_form_records_a_call_on_the_number_chosen(app, client, acme):
    line = acme["+1 800 555 0199"]
    log_in(client, "ada@example.org")
    response = submit(client, "/ratings/acme", {"stars": "2", "rung": "complaints", "channel": "phone",
                                                "got_reply": "yes", "phone_contact": str(line), "hold_minutes": "25",
                                                "called_weekday": "0", "called_hour": "9",
                                                "way_to_person": "say complaint"})
    assert response.status_code == 303, response.get_data(as_text=True)
    with app.app_context():
        (report,) = db.session.scalars(select(PhoneReport)).all()
        assert (report.contact_id, report.hold_minutes, report.called_weekday, report.called_hour,
                report.way_to_person) == (line, 25, 0, 9, "say complaint")

    page = BeautifulSoup(client.get("/companies/acme").get_data(as_text=True), "lxml")
    figures = page.select_one("#rung-complaints .phone-figures").get_text(" ")
    assert "Median time on hold: 25 minutes" in " ".join(figures.split())
    assert "“say complaint” (1 person reported it)" in " ".join(figures.split())
    assert page.select_one("#rung-customer-service .phone-figures") is None  # the other number has no report


def test_the_rating_form_refuses_hold_time_without_a_phone_call(app, client, acme):
    log_in(client, "ada@example.org")
    response = submit(client, "/ratings/acme", {"stars": "2", "rung": "complaints", "channel": "email",
                                                "got_reply": "yes", "hold_minutes": "25"})
    assert response.status_code == 400
    assert "are for a phone call" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(PhoneReport)).all() == []


def test_the_number_page_edits_and_withdraws_only_the_authors_report(app, client, acme):
    line = acme["+1 800 555 0100"]
    log_in(client, "ada@example.org")
    assert submit(client, f"/ratings/phones/{line}", {"hold_minutes": "12", "way_to_person": "2, then 0"}).status_code == 303
    bob = client_for(app, "bob@example.org")
    assert submit(bob, f"/ratings/phones/{line}", {"hold_minutes": "6", "way_to_person": "2 then 0"}).status_code == 303

    api = client.get("/api/v1/companies/acme").get_json()
    phone = next(c for c in api["contacts"] if c["value"] == "+1 800 555 0100")
    assert phone["phone_reports"] == {"median_hold_minutes": 9.0, "reports": 2, "way_to_person": "2 then 0",
                                      "way_to_person_reports": 2, "best_hours": []}

    edit = client.get(f"/ratings/phones/{line}").get_data(as_text=True)
    assert 'value="12"' in edit and "Withdraw my report" in edit
    assert submit(client, f"/ratings/phones/{line}", {"hold_minutes": "20"}).status_code == 303
    withdrawn = submit(client, f"/ratings/phones/{line}", {}, index=1)  # the withdraw form
    assert withdrawn.status_code == 303

    api = client.get("/api/v1/companies/acme").get_json()
    phone = next(c for c in api["contacts"] if c["value"] == "+1 800 555 0100")
    assert (phone["phone_reports"]["reports"], phone["phone_reports"]["median_hold_minutes"]) == (1, 6.0)
    email = next(c for c in api["contacts"] if c["kind"] == "email")
    assert email["phone_reports"] is None


def test_an_empty_report_and_a_report_on_an_email_are_refused(app, client, acme):
    log_in(client, "ada@example.org")
    assert submit(client, f"/ratings/phones/{acme['+1 800 555 0100']}", {}).status_code == 400
    assert client.get(f"/ratings/phones/{acme['help@acme.example']}").status_code == 404


def test_the_api_document_describes_phone_reports(app, client, acme, openapi):  # noqa: F811
    log_in(client, "ada@example.org")
    submit(client, f"/ratings/phones/{acme['+1 800 555 0100']}", {"hold_minutes": "5", "called_hour": "23"})
    body = client.get("/api/v1/companies/acme").get_json()
    assert_matches(openapi, "Company", body)
    phone = next(c for c in body["contacts"] if c["value"] == "+1 800 555 0100")
    assert phone["phone_reports"]["best_hours"] == ["23:00-24:00"]
