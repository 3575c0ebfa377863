"""The suppression list against a real EDGAR import: `flask scrape edgar` over loopback HTTP
(the mirror server of tests/test_import_edgar_e2e.py) does not restore a listing a moderator
removed on request, even when every filing is read again from scratch."""
from __future__ import annotations

from sqlalchemy import delete, select

from directory.extensions import db
from directory.importers.store import find_company_by_cik
from directory.models import EdgarSyncState, Objection, utcnow
from tests.community import log_in, make_user, submit
from tests.edgar_server import assert_failures_listed
from tests.test_import_edgar_e2e import SHORT, app_config, edgar_server, scrape  # noqa: F401
from tests.test_privacy_objections import decide, mail  # noqa: F401


def test_removed_listing_does_not_come_back_on_the_next_edgar_import(app, runner, client, edgar_server, mail):
    assert_failures_listed(scrape(runner, "--cik", "320193", *SHORT))
    with app.app_context():
        make_user("mod@example.org", role="moderator")
        make_user("mod2@example.org", role="moderator")
        make_user("legal@apple.example", email_confirmed_at=utcnow())  # a checked identity: a confirmed account
        position_id = find_company_by_cik("320193").ceo_position.id
    log_in(client, "legal@apple.example")
    page = client.get("/people/timothy-d-cook/object").get_data(as_text=True)
    assert f"position:{position_id}" in page
    submit(client, "/people/timothy-d-cook/object", {"target": f"position:{position_id}", "request": "remove",
                                                     "requester": "company", "contact_email": "legal@apple.example"})
    with app.app_context():
        objection_id = db.session.scalar(select(Objection.id))
    for moderator in ("mod@example.org", "mod2@example.org"):  # a filed CEO listing: two moderators
        decide(app, objection_id, "uphold", "Wrong person on this listing.", moderator)
    assert "Timothy D. Cook" not in client.get("/companies/apple-inc").get_data(as_text=True)

    with app.app_context():  # forget what was read: the next run fetches every filing again
        db.session.execute(delete(EdgarSyncState))
        db.session.commit()
    result = scrape(runner, "--cik", "320193", *SHORT)
    assert_failures_listed(result)
    with app.app_context():
        apple = find_company_by_cik("320193")
        assert all(p.person.name != "Timothy D. Cook" for p in apple.positions)
    assert "Timothy D. Cook" not in client.get("/companies/apple-inc").get_data(as_text=True)
