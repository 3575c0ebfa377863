"""A phone user on a company page after `flask scrape websites`: the customer service rung shows
the site's phone and email and, under "Ask in public", the support account first; the formal
complaints rung shows the complaints address, email and form. Own app and server (the company
is read from the written pages in ../shared/fixtures/websites on loopback), Debian's Chromium."""
from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from directory.extensions import db
from tests.conftest import _config
from tests.edgar_server import EdgarServer
from tests.factories import make_company

from .conftest import PageProblems, _new_page
from .test_accessibility import BLOCKING_IMPACTS, _describe

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def app_config(tmp_path, database_uri):
    return _config(tmp_path, database_uri, SCRAPER_USER_AGENT="CEO Directory e2e tests e2e@example.org",
                   SCRAPER_ALLOW_PRIVATE_ADDRESSES=True, SCRAPER_HOST_REQUESTS_PER_SECOND=10.0)


@pytest.fixture
def scraped_site(app, shared_fixtures):
    with app.app_context():
        make_company("Fictional Retailer plc", slug="fictional-retailer", country="GB", city="Leeds")
        db.session.commit()
    with EdgarServer(shared_fixtures / "websites") as site:
        result = app.test_cli_runner().invoke(args=["scrape", "websites", "--company", "fictional-retailer",
                                                    "--url", f"{site.base_url}/fictional-retailer/"])
    assert "Contacts added: 7" in result.output, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def test_phone_user_sees_the_public_route_and_the_complaints_channels(browser, scraped_site):
    problems = PageProblems()
    context, page = _new_page(browser, problems, viewport=PHONE, is_mobile=True, base_url=scraped_site)
    try:
        assert page.goto("/companies/fictional-retailer").status == 200
        service = page.locator(".rung-customer-service")
        assert service.get_by_role("link", name="0333 014 0000").get_attribute("href") == "tel:03330140000"
        public = service.locator(".ask-in-public")
        public.scroll_into_view_if_needed()
        assert public.is_visible()
        accounts = public.locator(".contact")
        assert accounts.nth(0).inner_text().startswith("X, support account")
        support = accounts.nth(0).get_by_role("link", name="twitter.com/FictionalHelp")
        assert support.get_attribute("href") == "https://twitter.com/FictionalHelp"
        assert "nofollow" in support.get_attribute("rel")
        assert accounts.nth(1).inner_text().startswith("Facebook")

        complaints = page.locator(".rung-complaints")
        email = complaints.get_by_role("link", name="complaints@fictional-retailer.example")
        assert email.get_attribute("href") == "mailto:complaints@fictional-retailer.example"
        assert complaints.get_by_text("1 Example Street, Leeds LS1 1AA").is_visible()
        assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    finally:
        context.close()
    assert not problems.problems, "\n".join(problems.problems)


def test_the_page_with_website_contacts_has_no_serious_accessibility_violation(browser, scraped_site, axe_source):
    problems = PageProblems()
    context, page = _new_page(browser, problems, base_url=scraped_site, bypass_csp=True)
    try:
        assert page.goto("/companies/fictional-retailer").status == 200
        page.add_script_tag(content=axe_source)
        results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    finally:
        context.close()
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, _describe(blocking)
