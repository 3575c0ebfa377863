"""A moderator's queue on a phone: each item says in one line what it is about (a leadership
change quotes its filing's item 5.02 sentence and links the filing), the filters work, and
nothing is wider than the screen."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from .conftest import create_moderator
from .test_community_journeys import log_in

PHONE = {"width": 390, "height": 844}
MODERATOR = ("queue-moderator-e2e@example.org", "a long queue moderator passphrase")
SENTENCE = ("On June 3, 2024, Kyle Udseth informed the Board that he will resign as Chief Executive Officer, "
            "and the Board appointed Jane Roe to succeed him, effective July 1, 2024.")
FILING = "https://www.sec.gov/Archives/edgar/data/1013488/000101348824000031/0001013488-24-000031-index.htm"


@pytest.fixture(scope="module")
def moderator(live_server, server_database):
    create_moderator(server_database, *MODERATOR, name="Quinn Queue")
    engine = create_engine(server_database)
    with engine.begin() as connection:  # an 8-K read at import reported a change at Pineapple Energy
        connection.execute(text(
            "UPDATE companies SET leadership_change_on = '2024-06-03', leadership_change_url = :url,"
            " leadership_change_summary = :sentence WHERE slug = 'pineapple-energy-inc'"),
            {"url": FILING, "sentence": SENTENCE})
    engine.dispose()
    return MODERATOR


def test_the_queue_on_a_phone_says_what_each_item_is_about(open_page, moderator, screenshots_dir):
    page = open_page(viewport=PHONE, is_mobile=True, device_scale_factor=1)
    log_in(page, *moderator)
    page.goto("/moderate/")
    row = page.locator(".queue-table tbody tr", has_text="Pineapple Energy")
    expect(row).to_contain_text(SENTENCE)
    expect(row.get_by_role("link", name="the filing")).to_have_attribute("href", FILING)
    expect(page.locator("main")).to_contain_text("oldest first")
    page.screenshot(path=screenshots_dir / "moderation-queue-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_label("Kind").select_option(label="Leadership changes")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/moderate/\?kind=leadership"))
    # the shared journey database may hold other companies' changes: every row is one, ours among them
    rows = page.locator(".queue-table tbody tr")
    expect(rows.filter(has_text="Pineapple Energy")).to_have_count(1)
    expect(rows).to_have_count(rows.filter(has_text="Leadership changes").count())
    page.screenshot(path=screenshots_dir / "moderation-queue-leadership-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    filtered = rows.all_inner_texts()

    page.goto("/review/leadership-changes")  # the old review list is this filter
    expect(page.locator(".queue-table tbody tr")).to_have_count(len(filtered))

    row = page.locator(".queue-table tbody tr", has_text="Pineapple Energy")
    row.get_by_role("link", name=SENTENCE).click()
    page.get_by_role("button", name="Mark as reviewed").click()
    expect(page.locator(".flashes")).to_contain_text("Marked as reviewed.")
    expect(page.locator("main")).not_to_contain_text("Pineapple Energy")
