"""Reading websites over real HTTP on 127.0.0.1: the fixture sites of ../shared/fixtures/websites
(robots.txt at the root forbids /microsoft/en-us/private/), and scripted answers for the bad
cases (redirect loops, a 50 MB page, a stalled server, bytes that are not the declared charset).
Politeness and refusals are proved from the server's own request log."""
from __future__ import annotations

import socket

import pytest

from scrapers.errors import ConfigurationError
from scrapers.websites import AddressPolicy, WebsiteReader, read_website
from tests.edgar_server import EdgarServer, Scripted

USER_AGENT = "CEO Directory tests tests@example.org"


@pytest.fixture
def site(shared_fixtures):
    with EdgarServer(shared_fixtures / "websites") as server:
        yield server


def reader(**options) -> WebsiteReader:
    options.setdefault("allow_private_addresses", True)
    options.setdefault("requests_per_second", 10.0)
    return WebsiteReader(USER_AGENT, **options)


def paths(server) -> list[str]:
    return [r.path for r in server.requests]


def test_a_user_agent_is_required_and_named():
    with pytest.raises(ConfigurationError, match="SCRAPER_USER_AGENT"):
        WebsiteReader("  ")


def test_fictional_retailer_read_end_to_end_with_its_404_reported(site):
    with reader() as web:
        reading = read_website(web, f"{site.base_url}/fictional-retailer/")
    assert [p.url.removeprefix(site.base_url) for p in reading.pages] == [
        "/fictional-retailer/", "/fictional-retailer/help/", "/fictional-retailer/help/complaints/"]
    assert [(p.url.removeprefix(site.base_url), p.message) for p in reading.problems] == [
        ("/fictional-retailer/help/missing", "HTTP 404")]
    found = {(c.role, c.kind) for page in reading.pages for c in page.contacts}
    assert found == {("customer_service", "phone"), ("customer_service", "email"), ("complaints", "postal"),
                     ("complaints", "email"), ("complaints", "web_form")}
    assert {r.user_agent for r in site.requests} == {USER_AGENT}


def test_robots_txt_is_honoured_and_read_once_per_host(site):
    with reader() as web:
        microsoft = read_website(web, f"{site.base_url}/microsoft/en-us/")
        read_website(web, f"{site.base_url}/apple/")
    assert [p.url.removeprefix(site.base_url) for p in microsoft.skipped] == [
        "/microsoft/en-us/private/escalations.html"]
    assert microsoft.problems == ()
    assert not any("/private/" in path for path in paths(site))  # never requested
    assert paths(site).count("/robots.txt") == 1


def test_a_page_robots_txt_forbids_is_not_read_even_when_asked_for(site):
    with reader() as web:
        reading = read_website(web, f"{site.base_url}/microsoft/en-us/private/escalations.html")
    assert reading.pages == ()
    assert reading.problems[0].message == "robots.txt forbids this page"
    assert paths(site) == ["/robots.txt"]


def test_one_request_per_second_per_host(site):
    with reader(requests_per_second=1.0, page_budget=2) as web:
        read_website(web, f"{site.base_url}/microsoft/en-us/")
    assert paths(site) == ["/robots.txt", "/microsoft/en-us/", "/sitemap.xml", "/microsoft/en-us/contact/"]
    times = [r.time for r in site.requests]
    assert all(later - earlier >= 0.95 for earlier, later in zip(times, times[1:]))


def test_loopback_is_refused_without_the_test_setting_and_nothing_is_requested(site):
    with WebsiteReader(USER_AGENT) as web:
        reading = read_website(web, f"{site.base_url}/apple/")
    assert reading.pages == ()
    assert "127.0.0.1, which is not a public address" in reading.problems[0].message
    assert site.requests == []


def resolve_localhost_as_public(host, port):
    """A resolver that lies about "localhost" (as a hostile DNS server would)."""
    return ["93.184.215.14"] if host == "localhost" else [i[4][0] for i in socket.getaddrinfo(host, port)]


def test_a_redirect_to_a_private_address_is_refused_at_the_hop(site):
    """The first address passes the check (the lying resolver, and no check of where the
    connection went); its redirect target is checked again, and refused before it is requested."""
    port = site.base_url.rsplit(":", 1)[1]
    site.script("/start", Scripted(302, headers={"Location": f"http://127.0.0.1:{port}/apple/"}))
    policy = AddressPolicy(resolve=resolve_localhost_as_public, check_connections=False)
    with reader(address_policy=policy) as web:
        reading = read_website(web, f"http://localhost:{port}/start")
    assert "not a public address" in reading.problems[0].message
    assert reading.problems[0].url == f"http://localhost:{port}/start"
    assert paths(site) == ["/robots.txt", "/start"]


def test_a_name_that_resolves_to_a_private_address_on_connecting_is_refused(site):
    """DNS rebinding: the check is told a public address, the connection reaches 127.0.0.1."""
    port = site.base_url.rsplit(":", 1)[1]
    with reader(address_policy=AddressPolicy(resolve=resolve_localhost_as_public)) as web:
        reading = read_website(web, f"http://localhost:{port}/apple/")
    assert reading.pages == ()
    assert "connected to 127.0.0.1, which is not a public address" in reading.problems[0].message
    assert site.requests == []  # not even robots.txt


@pytest.mark.parametrize("scripted, message", [
    ([Scripted(302, headers={"Location": "/loop"})] * 8, "more than 5 redirects"),
    ([Scripted(200, b"x" * (50 * 1024 * 1024), {"Content-Type": "text/html"})], "larger than"),
    ([Scripted(200, b"<html>slow</html>", delay=1.0)] * 2, "Timeout"),
    ([Scripted(200, b'<meta charset="utf-8"><h1>Help</h1>\xff\xfe', {"Content-Type": "text/html"})],
     "not valid utf-8"),
    ([Scripted(500, b"down")] * 2, "HTTP 500 after 2 attempts"),
])
def test_a_bad_linked_page_is_reported_once_and_the_rest_is_read(site, scripted, message):
    site.script("/shop/", Scripted(200, b'<a href="/loop">Help</a> <a href="/shop/contact">Contact us</a>'
                                        b'<h2>Customer service</h2><a href="tel:+18005550100">1-800-555-0100</a>',
                                   {"Content-Type": "text/html; charset=utf-8"}))
    site.script("/loop", *scripted)
    site.script("/shop/contact", Scripted(200, b'<h1>Complaints</h1><a href="mailto:c@shop.test">write</a>',
                                          {"Content-Type": "text/html"}))
    with reader(timeout=(2.0, 0.3), sleep=lambda seconds: None) as web:
        reading = read_website(web, f"{site.base_url}/shop/")
    assert [p.url.removeprefix(site.base_url) for p in reading.pages] == ["/shop/", "/shop/contact"]
    assert len(reading.problems) == 1
    assert message in reading.problems[0].message


def test_a_home_page_without_contact_links_has_its_common_paths_guessed_and_the_missing_ones_left_quiet(site):
    site.script("/shop/", Scripted(200, b"<h1>Shop</h1><p>Welcome.</p>", {"Content-Type": "text/html"}))
    site.script("/shop/contact-us", Scripted(200, b'<h1>Contact us</h1><a href="tel:+18005550100">1-800-555-0100</a>',
                                             {"Content-Type": "text/html"}))
    with reader(page_budget=6) as web:
        reading = read_website(web, f"{site.base_url}/shop/")
    assert [p.url.removeprefix(site.base_url) for p in reading.pages] == ["/shop/", "/shop/contact-us"]
    assert paths(site)[3:] == ["/shop/contact", "/shop/contact-us", "/shop/kontakt", "/shop/complaints",
                               "/shop/beschwerde"]  # contact and complaints pages first; the budget ends there
    assert reading.problems == ()  # a guessed path the site does not have is no failure
    assert [c.value for c in reading.pages[1].contacts] == ["1-800-555-0100"]


def test_a_guess_that_redirects_to_a_page_already_read_is_not_read_twice(site):
    site.script("/shop/", Scripted(200, b'<a href="/shop/contact-us">Contact us</a>', {"Content-Type": "text/html"}))
    site.script("/shop/contact-us", Scripted(200, b'<h1>Contact us</h1><a href="tel:+18005550100">1-800-555-0100</a>',
                                             {"Content-Type": "text/html"}))
    site.script("/shop/complaints", Scripted(301, headers={"Location": "/shop/contact-us"}))
    site.script("/shop/contact-us", Scripted(200, b"<h1>Contact us</h1>", {"Content-Type": "text/html"}))
    with reader(page_budget=3) as web:
        reading = read_website(web, f"{site.base_url}/shop/")
    assert [p.url.removeprefix(site.base_url) for p in reading.pages] == ["/shop/", "/shop/contact-us"]
    assert paths(site)[3:] == ["/shop/contact-us", "/shop/complaints", "/shop/contact-us"]
