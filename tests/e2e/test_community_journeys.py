"""The community loop in a real browser: a visitor registers and suggests a company's phone
number, a moderator (created with `flask users create`, as an operator would) approves it, the
public page shows it, the history shows the change and a revert puts the old value back.

A phone number is a low-risk change, so one moderator is enough (CEO changes and executive
email addresses need two; tests/test_moderate.py covers that rule).
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import create_moderator, log_in, register

COMPANY = "/companies/microsoft-corporation"
NEW_PHONE = "+1 425 882 8080"
NEW_PHONE_SHOWN = "(425) 882-8080"  # as the company page writes a US number
MODERATOR = ("moderator-e2e@example.org", "a long moderator passphrase")
CONTRIBUTOR = ("contributor-e2e@example.org", "a long contributor passphrase")


@pytest.fixture(scope="module")
def moderator(live_server, server_database):
    create_moderator(server_database, *MODERATOR, name="Mo Derator")
    return MODERATOR


def test_suggest_approve_publish_and_revert_a_phone_number(open_page, moderator):
    contributor = open_page()
    email, password = CONTRIBUTOR
    register(contributor, email, password)
    log_in(contributor, email, password)

    contributor.goto(COMPANY)
    contributor.get_by_role("link", name="Suggest an edit").click()
    contributor.get_by_role("link", name="Name, website, phone or location").click()
    contributor.get_by_label("Phone").fill(NEW_PHONE)
    contributor.get_by_label("How do you know?").fill("Listed on their investor relations contact page.")
    contributor.get_by_role("button", name="Preview my change").click()
    expect(contributor.get_by_role("heading", name="Check your suggestion")).to_be_visible()
    expect(contributor.locator("main")).to_contain_text(NEW_PHONE)
    contributor.get_by_role("button", name="Send to the moderators").click()
    expect(contributor.locator("main")).to_contain_text("A moderator will review your suggestion")

    public = open_page()
    public.goto(COMPANY)
    expect(public.locator("main")).not_to_contain_text(NEW_PHONE_SHOWN)  # not before a moderator says so

    mod = open_page()
    log_in(mod, *moderator)
    mod.goto("/moderate/")
    mod.get_by_role("row").filter(has_text="Microsoft Corporation").get_by_role("link").click()
    expect(mod.locator("main")).to_contain_text(NEW_PHONE)
    mod.get_by_role("button", name="Approve", exact=True).click()

    public.goto(COMPANY)
    expect(public.locator("ol.ladder").get_by_role("link", name=NEW_PHONE_SHOWN)).to_be_visible()  # the head office line
    expect(public.locator("dl.facts").get_by_role("link", name=NEW_PHONE_SHOWN)).to_be_visible()

    public.get_by_role("link", name="History").click()
    latest = public.locator("li.revision").first
    expect(latest).to_contain_text(NEW_PHONE)
    expect(latest).to_contain_text("accepted by moderator Mo Derator")

    mod.goto(public.url)
    mod.locator("li.revision").first.get_by_role("link", name="Revert…").click()
    mod.get_by_role("button", name="Revert").click()

    public.goto(COMPANY)
    expect(public.locator("main")).not_to_contain_text(NEW_PHONE_SHOWN)
    public.get_by_role("link", name="History").click()
    expect(public.locator("li.revision").first).to_contain_text("reverts")
