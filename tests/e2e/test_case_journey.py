"""My complaints in a real browser at phone width: open a case from the company page, add a
step and see the clock, get the reminder (a real `flask cases remind --today ...` mailing a
loopback SMTP server), follow its link to the next letter pre-filled from the case, mark it
sent, and close with an outcome that appears in the company's figures."""
from __future__ import annotations

import os
import re
import secrets
import subprocess
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from directory import create_app
from directory.clock import today
from directory.extensions import db
from directory.models import utcnow
from tests.community import PASSWORD, make_user
from tests.conftest import REPO
from tests.smtp_server import SMTPServer

from .conftest import BIN

EMAIL = "consumer-e2e@example.org"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "device_scale_factor": 1}


@pytest.fixture(scope="module")
def consumer(live_server, server_database):
    """An account with a confirmed email, so its outcome counts in the company's figures."""
    app = create_app({"SECRET_KEY": secrets.token_urlsafe(32), "SQLALCHEMY_DATABASE_URI": server_database,
                      "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 8})
    with app.app_context():
        make_user(EMAIL, email_confirmed_at=utcnow(), display_name="Casey Consumer")
        db.session.remove()
        db.engine.dispose()
    return EMAIL


def remind(live_server, server_database, smtp, on) -> str:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("FLASK_", "DIRECTORY_"))}
    env.update(DATABASE_URL=server_database, SECRET_KEY=secrets.token_urlsafe(32), PUBLIC_URL=live_server,
               MAIL_SERVER="127.0.0.1", MAIL_PORT=str(smtp.port), DIRECTORY_MAIL_SERVER="127.0.0.1",
               DIRECTORY_MAIL_PORT=str(smtp.port), MAIL_SECURITY="none")
    result = subprocess.run([str(BIN / "flask"), "--app", "directory", "cases", "remind", "--today", on.isoformat()],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def log_in(page, email: str) -> None:
    page.goto("/accounts/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My contributions")).to_be_visible()


def test_a_complaint_from_first_step_to_outcome(open_page, live_server, server_database, consumer, screenshots_dir):
    page = open_page(**PHONE)
    log_in(page, consumer)

    page.goto("/companies/tesco-plc")
    page.get_by_role("link", name="Track my complaint").click()
    page.get_by_label("A short title").fill("Spoiled delivery")
    page.get_by_label("What went wrong").fill("Half the grocery delivery arrived spoiled.")
    page.get_by_label("What you want them to do").fill("A refund of £42.")
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_role("heading", name="Spoiled delivery")).to_be_visible()

    first_complaint = today() - timedelta(days=23)
    page.get_by_label("When").fill(first_complaint.isoformat())
    page.get_by_label("Which step of the ladder").select_option("complaints")
    page.get_by_label("How", exact=True).select_option("email")
    page.get_by_label("Reference number").fill("TS-4242")
    page.get_by_role("button", name="Add the step").click()
    clock = page.locator(".case-clock").first
    expect(clock).to_contain_text("Final response due")
    expect(clock).to_contain_text("Day 23 of 56")
    page.screenshot(path=screenshots_dir / "case-phone.png", full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")

    deadline = first_complaint + timedelta(weeks=8)
    with SMTPServer() as smtp:
        assert "0 reminder(s) sent" in remind(live_server, server_database, smtp, deadline - timedelta(days=1))
        assert "1 reminder(s) sent" in remind(live_server, server_database, smtp, deadline)
        assert "0 reminder(s) sent" in remind(live_server, server_database, smtp, deadline)
        [message] = smtp.messages
    assert message["To"] == consumer
    letter_link = re.search(r"http://\S+/write\?case=\d+", message.get_content()).group(0)

    page.goto(letter_link)
    expect(page.locator("[name=what_happened]")).to_have_value("Half the grocery delivery arrived spoiled.")
    expect(page.locator("[name=references]")).to_have_value("TS-4242")
    expect(page.locator("#letter-preview")).to_contain_text("A refund of £42.")
    page.screenshot(path=screenshots_dir / "case-letter-phone.png", full_page=True)
    page.get_by_label("Sent by").select_option("letter")
    page.get_by_role("button", name="I have sent this letter: add it to my case").click()
    expect(page.locator(".flashes")).to_contain_text("added to your case")
    expect(page.locator(".case-steps li")).to_have_count(2)

    page.get_by_label("Yes").check()
    page.get_by_label("At which step did it end?").select_option("complaints")
    page.get_by_role("button", name="Close the case").click()
    expect(page.locator(".flashes")).to_contain_text("Its outcome now counts")

    page.goto("/companies/tesco-plc")
    row = page.locator(".outcome-table tbody tr").filter(has_text="Formal complaints")
    expect(row.locator("td").first).to_have_text("1")


def test_the_case_pages_have_no_serious_accessibility_violations(open_page, consumer, axe_source):
    page = open_page(bypass_csp=True)  # axe is injected, which the CSP rightly forbids
    log_in(page, consumer)
    page.goto("/cases/new?company=apple-inc")
    page.get_by_label("A short title").fill("Broken screen")
    page.get_by_label("What went wrong").fill("The screen died after two days.")
    page.get_by_label("What you want them to do").fill("A replacement.")
    page.get_by_role("button", name="Open the case").click()
    page.get_by_label("Reference number").fill("AC-1")
    page.get_by_role("button", name="Add the step").click()
    for path in (page.url.split("#")[0], "/cases/"):
        assert page.goto(path).status == 200
        page.add_script_tag(content=axe_source)
        results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        blocking = [f"{v['id']}: {v['help']}" for v in results["violations"] if v["impact"] in ("serious", "critical")]
        assert not blocking, (path, blocking)
