"""The read-only JSON API: every response checked against the OpenAPI document's schemas."""
from __future__ import annotations

from datetime import date

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import event

from directory.extensions import db
from directory.models import Identifier
from directory.operations.companies import rename_company
from tests.factories import make_company, make_contact, make_position, make_source

PER_PAGE_CAP = 100


@pytest.fixture
def openapi(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def assert_matches(openapi: dict, schema_name: str, instance) -> None:
    """Validate against components/schemas/<name>, resolving $refs inside the document."""
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": openapi["components"]}
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def _seed_apple():
    filing = make_source(form_type="10-K", document_id="0000320193-22-000108", title="Form 10-K")
    apple = make_company("Apple Inc.", ticker="AAPL", cik="0000320193", former_names=["Apple Computer, Inc."],
                         ceo="Tim Cook", executives=[("Katherine Adams", "SVP, GC and Secretary", "secretary")],
                         city="Cupertino", region="CA", sic_code="3571", sector="Electronic Computers",
                         phone="(408) 996-1010", website="https://www.apple.com")
    make_contact(apple, "phone", "1-800-275-2273", label="AppleCare", source=filing)
    db.session.commit()
    return apple


def test_company_list_is_by_name_and_paginated(client, app, openapi):
    with app.app_context():
        for number in range(25):
            make_company(f"Company {number:02d}", ceo=f"Boss {number:02d}" if number % 2 else None)
        db.session.commit()

    body = client.get("/api/v1/companies?page=3&per_page=10").get_json()

    assert_matches(openapi, "CompanyList", body)
    assert (body["total"], body["page"], body["per_page"]) == (25, 3, 10)
    assert [row["name"] for row in body["results"]] == [f"Company {n}" for n in range(20, 25)]
    assert body["results"][1]["ceo"] == {"name": "Boss 21", "title": "Chief Executive Officer"}
    assert body["results"][0]["ceo"] is None
    assert body["results"][0]["url"] == "http://localhost/companies/company-20"


def test_next_links_walk_the_whole_listing_once_in_name_order(client, app, openapi):
    with app.app_context():
        for number in range(25):
            make_company(f"Company {number:02d}")
        db.session.commit()

    names, pages, url = [], [], "/api/v1/companies?per_page=7"
    while url:
        body = client.get(url).get_json()
        assert_matches(openapi, "CompanyList", body)
        names += [row["name"] for row in body["results"]]
        pages.append((body["page"], body["total"]))
        url = body["next"]
        assert url is None or ("after=" in url and "per_page=7" in url and "page=" not in url.replace("per_page", ""))
    assert names == [f"Company {n:02d}" for n in range(25)]
    assert pages == [(1, 25), (2, 25), (3, 25), (4, 25)]


def test_page_numbers_stop_at_the_documented_limit(client, openapi):
    limit = next(p for p in openapi["paths"]["/companies"]["get"]["parameters"] if p["name"] == "page")["schema"]["maximum"]
    assert client.get(f"/api/v1/companies?page={limit}").status_code == 200
    response = client.get(f"/api/v1/companies?page={limit + 1}")
    assert response.status_code == 400
    assert_matches(openapi, "Error", response.get_json())
    assert "follow the 'next' link" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("query", ["after=bm90IGEgY3Vyc29y", "after=WyJhIiwiYiIsMV0", "q=acme&after=WyJhIiwxLDJd"])
def test_a_well_formed_cursor_not_from_a_next_link_names_no_page(client, openapi, query):
    """A 404, as the document says: schemathesis sends any string the cursor's pattern allows
    and expects a 400 only for what the document itself forbids."""
    response = client.get(f"/api/v1/companies?{query}")
    assert response.status_code == 404
    assert_matches(openapi, "Error", response.get_json())


def test_an_empty_cursor_is_a_400(client, openapi):
    response = client.get("/api/v1/companies?after=")
    assert response.status_code == 400
    assert_matches(openapi, "Error", response.get_json())


def test_per_page_is_capped(client, app, openapi):
    body = client.get(f"/api/v1/companies?per_page={PER_PAGE_CAP * 5}").get_json()
    assert_matches(openapi, "CompanyList", body)
    assert body["per_page"] == PER_PAGE_CAP


@pytest.mark.parametrize("query, name", [
    ("page=0", "page"), ("page=abc", "page"), ("per_page=-5", "per_page"), ("per_page=1.5", "per_page"),
    ("page=", "page"), ("per_page=", "per_page"),  # empty is not a number either (schemathesis: ST201)
])
def test_bad_pagination_parameters_are_a_400_json_error(client, openapi, query, name):
    response = client.get(f"/api/v1/companies?{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert_matches(openapi, "Error", body)
    assert body["error"]["status"] == 400
    assert f"'{name}' must be a positive whole number" in body["error"]["message"]


def test_company_record_has_every_fact_with_its_source(client, app, openapi):
    with app.app_context():
        _seed_apple()

    response = client.get("/api/v1/companies/apple-inc")

    assert response.status_code == 200
    body = response.get_json()
    assert_matches(openapi, "Company", body)
    assert body["ceo"]["name"] == "Tim Cook" and body["ceo"]["is_ceo"] is True
    assert body["ceo"]["person_url"] == "http://localhost/people/tim-cook"
    assert body["ceo"]["source"] == {"url": "https://www.sec.gov/Archives/edgar/data/320193/000032019323000079/",
                                     "kind": "sec_filing", "as_of": "2023-08-08"}
    assert [e["name"] for e in body["executives"]] == ["Tim Cook", "Katherine Adams"]
    assert body["former_names"] == ["Apple Computer, Inc."]
    assert {(i["scheme"], i["value"]) for i in body["identifiers"]} == {("ticker", "AAPL"), ("cik", "0000320193")}
    cik = next(i for i in body["identifiers"] if i["scheme"] == "cik")
    assert cik["url"].startswith("https://www.sec.gov/cgi-bin/browse-edgar")
    assert body["contacts"] == [{"kind": "phone", "value": "1-800-275-2273", "label": "AppleCare",
                                 "tier": "customer_service", "status": "ok", "as_of": "2023-08-08",
                                 "quality": "filed", "tested_on": None, "role": None, "person_name": None, "organisation": None,
                                 "phone_reports": {"median_hold_minutes": None, "reports": 0, "way_to_person": None,
                                                   "way_to_person_reports": 0, "best_hours": []},
                                 "source": {"url": body["ceo"]["source"]["url"], "kind": "sec_filing",
                                            "as_of": "2023-08-08"}}]
    assert body["addresses"][0]["lines"] == ["1 Main Street", "Cupertino CA", "US"]
    assert body["last_verified"] == "2023-08-08"
    assert body["leadership_change"] is None


def test_an_unreviewed_leadership_change_says_who_leaves_or_joins(client, app, openapi):
    sentence = "On August 1, 2026, the Board appointed Jane Roe as Chief Executive Officer."
    with app.app_context():
        make_company("Boeing Co", leadership_change_on=date(2026, 8, 3), leadership_change_summary=sentence,
                     leadership_change_url="https://www.sec.gov/Archives/edgar/data/12927/x-index.htm")
        db.session.commit()
    body = client.get("/api/v1/companies/boeing-co").get_json()
    assert_matches(openapi, "Company", body)
    assert body["leadership_change"] == {"reported_on": "2026-08-03", "summary": sentence,
                                         "url": "https://www.sec.gov/Archives/edgar/data/12927/x-index.htm"}


def test_old_slug_redirects_to_the_current_api_url(client, app):
    with app.app_context():
        company = make_company("Facebook, Inc.")
        db.session.flush()
        rename_company(company, "Meta Platforms, Inc.")
        db.session.commit()

    response = client.get("/api/v1/companies/facebook-inc")

    assert response.status_code == 301
    assert response.headers["Location"].endswith("/api/v1/companies/meta-platforms-inc")
    assert client.get(response.headers["Location"]).get_json()["name"] == "Meta Platforms, Inc."


@pytest.mark.parametrize("path", ["/api/v1/companies/no-such-company", "/api/v1/people/no-such-person",
                                  "/api/v1/nothing-here"])
def test_unknown_things_are_a_404_json_error(client, openapi, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.is_json
    assert_matches(openapi, "Error", response.get_json())


def test_person_lists_positions_across_companies(client, app, openapi):
    with app.app_context():
        apple = _seed_apple()
        other = make_company("Nike, Inc.")
        make_position(other, apple.ceo_position.person, "Director", role="director")
        db.session.commit()

    body = client.get("/api/v1/people/tim-cook").get_json()

    assert_matches(openapi, "Person", body)
    assert body["url"] == "http://localhost/people/tim-cook"
    assert [(p["company"]["slug"], p["role"], p["is_ceo"]) for p in body["positions"]] == [
        ("apple-inc", "ceo", True), ("nike-inc", "director", False)]


def test_cross_origin_reads_are_allowed(client):
    response = client.get("/api/v1/companies")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/api/v1/companies", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]


def test_openapi_describes_every_api_route_and_every_reference_resolves(app, openapi):
    documented = {"/api/v1" + path.replace("{slug}", "<slug>") for path in openapi["paths"]}
    routes = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")}
    assert routes == documented
    assert openapi["openapi"].startswith("3.1")
    assert openapi["servers"] == [{"url": "http://localhost/api/v1"}]

    def refs(node):
        if isinstance(node, dict):
            if "$ref" in node:
                yield node["$ref"]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    for ref in refs(openapi):
        assert ref.removeprefix("#/components/schemas/") in openapi["components"]["schemas"], ref
    for operation in (op for item in openapi["paths"].values() for op in item.values()):
        assert "200" in operation["responses"]


def test_company_list_and_record_do_a_fixed_number_of_queries(client, app):
    statements = []

    def count(*args):
        statements.append(args[2])

    def queries_for(url):
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    with app.app_context():
        small = make_company("Small Co", ceo="Only Boss")
        make_contact(small, "phone", "555-0100", source=make_source())
        db.session.commit()
        few = queries_for("/api/v1/companies"), queries_for("/api/v1/companies/small-co")
        for number in range(30):
            make_company(f"More {number}", ceo=f"Boss {number}",
                         executives=[(f"Exec {number}-{i}", "Vice President", "other") for i in range(3)])
        big = make_company("Big Co", ceo="Big Boss",
                           executives=[(f"Big Exec {i}", "Vice President", "other") for i in range(20)])
        for i in range(10):
            make_contact(big, "email", f"exec{i}@example.com", tier="executive_office", source=make_source())
        db.session.commit()
        many = queries_for("/api/v1/companies?per_page=50"), queries_for("/api/v1/companies/big-co")
    assert many == few


def test_q_searches_through_the_search_index(client, app, openapi):
    with app.app_context():
        _seed_apple()
        make_company("Microsoft Corporation", ceo="Satya Nadella")
        db.session.commit()  # the search module indexes committed companies

    body = client.get("/api/v1/companies?q=tim+cook").get_json()

    assert_matches(openapi, "CompanyList", body)
    assert body["results"][0]["name"] == "Apple Inc."
    assert body["total"] == 1
    assert body["results"][0]["ceo"]["name"] == "Tim Cook"


@pytest.mark.parametrize("path", ["/api/v1/companies", "/api/v1/companies/apple-inc", "/search"])
def test_an_undeclared_method_is_a_405_that_says_which_methods_are_allowed(client, path):
    """RFC 9110: a 405 must carry `Allow`; schemathesis found TRACE answered without it."""
    response = client.open(path, method="TRACE")
    assert response.status_code == 405
    assert {method.strip() for method in response.headers["Allow"].split(",")} >= {"GET", "HEAD"}


def test_last_verified_is_one_date_on_the_page_and_in_the_api(client, app):
    """The page once said 1 March 2025 (an identifier's source) and the API 2023-08-08."""
    with app.app_context():
        apple = make_company("Apple Inc.", ceo="Tim Cook")
        apple.positions[0].source = make_source(filed_on=date(2023, 8, 8), document_id="form-4")
        apple.identifiers.append(Identifier(scheme="lei", value="HWUPKR0MPOU8FGXBT394",
                                            source=make_source(filed_on=date(2025, 3, 1), document_id="lei")))
        db.session.commit()
    assert client.get("/api/v1/companies/apple-inc").get_json()["last_verified"] == "2025-03-01"
    assert "1 March 2025" in client.get("/companies/apple-inc").get_data(as_text=True)


def test_a_nul_in_the_query_is_refused_as_the_document_says(client, openapi):
    q = next(p for p in openapi["paths"]["/companies"]["get"]["parameters"] if p["name"] == "q")
    assert q["schema"]["pattern"] == "^[^\\u0000]*$"
    response = client.get("/api/v1/companies?q=ac%00me")
    assert response.status_code == 400
    assert_matches(openapi, "Error", response.get_json())


def test_a_name_filed_in_capitals_is_the_legal_name_not_a_former_one(client, app, openapi):
    with app.app_context():
        make_company("Wolfspeed, Inc.", cik="0000895419", former_names=["CREE, INC.", "WOLFSPEED, INC."])
        db.session.commit()
    body = client.get("/api/v1/companies/wolfspeed-inc").get_json()
    assert_matches(openapi, "Company", body)
    assert (body["name"], body["legal_name"], body["former_names"]) == (
        "Wolfspeed, Inc.", "WOLFSPEED, INC.", ["CREE, INC."])
