"""The website parsers against the pages in ../shared/fixtures/websites (written in the shapes
real sites use; its README lists what each must yield) and small pages for the other shapes."""
from __future__ import annotations

import codecs
import gzip

import pytest

from scrapers.errors import ParseError
from scrapers.websites import (RUNGS, AddressPolicy, OffSite, RefusedURL, Site, is_public_address, parse_page,
                               social_account)
from scrapers.websites.discover import sitemap_locations

BASE = "http://127.0.0.1:8000"


def page(shared_fixtures, path: str):
    """Parse a fixture page as if served from BASE (folders from their index.html)."""
    file = shared_fixtures / "websites" / path.strip("/") / "index.html"
    if not file.exists():
        file = shared_fixtures / "websites" / path.strip("/")
    return parse_page(file.read_bytes(), f"{BASE}/{path}")


def channels(reading) -> set[tuple[str, str, str]]:
    return {(c.role, c.kind, c.value) for c in reading.contacts}


def links(reading) -> list[tuple[str, str]]:
    return [(link.url, link.kind) for link in reading.links]


# -- the fixture sites ------------------------------------------------------------------------

def test_apple_contact_page_json_ld_support_line_not_the_sales_line(shared_fixtures):
    reading = page(shared_fixtures, "apple/contact/")
    assert channels(reading) == {
        ("customer_service", "phone", "+1-800-275-2273"),
        ("customer_service", "url", "https://support.apple.com/contact"),
    }
    assert all("692-7753" not in c.value for c in reading.contacts)  # the sales line
    assert reading.contacts[0].label == "Customer support (US)"
    office = reading.head_office
    assert (office.address.line1, office.address.city, office.address.region, office.address.postal_code) == (
        "One Apple Park Way", "Cupertino", "CA", "95014")
    assert office.phone == "+1-408-996-1010"
    assert [(a.network, a.handle, a.is_support) for a in reading.social] == [
        ("X", "AppleSupport", True), ("YouTube", "apple", False), ("Instagram", "apple", False)]


def test_apple_home_links_to_its_contact_and_support_pages_only(shared_fixtures):
    reading = page(shared_fixtures, "apple/")
    assert links(reading) == [(f"{BASE}/apple/support", "help"), (f"{BASE}/apple/contact/", "contact")]
    assert reading.contacts == () and reading.social == ()


def test_microsoft_contact_page_customer_service_heading_with_hours_and_head_office(shared_fixtures):
    reading = page(shared_fixtures, "microsoft/en-us/contact/")
    assert channels(reading) == {("customer_service", "phone", "1-800-642-7676")}
    assert reading.contacts[0].label == "Customer Service. Hours: Monday to Friday, 6 AM to 6 PM Pacific Time"
    office = reading.head_office
    assert (office.address.line1, office.address.city, office.address.postal_code) == (
        "One Microsoft Way", "Redmond", "98052-6399")
    assert office.phone == "(425) 882-8080"


def test_microsoft_home_support_account_and_links(shared_fixtures):
    reading = page(shared_fixtures, "microsoft/en-us/")
    assert [(a.network, a.handle, a.is_support) for a in reading.social] == [("X", "MicrosoftHelps", True)]
    assert links(reading) == [(f"{BASE}/microsoft/en-us/contact/", "contact"),
                              (f"{BASE}/microsoft/en-us/private/escalations.html", "complaints")]


def test_fictional_retailer_iso_8859_1_help_page(shared_fixtures):
    reading = page(shared_fixtures, "fictional-retailer/help/")
    assert channels(reading) == {
        ("customer_service", "phone", "0333 014 0000"),
        ("customer_service", "email", "customer.services@fictional-retailer.example"),
    }
    assert "Café" in reading.contacts[0].label  # é was one ISO-8859-1 byte
    assert "\u00ad" not in reading.contacts[0].label  # the soft hyphen is not kept


def test_fictional_retailer_complaints_page_address_email_and_form(shared_fixtures):
    reading = page(shared_fixtures, "fictional-retailer/help/complaints/")
    assert channels(reading) == {
        ("complaints", "postal", "Customer Relations, Fictional Retailer plc, 1 Example Street, Leeds LS1 1AA"),
        ("complaints", "email", "complaints@fictional-retailer.example"),
        ("complaints", "web_form", f"{BASE}/fictional-retailer/help/complaints/"),
    }
    assert {c.label for c in reading.contacts} >= {
        "Our complaints procedure. We will send you a final response within eight weeks."}


def test_fictional_retailer_home_social_links_and_help_pages(shared_fixtures):
    reading = page(shared_fixtures, "fictional-retailer/")
    assert [(a.network, a.handle, a.is_support) for a in reading.social] == [
        ("Facebook", "fictionalretailer", False), ("X", "FictionalHelp", True)]
    assert links(reading) == [(f"{BASE}/fictional-retailer/help/", "contact"),  # "Help & Customer Services"
                              (f"{BASE}/fictional-retailer/help/complaints/", "complaints"),
                              (f"{BASE}/fictional-retailer/help/missing", "help")]


# -- other shapes -------------------------------------------------------------------------------

def html(body: str, head: str = "") -> bytes:
    return f'<!DOCTYPE html><html><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'.encode()


def test_microdata_contact_points():
    body = """<div itemscope itemtype="https://schema.org/Organization"><span itemprop="name">Example plc</span>
      <div itemprop="contactPoint" itemscope itemtype="https://schema.org/ContactPoint">
        <span itemprop="contactType">customer service</span>
        <span itemprop="telephone">+44 20 7946 0000</span>
        <a itemprop="email" href="mailto:help@example.co.uk">help@example.co.uk</a>
        <meta itemprop="areaServed" content="GB">
      </div>
      <div itemprop="contactPoint" itemscope itemtype="https://schema.org/ContactPoint">
        <span itemprop="contactType">Complaints</span><span itemprop="email">complaints@example.co.uk</span>
      </div></div>"""
    reading = parse_page(html(body), "https://example.co.uk/")
    assert channels(reading) == {
        ("customer_service", "phone", "+44 20 7946 0000"),
        ("customer_service", "email", "help@example.co.uk"),
        ("complaints", "email", "complaints@example.co.uk"),
    }
    assert reading.contacts[0].label == "Customer service (GB)"


def test_entity_encoded_mailto_and_a_link_that_names_complaints_itself():
    body = """<h2>Contact us</h2><p><a href="mailto:care&#64;example.com">care&#64;example.com</a>
      <a href="mailto:resolutions@example.com">Make a complaint</a></p>"""
    reading = parse_page(html(body), "https://example.com/contact")
    assert channels(reading) == {("customer_service", "email", "care@example.com"),
                                 ("complaints", "email", "resolutions@example.com")}


def test_a_page_without_contact_headings_or_markup_yields_nothing():
    body = """<h1>Our history</h1><p>Founded 1901. Call our museum on <a href="tel:+15550100">555 0100</a>.</p>
      <script type="application/ld+json">{"@type": "Organization", "contactPoint":
      {"@type": "ContactPoint", "contactType": "sales", "telephone": "+1-800-555-0100"}}</script>"""
    reading = parse_page(html(body), "https://example.com/history")
    assert reading.contacts == ()


def test_share_buttons_and_personal_profiles_are_not_company_accounts():
    assert social_account("https://twitter.com/intent/tweet?text=hi") is None
    assert social_account("https://www.facebook.com/sharer/sharer.php?u=x") is None
    assert social_account("https://www.linkedin.com/in/some-person") is None
    assert social_account("https://www.linkedin.com/company/example-plc/").url == \
        "https://www.linkedin.com/company/example-plc"
    assert social_account("https://bsky.app/profile/example.com").handle == "example.com"
    assert social_account("https://www.threads.net/@examplehelp").is_support


def test_bytes_that_are_not_the_declared_charset_are_refused_not_guessed():
    with pytest.raises(ParseError, match="not valid utf-8"):
        parse_page(b'<html><head><meta charset="utf-8"></head><body>caf\xe9 \xff</body></html>', "https://x.test/")
    with pytest.raises(ParseError, match="unknown charset"):
        parse_page(b"<html><body>x</body></html>", "https://x.test/", "text/html; charset=no-such-codec")


def test_the_servers_charset_wins_over_the_default():
    reading = parse_page("<h1>Service clientèle</h1><a href='tel:+33100000000'>01 00 00 00 00</a>".encode("cp1252"),
                         "https://x.test/", "text/html; charset=windows-1252")
    assert reading.contacts == ()  # French heading, no English words: nothing guessed
    assert reading.title is None


# -- the address check (SSRF) -------------------------------------------------------------------

@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254",
                                     "0.0.0.0", "::1", "fe80::1", "::ffff:127.0.0.1", "fd00::1", "224.0.0.1"])
def test_non_public_addresses(address):
    assert not is_public_address(address)


def test_public_addresses():
    assert is_public_address("17.253.144.10") and is_public_address("2620:149:af0::10")


def test_a_host_that_resolves_to_a_private_address_is_refused():
    policy = AddressPolicy(resolve=lambda host, port: {"intranet.example": ["10.0.0.5"],
                                                       "www.example": ["93.184.215.14"]}[host])
    policy.check("https://www.example/contact")
    with pytest.raises(RefusedURL, match="10.0.0.5"):
        policy.check("https://intranet.example/")
    for url in ("file:///etc/passwd", "ftp://www.example/", "http:///nohost"):
        with pytest.raises(RefusedURL, match="only http and https"):
            policy.check(url)


def test_a_byte_order_mark_says_the_encoding():
    body = "<h1>Customer service</h1><a href='mailto:aide@exemple.fr'>Écrivez-nous</a>"
    reading = parse_page(codecs.BOM_UTF16_LE + body.encode("utf-16-le"), "https://x.test/")
    assert channels(reading) == {("customer_service", "email", "aide@exemple.fr")}


# -- roles, labels and the complaints procedure ---------------------------------------------

def test_press_and_investor_contact_points_go_to_the_executive_office_rung():
    head = """<script type="application/ld+json">{"@type": "Corporation", "contactPoint": [
      {"@type": "ContactPoint", "contactType": "Press", "email": "media@example.com"},
      {"@type": "ContactPoint", "contactType": "Investor Relations", "telephone": "+1 212 555 0100"},
      {"@type": "ContactPoint", "contactType": "sales", "telephone": "+1 800 555 0199"}]}</script>"""
    reading = parse_page(html("", head), "https://example.com/")
    assert channels(reading) == {("press", "email", "media@example.com"),
                                 ("investor_relations", "phone", "+1 212 555 0100")}
    assert {RUNGS[c.role] for c in reading.contacts} == {"executive_office"}


def test_a_german_pressekontakt_is_press_not_customer_service():
    body = """<h2>Kontakt</h2>
      <div><p>Pressekontakt</p><p><a href="mailto:presse@beispiel.de">presse@beispiel.de</a></p></div>
      <div><p>Kundenservice</p><p><a href="mailto:hilfe@beispiel.de">Schreiben Sie uns</a></p></div>"""
    reading = parse_page(html(body), "https://beispiel.de/kontakt")
    assert {(c.role, c.value, c.label) for c in reading.contacts} == {
        ("press", "presse@beispiel.de", "Pressekontakt"), ("customer_service", "hilfe@beispiel.de", "Kundenservice")}


def test_a_uk_complaints_procedure_names_its_ombudsman_as_the_next_step():
    body = """<h1>How to complain</h1><p>Call <a href="tel:+443001234567">0300 123 4567</a>.</p>
      <p>We aim to send our final response within 8 weeks.</p>
      <p>If you're unhappy with our answer, you can refer your complaint to the Financial Ombudsman Service,
      free of charge.</p>"""
    reading = parse_page(html(body), "https://bank.example.co.uk/complaints")
    assert reading.ombudsman == "Financial Ombudsman Service"
    (contact,) = reading.contacts
    assert (contact.role, contact.value) == ("complaints", "0300 123 4567")
    assert contact.label == ("How to complain. We aim to send our final response within 8 weeks. "
                             "Next step: Financial Ombudsman Service")


def test_an_ombudsman_on_a_page_not_about_complaints_is_not_a_next_step():
    body = "<h1>News</h1><p>The Energy Ombudsman published its annual report today.</p>"
    assert parse_page(html(body), "https://example.co.uk/news").ombudsman is None


def test_a_contact_link_that_shows_nothing_is_not_read():
    body = """<h2>Customer service</h2><p><a href="tel:+441111111111"></a>
      <a href="tel:+442222222222" aria-label="Call customer service"></a></p>"""
    reading = parse_page(html(body), "https://example.com/")
    assert channels(reading) == {("customer_service", "phone", "+442222222222")}


# -- which pages to read next -------------------------------------------------------------------

def test_links_in_header_and_footer_come_first_and_german_words_count():
    body = """<main><a href="/hilfe/versand">Versand</a> <a href="/blog/helpful-tips">Tips</a>
      <a href="/finanzhilfe">Finanzhilfe</a></main>
      <div id="page-footer"><a href="/service/beschwerde">Beschwerde einreichen</a> <a href="/impressum">Impressum</a>
      <a href="https://other.example/kontakt">Partner</a> <a href="https://hilfe.shop.example/">Hilfe-Center</a></div>
      <header><a href="/kontakt?src=top">Kontakt</a></header>"""
    reading = parse_page(html(body), "https://www.shop.example/")
    assert links(reading) == [
        ("https://www.shop.example/service/beschwerde", "complaints"), ("https://www.shop.example/impressum", "legal"),
        ("https://hilfe.shop.example/", "help"),  # a subdomain is the same site; other.example is not
        ("https://www.shop.example/kontakt?src=top", "contact"), ("https://www.shop.example/hilfe/versand", "help")]


# -- sitemaps ----------------------------------------------------------------------------------

SITEMAP_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def test_a_sitemap_lists_pages_and_an_index_lists_sitemaps():
    urlset = f'<urlset {SITEMAP_NS}><url><loc> https://x.test/kontakt </loc></url><url><loc>/help</loc></url></urlset>'
    assert sitemap_locations(urlset.encode(), "https://x.test/sitemap.xml", 10_000) == (
        ["https://x.test/kontakt", "https://x.test/help"], [])
    index = f'<sitemapindex {SITEMAP_NS}><sitemap><loc>https://x.test/s/products.xml</loc></sitemap></sitemapindex>'
    assert sitemap_locations(gzip.compress(index.encode()), "https://x.test/s.xml.gz", 10_000) == (
        [], ["https://x.test/s/products.xml"])


def test_a_sitemap_cannot_read_files_or_unpack_without_limit():
    hostile = (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
               b'<urlset><url><loc>https://x.test/&secret;</loc></url></urlset>')
    pages, _ = sitemap_locations(hostile, "https://x.test/sitemap.xml", 10_000)
    assert pages == ["https://x.test/"]  # the entity is left unresolved, never read from disk
    with pytest.raises(ParseError, match="larger than 1000 bytes unpacked"):
        sitemap_locations(gzip.compress(b"<urlset>" + b" " * 5000 + b"</urlset>"), "https://x.test/s.gz", 1000)
    with pytest.raises(ParseError, match="not a sitemap"):
        sitemap_locations(b"<html><body>Not found", "https://x.test/sitemap.xml", 10_000)


def test_the_site_is_the_home_pages_host_and_its_subdomains():
    site = Site.of("https://www.apple.com/uk/")
    assert site.holds("https://support.apple.com/contact") and site.holds("http://apple.com/")
    assert not site.holds("https://notapple.com/") and not site.holds("https://apple.com.evil.example/")
    with pytest.raises(OffSite, match="redirected off the site apple.com"):
        site.check("https://zendesk.example/apple")


def test_contact_point_opening_hours_and_a_country_written_out():
    head = """<script type="application/ld+json">{"@type": "Organization", "address": {"@type": "PostalAddress",
      "streetAddress": "Hauptstraße 1", "addressLocality": "Köln", "addressCountry": "Deutschland"},
      "contactPoint": {"@type": "ContactPoint", "contactType": "Kundenservice", "telephone": "+49 221 000000",
      "openingHoursSpecification": {"dayOfWeek": ["Monday", "Friday"], "opens": "08:00", "closes": "20:00"}}}</script>"""
    reading = parse_page(html("", head), "https://beispiel.de/")
    assert reading.contacts[0].label == "Kundenservice. Hours: Monday, Friday 08:00-20:00"
    assert reading.head_office.address.country == "DE"


def test_press_2_on_a_service_line_is_a_key_to_press_not_the_press_office():
    body = """<h2>Customer service</h2><p>Call <a href="tel:+443001111111">0300 111 1111</a> and press 2 for billing.</p>"""
    reading = parse_page(html(body), "https://example.co.uk/help")
    assert channels(reading) == {("customer_service", "phone", "0300 111 1111")}
