"""A newcomer's first visit on a phone (issue 16): natural queries, a way on from no results,
suggestions in the header, the leadership banner, the ladder's first step, a rating's
confirmation, long values, "Report outdated", and names as people write them.

Each journey saves what the user saw in build/screenshots (CI keeps it as an artefact).
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import create_moderator, log_in, register
from .seed import CABOT_LONG_URL

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
MODERATOR = ("moderator-first-use@example.org", "a long first-use passphrase")
RATER = ("rater-first-use@example.org", "a long rater passphrase")


@pytest.fixture(scope="module")
def moderator(live_server, server_database):
    create_moderator(server_database, *MODERATOR, name="First Use Moderator")
    return MODERATOR


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_service_query_opens_the_company_at_that_step(open_page, screenshots_dir):
    page = open_page(**PHONE)
    page.goto("/")
    page.locator("input#q").fill("apple complaints")
    page.locator("input#q").press("Enter")
    main = page.locator("main")
    expect(main.locator(".search-intent")).to_contain_text("complaints step")
    page.screenshot(path=screenshots_dir / "first-use-intent-results-phone.png", full_page=True)
    main.get_by_role("link", name="Apple Inc.", exact=True).click()
    expect(page).to_have_url(re.compile(r"/companies/apple-inc#rung-complaints$"))
    rung = page.locator("#rung-complaints")
    expect(rung).to_be_in_viewport()
    expect(rung).to_contain_text("Product feedback form")
    page.screenshot(path=screenshots_dir / "first-use-intent-rung-phone.png")


def test_no_results_offers_close_names_browsing_and_proposing(open_page, screenshots_dir):
    page = open_page(**PHONE)
    page.goto("/search?q=tescoos")  # two letters from "Tesco": a close name, yet no result
    main = page.locator("main")
    expect(main.get_by_role("heading", name="Not found? Here is what to try")).to_be_visible()
    expect(main.get_by_role("link", name="Tesco PLC")).to_be_visible()
    expect(main.get_by_role("link", name="Browse companies")).to_have_attribute("href", re.compile(r"/browse"))
    propose = main.get_by_role("link", name="Propose this company")
    expect(propose).to_have_attribute("href", re.compile(r"/contribute/new-company\?name=tescoos"))
    page.screenshot(path=screenshots_dir / "first-use-no-results-phone.png", full_page=True)
    assert page_width(page) <= 390


def test_header_suggestions_offer_people_and_typos_away_from_home(open_page, screenshots_dir):
    page = open_page(**PHONE)
    page.goto("/companies/tesco-plc")
    header_box = page.locator("header input#site-q")
    header_box.press_sequentially("tim", delay=60)
    options = page.locator("#site-q-suggestions [role=option]")
    expect(options.filter(has_text="Apple Inc.")).to_contain_text("Tim Cook")
    page.screenshot(path=screenshots_dir / "first-use-header-person-phone.png")
    header_box.fill("")
    header_box.press_sequentially("micrs", delay=40)  # half typed, one letter missed
    expect(options.filter(has_text="Microsoft Corporation")).to_contain_text("Did you mean this?")
    page.screenshot(path=screenshots_dir / "first-use-header-typo-phone.png")
    options.filter(has_text="Microsoft Corporation").click()
    expect(page).to_have_url(re.compile(r"/companies/microsoft-corporation$"))


def test_the_leadership_banner_goes_once_a_moderator_marks_it_reviewed(open_page, moderator, screenshots_dir):
    public = open_page(**PHONE)
    public.goto("/companies/cabot-corp")
    banner = public.locator("main .notice", has_text="Leadership change reported")
    expect(banner).to_be_visible()
    public.screenshot(path=screenshots_dir / "first-use-leadership-banner-phone.png")

    staff = open_page()
    log_in(staff, *moderator)
    staff.goto("/moderate/?kind=leadership")
    staff.locator("tr", has_text="Cabot Corp").get_by_role("link").first.click()
    staff.get_by_role("button", name="Mark as reviewed").click()

    public.reload()
    expect(public.locator("main")).to_contain_text("Sean D. Keohane")
    expect(banner).to_have_count(0)
    # "Last verified" is one value: the page's date is the API's.
    shown = public.locator("dt:text-is('Last verified') + dd time").get_attribute("datetime")
    api = public.request.get("/api/v1/companies/cabot-corp").json()
    assert shown == api["last_verified"]


def test_the_main_call_to_action_is_the_lowest_step(open_page, screenshots_dir):
    page = open_page(**PHONE)
    page.goto("/companies/apple-inc")
    actions = page.locator(".ladder-actions")
    start = actions.get_by_role("link", name=re.compile("^Start here"))
    expect(start).to_have_attribute("href", "#rung-customer-service")
    expect(actions.get_by_role("link", name="Write to the CEO")).to_have_count(0)
    expect(page.locator("#rung-ceo").get_by_role("link", name="Write to the CEO")).to_be_visible()
    start.click()
    expect(page.locator("#rung-customer-service")).to_be_in_viewport()
    page.screenshot(path=screenshots_dir / "first-use-start-here-phone.png")


def test_a_saved_rating_is_confirmed_where_the_user_is(open_page, screenshots_dir):
    page = open_page(**PHONE)
    email, password = RATER
    register(page, email, password)
    log_in(page, email, password)

    page.goto("/companies/microsoft-corporation")
    page.get_by_role("link", name="Rate this company").click()
    page.locator("input[name=stars][value='4']").check()
    page.get_by_role("button", name="Save my rating").click()
    expect(page).to_have_url(re.compile(r"/companies/microsoft-corporation#ratings-title$"))
    confirmation = page.locator(".ratings [role=status]")
    expect(confirmation).to_contain_text("your rating is saved")
    expect(confirmation).to_contain_text("once your email is confirmed")
    expect(confirmation).to_be_in_viewport()
    page.screenshot(path=screenshots_dir / "first-use-rating-saved-phone.png")


def test_long_values_do_not_widen_the_page_on_a_phone(open_page, screenshots_dir):
    page = open_page(**PHONE)
    page.goto("/search?q=" + "x" * 300)
    expect(page.locator("main")).to_be_visible()
    page.screenshot(path=screenshots_dir / "first-use-long-query-phone.png", full_page=True)
    assert page_width(page) <= 390
    page.goto("/companies/cabot-corp")
    expect(page.locator("main")).to_contain_text(CABOT_LONG_URL[:40])
    page.locator("#rung-complaints").screenshot(path=screenshots_dir / "first-use-long-url-phone.png")
    assert page_width(page) <= 390


def test_report_outdated_asks_what_changed(open_page, browser_problems, screenshots_dir):
    page = open_page(**PHONE)
    page.goto("/companies/tesco-plc")
    page.locator(".page-head").get_by_role("link", name="Report outdated").click()
    expect(page.get_by_role("heading", name="Report something as outdated")).to_be_visible()
    note = page.get_by_label("What is out of date?")
    expect(note).to_be_visible()
    page.screenshot(path=screenshots_dir / "first-use-report-form-phone.png", full_page=True)
    browser_problems.expect_status(page.url, 400)  # the empty report is refused, not filed
    page.get_by_role("button", name="Report outdated").click()
    expect(page.get_by_role("heading", name="Report something as outdated")).to_be_visible()
    note.fill("Ken Murphy's title on the register changed last month.")
    page.get_by_role("button", name="Report outdated").click()
    expect(page).to_have_url(re.compile(r"/companies/tesco-plc$"))
    expect(page.locator("main")).to_contain_text("Thank you. A moderator will check this.")


def test_names_as_people_write_them_with_the_legal_name_and_since_dates(open_page, screenshots_dir):
    page = open_page(**PHONE)
    page.goto("/companies/cabot-corp")
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Cabot Corp")
    expect(main.locator("dt:text-is('Legal name') + dd")).to_contain_text("CABOT CORP")
    assert main.inner_text().count("CABOT CORP") == 1
    row = main.locator(".exec-table tr", has_text="Erica McLaughlin")
    expect(row.locator("[data-label=Since]")).to_have_text("1 October 2019")
    page.screenshot(path=screenshots_dir / "first-use-legal-name-since-phone.png", full_page=True)
    main.locator(".exec-table").screenshot(path=screenshots_dir / "first-use-since-dates-phone.png")
    main.locator("dl.facts").last.screenshot(path=screenshots_dir / "first-use-legal-name-phone.png")
    page.goto("/search?q=CABOT+CORP")
    expect(main.get_by_role("link", name="Cabot Corp")).to_be_visible()
