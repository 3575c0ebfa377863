"""Ratings through the real forms: rate, change, history, outcome reports, exact aggregates on
the page and in the API, the chart's text alternative, reported comments, the contact policy
with evidence and the right of reply."""
from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import (
    Company,
    CompanyReply,
    OutcomeReport,
    Contribution,
    Rating,
    RatingChange,
    User,
    utcnow,
)
from directory.operations import ratings as ops
from directory.operations.moderation import DecisionConflict
from tests.community import (
    client_for,
    form_fields,
    make_user,
    post_form,
    submit,
    suggest_and_send,
)
from tests.factories import make_company

PAGE = "/companies/acme-widgets-inc"


@pytest.fixture
def acme(app):
    with app.app_context():
        company = make_company("Acme Widgets Inc.", ticker="ACME", ceo="Wile Coyote", city="Phoenix", region="AZ")
        make_user("rater@example.org", email_confirmed_at=utcnow())
        make_user("mod@example.org", role="moderator")
        db.session.commit()
        return company.id


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def fixed_data_set(company_id: int) -> None:
    """Five established raters (5, 4, 4, 2, 1 stars) with outcome reports, and one brand-new
    account whose 5 stars must not count yet."""
    company = db.session.get(Company, company_id)
    outcomes = [
        ops.Outcome("customer_service", "email", got_reply=True, days_to_reply=2, resolved=False),
        ops.Outcome("customer_service", "phone", got_reply=True, days_to_reply=10, resolved=True),
        ops.Outcome("customer_service", "web_form", got_reply=False),
        ops.Outcome("ceo", "letter", got_reply=True, days_to_reply=3, resolved=True),
        ops.Outcome("ceo", "email", got_reply=False, resolved=False),
    ]
    for n, (stars, outcome) in enumerate(zip((5, 4, 4, 2, 1), outcomes)):
        user = make_user(f"established{n}@example.org", email_confirmed_at=utcnow() if n % 2 else None)
        if not n % 2:  # old enough instead of confirmed
            user.created_at = utcnow() - timedelta(days=4)
        ops.rate(company, user, stars=stars, comment=f"Comment {n}" if n < 3 else None, outcome=outcome)
    newcomer = make_user("newcomer@example.org")
    ops.rate(company, newcomer, stars=5, comment="Brand new account",
             outcome=ops.Outcome("ceo", "email", got_reply=True, days_to_reply=1))
    db.session.commit()


def test_rate_then_change_keeps_one_rating_and_its_history(app, acme):
    rater = client_for(app, "rater@example.org")
    response = submit(rater, "/ratings/acme-widgets-inc", {"stars": "2", "comment": "Customer service never answered."})
    assert response.status_code == 303
    page = rater.get(PAGE).get_data(as_text=True)
    assert "Rated <strong>2.0 out of 5</strong> from 1 rating" in page
    assert "Customer service never answered." in page
    assert "Change your rating (2 out of 5)" in page

    form = rater.get("/ratings/acme-widgets-inc").get_data(as_text=True)
    assert 'value="2" checked' in form or "checked" in BeautifulSoup(form, "lxml").find("input", value="2").attrs
    response = submit(rater, "/ratings/acme-widgets-inc", {"stars": "4", "comment": "The CEO's office replied."})
    assert response.status_code == 303
    history = rater.get("/ratings/acme-widgets-inc").get_data(as_text=True)
    assert "2 out of 5" in history and "4 out of 5" in history
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Rating)) == 1
        rating = db.session.scalar(select(Rating))
        assert (rating.stars, rating.comment) == (4, "The CEO's office replied.")
        assert [c.stars for c in db.session.scalars(select(RatingChange).order_by(RatingChange.id))] == [2, 4]
    page = rater.get(PAGE).get_data(as_text=True)
    assert "Rated <strong>4.0 out of 5</strong> from 1 rating" in page
    assert "Customer service never answered." not in page


def test_rating_needs_login_and_valid_stars(app, client, acme):
    assert client.get("/ratings/acme-widgets-inc").status_code == 302
    rater = client_for(app, "rater@example.org")
    bad = submit(rater, "/ratings/acme-widgets-inc", {"stars": "9"})
    assert bad.status_code == 400
    missing_channel = submit(rater, "/ratings/acme-widgets-inc", {"stars": "3", "rung": "ceo", "got_reply": "yes"})
    assert missing_channel.status_code == 400
    assert "Say how you contacted them." in missing_channel.get_data(as_text=True)
    html = submit(rater, "/ratings/acme-widgets-inc", {"stars": "3", "comment": "<b>bold</b>"}).get_data(as_text=True)
    assert "HTML is not accepted" in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Rating)) == 0


def test_outcome_report_sent_with_a_rating_shows_per_rung(app, acme):
    rater = client_for(app, "rater@example.org")
    response = submit(rater, "/ratings/acme-widgets-inc", {
        "stars": "3", "rung": "executive_office", "channel": "letter", "got_reply": "yes", "days_to_reply": "12",
        "resolved": "yes"})
    assert response.status_code == 303
    soup = BeautifulSoup(rater.get(PAGE).get_data(as_text=True), "lxml")
    table = soup.find("table", class_="outcome-table")
    row = [cell.get_text(strip=True) for cell in table.find("tbody").find("tr").find_all(["th", "td"])]
    assert row == ["Executive office", "1", "1 (100%)", "12.0", "1"]


def test_new_account_rating_is_stored_but_counts_only_when_established(app, acme):
    with app.app_context():
        make_user("fresh@example.org")
    fresh = client_for(app, "fresh@example.org")
    response = submit(fresh, "/ratings/acme-widgets-inc", {"stars": "1"}, follow_redirects=True)
    # Said in the ratings panel, where the redirect lands, not at the top of a long page.
    panel = BeautifulSoup(response.get_data(as_text=True), "lxml").find("section", class_="ratings")
    assert "It will count in the figures below once your email is confirmed or your account is 3 days old" in \
        panel.get_text(" ", strip=True)
    assert "No ratings yet." in fresh.get(PAGE).get_data(as_text=True)
    with app.app_context():
        _user("fresh@example.org").created_at = utcnow() - timedelta(days=3, minutes=1)
        db.session.commit()
    assert "Rated <strong>1.0 out of 5</strong> from 1 rating" in fresh.get(PAGE).get_data(as_text=True)


def test_aggregates_on_a_fixed_data_set_page_and_api(app, client, acme):
    with app.app_context():
        fixed_data_set(acme)

    soup = BeautifulSoup(client.get(PAGE).get_data(as_text=True), "lxml")
    assert "Rated 3.2 out of 5 from 5 ratings" in soup.find(class_="ratings-average").get_text(" ", strip=True)
    chart = soup.find("table", class_="rating-chart")
    rows = {tr.th.get_text(strip=True): tr.find_all("td") for tr in chart.tbody.find_all("tr")}
    assert {k: v[0].get_text(strip=True) for k, v in rows.items()} == {
        "5 stars": "1 (20%)", "4 stars": "2 (40%)", "3 stars": "0 (0%)", "2 stars": "1 (20%)", "1 star": "1 (20%)"}
    assert rows["4 stars"][1].span["class"] == ["bar", "bar-40"]
    outcome_rows = [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
                    for tr in soup.find("table", class_="outcome-table").tbody.find_all("tr")]
    assert outcome_rows == [["Customer service", "3", "2 (67%)", "6.0", "1"],
                            ["Chief executive", "2", "1 (50%)", "3.0", "1"]]
    comments = [q.get_text(strip=True) for q in soup.select(".rating-comments blockquote")]
    assert sorted(comments) == ["Comment 0", "Comment 1", "Comment 2"]  # not the newcomer's

    ratings = client.get("/api/v1/companies/acme-widgets-inc").get_json()["ratings"]
    assert ratings["average"] == 3.2 and ratings["count"] == 5
    assert ratings["distribution"] == {"1": 1, "2": 1, "3": 0, "4": 2, "5": 1}
    assert ratings["outcomes"]["customer_service"] == {
        "reports": 3, "replies": 2, "response_rate": 0.667, "median_days_to_reply": 6.0, "resolved": 1}
    assert ratings["outcomes"]["ceo"] == {
        "reports": 2, "replies": 1, "response_rate": 0.5, "median_days_to_reply": 3.0, "resolved": 1}
    assert ratings["outcomes"]["regulator"]["response_rate"] is None


def test_chart_has_a_text_alternative_and_no_inline_style(app, client, acme):
    with app.app_context():
        fixed_data_set(acme)
    html = client.get(PAGE).get_data(as_text=True)
    soup = BeautifulSoup(html, "lxml")
    chart = soup.find("table", class_="rating-chart")
    assert chart.caption.get_text(strip=True) == "How 5 ratings are distributed"
    assert [th.get_text(strip=True) for th in chart.thead.find_all("th")][:2] == ["Stars", "Ratings"]
    assert all(td["aria-hidden"] == "true" for td in chart.find_all("td", class_="bar-cell"))
    assert soup.find(attrs={"style": True}) is None


def test_reported_comment_goes_to_the_queue_and_can_be_hidden(app, client, acme):
    rater = client_for(app, "rater@example.org")
    submit(rater, "/ratings/acme-widgets-inc", {"stars": "1", "comment": "Rude remark about a named clerk"})
    response = submit(client, PAGE, action_contains="/ratings/comments/")
    assert response.status_code == 303
    moderator = client_for(app, "mod@example.org")
    queue = moderator.get("/moderate/?kind=rating_comment").get_data(as_text=True)
    assert "Reported rating comment" in queue
    with app.app_context():
        rating_id = db.session.scalar(select(Rating.id))
    review = f"/moderate/comments/{rating_id}"
    assert client_for(app, "rater@example.org").get(review).status_code == 403
    assert submit(moderator, review, {"action": "hide"}).status_code == 303
    page = client.get(PAGE).get_data(as_text=True)
    assert "Rude remark" not in page
    assert "Rated <strong>1.0 out of 5</strong>" in page  # the stars still count
    assert "Reported rating comment" not in moderator.get("/moderate/").get_data(as_text=True)


def test_contact_policy_suggested_with_evidence_then_explained_on_the_page(app, client, acme):
    with app.app_context():
        make_user("contributor@example.org")
    contributor = client_for(app, "contributor@example.org")
    response, _ = suggest_and_send(contributor, f"/contribute/suggest/contact_policy/{acme}", {
        "contact_policy": "no_name", "evidence_url": "https://acme.example/complaints",
        "note": "Their reply: \"We do not disclose executive names.\""})
    assert response.status_code == 302
    assert "Contact policy: Unknown" in BeautifulSoup(client.get(PAGE).data, "lxml").get_text(" ", strip=True)
    with app.app_context():
        item = db.session.scalar(select(Contribution.id).where(Contribution.kind == "contact_policy"))
    moderator = client_for(app, "mod@example.org")
    assert submit(moderator, f"/moderate/contributions/{item}", {"action": "approve"}).status_code == 302
    soup = BeautifulSoup(client.get(PAGE).data, "lxml")
    text = soup.find("section", class_="openness").get_text(" ", strip=True)
    assert "Contact policy: No name" in text
    assert "Acme Widgets Inc. refuses to name its executives or to pass messages on to them." in text
    assert "We do not disclose executive names." in text
    assert soup.find("a", href="https://acme.example/complaints") is not None
    history = BeautifulSoup(client.get(f"/history/company/{acme}").data, "lxml")
    assert "Contact policy changed from “Unknown” to “No name”" in history.get_text(" ", strip=True)


def test_company_reply_is_published_after_moderation_and_replaces_the_old_one(app, client, acme):
    with app.app_context():
        make_user("rep@acme.example")
    rep = client_for(app, "rep@acme.example")
    for body in ("We answer every letter within 10 days.", "Write to complaints@acme.example."):
        response = submit(rep, "/ratings/acme-widgets-inc/reply", {
            "author_role": "Head of customer relations", "evidence": "rep@acme.example", "body": body})
        assert response.status_code == 303
        assert body not in client.get(PAGE).get_data(as_text=True)
        moderator = client_for(app, "mod@example.org")
        with app.app_context():
            reply_id = db.session.scalar(select(CompanyReply.id).where(CompanyReply.status == "pending"))
        assert "Company&#39;s right of reply" in moderator.get("/moderate/").get_data(as_text=True)
        assert submit(moderator, f"/moderate/replies/{reply_id}", {"action": "approve"}).status_code == 303
        assert body in client.get(PAGE).get_data(as_text=True)
    page = client.get(PAGE).get_data(as_text=True)
    assert "We answer every letter" not in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(CompanyReply.status == "approved")) == 1


def test_moderator_decision_on_a_reply_is_claimed_once(app, acme):
    with app.app_context():
        company = db.session.get(Company, acme)
        reply = ops.submit_reply(company, _user("rater@example.org"), author_role="CEO", evidence="x", body="Hello")
        db.session.commit()
        moderator = _user("mod@example.org")
        ops.decide_reply(reply, moderator, approve=True)
        db.session.commit()
        with pytest.raises(DecisionConflict):
            ops.decide_reply(reply, moderator, approve=False)


def test_report_comment_form_is_csrf_protected(app, client, acme):
    with app.app_context():
        ops.rate(db.session.get(Company, acme), _user("rater@example.org"), stars=2, comment="fine")
        db.session.commit()
        rating_id = db.session.scalar(select(Rating.id))
    action, values = form_fields(client.get(PAGE).get_data(as_text=True), action_contains="/ratings/comments/")
    values["csrf_token"] = "forged"
    assert post_form(client, action, values).status_code == 400
    with app.app_context():
        assert db.session.get(Rating, rating_id).comment_state == "visible"


def test_moderator_cannot_approve_an_unknown_policy_value(app, acme):
    with app.app_context():
        make_user("contributor@example.org")
    contributor = client_for(app, "contributor@example.org")
    suggest_and_send(contributor, f"/contribute/suggest/contact_policy/{acme}",
                     {"contact_policy": "open", "note": "Their site lists the CEO's office email."})
    with app.app_context():
        item = db.session.scalar(select(Contribution.id).where(Contribution.kind == "contact_policy"))
    moderator = client_for(app, "mod@example.org")
    response = submit(moderator, f"/moderate/contributions/{item}",
                      {"action": "approve_edit", "edit-contact_policy": "closed"})
    assert response.status_code == 400
    assert "Contact policy: Not a valid choice" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Company, acme).contact_policy == "unknown"


def test_changing_a_rating_keeps_its_outcome_answers(app, acme):
    """The form shows the outcome sent with the rating, so saving new stars keeps it."""
    rater = client_for(app, "rater@example.org")
    assert submit(rater, "/ratings/acme-widgets-inc", {
        "stars": "2", "rung": "ceo", "channel": "email", "got_reply": "yes", "days_to_reply": "9",
        "resolved": "no"}).status_code == 303
    form = BeautifulSoup(rater.get("/ratings/acme-widgets-inc").get_data(as_text=True), "lxml")
    chosen = {name: form.find("select", attrs={"name": name}).find("option", selected=True)["value"]
              for name in ("rung", "channel", "got_reply", "resolved")}
    assert chosen == {"rung": "ceo", "channel": "email", "got_reply": "yes", "resolved": "no"}
    assert form.find("input", attrs={"name": "days_to_reply"})["value"] == "9"
    assert submit(rater, "/ratings/acme-widgets-inc", {"stars": "4"}).status_code == 303
    with app.app_context():
        report = db.session.scalar(select(OutcomeReport))
        assert (report.rung, report.got_reply, report.days_to_reply, report.resolved) == ("ceo", True, 9, False)
