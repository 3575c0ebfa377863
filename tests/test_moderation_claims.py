"""Every kind of moderator decision is claimed once: two moderators who both opened the same
item decide it, exactly one decision is stored and audited, the other is told. Comment and
reply decisions live with the rest of moderation, and the old review list is the queue's filter."""
from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import AuditEntry, Company, Rating, Revision, User
from directory.operations import moderation
from directory.operations import ratings as rating_ops
from tests.community import client_for, make_user, submit
from tests.factories import make_company


@pytest.fixture
def moderators(app):
    with app.app_context():
        make_user("mod@example.org", role="moderator")
        make_user("mod2@example.org", role="moderator")
        make_user("rater@example.org")


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _audit_count(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def _both_open_then_decide(app, model, row_id: int, decide) -> list[Exception]:
    """Two moderators, each in their own thread and database session, load the same item;
    both have it on screen before the first decides and commits, then the second decides.
    Returns what each decision raised (None when it went through)."""
    both_loaded, first_done = threading.Barrier(2, timeout=20), threading.Event()
    outcomes: dict[str, Exception | None] = {}

    def moderator(email: str, goes_first: bool):
        with app.app_context():
            seen = db.session.get(model, row_id)
            both_loaded.wait()
            if not goes_first:
                first_done.wait(20)
            try:
                decide(seen, _user(email), goes_first)
                db.session.commit()
                outcomes[email] = None
            except Exception as error:  # noqa: BLE001 (the test looks at it)
                db.session.rollback()
                outcomes[email] = error
            finally:
                first_done.set()

    threads = [threading.Thread(target=moderator, args=("mod@example.org", True)),
               threading.Thread(target=moderator, args=("mod2@example.org", False))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return [outcomes["mod@example.org"], outcomes["mod2@example.org"]]


def test_two_moderators_reviewing_one_leadership_change_one_is_told(app, moderators):
    with app.app_context():
        company = make_company("Acme Widgets Inc.", leadership_change_on=date(2024, 3, 1))
        db.session.commit()
        company_id = company.id
    first, second = _both_open_then_decide(
        app, Company, company_id, lambda company, user, _: moderation.mark_leadership_reviewed(company, user))
    assert first is None
    assert isinstance(second, moderation.DecisionConflict) and "leadership change" in str(second)
    with app.app_context():
        assert _audit_count("leadership_change_reviewed") == 1


def test_a_reviewed_leadership_change_is_in_the_companys_history(app, moderators):
    """The claim is one UPDATE statement; the company's history still records who reviewed it."""
    with app.app_context():
        company = make_company("Acme Widgets Inc.", leadership_change_on=date(2024, 3, 1))
        db.session.commit()
        moderation.mark_leadership_reviewed(company, _user("mod@example.org"))
        db.session.commit()
        revision = db.session.scalars(select(Revision).where(Revision.company_id == company.id)
                                      .order_by(Revision.id.desc())).first()
        assert revision.action == "update" and list(revision.changes) == ["last_reviewed_at"]
        assert revision.user_id == _user("mod@example.org").id


def test_the_second_click_on_reviewed_says_another_moderator_decided(app, moderators):
    with app.app_context():
        company = make_company("Acme Widgets Inc.", leadership_change_on=date(2024, 3, 1))
        db.session.commit()
        company_id = company.id
    first, second = client_for(app, "mod@example.org"), client_for(app, "mod2@example.org")
    submit(first, f"/moderate/leadership/{company_id}", {})
    late = submit(second, f"/moderate/leadership/{company_id}", {}, follow_redirects=True)
    assert "Another moderator decided this leadership change" in late.get_data(as_text=True)


def test_two_moderators_deciding_one_reported_comment_keep_the_first_decision(app, moderators):
    with app.app_context():
        company = make_company("Acme Widgets Inc.")
        db.session.flush()
        rating = Rating(company_id=company.id, user_id=_user("rater@example.org").id, stars=1,
                        comment="rude words", comment_state="reported")
        db.session.add(rating)
        db.session.commit()
        rating_id = rating.id
    first, second = _both_open_then_decide(
        app, Rating, rating_id, lambda rating, user, goes_first: rating_ops.decide_comment(rating, user, hide=goes_first))
    assert first is None and isinstance(second, moderation.DecisionConflict)
    with app.app_context():
        assert db.session.get(Rating, rating_id).comment_state == "hidden"
        assert _audit_count("comment_hidden") == 1 and _audit_count("comment_kept") == 0


def test_comment_and_reply_decisions_are_moderation_pages(app):
    urls = app.url_map.bind("localhost")
    assert urls.match("/moderate/comments/1")[0] == "moderate.comment"
    assert urls.match("/moderate/replies/1")[0] == "moderate.reply"


def test_the_old_review_list_is_the_queues_leadership_filter(app, moderators):
    with app.app_context():
        make_company("Reviewed Co", leadership_change_on=date(2024, 3, 1))
        make_company("Waiting Co", leadership_change_on=date(2024, 3, 2))
        db.session.commit()
    mod = client_for(app, "mod@example.org")
    with app.app_context():
        reviewed = db.session.scalar(select(Company).where(Company.name == "Reviewed Co"))
        submit(mod, f"/moderate/leadership/{reviewed.id}", {})
    response = mod.get("/review/leadership-changes", follow_redirects=True)
    assert response.request.full_path == "/moderate/?kind=leadership"
    page = response.get_data(as_text=True)
    assert "Waiting Co" in page and "Reviewed Co" not in page
