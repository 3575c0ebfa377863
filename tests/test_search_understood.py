"""One query parser for the search page and the JSON API, and which names are "close" when
nothing is found: the rule is shared, so it is checked over each search backend."""
from __future__ import annotations

import pytest

from directory.extensions import db
from directory.search.finding import is_close
from tests.factories import make_company

SERVICE_QUERIES = [
    ("expedia customer service", "expedia-group-inc"),
    ("apple complaints", "apple-inc"),
    ("contact tesla", "tesla-inc"),
    ("microsoft ceo", "microsoft-corp"),
]


@pytest.fixture
def app_config(app_config, search_backend):
    return {**app_config, "SEARCH_BACKEND": search_backend}


@pytest.fixture
def companies(app):
    with app.app_context():
        for name, options in (("Expedia Group, Inc.", {}), ("Apple Inc.", {"ceo": "Tim Cook"}),
                              ("Tesla, Inc.", {}), ("Microsoft Corp", {"ceo": "Satya Nadella"}),
                              ("Sony Group Corp", {"ceo": "Kenichiro Yoshida"}), ("Kenvue Inc.", {}),
                              ("Walmart Inc.", {}), ("Acme Widgets Ltd", {})):
            make_company(name, **options)
        db.session.commit()


@pytest.mark.parametrize(("query", "slug"), SERVICE_QUERIES)
def test_the_api_understands_what_the_search_page_understands(client, companies, query, slug):
    body = client.get("/api/v1/companies", query_string={"q": query}).get_json()
    assert [c["slug"] for c in body["results"]][:1] == [slug], query
    page = client.get("/search", query_string={"q": query}).get_data(as_text=True)
    assert f'href="/companies/{slug}#' in page, query


def test_a_name_made_of_service_words_is_found_through_the_api_too(client, app):
    with app.app_context():
        make_company("Support Services Group Ltd")
        db.session.commit()
    body = client.get("/api/v1/companies?q=support+services").get_json()
    assert [c["slug"] for c in body["results"]] == ["support-services-group-ltd"]


def test_kenmore_offers_no_unrelated_company(client, companies):
    page = client.get("/search?q=kenmore").get_data(as_text=True)
    assert "Companies with a similar name" not in page
    assert "/companies/sony-group-corp" not in page  # its CEO's name starts "ken"
    assert "/companies/kenvue-inc" not in page  # shares three letters, three edits away


@pytest.mark.parametrize(("query", "slug"), [("acmewidgts", "acme-widgets-ltd"), ("wallmartt", "walmart-inc")])
def test_a_name_two_typos_away_is_offered(client, companies, query, slug):
    page = client.get("/search", query_string={"q": query}).get_data(as_text=True)
    assert "Companies with a similar name" in page
    assert f"/companies/{slug}" in page
    assert "/companies/sony-group-corp" not in page


@pytest.mark.parametrize(("query", "name", "close"), [
    ("kenmore", "Sony Group Corp", False),
    ("kenmore", "Kenvue Inc.", False),
    ("sears", "Sealed Air Corp", False),
    ("sears", "ARS Pharmaceuticals, Inc.", False),  # within two edits, but not its first letter
    ("kenmore", "Encore Capital Group Inc", False),
    ("coca cola", "Coda Octopus Group, Inc.", False),  # one name word cannot stand for two typed
    ("appel", "Apple Inc.", True),
    ("walmrt", "Walmart Inc.", True),
    ("wal mart", "Walmart Inc.", True),
    ("coca cola", "The Coca-Cola Company", True),
    ("micro", "Microsoft Corp", True),  # a half-typed word
    ("microsfot corp", "Microsoft Corp", True),
    ("apple tesla", "Apple Inc.", False),  # every word must be close
])
def test_the_close_name_rule(query, name, close):
    assert is_close(query, name) is close
