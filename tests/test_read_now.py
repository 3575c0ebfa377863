"""A company known only from SEC's listing: its page says what is known and what is not, and
"Read this company now" queues one on-demand EDGAR import, against a loopback EDGAR."""
from __future__ import annotations

import threading
import time
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, update

from directory.extensions import db
from directory.models import CompanyReadRequest, Identifier, Source
from directory.refresh import read_requests
from tests.community import form_fields
from tests.factories import make_company
from tests.html import visible_text

APPLE = "/companies/apple-inc"


@pytest.fixture
def app_config(app_config, mirror):
    # The mirror's captures are from 2023: a look-back long enough to reach Tim Cook's Form 4.
    return {**app_config, "SEC_WWW_URL": mirror.www_url, "SEC_DATA_URL": mirror.data_url,
            "SEC_LOOKBACK_DAYS": (date.today() - date(2022, 1, 1)).days, "SEC_PRESS_RELEASES": 0,
            "SEC_REQUESTS_PER_SECOND": 10.0, "SEC_READ_IN_BACKGROUND": False}


def listed(name: str, cik: str, *tickers: tuple[str, str]):
    """A company as SEC's listed-company file gives it: a name, a CIK, tickers on an exchange."""
    listing = Source(kind="sec_filing", url="https://www.sec.gov/files/company_tickers_exchange.json",
                     title="SEC company tickers and exchanges",
                     retrieved_at=datetime(2026, 12, 1, tzinfo=timezone.utc))
    company = make_company(name, country="US")
    company.identifiers.append(Identifier(scheme="cik", value=cik, source=listing))
    for ticker, exchange in tickers:
        company.identifiers.append(Identifier(scheme="ticker", value=ticker, exchange=exchange, source=listing))
    return company


@pytest.fixture
def apple(app):
    with app.app_context():
        listed("Apple Inc.", "0000320193", ("AAPL", "Nasdaq"))
        listed("Tesla, Inc.", "0001318605", ("TSLA", "Nasdaq"))
        listed("Microsoft Corp", "0000789019", ("MSFT", "Nasdaq"))
        db.session.commit()


def read_now(client, path=APPLE, **headers):
    action, values = form_fields(client.get(path).get_data(as_text=True), action_contains="/read-now")
    return client.post(action, data=values, headers=headers or None)


def csrf_of(client) -> dict:
    """A valid form token for this client, from a company page that still offers the button."""
    return form_fields(client.get("/companies/tesla-inc").get_data(as_text=True), action_contains="/read-now")[1]


def requests_made(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CompanyReadRequest))


def test_a_listed_company_says_what_is_known_and_what_is_not(client, apple):
    response = client.get(APPLE)
    text = visible_text(response.get_data(as_text=True))
    assert "What we know so far" in text
    assert "Ticker: AAPL" in text and "Exchange: Nasdaq" in text and "SEC CIK: 0000320193" in text
    assert "Not known yet: its executives, its office address and its contacts" in text
    page = response.get_data(as_text=True)
    assert 'href="https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&amp;CIK=0000320193"' in page
    assert "Propose the CEO" in text and "/contribute/suggest/new_ceo/" in page
    assert "Read this company now" in text
    assert 'http-equiv="refresh"' not in page


def test_read_now_is_queued_once_a_day_and_the_page_shows_the_executives_after_the_run(app, client, apple, mirror):
    response = read_now(client)
    assert response.status_code == 303
    page = client.get(APPLE).get_data(as_text=True)
    assert "Reading from SEC EDGAR now — reload this page in a minute" in visible_text(page)
    assert 'http-equiv="refresh"' in page  # it reloads itself without JavaScript
    assert "Read this company now" not in page  # no second click offered ...
    other = app.test_client()  # ... and a second visitor's click the same day queues nothing
    assert other.post(f"{APPLE}/read-now", data=csrf_of(other)).status_code == 303
    assert requests_made(app) == 1
    assert not mirror.requests  # nothing read from SEC while the page was served

    with app.app_context():
        assert read_requests.drain() == 1
    text = visible_text(client.get(APPLE).get_data(as_text=True))
    assert "Timothy D. Cook" in text or "Tim Cook" in text
    assert "Read from SEC EDGAR on" in text
    assert "What we know so far" not in text
    assert any(r.path.endswith("CIK0000320193.json") for r in mirror.requests)
    with app.app_context():
        assert read_requests.drain() == 0  # done: a second worker finds nothing to run
        assert db.session.scalar(select(CompanyReadRequest.status)) == "done"


def test_a_click_after_the_read_the_same_day_queues_nothing(app, client, apple):
    read_now(client)
    with app.app_context():
        read_requests.drain()
    page = client.get(APPLE).get_data(as_text=True)
    assert "/read-now" not in page
    client.post(f"{APPLE}/read-now", data=csrf_of(client))  # a crafted second request for Apple
    assert requests_made(app) == 1


def test_one_worker_claims_a_request(app, client, apple):
    read_now(client)
    with app.app_context():
        first = read_requests.claim_next()
        assert first is not None
        assert read_requests.claim_next() is None  # the other worker finds it taken


def test_read_now_is_rate_limited_per_visitor(app, client, apple):
    app.config["RATELIMIT_READ_NOW"] = "2/hour"
    assert read_now(client, APPLE).status_code == 303
    assert read_now(client, "/companies/tesla-inc").status_code == 303
    assert read_now(client, "/companies/microsoft-corp").status_code == 429
    assert requests_made(app) == 2


def test_read_now_is_rate_limited_for_every_visitor_together(app, apple):
    app.config["RATELIMIT_READ_NOW_ALL"] = "1/hour"
    first, second = app.test_client(), app.test_client()
    assert first.post(f"{APPLE}/read-now", environ_base={"REMOTE_ADDR": "198.51.100.1"},
                      data=csrf_of(first)).status_code == 303
    response = second.post("/companies/tesla-inc/read-now", environ_base={"REMOTE_ADDR": "198.51.100.2"},
                           data=csrf_of(second))
    assert response.status_code == 429
    assert requests_made(app) == 1


def test_offline_the_page_says_it_is_a_snapshot_and_how_to_load_live_data(app, client, apple):
    app.config["SEC_USER_AGENT"] = None
    page = client.get(APPLE).get_data(as_text=True)
    text = visible_text(page)
    assert "Read this company now" not in text
    assert "This directory is a snapshot of 1 December 2026" in text
    assert "flask refresh" in text and "SEC_USER_AGENT" in text
    assert client.post(f"{APPLE}/read-now", data={}).status_code in (400, 404)  # no form, and no queue
    assert requests_made(app) == 0


def test_a_read_that_fails_says_so_in_words(app, client, apple, mirror):
    from tests.edgar_server import Scripted
    mirror.script("/data/submissions/CIK0000320193.json", *[Scripted(500)] * 10)  # SEC is down
    read_now(client)
    with app.app_context():
        read_requests.drain()
        assert db.session.scalar(select(CompanyReadRequest.status)) == "failed"
    text = visible_text(client.get(APPLE).get_data(as_text=True))
    assert "We could not read this company from SEC EDGAR today" in text
    assert "Read this company now" not in text  # once a day, even when it failed


def test_the_web_process_runs_the_queue_in_a_background_thread(app, client, apple):
    app.config["SEC_READ_IN_BACKGROUND"] = True
    read_now(client)
    deadline = time.monotonic() + 120  # a bound for a slow machine, not a timing under test
    while time.monotonic() < deadline and requests_in(app, "queued", "running"):
        time.sleep(0.2)
    read_requests._worker.join(timeout=30)  # let it finish before the test's database goes
    text = visible_text(client.get(APPLE).get_data(as_text=True))
    assert "Read from SEC EDGAR on" in text
    assert "Cook" in text


def test_a_claim_left_by_a_worker_that_died_is_taken_again(app, client, apple):
    read_now(client)
    with app.app_context():
        request_id = read_requests.claim_next()
        db.session.execute(update(CompanyReadRequest).values(
            claimed_at=datetime.now(timezone.utc) - read_requests.STALE_CLAIM - timedelta(minutes=1)))
        db.session.commit()
        assert read_requests.claim_next() == request_id


def requests_in(app, *statuses) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CompanyReadRequest)
                                 .where(CompanyReadRequest.status.in_(statuses)))


def test_two_workers_reaching_for_one_request_at_once_run_it_once(app, client, apple):
    read_now(client)
    barrier, won = threading.Barrier(2), []

    def worker():
        with app.app_context():
            barrier.wait()
            won.append(read_requests.claim_next())
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(won, key=str) == sorted([None, requests_in_ids(app)[0]], key=str)


def requests_in_ids(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(CompanyReadRequest.id)))


def test_flask_refresh_runs_the_requests_the_web_process_left_waiting(app, client, apple, runner):
    read_now(client)  # SEC_READ_IN_BACKGROUND is off here: nothing runs it in the web process
    result = runner.invoke(args=["refresh", "--only", "read_requests"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Read requests: 1 companies read from SEC EDGAR." in result.output
    assert "Cook" in visible_text(client.get(APPLE).get_data(as_text=True))
