"""A search that matches more companies than it ranks says so, and still puts the company
named exactly as the query first."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from directory import create_app, search_index
from directory.extensions import db
from directory.search_index import searching
from tests.factories import make_company


@pytest.fixture
def app_config(app_config, search_backend):
    return {**app_config, "SEARCH_BACKEND": search_backend}


@pytest.fixture
def widgets(app, monkeypatch):
    monkeypatch.setattr(searching, "MATCH_LIMIT", 3)
    with app.app_context():
        for n in range(1, 7):
            make_company(f"Widget Works {n}")
        make_company("Widget", ticker="WDGT")  # indexed last: beyond the first three matches
        db.session.commit()


def test_the_exact_name_comes_first_even_past_the_limit(app, client, widgets):
    page = client.get("/search?q=widget").get_data(as_text=True)
    assert page.index('href="/companies/widget"') < page.index('href="/companies/widget-works-1"')
    assert "More than 4 companies match" in page
    assert "add a word, a country or a sector" in page


def test_a_search_under_the_limit_counts_exactly(app, client, widgets):
    page = client.get("/search?q=widget+works+5").get_data(as_text=True)
    assert "1 company found for" in page
    assert "More than" not in page


def test_the_api_says_when_the_total_is_a_lower_bound(app, client, widgets):
    broad = client.get("/api/v1/companies?q=widget").get_json()
    assert (broad["total"], broad["total_is_exact"]) == (4, False)
    assert broad["results"][0]["slug"] == "widget"
    narrow = client.get("/api/v1/companies?q=works+5").get_json()
    assert (narrow["total"], narrow["total_is_exact"]) == (1, True)
    listing = client.get("/api/v1/companies").get_json()
    assert (listing["total"], listing["total_is_exact"]) == (7, True)


def test_with_search_disabled_nothing_is_searched(app, app_config, widgets):
    """SEARCH_ENABLED=False (a maintenance server, a restore) turns off search on either
    backend: no results and no suggestions, rather than answers from a half-written index."""
    disabled = create_app({**app_config, "SEARCH_ENABLED": False})
    with disabled.app_context():
        assert search_index.search("widget").ids == []
        assert search_index.suggest("widg") == []
        db.engine.dispose()
    with app.app_context():
        assert len(search_index.search("widget").ids) == 4


def test_a_postgres_search_and_its_suggestions_stop_at_the_time_limit(app, app_config, widgets, search_backend):
    """A search or a suggestion kept waiting (here by a rebuild's lock on the documents)
    gives up after SEARCH_TIME_LIMIT; the search says it timed out, the suggestions are what
    was found in time, and the request's transaction goes on."""
    if search_backend != "postgres":
        pytest.skip("Whoosh's collector bounds its searches in Python")
    # lock_timeout: without a time limit of its own a statement fails after 5 s, not never
    limited = create_app({**app_config, "SEARCH_TIME_LIMIT": 0.2,
                          "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": "-c lock_timeout=5000"}}})
    with limited.app_context():
        with db.engine.connect() as other:
            other.execute(text("LOCK TABLE search_documents IN ACCESS EXCLUSIVE MODE"))
            found = search_index.search("widget")
            assert (found.ids, found.timed_out) == ([], True)
            assert search_index.suggest("widg") == []
            assert db.session.execute(text("SELECT count(*) FROM companies")).scalar() == 7
            other.rollback()
        found = search_index.search("widget")
        assert (len(found.ids), found.timed_out) == (4, False)
        assert len(search_index.suggest("widg")) == 7
        db.session.remove()
        db.engine.dispose()
