"""Integrity of ratings: one per account even under two concurrent submissions, bursts of
new accounts flagged, contacts several people report as dead flagged and queued."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import Company, Contact, Flag, Rating, RatingChange, User, utcnow
from directory.operations import ratings as ops
from tests.community import client_for, make_user, submit
from tests.factories import make_company, make_contact

PAGE = "/companies/acme-widgets-inc"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATING_BURST_COUNT": 3, "CONTACT_PROBLEM_THRESHOLD": 3,
            "RATELIMIT_ENABLED": True}


@pytest.fixture
def acme(app):
    with app.app_context():
        company = make_company("Acme Widgets Inc.", ceo="Wile Coyote")
        make_contact(company, "email", "help@acme.example")
        make_user("rater@example.org", email_confirmed_at=utcnow())
        make_user("mod@example.org", role="moderator")
        db.session.commit()
        return company.id


def test_two_concurrent_first_ratings_leave_exactly_one_row(app, acme, monkeypatch):
    """Both requests look for an existing rating before either inserts; the loser of the
    insert race updates the winner's row instead of failing."""
    both_looked = threading.Barrier(2, timeout=20)
    original = ops.rating_of
    seen = threading.local()

    def look_then_wait(company, user):
        found = original(company, user)
        if not getattr(seen, "done", False):
            seen.done = True
            both_looked.wait()
        return found

    monkeypatch.setattr(ops, "rating_of", look_then_wait)
    results, errors = [], []

    def submit_rating(stars: int):
        try:
            with app.app_context():
                company = db.session.get(Company, acme)
                user = db.session.scalar(select(User).where(User.email == "rater@example.org"))
                _, created = ops.rate(company, user, stars=stars, comment=f"{stars} stars")
                db.session.commit()
                results.append(created)
        except Exception as error:  # noqa: BLE001 (any error fails the assertion below)
            errors.append(error)

    threads = [threading.Thread(target=submit_rating, args=(stars,)) for stars in (2, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(results) == [False, True]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Rating)) == 1
        assert db.session.scalar(select(Rating.stars)) in (2, 5)
        assert sorted(db.session.scalars(select(RatingChange.stars))) == [2, 5]


def test_the_database_refuses_a_second_rating_row(app, acme):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "rater@example.org"))
        db.session.add_all([Rating(company_id=acme, user_id=user.id, stars=3),
                            Rating(company_id=acme, user_id=user.id, stars=4)])
        with pytest.raises(Exception, match="(?i)unique"):
            db.session.flush()
        db.session.rollback()


def test_burst_of_new_account_ratings_is_flagged_once(app, acme):
    with app.app_context():
        company = db.session.get(Company, acme)
        for n in range(4):
            ops.rate(company, make_user(f"new{n}@example.org"), stars=1, comment=None)
            db.session.commit()
        old = make_user("old@example.org")
        old.created_at = utcnow() - timedelta(days=30)
        ops.rate(company, old, stars=5, comment=None)
        db.session.commit()
        flags = db.session.scalars(select(Flag).where(Flag.field == "ratings")).all()
        assert len(flags) == 1
        assert flags[0].note.startswith("3 ratings from new accounts")
    moderator = client_for(app, "mod@example.org")
    assert "Reported outdated: company (ratings)" in moderator.get("/moderate/").get_data(as_text=True)


def test_contact_reported_dead_by_several_users_is_flagged_on_the_page_and_queued(app, client, acme):
    with app.app_context():
        contact_id = db.session.scalar(select(Contact.id))
        for n in range(3):
            make_user(f"user{n}@example.org", email_confirmed_at=utcnow())
    url = f"/ratings/contacts/{contact_id}/problem"
    for n in range(2):
        assert submit(client_for(app, f"user{n}@example.org"), url, {"problem": "bounced"}).status_code == 303
    reporter = client_for(app, "user0@example.org")  # the same person again does not count twice
    assert submit(reporter, url, {"problem": "unanswered"}).status_code == 303
    assert "people report it" not in client.get(PAGE).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Flag)) == 0

    assert submit(client_for(app, "user2@example.org"), url, {"problem": "bounced"}).status_code == 303
    assert "3 people report it bouncing" in client.get(PAGE).get_data(as_text=True)
    with app.app_context():
        flag = db.session.scalar(select(Flag))
        assert (flag.entity_type, flag.entity_id, flag.field) == ("contact", contact_id, "status")
    queue = client_for(app, "mod@example.org").get("/moderate/").get_data(as_text=True)
    assert "Reported outdated: contact (status)" in queue
    assert client.get(url).status_code == 302  # reporting needs an account


def test_rating_writes_are_rate_limited_per_account(app, acme):
    app.config["RATELIMIT_RATE"] = "2/hour"
    rater = client_for(app, "rater@example.org")
    for stars in ("1", "2"):
        assert submit(rater, "/ratings/acme-widgets-inc", {"stars": stars}).status_code == 303
    assert submit(rater, "/ratings/acme-widgets-inc", {"stars": "3"}).status_code == 429
    with app.app_context():
        assert db.session.scalar(select(Rating.stars)) == 2
