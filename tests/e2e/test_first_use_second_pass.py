"""What a new user reads on a company page, on a phone and a desktop (issue 30, items 7, 8
and 11): each trust label explains itself without hovering, the head-office phone is written
as people write it with its source and date, and the freshness lines agree."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("size", SIZES)
def test_a_reader_learns_what_a_badge_means_and_where_the_switchboard_came_from(open_page, screenshots_dir, size):
    page = open_page(viewport=SIZES[size])
    assert page.goto("/companies/apple-inc").status == 200
    legend = page.locator("details.trust-key")
    expect(legend.locator(".trust-legend")).to_be_hidden()
    legend.locator("summary").click()
    expect(legend).to_contain_text("moderated suggestion")
    expect(legend).to_contain_text("The company has not confirmed it")
    legend.screenshot(path=screenshots_dir / f"trust-legend-{size}.png")
    badge = page.locator("li.rung-customer-service .badge-quality").first
    assert "filing" in badge.get_attribute("title")

    switchboard = page.locator("li.contact-head-office")
    expect(switchboard.get_by_role("link", name="(408) 996-1010")).to_be_visible()
    expect(switchboard.locator(".source")).to_contain_text("SEC filing")
    switchboard.screenshot(path=screenshots_dir / f"head-office-phone-{size}.png")

    facts = page.locator("dl.facts")
    expect(facts).not_to_contain_text("Not read by an import yet")
    expect(facts.locator("dt:text-is('Phone') + dd")).to_contain_text("source:")
    facts.screenshot(path=screenshots_dir / f"company-facts-{size}.png")


@pytest.mark.parametrize("size", SIZES)
def test_the_about_page_explains_every_badge(open_page, screenshots_dir, size):
    page = open_page(viewport=SIZES[size])
    page.goto("/about#labels")
    labels = page.locator(".trust-legend dt")
    expect(labels).to_have_text(["scraped", "filed", "moderated suggestion", "checked by a moderator", "tested"],
                                ignore_case=True)
    page.locator(".trust-legend").screenshot(path=screenshots_dir / f"about-labels-{size}.png")
