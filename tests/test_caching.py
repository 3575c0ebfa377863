"""The per-worker caches: repeated anonymous searches are served from memory, and nobody is
ever shown a stale result, another visitor's menu or a lost message."""
from __future__ import annotations

import pytest

from directory import create_app
from directory.caching import generation
from directory.extensions import db
from directory.models import Company
from directory.operations.companies import rename_company
from directory.pipeline import defer_search
from tests.community import log_in, make_user
from tests.factories import make_company
from tests.test_pages_company import count_statements


@pytest.fixture
def app_config(app_config):
    return dict(app_config, CACHE_TYPE="SimpleCache")


@pytest.fixture
def acme(app):
    with app.app_context():
        make_company("Acme Widgets Inc.", ceo="Wile E. Coyote")
        db.session.commit()


def test_a_repeated_search_is_answered_without_the_database(app, client, acme):
    first = client.get("/search?q=acme").get_data(as_text=True)
    with count_statements(app) as statements:
        second = client.get("/search?q=acme").get_data(as_text=True)
    assert second == first
    assert "CEO: Wile E. Coyote" in second
    assert not [s for s in statements if "FROM companies" in s]


def test_a_change_to_a_company_shows_in_the_next_search(app, client, acme):
    assert "<mark>Acme</mark> Widgets Inc." in client.get("/search?q=acme").get_data(as_text=True)
    with app.app_context():
        rename_company(db.session.scalar(db.select(Company)), "Acme Gadgets Inc.")
        db.session.commit()
    page = client.get("/search?q=acme").get_data(as_text=True)
    assert "<mark>Acme</mark> Gadgets Inc." in page
    assert "Widgets" not in page


def test_filters_and_pages_are_cached_apart(app, client):
    with app.app_context():
        make_company("Acme Widgets Inc.", country="US")
        make_company("Acme Trading Ltd", country="GB")
        db.session.commit()
    assert "<mark>Acme</mark> Trading Ltd" in client.get("/search?q=acme").get_data(as_text=True)
    page = client.get("/search?q=acme&country=US").get_data(as_text=True)
    assert "<mark>Acme</mark> Widgets Inc." in page
    assert "Trading Ltd" not in page


def test_a_logged_in_visitor_never_gets_the_anonymous_page(app, client, acme):
    with app.app_context():
        make_user("ada@example.org")
    client.get("/search?q=acme")
    log_in(client, "ada@example.org")
    page = client.get("/search?q=acme").get_data(as_text=True)
    assert "Log out" in page
    assert "My contributions" in page


def test_a_logged_in_page_is_not_served_to_the_next_visitor(app, client, acme):
    with app.app_context():
        make_user("ada@example.org")
    log_in(client, "ada@example.org")
    client.get("/search?q=acme")
    anonymous = app.test_client().get("/search?q=acme").get_data(as_text=True)
    assert "Log out" not in anonymous
    assert "csrf_token" not in anonymous


def test_the_search_limit_counts_searches_run_not_pages_served_from_the_cache(app, client, acme):
    app.config["RATELIMIT_SEARCH"] = "2/hour"  # an hour: a slow run cannot outlast the window
    for _ in range(5):
        assert client.get("/search?q=acme").status_code == 200
    assert client.get("/search?q=coyote").status_code == 200
    assert client.get("/search?q=widgets").status_code == 429


def test_a_change_made_through_another_server_empties_this_servers_cache(app, app_config, client, acme, tmp_path):
    """Two servers, one database, each with its own cache and its own Whoosh index: the
    generation lives in the database, so the other server's change is seen at once."""
    assert "<mark>Acme</mark> Widgets Inc." in client.get("/search?q=acme").get_data(as_text=True)
    other = create_app(dict(app_config, SEARCH_INDEX_DIR=str(tmp_path / "other-index")))
    with other.app_context():
        rename_company(db.session.scalar(db.select(Company)), "Acme Widgets International")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    page = client.get("/search?q=acme").get_data(as_text=True)
    # Rendered again from the database (the highlighted name is this server's own index's).
    assert 'href="/companies/acme-widgets-international"' in page


def test_a_transaction_that_changes_no_company_keeps_the_cache(app, client, acme):
    client.get("/search?q=acme")
    with app.app_context():
        make_user("ada@example.org")
    with count_statements(app) as statements:
        client.get("/search?q=acme")
    assert not [s for s in statements if "FROM companies" in s]


def test_an_import_that_defers_indexing_still_moves_the_generation(app, acme):
    """EDGAR and Wikidata runs take the changed ids away before committing (the index is
    rebuilt once at the end); the cached pages must go all the same."""
    with app.app_context():
        before = generation()
        db.session.scalar(db.select(Company)).city = "Tucson"
        defer_search(db.session)
        db.session.commit()
        assert generation() != before


def test_a_rolled_back_change_keeps_the_generation(app, acme):
    with app.app_context():
        before = generation()
        db.session.scalar(db.select(Company)).city = "Tucson"
        db.session.flush()
        db.session.rollback()
        db.session.commit()
        assert generation() == before
