"""The second outside test's findings on objections and the two-moderator rule (issue 26:
findings 2, 4, 6 and the mail part of 12), each replayed the way the tester did.

Every test here failed on the code before its fix: the finding's number is in the test's name.
Mail is caught where the privacy pages send it (a list of (to, subject, body)).
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.models import Contact, Contribution, Position, User
from tests.community import client_for, make_user, submit, suggest_and_send
from tests.factories import make_company


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": False}


@pytest.fixture
def acme(app):
    """Acme, whose chief executive Wile Coyote is listed from an SEC filing (the factory's
    source), with a customer-service phone; three moderators and a contributor."""
    with app.app_context():
        company = make_company("Acme Widgets Inc.", ceo="Wile Coyote", website="https://acme.example")
        company.contacts.append(Contact(kind="phone", value="+1 555 010 0100", tier="customer_service"))
        make_user("contributor@example.org")
        for name in ("mod", "mod2", "mod3"):
            make_user(f"{name}@example.org", role="moderator")
        db.session.commit()
        return {"company": company.id, "ceo": company.ceo_position.id}


def latest_contribution(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Contribution.id).order_by(Contribution.id.desc()))


def ceo_title(app, position_id: int) -> str:
    with app.app_context():
        return db.session.get(Position, position_id).title


# 4. Other ways round the two-moderator rule.

def test_4_approve_with_an_edit_into_a_ceo_email_needs_a_second_moderator(app, acme):
    suggest_and_send(client_for(app, "contributor@example.org"), f"/contribute/suggest/contact_add/{acme['company']}",
                     {"kind": "phone", "value": "+1 555 010 0111", "tier": "customer_service", "note": "On the box"})
    item = latest_contribution(app)
    with app.app_context():
        assert not db.session.get(Contribution, item).high_risk  # a phone for customer service is low risk
    edit = {"action": "approve_edit", "edit-kind": "email", "edit-value": "wile@acme.example", "edit-tier": "ceo"}
    response = submit(client_for(app, "mod@example.org"), f"/moderate/contributions/{item}", edit)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Contact.id).where(Contact.value == "wile@acme.example")) is None
        contribution = db.session.get(Contribution, item)
        assert contribution.status == "pending" and contribution.high_risk
        assert contribution.proposed["value"] == "wile@acme.example"
    again = submit(client_for(app, "mod@example.org"), f"/moderate/contributions/{item}", {"action": "approve"})
    assert "second, different moderator" in again.get_data(as_text=True)
    submit(client_for(app, "mod2@example.org"), f"/moderate/contributions/{item}", {"action": "approve"})
    with app.app_context():
        assert db.session.scalar(select(Contact.tier).where(Contact.value == "wile@acme.example")) == "ceo"


def test_4_an_edit_at_the_second_approval_is_approved_again_by_another_moderator(app, acme):
    suggest_and_send(client_for(app, "contributor@example.org"), f"/contribute/suggest/contact_add/{acme['company']}",
                     {"kind": "email", "value": "office@acme.example", "tier": "ceo", "note": "Annual report"})
    item = latest_contribution(app)
    submit(client_for(app, "mod@example.org"), f"/moderate/contributions/{item}", {"action": "approve"})
    submit(client_for(app, "mod2@example.org"), f"/moderate/contributions/{item}",
           {"action": "approve_edit", "edit-value": "mallory@acme.example"})
    with app.app_context():
        assert db.session.scalar(select(Contact.id).where(Contact.value.like("%@acme.example"))) is None
    submit(client_for(app, "mod3@example.org"), f"/moderate/contributions/{item}", {"action": "approve"})
    with app.app_context():
        assert db.session.scalar(select(Contact.value).where(Contact.tier == "ceo")) == "mallory@acme.example"


def test_4_a_ceos_title_needs_two_moderators(app, acme):
    suggest_and_send(client_for(app, "contributor@example.org"), f"/contribute/suggest/position/{acme['ceo']}",
                     {"title": "Former intern", "note": "I heard"})
    item = latest_contribution(app)
    response = submit(client_for(app, "mod@example.org"), f"/moderate/contributions/{item}", {"action": "approve"})
    assert response.status_code == 302
    assert ceo_title(app, acme["ceo"]) == "Chief Executive Officer"
    submit(client_for(app, "mod2@example.org"), f"/moderate/contributions/{item}", {"action": "approve"})
    assert ceo_title(app, acme["ceo"]) == "Former intern"


def test_4_a_trusted_contributors_ceo_change_waits_for_two_moderators(app, acme):
    with app.app_context():
        db.session.scalar(select(User).where(User.email == "contributor@example.org")).trusted = True
        db.session.commit()
    suggest_and_send(client_for(app, "contributor@example.org"), f"/contribute/suggest/position/{acme['ceo']}",
                     {"title": "Former CEO (resigned)", "note": "News"})
    assert ceo_title(app, acme["ceo"]) == "Chief Executive Officer"
    assert "Former CEO (resigned)" not in app.test_client().get("/companies/acme-widgets-inc").get_data(as_text=True)
    with app.app_context():
        contribution = db.session.get(Contribution, latest_contribution(app))
        assert contribution.high_risk and not contribution.applied_early and contribution.status == "pending"
