"""Leaderboards: most open companies, best responders (with a minimum number of reports) and
the "no name" list, their ordering and their country and sector filters."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from directory.extensions import db
from directory.models import utcnow
from directory.operations import ratings as ops
from tests.community import make_user
from tests.factories import make_company


@pytest.fixture
def app_config(app_config):
    return {**app_config, "LEADERBOARD_MIN_REPORTS": 3}


def _rated(name, policy="unknown", stars=(), replies=(), country="US", sector="Retail"):
    """A company with one established rater per star value, and outcome reports: one per
    entry of `replies` (True: they replied), each from its own account (one account is one
    report per rung)."""
    company = make_company(name, contact_policy=policy, country=country, sector=sector)
    db.session.flush()
    for n, value in enumerate(stars or [3] * len(replies)):
        user = make_user(f"{company.slug}-{n}@example.org", email_confirmed_at=utcnow())
        ops.rate(company, user, stars=value, comment=None)
    for n, got_reply in enumerate(replies):
        rater = make_user(f"{company.slug}-reporter{n}@example.org", email_confirmed_at=utcnow())
        ops.rate(company, rater, stars=3, comment=None,
                 outcome=ops.Outcome("customer_service", "email", got_reply=got_reply, days_to_reply=4 if got_reply else None))
    return company


@pytest.fixture
def boards(app):
    with app.app_context():
        _rated("Alpha Open", "open", stars=(5, 4))
        _rated("Bravo Open", "open", stars=(3,), country="GB", sector="Banking")
        _rated("Charlie Open", "open")
        _rated("Delta Partial", "partial", stars=(5, 5))
        _rated("Echo Replies", replies=(True, True, True))
        _rated("Foxtrot Replies", replies=(True, True, True, False))
        _rated("Golf Too Few", replies=(True, True))
        _rated("Hotel Silent", "no_name", replies=(False, False, False), country="GB")
        _rated("India Silent", "no_name", replies=(False, True))
        _rated("Juliet Silent", "no_name")
        db.session.commit()


def _board(html: str, title_id: str) -> list[list[str]]:
    section = BeautifulSoup(html, "lxml").find("h2", id=title_id).parent
    table = section.find("table")
    if table is None:
        return []
    return [[cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])] for tr in table.tbody.find_all("tr")]


def test_leaderboards_order_and_minimum(client, boards):
    html = client.get("/leaderboards").get_data(as_text=True)
    assert _board(html, "open-title") == [
        ["1", "Alpha Open", "4.5 out of 5", "2"],
        ["2", "Bravo Open", "3.0 out of 5", "1"],
        ["3", "Charlie Open", "not rated yet", "0"],
    ]
    # Golf has only 2 reports, under the minimum of 3; Foxtrot's 4 reports got 3 replies.
    assert _board(html, "responders-title") == [
        ["1", "Echo Replies", "100%", "3"],
        ["2", "Foxtrot Replies", "75%", "4"],
        ["3", "Hotel Silent", "0%", "3"],
    ]
    assert _board(html, "noname-title") == [
        ["1", "Hotel Silent", "3", "3"],
        ["2", "India Silent", "1", "2"],
        ["3", "Juliet Silent", "0", "0"],
    ]
    assert "at least 3 reports" in html


def test_leaderboards_filter_by_country_and_sector(client, boards):
    gb = client.get("/leaderboards?country=GB").get_data(as_text=True)
    assert [row[1] for row in _board(gb, "open-title")] == ["Bravo Open"]
    assert [row[1] for row in _board(gb, "noname-title")] == ["Hotel Silent"]
    assert [row[1] for row in _board(gb, "responders-title")] == ["Hotel Silent"]
    assert _board(client.get("/leaderboards?country=FR").get_data(as_text=True), "responders-title") == []
    banking = client.get("/leaderboards?sector=Banking").get_data(as_text=True)
    assert [row[1] for row in _board(banking, "open-title")] == ["Bravo Open"]
    soup = BeautifulSoup(banking, "lxml")
    assert soup.find("select", id="sector").find("option", selected=True)["value"] == "Banking"
    assert [o["value"] for o in soup.find("select", id="country").find_all("option")] == ["", "GB", "US"]


def test_minimum_is_configurable(app, client, boards):
    app.config["LEADERBOARD_MIN_REPORTS"] = 2
    html = client.get("/leaderboards").get_data(as_text=True)
    assert [row[1] for row in _board(html, "responders-title")] == [
        "Echo Replies", "Golf Too Few", "Foxtrot Replies", "India Silent", "Hotel Silent"]


def test_navigation_links_to_the_leaderboards(client):
    nav = BeautifulSoup(client.get("/").get_data(as_text=True), "lxml").find("nav", attrs={"aria-label": "Main"})
    assert nav.find("a", string="Leaderboards")["href"] == "/leaderboards"
