"""An account holder's rights end to end: download everything held, then delete the account.

Deletion asks for the password again, ends every session, keeps ratings and reports in the
aggregates (detached, their comments gone) and keeps accepted contributions in the history
under a pseudonym; no row names the person afterwards."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.models import Company, Contribution, Rating, User, utcnow
from directory.operations import moderation
from directory.operations.contributions import suggest
from directory.operations.ratings import Outcome, rate
from directory.privacy.accounts import EXPORTERS
from tests.community import PASSWORD, client_for, log_in, make_user, submit
from tests.factories import make_company
from tests.test_privacy_importers import database_text


@pytest.fixture
def ada(app):
    """Ada rated Acme with a comment and an outcome report, reported it outdated, and had a
    phone number accepted; Bob rated it too."""
    with app.app_context():
        acme = make_company("Acme Widgets Inc.", ceo="Wile Coyote", phone="+1 555 0100")
        db.session.commit()
        ada = make_user("ada@example.org", display_name="Ada Lovelace", email_confirmed_at=utcnow())
        bob = make_user("bob@example.org", email_confirmed_at=utcnow())
        moderator = make_user("mod@example.org", role="moderator")
        rate(acme, ada, stars=4, comment="Slow but they answered in the end",
             outcome=Outcome(rung="complaints", channel="email", got_reply=True, days_to_reply=9, resolved=True))
        rate(acme, bob, stars=2, comment=None)
        contribution = suggest("company", acme, {"phone": "+1 555 0199"}, author=ada, author_ip="hash-of-ada",
                               evidence_url="https://acme.example/contact", note="On their contact page")
        db.session.commit()
        moderation.approve(contribution, moderator, seen_version=contribution.version)
        db.session.commit()
        return {"company": acme.id, "user": ada.id}


def test_download_holds_every_section_about_the_account(app, client, ada):
    assert client.get("/accounts/data").status_code == 302  # logged in only
    log_in(client, "ada@example.org")
    assert "/accounts/data" in client.get("/accounts/mine").get_data(as_text=True)
    response = client.get("/accounts/data")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert set(EXPORTERS) <= set(data)
    assert data["account"]["email"] == "ada@example.org" and data["account"]["display_name"] == "Ada Lovelace"
    assert data["ratings"][0]["comment"] == "Slow but they answered in the end"
    assert data["ratings"][0]["changes"][0]["stars"] == 4
    assert data["outcome_reports"][0]["days_to_reply"] == 9
    assert data["contributions"][0]["proposed"] == {"phone": "+1 555 0199"}
    assert "author_ip" not in data["contributions"][0]  # a hash, meaningless to its owner
    assert "password_hash" not in response.get_data(as_text=True)


def test_deleting_needs_the_password_again(app, client, ada):
    log_in(client, "ada@example.org")
    response = submit(client, "/accounts/delete", {"password": "not the password at all"})
    assert response.status_code == 200 and "not this account" in response.get_data(as_text=True)
    assert client.get("/accounts/mine").status_code == 200


def test_deletion_ends_sessions_keeps_aggregates_and_leaves_a_pseudonym(app, client, ada):
    slug = "acme-widgets-inc"
    before = client.get(f"/api/v1/companies/{slug}").get_json()["ratings"]
    assert before["count"] == 2 and before["average"] == 3.0
    other_browser = client_for(app, "ada@example.org")
    log_in(client, "ada@example.org")

    response = submit(client, "/accounts/delete", {"password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/accounts/mine").status_code == 302  # logged out here ...
    assert other_browser.get("/accounts/mine").status_code == 302  # ... and everywhere
    failed = submit(app.test_client(), "/accounts/login", {"email": "ada@example.org", "password": PASSWORD})
    assert failed.status_code == 200 and "do not match" in failed.get_data(as_text=True)

    assert client.get(f"/api/v1/companies/{slug}").get_json()["ratings"] == before  # aggregates unchanged
    page = client.get(f"/companies/{slug}").get_data(as_text=True)
    assert "Slow but they answered" not in page and "+1 555 0199" in page  # the accepted edit stays
    with app.app_context():
        company_id = db.session.scalar(select(Company.id))
        user = db.session.get(User, ada["user"])
        assert user.deleted_at is not None and not user.is_active
        assert db.session.scalar(select(Rating.comment).where(Rating.user_id == user.id)) is None
        assert db.session.scalar(select(Contribution.author_ip)) is None
        stored = database_text()
    assert "ada@example.org" not in stored and "Ada Lovelace" not in stored and "hash-of-ada" not in stored
    assert "Slow but they answered" not in stored
    history = client.get(f"/history/company/{company_id}").get_data(as_text=True)
    assert f"Former contributor {ada['user']}" in history and "Ada" not in history
    # The address is free again: the person may come back with a new account.
    assert submit(app.test_client(), "/accounts/register", {
        "email": "ada@example.org", "password": "a new long passphrase", "confirm": "a new long passphrase"}
    ).status_code == 302
