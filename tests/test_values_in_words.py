"""Every value a person reads is in words, not a stored code (issue 30, item 5): previews,
the moderator's review and its "Approve with an edit", history, reports and the audit log."""
from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

import pytest

from directory.extensions import db
from directory.models import Company, Contribution, Flag, Position
from directory.revisions import revision_context
from tests.community import PASSWORD, client_for, log_in, make_user, submit, suggest_and_send
from tests.factories import make_company, make_position, make_source

CODES = ("customer_service", "principal_office", "executive_office", "operating")


@pytest.fixture
def acme(app):
    with app.app_context():
        company = make_company("Acme Widgets Inc.", city="PHOENIX", region="AZ", entity_type="operating")
        make_user("contributor@example.org")
        make_user("mod@example.org", role="moderator")
        db.session.commit()
        return company.id


def words(html: str) -> str:
    return BeautifulSoup(html, "lxml").select_one("main").get_text(" ", strip=True)


def test_a_new_contacts_preview_and_review_speak_in_words_and_the_edit_offers_choices(app, acme):
    contributor = client_for(app, "contributor@example.org")
    response, preview = suggest_and_send(contributor, f"/contribute/suggest/contact_add/{acme}", {
        "kind": "phone", "value": "+1 602 555 0100", "tier": "customer_service", "label": "Help line",
        "evidence_url": "https://acme.example/contact"})
    assert response.status_code == 302
    assert "Customer service" in words(preview) and "customer_service" not in words(preview)

    with app.app_context():
        item_id = db.session.scalar(select(Contribution.id))
    review = client_for(app, "mod@example.org").get(f"/moderate/contributions/{item_id}").get_data(as_text=True)
    assert not [code for code in CODES if code in words(review)]
    soup = BeautifulSoup(review, "lxml")
    step = soup.find("select", attrs={"name": "edit-tier"})
    assert step is not None, "the step is chosen from a list, not typed as a code"
    assert step.find("option", selected=True).get_text() == "Customer service"
    assert {o.get_text() for o in step.find_all("option")} >= {"Formal complaints", "Chief executive"}
    assert soup.find("label", attrs={"for": "edit-tier"}).get_text() == "Step"


def test_history_names_the_person_of_a_position_and_shows_codes_in_words(app, client, acme):
    with app.app_context():
        company = db.session.get(Company, acme)
        with revision_context("sec_edgar importer"):
            make_position(company, "Wile E. Coyote", "Chief Executive Officer", role="ceo", is_ceo=True,
                          source=make_source())
            db.session.commit()
    page = words(client.get(f"/history/company/{acme}").get_data(as_text=True))
    assert "Position added: Wile E. Coyote" in page
    assert "Role: “Chief executive”" in page and "“ceo”" not in page
    assert "Kind of entity: “Operating company”" in page and "“operating”" not in page
    assert "Country: “United States”" in page and "“US”" not in page


def test_a_report_says_what_it_is_about(app, acme):
    with app.app_context():
        db.session.add(Flag(company_id=acme, entity_type="company", entity_id=acme, field="phone", note="dead"))
        db.session.commit()
        flag_id = db.session.scalar(select(Flag.id))
    page = words(client_for(app, "mod@example.org").get(f"/moderate/flags/{flag_id}").get_data(as_text=True))
    assert "What Phone of the company" in page and "company 1" not in page
    assert "Status Waiting for a moderator" in page


def test_the_audit_log_credits_a_self_deletion_to_the_account_holder(app, acme):
    browser = client_for(app, "contributor@example.org")
    assert submit(browser, "/accounts/delete", {"password": PASSWORD}).status_code == 302
    audit = BeautifulSoup(client_for(app, "mod@example.org").get("/moderate/audit").get_data(as_text=True), "lxml")
    row = next(tr for tr in audit.select("tbody tr") if "deleted" in tr.get_text())
    assert "The account holder, on the website" in row.get_text() and "Command line" not in row.get_text()
