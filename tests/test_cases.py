"""My complaints: cases through the real forms, the rules' clocks, the next letter, the
outcome in the company's figures, privacy, bad input, and reminders mailed over real SMTP
(a loopback server) exactly once, also when two runs race."""
from __future__ import annotations

import gzip
import threading
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import delete, func, select

from directory.cases import reminders
from directory.rules.case_clocks import add_months
from directory.clock import today
from directory.cases.privacy import delete_cases, export_cases
from directory.extensions import db
from directory.models import Case, CaseStep, Company, OutcomeReport, User, utcnow
from directory.operations import cases as ops
from tests.community import client_for, form_fields, make_user, post_form, submit
from tests.factories import make_company, make_contact
from tests.smtp_server import SMTPServer

PROBLEM = "The bank charged me twice for one transfer & won't refund it."
WANTED = "Refund the second charge of £250."


@pytest.fixture
def smtp():
    with SMTPServer() as server:
        yield server


@pytest.fixture
def app_config(app_config, smtp):
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port, "MAIL_SECURITY": "none",
            "PUBLIC_URL": "https://ceo.example"}


@pytest.fixture
def directory(app):
    """A UK bank (Financial Ombudsman Service: 8 weeks, then 6 months), a US card issuer
    (CFPB: 15 days), a US carrier (FCC: 30 days), a US retailer (no rule: the ladder's waits)
    and three accounts."""
    with app.app_context():
        bank = make_company("Northern Bank PLC", country="GB", sic_code="64191", former_names=["Northern Savings"])
        db.session.flush()
        bank.former_names[0].used_from = date(1990, 1, 1)
        make_contact(bank, "email", "complaints@northern.example", tier="complaints", label="Complaints team")
        make_company("Coastal Card Corp", country="US", sic_code="6021")
        make_company("Prairie Telephone Co", country="US", sic_code="4813")
        make_company("Acme Widgets Inc.", country="US", sic_code="3571")
        make_user("owner@example.org", email_confirmed_at=utcnow(), display_name="Pat Owner")
        make_user("other@example.org")
        make_user("mod@example.org", role="moderator")
        db.session.commit()


def _open_case(app, slug="northern-bank-plc", email="owner@example.org"):
    browser = client_for(app, email)
    response = submit(browser, f"/cases/new?company={slug}", {"title": "Double charge", "problem": PROBLEM,
                                                               "wanted": WANTED})
    assert response.status_code == 303, response.get_data(as_text=True)
    return browser, response.headers["Location"]


def _add_step(browser, case_url, **fields):
    """The "Add a step" form: the last of the page's forms posting to .../steps."""
    return submit(browser, case_url, fields, action_contains="/steps", index=-1)


def _text(response) -> str:
    """The page's words as a reader sees them (no space before punctuation after a date)."""
    text = " ".join(BeautifulSoup(response.get_data(as_text=True), "lxml").get_text(" ").split())
    return text.replace(" :", ":").replace(" ,", ",").replace(" .", ".")


def _ago(days: int) -> str:
    return (today() - timedelta(days=days)).isoformat()


def test_a_uk_case_counts_the_eight_weeks_from_the_first_complaint(app, directory):
    browser, case_url = _open_case(app)
    assert case_url.startswith("/cases/")
    response = _add_step(browser, case_url, taken_on=_ago(23), rung="customer_service", channel="phone",
                         contact="0800 123 456", reference="REF-1")
    assert response.status_code == 303
    _add_step(browser, case_url, taken_on=_ago(10), rung="complaints", channel="email", contact_id="1")
    page = _text(browser.get(case_url))
    deadline = today() - timedelta(days=23) + timedelta(weeks=8)
    assert f"Final response due {deadline.day} {deadline:%B %Y}: Day 23 of 56" in page
    assert "Financial Ombudsman Service" in page
    assert "complaints@northern.example" in page  # the contact picked from the company's ladder
    assert "Double charge" in _text(browser.get("/cases/"))


def test_a_final_response_starts_the_ombudsmans_own_time_limit(app, directory):
    browser, case_url = _open_case(app)
    _add_step(browser, case_url, taken_on=_ago(40), rung="complaints", channel="letter",
              response="We will not refund.", response_on=_ago(5), final_response="y")
    page = _text(browser.get(case_url))
    limit = add_months(today() - timedelta(days=5), 6)
    length = (limit - (today() - timedelta(days=5))).days
    assert f"Refer it to Financial Ombudsman Service by {limit.day} {limit:%B %Y}: Day 5 of {length}" in page
    assert "Final response due" not in page


def test_recording_the_answer_stops_the_clock(app, directory):
    browser, case_url = _open_case(app, "acme-widgets-inc")
    _add_step(browser, case_url, taken_on=_ago(6), rung="ceo", channel="letter")
    with app.app_context():
        step_id = db.session.scalar(select(CaseStep.id))
    too_early = submit(browser, case_url, {f"step{step_id}-response": "Sorry.", f"step{step_id}-response_on": _ago(8)},
                       action_contains="/response", follow_redirects=True)
    assert "The answer cannot come before the step it answers." in _text(too_early)
    assert "Day 6 of 7" in _text(too_early)
    answered = submit(browser, case_url, {f"step{step_id}-response": "We are sending a replacement.",
                                          f"step{step_id}-response_on": _ago(1)},
                      action_contains="/response", follow_redirects=True)
    page = _text(answered)
    assert "Answered" in page and "We are sending a replacement." in page
    assert "Day 6 of 7" not in page and "Deadlines" not in page


@pytest.mark.parametrize("slug, rung, expected", [
    ("coastal-card-corp", "regulator", "Company's response due 15"),  # CFPB
    ("prairie-telephone-co", "regulator", "Company's response due 30"),  # FCC
    ("acme-widgets-inc", "customer_service", "Answer expected by 7"),  # the ladder's default wait
    ("acme-widgets-inc", "complaints", "Answer expected by 14"),
])
def test_us_clocks_use_the_regulators_response_time_or_the_ladders_wait(app, directory, slug, rung, expected):
    browser, case_url = _open_case(app, slug)
    _add_step(browser, case_url, taken_on=_ago(3), rung=rung, channel="web_form")
    page = _text(browser.get(case_url))
    label, length = expected.rsplit(" ", 1)
    assert label in page and f"Day 3 of {length}" in page


def test_months_end_on_the_last_day_of_a_shorter_month():
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 15), 12) == date(2027, 11, 15)


def test_after_a_uk_final_response_the_next_letter_goes_to_the_ombudsman(app, directory):
    browser, case_url = _open_case(app)
    _add_step(browser, case_url, taken_on=_ago(30), rung="complaints", channel="letter",
              response="Final response: no refund.", response_on=_ago(2), final_response="y")
    assert "Write the next letter: regulator or ombudsman" in _text(browser.get(case_url))
    case_id = case_url.rsplit("/", 1)[1]
    composer = BeautifulSoup(browser.get(f"/companies/northern-bank-plc/write?case={case_id}").get_data(as_text=True),
                             "lxml")
    assert composer.select_one("select[name=letter] option[selected]")["value"] == "ombudsman_referral"
    assert "Financial Ombudsman Service" in composer.select_one("#letter-preview .letter-recipient").get_text()


@pytest.mark.parametrize("fields, message", [
    ({"taken_on": (date.today() + timedelta(days=2)).isoformat()}, "That date is in the future."),
    ({"taken_on": "1985-06-01"}, "before Northern Bank PLC existed"),
    ({"response": "No.", "response_on": _ago(30)}, "The answer cannot come before the step it answers."),
    ({"response": "No."}, "Give the date their answer came."),
    ({"contact_id": "999"}, "That contact is not on this company's ladder."),
])
def test_bad_steps_are_refused_with_a_reason_and_nothing_is_saved(app, directory, fields, message):
    browser, case_url = _open_case(app)
    response = _add_step(browser, case_url, **{"taken_on": _ago(10), "rung": "complaints", "channel": "email", **fields})
    assert response.status_code == 400
    assert message in _text(response)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CaseStep)) == 0


def test_a_closed_case_takes_no_more_steps(app, directory):
    browser, case_url = _open_case(app)
    _add_step(browser, case_url, taken_on=_ago(10), rung="complaints", channel="email")
    action, values = form_fields(browser.get(case_url).get_data(as_text=True), action_contains="/steps", index=-1)
    assert submit(browser, case_url, {"close-resolved": "no", "close-rung": "complaints"}, action_contains="/close").status_code == 303
    late = post_form(browser, action, values, {"taken_on": _ago(1)})
    assert late.status_code == 404 or "This case is closed" in _text(late)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CaseStep)) == 1
        case = db.session.scalar(select(Case))
        with pytest.raises(ops.CaseError, match="closed"):
            ops.add_step(case, taken_on=today(), rung="ceo", channel="email", today=today())


class TestRateLimit:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "RATELIMIT_ENABLED": True, "RATELIMIT_CASES": "2/hour"}

    def test_case_writes_are_rate_limited_per_account(self, app, directory):
        browser, case_url = _open_case(app)
        for days in (9, 8):
            assert _add_step(browser, case_url, taken_on=_ago(days), rung="complaints", channel="email").status_code == 303
        assert _add_step(browser, case_url, taken_on=_ago(7), rung="complaints", channel="email").status_code == 429
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(CaseStep)) == 2


def test_a_case_is_its_owners_alone(app, directory, client):
    browser, case_url = _open_case(app)
    _add_step(browser, case_url, taken_on=_ago(10), rung="complaints", channel="email")
    case_id = case_url.rsplit("/", 1)[1]
    private_urls = [case_url, f"{case_url}/calendar.ics", f"/companies/northern-bank-plc/write?case={case_id}"]
    for visitor in (client, client_for(app, "other@example.org"), client_for(app, "mod@example.org")):
        for url in private_urls:
            assert visitor.get(url).status_code == 404, url
        assert visitor.post(f"{case_url}/steps", data={}).status_code in (400, 404)
    other = client_for(app, "other@example.org")
    action, values = form_fields(browser.get(case_url).get_data(as_text=True), action_contains="/steps", index=-1)
    assert post_form(other, action, {**values, "csrf_token": _csrf(other)}).status_code == 404
    assert client.get("/cases/").status_code == 302  # the list asks anonymous visitors to log in
    assert "log in" in _text(client.get(case_url))  # the owner, logged out, following a reminder's link
    assert PROBLEM not in other.get("/cases/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CaseStep)) == 1


def _csrf(browser) -> str:
    _, values = form_fields(browser.get("/cases/").get_data(as_text=True))
    return values["csrf_token"]


@pytest.mark.parametrize("fields", [{"title": "<script>alert(1)</script>"}, {"problem": "x" * 5001},
                                    {"title": ""}])
def test_a_case_with_markup_or_too_much_text_is_refused(app, directory, fields):
    browser = client_for(app, "owner@example.org")
    response = submit(browser, "/cases/new?company=northern-bank-plc",
                      {"title": "Double charge", "problem": PROBLEM, "wanted": WANTED, **fields})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_the_next_letter_is_prefilled_and_sending_it_adds_the_step(app, directory):
    browser, case_url = _open_case(app)
    _add_step(browser, case_url, taken_on=_ago(20), rung="complaints", channel="email", reference="NB-77")
    case_page = browser.get(case_url).get_data(as_text=True)
    link = BeautifulSoup(case_page, "lxml").select_one(".case-next a")["href"]
    assert "Write the next letter: formal complaints" in _text(browser.get(case_url))  # UK: ask for the deadlock letter
    composer = browser.get(link)
    assert composer.status_code == 200
    soup = BeautifulSoup(composer.get_data(as_text=True), "lxml")
    assert soup.find("textarea", attrs={"name": "what_happened"}).get_text().lstrip("\r\n") == PROBLEM
    assert soup.find("input", attrs={"name": "references"})["value"] == "NB-77"
    assert soup.select_one("select[name=letter] option[selected]")["value"] == "deadlock_request"
    assert "Request for a final response" in _text(composer)
    assert soup.find("input", attrs={"name": "your_name"})["value"] == "Pat Owner"
    assert PROBLEM in soup.select_one("#letter-preview").get_text()
    sent = submit(browser, link, {"channel": "letter"}, action_contains="/sent")
    assert sent.status_code == 303
    with app.app_context():
        step = db.session.scalars(select(CaseStep).order_by(CaseStep.id.desc())).first()
        assert (step.rung, step.channel, step.letter, step.taken_on) == ("complaints", "letter", "deadlock_request", today())
    assert "Write the next letter: executive office" in _text(browser.get(case_url))


def test_closing_reports_the_outcome_once_in_the_companys_figures(app, directory, client):
    browser, case_url = _open_case(app)
    _add_step(browser, case_url, taken_on=_ago(20), rung="complaints", channel="email",
              response="Refunded.", response_on=_ago(16))
    closed = submit(browser, case_url, {"close-resolved": "yes", "close-rung": "complaints"}, action_contains="/close")
    assert closed.status_code == 303
    with app.app_context():
        reports = db.session.scalars(select(OutcomeReport)).all()
        assert [(r.rung, r.channel, r.got_reply, r.days_to_reply, r.resolved, r.rating_id) for r in reports] == [
            ("complaints", "email", True, 4, True, None)]
    rows = [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])] for tr in BeautifulSoup(
        client.get("/companies/northern-bank-plc").get_data(as_text=True), "lxml").select(".outcome-table tbody tr")]
    assert rows == [["Formal complaints", "1", "1 (100%)", "4.0", "1"]]
    # A second case closed at the same rung updates the account's report instead of adding one.
    browser, second = _open_case(app)
    submit(browser, second, {"close-resolved": "no", "close-rung": "complaints"}, action_contains="/close")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutcomeReport)) == 1
        assert db.session.scalar(select(OutcomeReport.resolved)) is False


def test_cases_stay_private_exported_with_the_account_and_deleted_with_it(app, directory, client, runner, tmp_path):
    browser, case_url = _open_case(app)
    _add_step(browser, case_url, taken_on=_ago(5), rung="complaints", channel="email", reference="NB-77")
    assert PROBLEM not in client.get("/api/v1/companies/northern-bank-plc").get_data(as_text=True)
    assert PROBLEM not in client.get("/companies/northern-bank-plc").get_data(as_text=True)
    snapshot = tmp_path / "snapshot.jsonl.gz"
    assert runner.invoke(args=["export", str(snapshot)]).exit_code == 0
    assert b"NB-77" not in gzip.decompress(snapshot.read_bytes())
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == "owner@example.org"))
        exported = export_cases(owner)
        assert [(c["title"], c["problem"], c["steps"][0]["reference"]) for c in exported] == [
            ("Double charge", PROBLEM, "NB-77")]
        assert export_cases(db.session.scalar(select(User).where(User.email == "other@example.org"))) == []
        _open_case(app)
        assert delete_cases(owner) == 2
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(CaseStep)) == 0
    _open_case(app)
    with app.app_context():  # deleting the account row itself cascades too
        db.session.execute(delete(User).where(User.email == "owner@example.org"))
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_the_deadlines_download_as_a_calendar_file(app, directory):
    browser, case_url = _open_case(app)
    _add_step(browser, case_url, taken_on=_ago(3), rung="complaints", channel="email")
    response = browser.get(f"{case_url}/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "private" in response.headers["Cache-Control"]
    body = response.get_data(as_text=True)
    deadline = today() - timedelta(days=3) + timedelta(weeks=8)
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert f"DTSTART;VALUE=DATE:{deadline:%Y%m%d}\r\n" in body
    assert "SUMMARY:Final response due: Northern Bank PLC (Double charge)" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def _case_with_deadline(app, days_ago=60, **case_fields):
    """A UK case whose 8 weeks ran out two days before today."""
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == "owner@example.org"))
        bank = db.session.scalar(select(Company).where(Company.slug == "northern-bank-plc"))
        case = ops.open_case(owner, bank, title="Double charge", problem=PROBLEM, wanted=WANTED)
        for field, value in case_fields.items():
            setattr(case, field, value)
        ops.add_step(case, taken_on=today() - timedelta(days=days_ago), rung="complaints", channel="email",
                     today=today())
        db.session.commit()
        return case.id


def test_the_reminder_is_mailed_once_with_the_next_letter(app, directory, runner, smtp):
    case_id = _case_with_deadline(app)
    deadline = today() - timedelta(days=60) + timedelta(weeks=8)
    before = runner.invoke(args=["cases", "remind", "--today", (deadline - timedelta(days=1)).isoformat()])
    assert (before.exit_code, smtp.messages) == (0, [])
    first = runner.invoke(args=["cases", "remind", "--today", deadline.isoformat()])
    again = runner.invoke(args=["cases", "remind", "--today", (deadline + timedelta(days=1)).isoformat()])
    assert "1 reminder(s) sent" in first.output and "0 reminder(s) sent" in again.output
    [message] = smtp.messages
    assert message["To"] == "owner@example.org"
    assert message["Subject"] == "Deadline reached: your complaint to Northern Bank PLC"
    body = message.get_content()
    assert "Final response due" in body and "day 56 of 56" in body
    assert "Next step: regulator or ombudsman." in body
    assert f"https://ceo.example/companies/northern-bank-plc/write?case={case_id}" in body
    assert PROBLEM not in body  # the mail names the case, it does not repeat its text


@pytest.mark.parametrize("opt_out", ["case", "account"])
def test_no_reminder_after_opting_out(app, directory, runner, smtp, opt_out):
    case_id = _case_with_deadline(app)
    browser = client_for(app, "owner@example.org")
    url = f"/cases/{case_id}" if opt_out == "case" else "/cases/"
    assert submit(browser, url, {"reminders": "off"}, action_contains="reminders").status_code == 303
    assert runner.invoke(args=["cases", "remind"]).exit_code == 0
    assert smtp.messages == []


def test_a_failed_mail_is_retried_by_the_next_run(app, directory, runner, smtp):
    _case_with_deadline(app)
    app.config["MAIL_PORT"] = 1  # nothing listens there
    assert runner.invoke(args=["cases", "remind"]).exit_code == 1
    app.config["MAIL_PORT"] = smtp.port
    assert runner.invoke(args=["cases", "remind"]).exit_code == 0
    assert len(smtp.messages) == 1


def test_two_runs_at_once_mail_the_reminder_exactly_once(app, directory, smtp, monkeypatch):
    """Both runs find the deadline due before either claims it; the conditional UPDATE lets
    exactly one of them mail it."""
    _case_with_deadline(app)
    both_looked = threading.Barrier(2, timeout=20)
    original = reminders.due_reminders

    def look_then_wait(on):
        found = original(on)
        both_looked.wait()
        return found

    monkeypatch.setattr(reminders, "due_reminders", look_then_wait)
    results, errors = [], []

    def run():
        try:
            with app.app_context():
                results.append(reminders.send_reminders(today()))
        except Exception as error:  # noqa: BLE001 (any error fails the assertion below)
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(results) == [(0, 0), (1, 0)]
    assert len(smtp.messages) == 1
    with app.app_context():
        assert db.session.scalar(select(CaseStep.reminded_for)) == today() - timedelta(days=60) + timedelta(weeks=8)


def test_moving_up_a_step_stops_the_lower_rungs_clock(app, directory):
    """The wait for customer service belongs to that step: once the consumer wrote to the CEO,
    "Day 21 of 7, deadline reached" is no longer shown; the CEO's own wait is."""
    browser, case_url = _open_case(app, "acme-widgets-inc")
    _add_step(browser, case_url, taken_on=_ago(21), rung="customer_service", channel="phone")
    assert "Day 21 of 7" in _text(browser.get(case_url))
    _add_step(browser, case_url, taken_on=_ago(2), rung="ceo", channel="letter")
    page = _text(browser.get(case_url))
    assert "Day 21 of 7" not in page and "deadline reached" not in page
    assert "Day 2 of 7" in page
    assert "Day 21" not in _text(browser.get("/cases/"))
