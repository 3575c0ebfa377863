"""The search page and the suggestions endpoint, through the test client."""
from __future__ import annotations

import pytest

from directory.extensions import db
from tests.factories import make_company


@pytest.fixture
def app_config(app_config, search_backend):
    return {**app_config, "SEARCH_BACKEND": search_backend}


def seed(app, *companies):
    with app.app_context():
        for name, options in companies:
            make_company(name, **options)
        db.session.commit()


def test_empty_query_shows_a_friendly_prompt(client):
    response = client.get("/search?q=")
    assert response.status_code == 200
    assert "type the name of a company" in response.get_data(as_text=True)


def test_results_rank_and_show_the_ceo(app, client):
    seed(app, ("Apple Hospitality REIT", {}), ("Apple Inc.", {"ticker": "AAPL", "ceo": "Tim Cook"}))
    page = client.get("/search?q=apple").get_data(as_text=True)
    first, second = page.index("/companies/apple-inc"), page.index("/companies/apple-hospitality-reit")
    assert first < second
    assert '<mark>Apple</mark> Inc.' in page
    assert "CEO: Tim Cook" in page
    assert "No CEO on record" in page


def test_person_search_finds_the_company(app, client):
    seed(app, ("Apple Inc.", {"ceo": "Tim Cook"}))
    assert "/companies/apple-inc" in client.get("/search?q=tim+cook").get_data(as_text=True)


def test_typo_shows_did_you_mean_link(app, client):
    seed(app, ("Microsoft Corporation", {"ticker": "MSFT"}))
    page = client.get("/search?q=micrsoft").get_data(as_text=True)
    assert 'class="did-you-mean"' in page
    assert 'href="/search?q=microsoft"' in page
    assert "/companies/microsoft-corporation" in page


def test_names_are_escaped(app, client):
    seed(app, ("<script>alert(1)</script> Widgets", {"slug": "script-widgets"}))
    page = client.get("/search?q=widgets").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Widgets</mark>" in page


def test_query_syntax_does_not_break_the_page(app, client):
    seed(app, ("Apple Inc.", {}))
    for query in ("name:apple", "a*", "[a TO z]", '"unterminated', "(((", "apple^5"):
        assert client.get("/search", query_string={"q": query}).status_code == 200


def test_facets_link_to_filtered_results(app, client):
    seed(app, ("Tesco PLC", {"country": "GB", "sector": "Retail"}),
         ("Target Corporation", {"country": "US", "sector": "Retail"}))
    page = client.get("/search?q=retail").get_data(as_text=True)
    assert 'class="facets"' in page
    assert 'href="/search?q=retail&amp;country=GB"' in page
    filtered = client.get("/search?q=retail&country=GB").get_data(as_text=True)
    assert "/companies/tesco-plc" in filtered
    assert "/companies/target-corporation" not in filtered


def test_pagination_links(app, client):
    seed(app, *((f"Acme Widgets {n:02d}", {"slug": f"acme-{n:02d}"}) for n in range(25)))
    first = client.get("/search?q=acme").get_data(as_text=True)
    assert first.count('class="result"') == 20
    assert 'href="/search?q=acme&amp;page=2"' in first
    second = client.get("/search?q=acme&page=2").get_data(as_text=True)
    assert second.count('class="result"') == 5
    assert 'start="21"' in second
    assert client.get("/search?q=acme&page=x").status_code == 200


def test_suggest_json_shape(app, client):
    seed(app, ("Apple Inc.", {"ticker": "AAPL", "ceo": "Tim Cook"}), ("Apple Hospitality REIT", {}))
    data = client.get("/search/suggest?q=App").get_json()
    assert data["query"] == "App"
    assert data["suggestions"][0] == {
        "name": "Apple Inc.", "slug": "apple-inc", "url": "/companies/apple-inc",
        "ticker": "AAPL", "country": "US", "ceo": "Tim Cook", "matched": "name",
    }
    assert data["suggestions"][1]["ceo"] is None
    assert client.get("/search/suggest?q=").get_json() == {"query": "", "suggestions": []}


def test_service_words_are_taken_out_and_results_open_at_that_step(app, client):
    seed(app, ("Expedia Group, Inc.", {}), ("Apple Inc.", {}), ("Tesla, Inc.", {}))
    for query, slug, anchor in (("expedia customer service", "expedia-group-inc", "rung-customer-service"),
                                ("apple complaints", "apple-inc", "rung-complaints"),
                                ("contact tesla", "tesla-inc", "rung-customer-service")):
        page = client.get("/search", query_string={"q": query}).get_data(as_text=True)
        assert f'href="/companies/{slug}#{anchor}"' in page, query
    company_page = client.get("/companies/apple-inc").get_data(as_text=True)
    assert 'id="rung-complaints"' in company_page


def test_a_name_made_of_service_words_is_still_found(app, client):
    seed(app, ("Support Services Group Ltd", {}))
    page = client.get("/search?q=support+services").get_data(as_text=True)
    assert "/companies/support-services-group-ltd" in page


def test_no_results_offers_close_names_browsing_and_proposing_the_company(app, client):
    seed(app, ("Acme Widgets Ltd", {}))
    page = client.get("/search?q=acmewidgts").get_data(as_text=True)
    assert "/browse/" in page
    assert 'href="/contribute/new-company?name=acmewidgts"' in page
    assert "/companies/acme-widgets-ltd" in page  # a close name: one letter missed from its words run together
    assert "/companies/acme-widgets-ltd" not in client.get("/search?q=acmzzqx").get_data(as_text=True)


def test_propose_this_company_keeps_the_name_typed(app, client):
    from tests.community import log_in, make_user
    with app.app_context():
        make_user("ada@example.org")
    log_in(client, "ada@example.org")
    page = client.get("/contribute/new-company?name=Acme+Rockets").get_data(as_text=True)
    assert 'value="Acme Rockets"' in page
