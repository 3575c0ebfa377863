"""What people learn on the phone, in a real browser at phone width: a caller reports the hold
time, when they called and the keys that reached a person, and sees the figures beside the
number; a second account's report (sent with its rating) counts too; the first caller's
withdrawal removes theirs and only theirs."""
from __future__ import annotations

import secrets

import pytest
from playwright.sync_api import expect

from directory import create_app
from directory.extensions import db
from directory.models import utcnow
from tests.community import PASSWORD, make_user

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
COMPANY = "/companies/apple-inc"
CALLERS = ("caller-one-e2e@example.org", "caller-two-e2e@example.org")


@pytest.fixture(scope="module")
def callers(live_server, server_database):
    """Two accounts with confirmed emails: their reports count at once."""
    app = create_app({"SECRET_KEY": secrets.token_urlsafe(32), "SQLALCHEMY_DATABASE_URI": server_database,
                      "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 8})
    with app.app_context():
        for email in CALLERS:
            make_user(email, email_confirmed_at=utcnow())
        db.session.remove()
        db.engine.dispose()
    return CALLERS


def log_in(page, email: str) -> None:
    page.goto("/accounts/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My contributions")).to_be_visible()


def figures(page):
    return page.locator("#rung-customer-service .contact").filter(has_text="(800) 275-2273").locator(".phone-figures")


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_callers_report_hold_time_and_keys_and_see_the_figures(open_page, callers, screenshots_dir):
    first = open_page(**PHONE)
    log_in(first, callers[0])
    first.goto(COMPANY)
    line = first.locator("#rung-customer-service .contact").filter(has_text="(800) 275-2273")
    line.get_by_role("link", name="Report your call").click()
    first.get_by_label("Minutes on hold before a person answered").fill("12")
    first.get_by_label("Day you called").select_option(label="Tuesday")
    first.get_by_label("Time you called (your local time)").select_option(label="09:00 to 10:00")
    first.get_by_label("Keys or words that reached a person").fill("2, then 0")
    first.get_by_role("button", name="Save my report").click()

    shown = figures(first)
    expect(shown).to_contain_text("From 1 caller")
    expect(shown).to_contain_text("Median time on hold: 12 minutes")
    expect(shown).to_contain_text("“2, then 0” (1 person reported it)")
    expect(shown).to_contain_text("09:00 to 10:00 (12 minutes)")
    shown.scroll_into_view_if_needed()
    assert page_width(first) <= 390
    first.screenshot(path=str(screenshots_dir / "phone-reports-390.png"))

    second = open_page(**PHONE)  # another account, reporting through the rating form
    log_in(second, callers[1])
    second.goto(COMPANY)
    second.get_by_role("link", name="Rate this company").click()
    second.get_by_label("3 stars").check()
    second.get_by_label("Which step did you contact?").select_option(label="Customer service")
    second.get_by_label("How?").select_option(label="Phone")
    second.get_by_label("Did you get a reply?").select_option(label="Yes")
    second.get_by_label("Which number did you call?").select_option(label="+1 800 275 2273 (AppleCare support)")
    second.get_by_label("Minutes on hold before a person answered").fill("4")
    second.get_by_label("Keys or words that reached a person").fill("2 then 0")
    second.get_by_role("button", name="Save my rating").click()

    shown = figures(second)
    expect(shown).to_contain_text("From 2 callers")
    expect(shown).to_contain_text("Median time on hold: 8 minutes")
    expect(shown).to_contain_text("(2 people reported it)")

    first.goto(COMPANY)
    first.locator("#rung-customer-service .contact").filter(has_text="(800) 275-2273") \
        .get_by_role("link", name="Report your call").click()
    expect(first.get_by_label("Minutes on hold before a person answered")).to_have_value("12")
    first.get_by_role("button", name="Withdraw my report").click()

    shown = figures(first)
    expect(shown).to_contain_text("From 1 caller")
    expect(shown).to_contain_text("Median time on hold: 4 minutes")
    expect(shown).to_contain_text("“2 then 0” (1 person reported it)")
    expect(shown).not_to_contain_text("09:00 to 10:00")
