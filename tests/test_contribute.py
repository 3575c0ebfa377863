"""Suggestions through the real forms: preview, send, pending until approved, anti-abuse."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.models import Company, Contribution, Flag
from tests.community import (
    PASSWORD,
    client_for,
    log_in,
    make_user,
    submit,
    suggest_and_send,
)
from tests.factories import make_company, make_contact


@pytest.fixture
def acme(app):
    with app.app_context():
        company = make_company("Acme Widgets Inc.", ticker="ACME", ceo="Wile Coyote", city="Phoenix", region="AZ",
                               website="https://acme.example", phone="+1 555 0100")
        make_contact(company, "email", "help@acme.example")
        make_user("contributor@example.org")
        make_user("mod@example.org", role="moderator")
        make_user("mod2@example.org", role="moderator")
        db.session.commit()
        return company.id


def company_url(client, slug="acme-widgets-inc"):
    return client.get(f"/companies/{slug}").get_data(as_text=True)


def test_company_page_offers_suggest_report_and_history(client, acme):
    page = company_url(client)
    assert f"/contribute/company/{acme}" in page
    assert f"/contribute/report/company/{acme}" in page
    assert f"/history/company/{acme}" in page


def test_suggestion_shows_a_preview_diff_and_stays_pending(app, client, acme):
    log_in(client, "contributor@example.org")
    response, preview = suggest_and_send(client, f"/contribute/suggest/company/{acme}", {
        "phone": "+1 555 0199", "evidence_url": "https://acme.example/contact"})
    assert "+1 555 0100" in preview and "+1 555 0199" in preview  # current and proposed, side by side
    assert response.status_code == 302

    mine = client.get("/accounts/mine").get_data(as_text=True)
    assert "Pending" in mine and "+1 555 0199" in mine
    assert "+1 555 0199" not in company_url(app.test_client())  # the public page keeps the accepted value
    with app.app_context():
        contribution = db.session.scalar(select(Contribution))
        assert contribution.proposed == {"phone": "+1 555 0199"}
        assert contribution.current["phone"] == "+1 555 0100"
        assert contribution.author_ip and "127.0.0.1" not in contribution.author_ip


def test_errors_re_render_with_everything_typed(client, acme):
    log_in(client, "contributor@example.org")
    response = submit(client, f"/contribute/suggest/company/{acme}", {
        "website": "javascript:alert(1)", "phone": "+1 555 0199", "note": "I called them <b>today</b>",
        "action": "preview"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "starting with https://" in html
    assert "HTML is not accepted" in html
    assert 'value="+1 555 0199"' in html
    assert "I called them &lt;b&gt;today&lt;/b&gt;" in html  # kept, and escaped


def test_evidence_is_required(client, acme):
    log_in(client, "contributor@example.org")
    response = submit(client, f"/contribute/suggest/company/{acme}", {"phone": "+1 555 0199", "action": "preview"})
    assert "Give a link to your evidence" in response.get_data(as_text=True)


def test_nothing_changed_is_refused(client, acme):
    log_in(client, "contributor@example.org")
    response = submit(client, f"/contribute/suggest/company/{acme}", {"note": "looks right", "action": "preview"})
    assert "Nothing would change" in response.get_data(as_text=True)


def test_visitors_must_log_in_to_suggest(client, acme):
    response = client.get(f"/contribute/suggest/company/{acme}")
    assert response.status_code == 302 and "/accounts/login" in response.location


def test_honeypot_stores_nothing(app, client, acme):
    log_in(client, "contributor@example.org")
    response = submit(client, f"/contribute/suggest/company/{acme}", {
        "phone": "+1 555 0199", "note": "called them", "homepage": "http://spam.example", "action": "send"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Contribution)) is None


def test_visitor_reports_outdated_with_what_changed(app, client, acme):
    page = company_url(client)
    assert f'href="/contribute/report/company/{acme}"' in page  # a link to the form, not a one-click post
    empty = submit(client, f"/contribute/report/company/{acme}", {"note": ""})
    assert empty.status_code == 400 and "Say what is out of date" in empty.get_data(as_text=True)
    response = submit(client, f"/contribute/report/company/{acme}", {"note": "They moved to Austin"})
    assert "A moderator will check this" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        flag = db.session.scalar(select(Flag))
        assert (flag.entity_type, flag.entity_id, flag.status, flag.author_id, flag.note) == (
            "company", acme, "pending", None, "They moved to Austin")


def test_report_outdated_with_a_note_and_its_rate_limit(app, client, acme):
    app.config["RATELIMIT_REPORT"] = "3/hour"
    url = f"/contribute/report/company/{acme}?field=phone"
    for _ in range(3):
        assert submit(client, url, {"note": "number disconnected"}).status_code == 302
    blocked = submit(client, url, {"note": "number disconnected"})
    assert blocked.status_code == 429
    assert "Too many requests" in blocked.get_data(as_text=True)
    with app.app_context():
        flags = db.session.scalars(select(Flag)).all()
        assert len(flags) == 3 and flags[0].field == "phone" and flags[0].note == "number disconnected"


def test_suggestions_are_rate_limited_per_account(app, client, acme):
    app.config["RATELIMIT_SUGGEST"] = "2/hour"
    log_in(client, "contributor@example.org")
    for number in ("0101", "0102"):
        response, _ = suggest_and_send(client, f"/contribute/suggest/company/{acme}",
                                       {"phone": f"+1 555 {number}", "note": "called"})
        assert response.status_code == 302
    blocked, _ = suggest_and_send(client, f"/contribute/suggest/company/{acme}", {"phone": "+1 555 0103", "note": "x"})
    assert blocked.status_code == 429


def test_propose_a_new_company(app, client, acme):
    log_in(client, "contributor@example.org")
    response, preview = suggest_and_send(client, "/contribute/new-company", {
        "name": "Roadrunner Logistics Ltd", "country": "gb", "evidence_url": "https://roadrunner.example"})
    assert response.status_code == 302 and "Roadrunner Logistics Ltd" in preview
    mod = client_for(app, "mod@example.org")
    with app.app_context():
        item_id = db.session.scalar(select(Contribution.id))
    assert submit(mod, f"/moderate/contributions/{item_id}", {"action": "approve"}).status_code == 302
    page = mod.get("/companies/roadrunner-logistics-ltd")
    assert page.status_code == 200 and "United Kingdom" in page.get_data(as_text=True)


def test_mark_a_contact_as_bouncing(app, client, acme):
    with app.app_context():
        contact_id = db.session.scalar(select(Company).where(Company.id == acme)).contacts[0].id
    log_in(client, "contributor@example.org")
    response, preview = suggest_and_send(client, f"/contribute/suggest/contact/{contact_id}", {
        "status": "bounced", "note": "My email came back undeliverable on Monday."})
    assert response.status_code == 302 and "bounced" in preview
    mod = client_for(app, "mod@example.org")
    with app.app_context():
        item_id = db.session.scalar(select(Contribution.id))
    submit(mod, f"/moderate/contributions/{item_id}", {"action": "approve"})
    assert "reported bouncing" in company_url(client)


def test_paused_contributor_cannot_suggest(app, client, acme):
    from datetime import timedelta

    from directory.models import User, utcnow
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "contributor@example.org"))
        user.paused_until = utcnow() + timedelta(days=3)
        db.session.commit()
    log_in(client, "contributor@example.org", PASSWORD)
    response = client.get(f"/contribute/suggest/company/{acme}", follow_redirects=True)
    assert "paused" in response.get_data(as_text=True)
