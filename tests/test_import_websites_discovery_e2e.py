"""Finding a company's pages from its home page alone, over real HTTP on 127.0.0.1.

The site below has only a home page address on record. Its header and footer link a contact
page (JSON-LD with a contactPoint given by `@id`, press and investor mailboxes), a German
customer-service page in ISO-8859-1, a help page that redirects off the site, and an
Impressum that answers 429; its robots.txt names a sitemap index whose gzipped sitemap lists
the complaints procedure and a page that is gone (404). The request log proves what was read,
in what order, and what was never requested.
"""
from __future__ import annotations

import gzip

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.models import Company, Contact, ProposedChange, WebsiteRead
from scrapers.websites import WebsiteReader, read_website
from tests.conftest import _config
from tests.edgar_server import EdgarServer, Scripted
from tests.factories import make_company

USER_AGENT = "CEO Directory tests tests@example.org"
HTML = {"Content-Type": "text/html; charset=utf-8"}

HOME = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Example Energy</title></head><body>
<header><nav><a href="/">Home</a> <a href="/contact-us">Contact us</a> <a href="/help">Help</a></nav></header>
<main><h1>Cheaper energy</h1><p>Read about <a href="/blog/helpful-tips">our tips</a>.</p></main>
<footer><ul><li><a href="/de/kundenservice">Kundenservice</a></li><li><a href="/impressum">Impressum</a></li>
<li><a href="/support">Support</a></li><li><a href="https://x.com/ExampleEnergyHelp">X</a></li></ul></footer>
</body></html>"""

CONTACT = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Contact us</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Organization",
 "name": "Example Energy Ltd", "contactPoint": [{"@id": "#service-line"}],
 "sameAs": ["https://www.facebook.com/exampleenergy"]}</script>
<script type="application/ld+json">{"@context": "https://schema.org", "@id": "#service-line",
 "@type": "ContactPoint", "telephone": "+44 330 100 0000", "contactType": "customer service",
 "contactOption": "TollFree", "areaServed": "GB"}</script></head><body>
<h1>Contact us</h1>
<div><h2>Press office</h2><p><a href="mailto:press@example-energy.test">press@example-energy.test</a></p></div>
<div><h2>Investor relations</h2><p><a href="mailto:ir@example-energy.test">ir@example-energy.test</a></p></div>
</body></html>"""

# ISO-8859-1: "Öffnungszeiten", "für" and "Straße" are single bytes, declared in the HTTP header only.
KUNDENSERVICE = """<html><head><title>Kundenservice</title></head><body>
<h1>Wir helfen gerne</h1>
<div class="box"><p>Kundenhotline</p><p><a href="tel:+493012345678">030 1234 5678</a></p>
<p>Öffnungszeiten: Mo. bis Fr. 8:00 - 18:00 Uhr</p></div>
<div class="box"><p>Schreiben Sie uns:
<a href="mailto:kundenservice@example-energy.test">E-Mail für Fragen</a></p></div>
</body></html>""".encode("iso-8859-1")

COMPLAINTS = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>How to complain</title></head><body>
<h1>How to complain</h1>
<p>Email <a href="mailto:complaints@example-energy.test">complaints@example-energy.test</a>.</p>
<p>We will send you a final response within eight weeks.</p>
<p>If you are still unhappy, you can ask the Energy Ombudsman to look at your complaint.</p>
</body></html>"""


def sitemaps(base: str) -> tuple[bytes, bytes]:
    index = (f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"<sitemap><loc>{base}/sitemaps/products.xml</loc></sitemap>"
             f"<sitemap><loc>{base}/sitemaps/pages.xml.gz</loc></sitemap></sitemapindex>").encode()
    pages = (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"<url><loc>{base}/products/heat-pump</loc></url><url><loc>{base}/how-to-complain</loc></url>"
             f"<url><loc>{base}/contact/old</loc></url><url><loc>{base}/contact-us</loc></url></urlset>").encode()
    return index, gzip.compress(pages)


@pytest.fixture
def site():
    with EdgarServer() as server:
        base = server.base_url
        index, pages = sitemaps(base)
        off_site = base.replace("127.0.0.1", "localhost")
        robots = f"User-agent: *\nDisallow: /private/\nSitemap: {base}/sitemaps/index.xml\n"
        server.script("/robots.txt", Scripted(200, robots.encode(), {"Content-Type": "text/plain"}))
        server.script("/", Scripted(200, HOME.encode(), HTML))
        server.script("/sitemaps/index.xml", Scripted(200, index, {"Content-Type": "application/xml"}))
        server.script("/sitemaps/pages.xml.gz", Scripted(200, pages, {"Content-Type": "application/gzip"}))
        server.script("/contact-us", Scripted(200, CONTACT.encode(), HTML))
        server.script("/de/kundenservice",
                      Scripted(200, KUNDENSERVICE, {"Content-Type": "text/html; charset=ISO-8859-1"}))
        server.script("/how-to-complain", Scripted(200, COMPLAINTS.encode(), HTML))
        server.script("/help", Scripted(302, headers={"Location": f"{off_site}/help"}))
        server.script("/impressum", *[Scripted(429, headers={"Retry-After": "0"})] * 2)
        yield server


def paths(server) -> list[str]:
    return [r.path for r in server.requests]


def test_the_pages_are_found_from_the_home_page_best_first_within_the_budget(site):
    with WebsiteReader(USER_AGENT, allow_private_addresses=True, requests_per_second=10.0) as reader:
        reading = read_website(reader, f"{site.base_url}/")
    assert [p.url.removeprefix(site.base_url) for p in reading.pages] == [
        "/", "/contact-us", "/de/kundenservice", "/how-to-complain"]
    assert paths(site) == [
        "/robots.txt", "/", "/sitemaps/index.xml", "/sitemaps/pages.xml.gz",  # the index's pages sitemap, not products
        "/contact-us", "/de/kundenservice", "/how-to-complain", "/contact/old",  # contact pages, then complaints
        "/help", "/impressum", "/impressum",  # help and legal notice; the 429 is asked twice, then the site rests
    ]
    assert [(p.url.removeprefix(site.base_url), p.message) for p in reading.problems] == [
        ("/contact/old", "HTTP 404"), ("/impressum", "HTTP 429 after 2 attempts")]
    assert [(p.url.removeprefix(site.base_url), p.message) for p in reading.skipped] == [
        ("/help", "redirected off the site 127.0.0.1")]
    assert "/support" not in paths(site)  # after the 429, nothing more is asked of the site


def test_a_page_budget_of_three_reads_the_home_page_and_the_two_best(site):
    with WebsiteReader(USER_AGENT, allow_private_addresses=True, requests_per_second=10.0, page_budget=3) as reader:
        reading = read_website(reader, f"{site.base_url}/")
    assert [p.url.removeprefix(site.base_url) for p in reading.pages] == ["/", "/contact-us", "/de/kundenservice"]
    assert reading.problems == ()


@pytest.fixture
def app_config(tmp_path, database_uri):
    return _config(tmp_path, database_uri, SCRAPER_USER_AGENT=USER_AGENT, SCRAPER_ALLOW_PRIVATE_ADDRESSES=True,
                   SCRAPER_HOST_REQUESTS_PER_SECOND=10.0)


def test_scrape_websites_all_reads_each_known_home_page_and_places_each_contact(app, runner, client, site):
    with app.app_context():
        make_company("Example Energy Ltd", slug="example-energy", country="GB").website = f"{site.base_url}/"
        db.session.commit()
    result = runner.invoke(args=["scrape", "websites", "--all"])
    assert result.exit_code == 2, result.output  # the 404 and the 429
    assert f"failed: {site.base_url}/contact/old: HTTP 404" in result.output
    assert f"failed: {site.base_url}/impressum: HTTP 429 after 2 attempts" in result.output
    assert f"skipped: {site.base_url}/help: redirected off the site 127.0.0.1" in result.output
    assert "localhost" not in " ".join(r.headers.get("Host", "") for r in site.requests)
    with app.app_context():
        company = db.session.scalar(select(Company).where(Company.slug == "example-energy"))
        found = {(c.tier, c.role, c.kind, c.value): (c.label, c.source.url.removeprefix(site.base_url))
                 for c in company.contacts}
        assert found[("customer_service", "customer_service", "phone", "+44 330 100 0000")] == (
            "Customer service, toll free (GB)", "/contact-us")
        assert found[("customer_service", "customer_service", "phone", "030 1234 5678")] == (
            "Kundenhotline. Öffnungszeiten: Mo. bis Fr. 8:00 - 18:00 Uhr", "/de/kundenservice")
        assert found[("customer_service", "customer_service", "email", "kundenservice@example-energy.test")][1] == \
            "/de/kundenservice"
        assert found[("complaints", "complaints", "email", "complaints@example-energy.test")] == (
            "How to complain. We will send you a final response within eight weeks. Next step: Energy Ombudsman",
            "/how-to-complain")
        assert found[("executive_office", "press", "email", "press@example-energy.test")][1] == "/contact-us"
        assert found[("executive_office", "investor_relations", "email", "ir@example-energy.test")][1] == "/contact-us"
        assert ("customer_service", "social", "url", "https://x.com/ExampleEnergyHelp") in found
        assert ("customer_service", "social", "url", "https://www.facebook.com/exampleenergy") in found
        read = db.session.get(WebsiteRead, company.id)
        assert (read.pages_read, read.pages_failed) == (4, 2)
    page = client.get("/companies/example-energy").get_data(as_text=True)
    complaints = page.split('class="rung rung-complaints"')[1].split('class="rung rung-executive-office"')[0]
    assert "complaints@example-energy.test" in complaints and "Energy Ombudsman" in complaints


def test_a_press_mailbox_sits_beside_a_moderators_executive_office_email_not_against_it(app, runner, site):
    with app.app_context():
        company = make_company("Example Energy Ltd", slug="example-energy", country="GB")
        company.website = f"{site.base_url}/"
        company.contacts.append(Contact(kind="email", value="ceo.office@example-energy.test", tier="executive_office",
                                        quality="verified"))
        db.session.commit()
    result = runner.invoke(args=["scrape", "websites", "--all"])
    assert "Proposed changes for moderators: 0." in result.output
    with app.app_context():
        emails = {(c.role, c.value) for c in db.session.scalar(select(Company)).contacts
                  if c.tier == "executive_office"}
        assert emails == {(None, "ceo.office@example-energy.test"), ("press", "press@example-energy.test"),
                          ("investor_relations", "ir@example-energy.test")}
        assert db.session.scalar(select(ProposedChange)) is None
