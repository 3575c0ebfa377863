"""Moderation through the real forms: queue, review, approve (once or twice), reject,
concurrent decisions, importer conflicts, leadership signals, trusted contributors."""
from __future__ import annotations

import re

from datetime import date

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.models import (
    AuditEntry,
    Company,
    Contribution,
    Flag,
    ProposedChange,
    Revision,
    Source,
    User,
)
from directory.operations import moderation
from tests.community import (
    client_for,
    form_fields,
    log_in,
    make_user,
    post_form,
    submit,
    suggest_and_send,
)
from tests.factories import make_company, make_source


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PAUSE_AFTER_REJECTIONS": 2, "TRUSTED_AFTER_ACCEPTED": 2}


@pytest.fixture
def acme(app):
    with app.app_context():
        company = make_company("Acme Widgets Inc.", ticker="ACME", ceo="Wile Coyote", city="Phoenix", region="AZ",
                               website="https://acme.example", phone="+1 555 0100")
        make_user("contributor@example.org")
        make_user("mod@example.org", role="moderator")
        make_user("mod2@example.org", role="moderator")
        db.session.commit()
        return company.id


def send(app, url, data, email="contributor@example.org"):
    contributor = client_for(app, email)
    response, _ = suggest_and_send(contributor, url, data)
    assert response.status_code == 302
    with app.app_context():
        return db.session.scalar(select(Contribution.id).order_by(Contribution.id.desc()))


def test_contributor_cannot_reach_moderator_pages(app, client, acme):
    item = send(app, f"/contribute/suggest/company/{acme}", {"phone": "+1 555 0199", "note": "called"})
    log_in(client, "contributor@example.org")
    for url in ("/moderate/", f"/moderate/contributions/{item}", "/moderate/audit", "/moderate/users",
                "/review/leadership-changes", "/moderate/revisions/1/revert"):
        assert client.get(url).status_code == 403, url
    page = client.get("/companies/acme-widgets-inc").get_data(as_text=True)
    token = form_fields(page, action_contains="/accounts/logout")[1]["csrf_token"]  # a valid token
    forged = client.post(f"/moderate/contributions/{item}", data={"csrf_token": token, "action": "approve", "version": "1"})
    assert forged.status_code == 403
    assert "/moderate/" not in page.split('aria-label="Main"')[1].split("</nav>")[0]
    with app.app_context():
        assert db.session.get(Contribution, item).status == "pending"


def test_company_change_approved_is_public_searchable_and_in_history(app, acme):
    item = send(app, f"/contribute/suggest/company/{acme}", {
        "website": "https://acme-widgets.example", "phone": "+1 555 0199",
        "evidence_url": "https://acme-widgets.example/contact"})
    mod = client_for(app, "mod@example.org")
    queue = mod.get("/moderate/").get_data(as_text=True)
    assert f"/moderate/contributions/{item}" in queue and "Moderation <span class=\"count\">(1)</span>" in queue

    review = mod.get(f"/moderate/contributions/{item}").get_data(as_text=True)
    assert "+1 555 0100" in review and "+1 555 0199" in review
    assert "https://acme-widgets.example/contact" in review
    assert "0 accepted, 0 rejected" in review

    assert submit(mod, f"/moderate/contributions/{item}", {"action": "approve"}).status_code == 302
    public = app.test_client()
    assert "+1 555 0199" in public.get("/companies/acme-widgets-inc").get_data(as_text=True)

    history = public.get(f"/history/company/{acme}").get_data(as_text=True)
    assert "Moderated contribution" in history and "accepted by a moderator" in history and "mod@" not in history
    assert "+1 555 0100" in history and "+1 555 0199" in history
    with app.app_context():
        revision = db.session.scalar(select(Revision).where(Revision.entity_type == "company", Revision.action == "update"))
        contributor = db.session.scalar(select(User).where(User.email == "contributor@example.org"))
        moderator = db.session.scalar(select(User).where(User.email == "mod@example.org"))
        assert revision.user_id == contributor.id and revision.approved_by_id == moderator.id
        assert revision.source.kind == "contribution" and revision.source.url == "https://acme-widgets.example/contact"
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.target_id == item)) == "approve"


def test_new_ceo_needs_two_moderators_then_search_finds_them(app, acme):
    item = send(app, f"/contribute/suggest/new_ceo/{acme}", {
        "person_name": "Road Runner", "title": "President and Chief Executive Officer",
        "evidence_url": "https://acme.example/press/new-ceo"})
    first, second = client_for(app, "mod@example.org"), client_for(app, "mod2@example.org")
    submit(first, f"/moderate/contributions/{item}", {"action": "approve"})
    public = app.test_client()
    assert "Road Runner" not in public.get("/companies/acme-widgets-inc").get_data(as_text=True)

    again = submit(first, f"/moderate/contributions/{item}", {"action": "approve"})
    assert "second, different moderator" in again.get_data(as_text=True)

    assert submit(second, f"/moderate/contributions/{item}", {"action": "approve"}).status_code == 302
    page = public.get("/companies/acme-widgets-inc").get_data(as_text=True)
    ceo_card = page.split('id="ceo-title"')[1].split("</section>")[0]
    assert "Road Runner" in ceo_card and "Wile Coyote" not in ceo_card
    assert "/companies/acme-widgets-inc" in public.get("/search?q=road+runner").get_data(as_text=True)
    with app.app_context():
        contribution = db.session.get(Contribution, item)
        assert contribution.status == "approved"
        assert contribution.first_reviewer.email == "mod@example.org"
        assert contribution.second_reviewer.email == "mod2@example.org"


def test_two_moderators_deciding_at_once_one_wins_the_other_is_told(app, acme):
    item = send(app, f"/contribute/suggest/company/{acme}", {"phone": "+1 555 0199", "note": "called"})
    first, second = client_for(app, "mod@example.org"), client_for(app, "mod2@example.org")
    # Both open the review page before either decides.
    first_values = form_fields(first.get(f"/moderate/contributions/{item}").get_data(as_text=True))[1]
    second_values = form_fields(second.get(f"/moderate/contributions/{item}").get_data(as_text=True))[1]
    assert post_form(first, f"/moderate/contributions/{item}", first_values, {"action": "approve"}).status_code == 302
    late = post_form(second, f"/moderate/contributions/{item}", second_values,
                     {"action": "reject", "reason": "outdated"}, follow_redirects=True)
    assert "Another moderator decided this suggestion" in late.get_data(as_text=True)
    with app.app_context():
        contribution = db.session.get(Contribution, item)
        assert contribution.status == "approved" and contribution.decision_reason is None


def test_conditional_update_lets_exactly_one_decision_through(app, acme):
    item = send(app, f"/contribute/suggest/company/{acme}", {"phone": "+1 555 0199", "note": "called"})
    with app.app_context():
        first = db.session.scalar(select(User).where(User.email == "mod@example.org"))
        contribution = db.session.get(Contribution, item)
        moderation.approve(contribution, first, seen_version=1)
        db.session.commit()
        second = db.session.scalar(select(User).where(User.email == "mod2@example.org"))
        with pytest.raises(moderation.DecisionConflict):
            moderation.reject(contribution, second, seen_version=1, reason="late")


def test_reject_with_canned_reason_and_pause_after_repeated_rejections(app, acme):
    mod = client_for(app, "mod@example.org")
    for number in ("0101", "0102"):
        item = send(app, f"/contribute/suggest/company/{acme}", {"phone": f"+1 555 {number}", "note": "trust me"})
        response = submit(mod, f"/moderate/contributions/{item}", {"action": "reject", "reason": "no_evidence",
                                                                    "reason_text": "Please link a source."})
        assert response.status_code == 302
    contributor = client_for(app, "contributor@example.org")
    mine = contributor.get("/accounts/mine").get_data(as_text=True)
    assert "Rejected" in mine and "The evidence does not support the change. Please link a source." in mine
    assert "paused" in mine
    blocked = contributor.get(f"/contribute/suggest/company/{acme}", follow_redirects=True)
    assert "paused" in blocked.get_data(as_text=True)
    assert "Rejected: company" in mod.get("/moderate/").get_data(as_text=True)  # still visible to moderators


def test_reject_requires_a_reason(app, acme):
    item = send(app, f"/contribute/suggest/company/{acme}", {"phone": "+1 555 0199", "note": "called"})
    mod = client_for(app, "mod@example.org")
    response = submit(mod, f"/moderate/contributions/{item}", {"action": "reject"})
    assert "Give a reason" in response.get_data(as_text=True)


def test_approve_with_an_edit(app, acme):
    item = send(app, f"/contribute/suggest/company/{acme}", {"phone": "555-0199", "note": "called"})
    mod = client_for(app, "mod@example.org")
    submit(mod, f"/moderate/contributions/{item}", {"action": "approve_edit", "edit-phone": "+1 555 0199"})
    assert "+1 555 0199" in app.test_client().get("/companies/acme-widgets-inc").get_data(as_text=True)


def test_trusted_contributor_low_risk_edit_goes_live_and_is_reviewed_after(app, acme):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "contributor@example.org"))
        user.trusted = True
        db.session.commit()
    item = send(app, f"/contribute/suggest/company/{acme}", {"website": "https://new.acme.example", "note": "their site"})
    assert "https://new.acme.example" in app.test_client().get("/companies/acme-widgets-inc").get_data(as_text=True)
    mod = client_for(app, "mod@example.org")
    assert f"/moderate/contributions/{item}" in mod.get("/moderate/").get_data(as_text=True)
    submit(mod, f"/moderate/contributions/{item}", {"action": "reject", "reason": "no_evidence"})
    assert "https://acme.example" in app.test_client().get("/companies/acme-widgets-inc").get_data(as_text=True)


def test_importer_conflict_is_a_queue_item_and_can_be_accepted(app, acme):
    with app.app_context():
        source = make_source(form_type="10-K")
        db.session.flush()
        change = ProposedChange(company_id=acme, entity_type="company", entity_id=acme, field="phone",
                                current_value="+1 555 0100", proposed_value="+1 555 0222", source_id=source.id)
        db.session.add(change)
        db.session.commit()
        change_id = change.id
    mod = client_for(app, "mod@example.org")
    assert f"/moderate/importer/{change_id}" in mod.get("/moderate/?kind=importer").get_data(as_text=True)
    review = mod.get(f"/moderate/importer/{change_id}").get_data(as_text=True)
    assert "+1 555 0100" in review and "+1 555 0222" in review
    submit(mod, f"/moderate/importer/{change_id}", {"action": "accept"})
    assert "+1 555 0222" in app.test_client().get("/companies/acme-widgets-inc").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ProposedChange, change_id).status == "approved"
        revision = db.session.scalar(select(Revision).where(Revision.entity_type == "company",
                                                            Revision.action == "update"))
        assert db.session.get(Source, revision.source_id).form_type == "10-K"


def test_flags_and_leadership_signals_in_the_queue_with_filters(app, acme):
    with app.app_context():
        company = db.session.get(Company, acme)
        company.leadership_change_on = date(2026, 1, 5)
        make_company("Old Co", leadership_change_on=date(2020, 1, 1))
        db.session.add(Flag(company_id=acme, entity_type="company", entity_id=acme, note="phone dead"))
        db.session.commit()
    mod = client_for(app, "mod@example.org")
    queue = mod.get("/moderate/").get_data(as_text=True)
    assert queue.index("Old Co") < queue.index("Acme Widgets")  # oldest first
    assert "Reported outdated" in queue
    only_flags = mod.get("/moderate/?kind=flag").get_data(as_text=True)
    assert "Filing reports a leadership change" not in only_flags and "Reported outdated: company" in only_flags
    old = mod.get("/moderate/?older_than=365").get_data(as_text=True)
    assert "Old Co" in old and "Acme Widgets" not in old

    with app.app_context():
        flag_id = db.session.scalar(select(Flag.id))
    submit(mod, f"/moderate/flags/{flag_id}", {"action": "resolve"})
    submit(mod, f"/moderate/leadership/{acme}", {})
    queue = mod.get("/moderate/").get_data(as_text=True)
    assert "Acme Widgets" not in queue and "Old Co" in queue
    review = mod.get("/review/leadership-changes")
    assert (review.status_code, review.location) == (301, "/moderate/?kind=leadership")


def test_the_ban_button_is_offered_exactly_where_the_ban_is_allowed(app, acme):
    """One rule (`accounts.may_ban`) for the button and the ban: a moderator may ban a
    contributor, not another moderator (only an admin may), and nobody their own account."""
    with app.app_context():
        make_user("admin@example.org", role="admin")
    by_contributor = send(app, f"/contribute/suggest/company/{acme}", {
        "phone": "+1 555 0199", "evidence_url": "https://acme.example/contact"})
    by_moderator = send(app, f"/contribute/suggest/company/{acme}", {
        "phone": "+1 555 0198", "evidence_url": "https://acme.example/contact"}, email="mod2@example.org")
    mod, admin, mod2 = (client_for(app, email) for email in ("mod@example.org", "admin@example.org", "mod2@example.org"))

    def offered(client, item):
        return "Ban this account" in client.get(f"/moderate/contributions/{item}").get_data(as_text=True)

    assert offered(mod, by_contributor) and offered(admin, by_contributor)
    assert not offered(mod, by_moderator) and offered(admin, by_moderator)
    assert not offered(mod2, by_moderator)  # their own account
