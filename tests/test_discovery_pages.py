"""What search engines and link previews read from a page: the title that answers the query,
the canonical link, Open Graph tags, and schema.org JSON-LD parsed as a consumer would."""
from __future__ import annotations

import json
from contextlib import contextmanager

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from directory import create_app
from directory.extensions import db
from directory.models import Company
from directory.security import CONTENT_SECURITY_POLICY
from tests.conftest import _config
from tests.factories import make_company, make_contact

PUBLIC = "https://ceo.example.org"


@pytest.fixture
def app_config(tmp_path, database_uri):
    return _config(tmp_path, database_uri, PUBLIC_URL=PUBLIC)


def json_ld(html: str) -> dict:
    blocks = BeautifulSoup(html, "lxml").find_all("script", type="application/ld+json")
    assert len(blocks) == 1
    return json.loads(blocks[0].string)


def test_json_ld_of_every_company_page_of_the_bundled_snapshot(app, client, runner):
    """Every page with more than the listing's facts (people, an address, contacts), and one in
    fifty of the thousands known from SEC's listing alone."""
    assert runner.invoke(args=["import", app.config["SNAPSHOT_PATH"]]).exit_code == 0
    with app.app_context():
        companies = [c for index, c in enumerate(db.session.scalars(select(Company).order_by(Company.slug)))
                     if c.positions or c.addresses or c.contacts or index % 50 == 0]
        expected = {c.slug: (c.name, c.ceo_position.person.name if c.ceo_position else None,
                             bool(c.postal_address)) for c in companies}
        legal = {c.slug: c.legal_name.name for c in companies if c.legal_name}
    assert legal["microsoft-corp"] == "MICROSOFT CORP"  # the register's form of "Microsoft Corp"
    assert len(expected) >= 5
    for slug, (name, ceo, has_address) in expected.items():
        response = client.get(f"/companies/{slug}")
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY  # unchanged: no inline code
        data = json_ld(response.get_data(as_text=True))
        assert data["@context"] == "https://schema.org" and data["@type"] == "Organization"
        assert (data["name"], data["legalName"]) == (name, legal.get(slug, name))
        assert data["url"].startswith("http") and data["mainEntityOfPage"] == f"{PUBLIC}/companies/{slug}"
        assert all(url.startswith("https://") for url in data.get("sameAs", []))
        if has_address:
            assert data["address"]["@type"] == "PostalAddress" and data["address"]["addressCountry"]
        for point in data.get("contactPoint", []):
            assert point["@type"] == "ContactPoint" and point["contactType"]
            assert {"telephone", "email", "url"} & set(point)
        if ceo:
            first = data["employee"][0]
            assert first == {**first, "@type": "Person", "name": ceo} and first["jobTitle"]
            assert first["url"].startswith(f"{PUBLIC}/people/")


def test_company_page_title_canonical_and_open_graph(app, client):
    with app.app_context():
        acme = make_company("Apple Inc.", ceo="Timothy D. Cook", city="Cupertino", region="CA",
                            website="https://www.apple.com", phone="(408) 996-1010", cik="0000320193")
        make_contact(acme, "phone", "800-275-2273", tier="customer_service", label="AppleCare")
        db.session.commit()
    soup = BeautifulSoup(client.get("/companies/apple-inc?utm_source=x").get_data(as_text=True), "lxml")
    title = "Who is the CEO of Apple Inc.? Timothy D. Cook. Contacts and how to escalate"
    assert soup.title.get_text() == title
    assert soup.find("meta", attrs={"name": "description"})["content"].startswith(
        "Timothy D. Cook is Chief Executive Officer of Apple Inc.")
    assert soup.find("link", rel="canonical")["href"] == f"{PUBLIC}/companies/apple-inc"
    og = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
    assert og["og:title"] == title and og["og:url"] == f"{PUBLIC}/companies/apple-inc"
    assert og["og:description"].startswith("Timothy D. Cook") and og["og:site_name"] == "CEO Directory"
    data = json_ld(str(soup))
    assert data["url"] == "https://www.apple.com" and data["telephone"] == "(408) 996-1010"
    assert data["contactPoint"] == [{"@type": "ContactPoint", "contactType": "Customer service",
                                     "telephone": "800-275-2273", "name": "AppleCare"}]
    assert "https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK=0000320193" in data["sameAs"]


def test_person_page_is_a_person_who_works_for_the_company(app, client):
    with app.app_context():
        make_company("Apple Inc.", ceo="Timothy D. Cook")
        db.session.commit()
    html = client.get("/people/timothy-d-cook").get_data(as_text=True)
    data = json_ld(html)
    assert data["@type"] == "Person" and data["name"] == "Timothy D. Cook"
    assert data["jobTitle"] == "Chief Executive Officer"
    assert data["worksFor"] == [{"@type": "Organization", "name": "Apple Inc.", "url": f"{PUBLIC}/companies/apple-inc"}]
    soup = BeautifulSoup(html, "lxml")
    assert soup.title.get_text().startswith("Timothy D. Cook, Chief Executive Officer of Apple Inc.")
    assert soup.find("meta", property="og:type")["content"] == "profile"


def test_a_hostile_name_cannot_close_the_json_ld_block(app, client):
    name = "</script><script>alert(1)</script> & Co"
    with app.app_context():
        make_company(name, slug="hostile-co")
        db.session.commit()
    html = client.get("/companies/hostile-co").get_data(as_text=True)
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and json.loads(block)["name"] == name


@contextmanager
def app_without_public_url(tmp_path, database_uri, **options):
    app = create_app(_config(tmp_path, database_uri), **options)
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_without_public_url_development_links_to_the_address_it_serves_on(tmp_path, database_uri):
    """`PORT=5077 make run` links to port 5077; never the request's Host header (production
    refuses to start without PUBLIC_URL: tests/test_security_findings.py)."""
    with app_without_public_url(tmp_path, database_uri) as app:
        client = app.test_client()
        html = client.get("/about", base_url="http://127.0.0.1:5077",
                          headers={"Host": "attacker.example"}).get_data(as_text=True)
        sitemap = client.get("/sitemap.xml", base_url="http://127.0.0.1:5077").get_data(as_text=True)
        robots = client.get("/robots.txt", base_url="http://127.0.0.1:5077").get_data(as_text=True)
    assert '<link rel="canonical" href="http://127.0.0.1:5077/about">' in html
    assert "attacker.example" not in html
    assert "http://127.0.0.1:5077/" in sitemap and "localhost:5000" not in sitemap
    assert "Sitemap: http://127.0.0.1:5077/sitemap.xml" in robots
