"""A listed person's objection, end to end through the real forms: filed, decided by a
moderator with a reason, mailed and audited; an upheld removal suppresses the value, so no
contribution or import brings it back."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEntry, Contact, Objection, Position, Revision, Suppression
from directory.rules.suppression import contact_key, is_suppressed
from directory.revisions import revision_context
from tests.community import client_for, log_in, make_user, submit, suggest_and_send
from tests.factories import make_company, make_contact, make_position


@pytest.fixture(autouse=True)
def mail(app, monkeypatch):
    """Every message the privacy pages send, as (to, subject, body); kept on the app too, so
    the filing helper can open the confirmation link the requester receives."""
    sent = app.extensions["test_mail"] = []
    monkeypatch.setattr("directory.privacy.views.send_mail", lambda to, subject, body: sent.append((to, subject, body)))
    return sent


@pytest.fixture
def acme(app):
    """Wile Coyote, CEO, with a direct line tied to his position; two known addresses give
    Acme's email format (first.last), so the site infers his address."""
    with app.app_context():
        with revision_context("seed"):
            company = make_company("Acme Widgets Inc.", ceo="Wile Coyote", city="Phoenix", region="AZ",
                                   website="https://www.acme.example")
            cfo = make_position(company, "Road Runner", "Chief Financial Officer", role="cfo")
            make_position(company, "Marvin Martian", "Secretary", role="secretary")
            db.session.flush()
            ceo = company.ceo_position
            direct = make_contact(company, "phone", "+1 (555) 010-0199", tier="ceo", label="Direct line")
            direct.position = ceo
            make_contact(company, "email", "road.runner@acme.example", tier="executive_office").position = cfo
            make_contact(company, "email", "marvin.martian@acme.example", tier="executive_office")
            make_contact(company, "postal", "Office of the CEO, 1 Desert Road", tier="ceo")
            db.session.commit()
        make_user("contributor@example.org")
        make_user("mod@example.org", role="moderator")
        make_user("mod2@example.org", role="moderator")
        return {"company": company.id, "ceo": ceo.id, "direct": direct.id}


def file_objection(client, choice: str, *, confirm: bool = True, **data):
    """File through the form, then (by default) open the link mailed to the requester."""
    page = client.get("/people/wile-coyote")
    assert "/people/wile-coyote/object" in page.get_data(as_text=True)
    response = submit(client, "/people/wile-coyote/object", {
        "target": choice, "contact_email": "Wile@Acme.example", "request": "remove", "requester": "self", **data})
    if confirm and response.status_code == 302:
        sent = client.application.extensions["test_mail"][-1]
        link = re.search(r"https?://\S+/objections/confirm/\S+", sent[2]).group(0)
        assert client.get(urlsplit(link).path).status_code == 302
    return response


def decide(app, objection_id: int, action: str, reason: str, moderator: str = "mod@example.org"):
    moderator = client_for(app, moderator)
    queue = moderator.get("/moderate/?kind=objection").get_data(as_text=True)
    assert f"/moderate/objections/{objection_id}" in queue
    return submit(moderator, f"/moderate/objections/{objection_id}", {"reason": reason, "action": action})


def file_and_decide(app, client, choice: str, action: str, reason: str,
                    moderators: tuple[str, ...] = ("mod@example.org",), **data):
    """File, confirm and decide; a change to the CEO's listing or a CEO-step contact is
    upheld by two moderators (`moderators`)."""
    file_objection(client, choice, **data)
    with app.app_context():
        objection_id = db.session.scalar(select(Objection.id).order_by(Objection.id.desc()))
    for moderator in moderators:
        response = decide(app, objection_id, action, reason, moderator)
    return response


TWO = ("mod@example.org", "mod2@example.org")


def test_upheld_removal_of_a_contact_is_applied_mailed_audited_and_suppressed(app, client, acme, mail):
    response = file_objection(client, f"contact:{acme['direct']}", explanation="My direct line; please use the switchboard.")
    assert response.status_code == 302
    assert mail[-1][0] == "wile@acme.example" and "+1 (555) 010-0199" in mail[-1][2]
    with app.app_context():
        objection = db.session.scalars(select(Objection)).one()
        assert (objection.status, objection.target_type, objection.requester) == ("pending", "contact", "self")

    response = decide(app, objection.id, "uphold", "A direct line is not needed to escalate.")
    assert response.status_code == 302
    assert "upheld" in mail[-1][2] and "A direct line is not needed to escalate." in mail[-1][2]
    page = client.get("/companies/acme-widgets-inc").get_data(as_text=True)
    assert "010-0199" not in page
    with app.app_context():
        assert db.session.get(Contact, acme["direct"]) is None
        assert is_suppressed(contact_key("phone", "555.010.0199"))
        audit = db.session.scalars(select(AuditEntry).where(AuditEntry.target_type == "objection")).one()
        assert audit.action == "objection_upheld" and audit.details["reason"].startswith("A direct line")
        history = [r.changes for r in db.session.scalars(
            select(Revision).where(Revision.entity_type == "contact", Revision.entity_id == acme["direct"]))]
        assert history and all("+1 (555) 010-0199" not in repr(changes) for changes in history)


def test_rejected_objection_changes_nothing_and_is_mailed_with_the_reason(app, client, acme, mail):
    file_and_decide(app, client, f"position:{acme['ceo']}", "reject",
                    "The register names you as chief executive; names and roles stay.")
    assert "not to change" in mail[-1][2] and "names and roles stay" in mail[-1][2]
    with app.app_context():
        assert db.session.get(Position, acme["ceo"]) is not None
        assert db.session.scalar(select(Suppression.id)) is None
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.target_type == "objection")) \
            == "objection_rejected"


def test_a_suppressed_contact_cannot_come_back_through_a_contribution(app, client, acme, mail):
    file_and_decide(app, client, f"contact:{acme['direct']}", "uphold", "Removed on request.")
    contributor = client_for(app, "contributor@example.org")
    response, _ = suggest_and_send(contributor, f"/contribute/suggest/contact_add/{acme['company']}", {
        "kind": "phone", "value": "555.010.0199", "tier": "ceo", "label": "CEO", "note": "Found it online"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "removed at the request" in html
    with app.app_context():
        assert not db.session.scalars(select(Contact).where(Contact.value.like("%0199%"))).all()


def test_inferred_email_is_removed_on_request(app, client, acme, mail):
    assert "wile.coyote@acme.example" in client.get("/companies/acme-widgets-inc").get_data(as_text=True)
    file_and_decide(app, client, f"inferred_email:{acme['ceo']}", "uphold",
                    "Inferred addresses are removed on request.")
    assert "wile.coyote@acme.example" not in client.get("/companies/acme-widgets-inc").get_data(as_text=True)
    assert "wile.coyote@acme.example" not in client.get("/companies/acme-widgets-inc/write").get_data(as_text=True)


def test_correction_replaces_the_value_and_suppresses_the_old_one(app, client, acme, mail):
    file_and_decide(app, client, f"contact:{acme['direct']}", "uphold", "Corrected.", TWO, request="correct",
                    corrected_value="+1 555 010 0100", explanation="The annual report gives 555 010 0100.")
    with app.app_context():
        assert db.session.get(Contact, acme["direct"]).value == "+1 555 010 0100"
        assert is_suppressed(contact_key("phone", "+1 (555) 010-0199"))


def test_only_the_persons_own_values_are_offered(client, acme):
    page = client.get("/people/wile-coyote/object").get_data(as_text=True)
    for offered in ("+1 (555) 010-0199", "Office of the CEO, 1 Desert Road", "wile.coyote@acme.example",
                    "Listing: Chief Executive Officer at Acme Widgets Inc."):
        assert offered in page
    for other in ("road.runner@acme.example", "marvin.martian@acme.example"):
        assert other not in page


def test_objection_needs_an_email_a_listed_value_and_plain_text(app, client, acme):
    response = submit(client, "/people/wile-coyote/object", {"target": "contact:999999", "contact_email": "nobody",
                                                             "explanation": "<script>alert(1)</script>"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Enter an email address" in html and "Not a valid choice" in html and "HTML is not accepted" in html
    assert "<script>alert(1)" not in html
    with app.app_context():
        assert db.session.scalar(select(Objection.id)) is None


def test_only_moderators_decide(app, client, acme):
    file_objection(client, f"contact:{acme['direct']}")
    with app.app_context():
        objection_id = db.session.scalar(select(Objection.id))
    log_in(client, "contributor@example.org")
    assert client.get(f"/moderate/objections/{objection_id}").status_code == 403


def test_executive_personal_email_is_refused_as_a_contribution(app, acme):
    contributor = client_for(app, "contributor@example.org")
    response, _ = suggest_and_send(contributor, f"/contribute/suggest/contact_add/{acme['company']}", {
        "kind": "email", "value": "wile.coyote.home@gmail.com", "tier": "ceo", "label": "CEO", "note": "His gmail"})
    assert response.status_code == 200 and "personal email address is never published" in response.get_data(as_text=True)


def test_a_removed_listing_cannot_come_back_as_a_suggested_chief_executive(app, client, acme, mail):
    file_and_decide(app, client, f"position:{acme['ceo']}", "uphold", "Not this person.", TWO)
    assert "Wile Coyote" not in client.get("/companies/acme-widgets-inc").get_data(as_text=True)
    contributor = client_for(app, "contributor@example.org")
    response, _ = suggest_and_send(contributor, f"/contribute/suggest/new_ceo/{acme['company']}", {
        "person_name": "wile coyote", "title": "CEO", "note": "He is the boss"})
    assert response.status_code == 200 and "removed at the request" in response.get_data(as_text=True)


def test_a_revert_cannot_put_back_a_value_removed_on_request(app, client, acme, mail):
    file_and_decide(app, client, f"contact:{acme['direct']}", "uphold", "Corrected.", TWO, request="correct",
                    corrected_value="+1 555 010 0100", explanation="The annual report gives 555 010 0100.")
    with app.app_context():
        correction = db.session.scalars(select(Revision).where(
            Revision.entity_type == "contact", Revision.entity_id == acme["direct"]).order_by(Revision.id.desc())).first()
    moderator = client_for(app, "mod@example.org")
    submit(moderator, f"/moderate/revisions/{correction.id}/revert", {}, follow_redirects=True)
    with app.app_context():
        assert db.session.get(Contact, acme["direct"]).value == "+1 555 010 0100"
