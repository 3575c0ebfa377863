"""Privacy and discovery in a real browser: the company page's JSON-LD passes the strict
Content-Security-Policy (a violation would be a console error, which fails the journey), and
a listed person's objection goes from the public form, filed from a confirmed account, to the
two moderators' decision that a chief executive's listing needs."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from directory import create_app
from directory.extensions import db
from directory.models import utcnow
from directory.operations.accounts import register

from .conftest import create_moderator, log_in

PERSON = "/people/justin-knight"
COMPANY = "/companies/apple-hospitality-reit-inc"
MODERATOR = ("privacy-moderator-e2e@example.org", "a long privacy moderator passphrase")
SECOND_MODERATOR = ("privacy-moderator-2-e2e@example.org", "another long privacy moderator passphrase")
REQUESTER = ("legal@applehospitality.example", "the company lawyer's long passphrase")


def confirmed_account(server_database: str, email: str, password: str) -> None:
    """An account as registering and opening the confirmation mail's link leave it, made in
    the server's database."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": server_database, "SECRET_KEY": "e2e-confirmed-account"})
    with app.app_context():
        register(email, password, display_name="Acme Legal").email_confirmed_at = utcnow()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def moderator(live_server, server_database):
    create_moderator(server_database, *MODERATOR, name="Pri Vacy")
    create_moderator(server_database, *SECOND_MODERATOR, name="Sec Ond")
    return MODERATOR


@pytest.fixture(scope="module")
def requester(live_server, server_database):
    """The company's lawyer, with an account whose address is confirmed."""
    confirmed_account(server_database, *REQUESTER)
    return REQUESTER


def test_company_page_json_ld_is_data_under_the_strict_policy(page):
    response = page.goto("/companies/apple-inc")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    block = page.locator("script[type='application/ld+json']")
    data = json.loads(block.text_content())
    assert data["@type"] == "Organization" and data["employee"][0]["name"] == "Tim Cook"
    expect(page.get_by_role("link", name="Privacy")).to_be_visible()


def test_objection_from_the_person_page_to_an_upheld_decision(open_page, moderator, requester):
    visitor = open_page()
    log_in(visitor, *requester)
    visitor.goto(PERSON)
    visitor.get_by_role("link", name="Object to or correct this listing").click()
    visitor.get_by_label("What are you objecting to?").select_option(label="Listing: Chief Executive Officer at Apple Hospitality REIT, Inc.")
    visitor.get_by_label("I act for their company").check()
    expect(visitor.get_by_label("Your email address")).to_have_value(requester[0])
    visitor.get_by_label("Anything we should know").fill("Mr Knight asked us to correct this.")
    visitor.get_by_role("button", name="Send the objection").click()
    expect(visitor.get_by_text("A moderator will review your objection")).to_be_visible()

    for credentials, done in ((moderator, "Upheld once"), (SECOND_MODERATOR, "Objection decided")):
        mod = open_page()
        log_in(mod, *credentials)
        mod.goto("/moderate/?kind=objection")
        mod.get_by_role("link", name="Objection: remove position").click()
        expect(mod.get_by_text(f"Filed from a logged-in account whose address, {requester[0]}")).to_be_visible()
        mod.get_by_label("Reason (sent to the requester)").fill("Listing confirmed wrong by the company.")
        mod.get_by_role("button", name="Uphold: remove and suppress").click()
        expect(mod.get_by_text(done)).to_be_visible()

    visitor.goto(COMPANY)
    expect(visitor.get_by_role("heading", name="Apple Hospitality REIT, Inc.")).to_be_visible()
    expect(visitor.get_by_text("Justin Knight")).to_have_count(0)
