"""An upheld correction that says a role ended leaves the listing right (issue 30, item 6):
the person moves to former executives with the end date, the title loses "Former", the fact
is sourced to the decision, and the feed reports the departure as a moderator's."""
from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from directory.extensions import db
from directory.models import Objection, Position, utcnow
from directory.operations.corrections import read_correction
from directory.revisions import revision_context
from tests.community import client_for, log_in, make_user, submit
from tests.factories import make_company, make_position, make_source


@pytest.fixture
def apple(app, monkeypatch):
    monkeypatch.setattr("directory.privacy.views.send_mail", lambda to, subject, body: None)
    with app.app_context():
        with revision_context("snapshot import"):
            company = make_company("Apple Inc.", ceo="Timothy D. Cook", city="Cupertino", region="CA")
            cfo = make_position(company, "Luca Maestri", "Senior Vice President, CFO", role="cfo",
                                source=make_source(filed_on=date(2023, 5, 18)))
            db.session.commit()
        make_user("mod@example.org", role="moderator")
        make_user("mod2@example.org", role="moderator")
        make_user("luca@apple.example", email_confirmed_at=utcnow())  # the listed person, a confirmed account
        return cfo.id


def test_a_correction_ending_a_role_moves_the_person_to_former_executives(app, client, apple):
    log_in(client, "luca@apple.example")
    form = submit(client, "/people/luca-maestri/object", {
        "target": f"position:{apple}", "request": "correct", "requester": "self",
        "corrected_value": "Former Senior Vice President, CFO (left the role 31 December 2024)",
        "contact_email": "luca@apple.example", "explanation": "Apple's 8-K of 27 August 2024 names his successor."})
    assert form.status_code in (302, 303)
    with app.app_context():
        objection_id = db.session.scalar(select(Objection.id))
    for name in ("mod@example.org", "mod2@example.org"):  # a filed listing: two moderators
        moderator = client_for(app, name)
        assert submit(moderator, f"/moderate/objections/{objection_id}",
                      {"reason": "He left Apple at the end of 2024.", "action": "uphold"}).status_code in (302, 303)

    soup = BeautifulSoup(client.get("/companies/apple-inc").get_data(as_text=True), "lxml")
    former = soup.select_one("details.former")
    assert former is not None, "a former executives list"
    luca = next(tr for tr in former.select("tbody tr") if "Luca Maestri" in tr.get_text())
    text = luca.get_text(" ", strip=True)
    assert "Senior Vice President, CFO" in text and "Former Senior" not in text
    assert "31 December 2024" in text
    assert "Correction by the listed person, accepted by a moderator" in text and "Form 4" not in text
    with app.app_context():
        position = db.session.get(Position, apple)
        assert (position.is_current, position.end_date) == (False, date(2024, 12, 31))

    feed = BeautifulSoup(client.get("/companies/apple-inc/feed.atom").get_data(as_text=True), "xml")
    entry = next(e for e in feed.find_all("entry") if "Luca Maestri" in e.title.get_text())
    assert entry.title.get_text() == "Apple Inc.: Luca Maestri left (Senior Vice President, CFO)"
    assert "Recorded by a moderator" in entry.summary.get_text()


@pytest.mark.parametrize("text, title, ended, on", [
    ("Chief Financial Officer", "Chief Financial Officer", False, None),
    ("Former CFO", "CFO", True, None),
    ("SVP, CFO (left the role 31 December 2024)", "SVP, CFO", True, date(2024, 12, 31)),
    ("Chief Executive Officer, retired 2024-06-30", "Chief Executive Officer", True, date(2024, 6, 30)),
])
def test_a_correction_says_in_its_own_words_whether_the_role_ended(text, title, ended, on):
    correction = read_correction(text)
    assert (correction.title, correction.ended, correction.end_date) == (title, ended, on)
