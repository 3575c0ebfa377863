"""`flask scrape websites` end to end: a loopback web server serving ../shared/fixtures/websites,
the CLI, the database, the company page and the API."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.importers.websites import refresh_websites
from directory.models import Company, Contact, ProposedChange, WebsiteRead
from tests.conftest import _config
from tests.edgar_server import EdgarServer, Scripted
from tests.factories import make_company

USER_AGENT = "CEO Directory tests tests@example.org"


@pytest.fixture
def site(shared_fixtures):
    with EdgarServer(shared_fixtures / "websites") as server:
        yield server


@pytest.fixture
def app_config(tmp_path, database_uri):
    return _config(tmp_path, database_uri, SCRAPER_USER_AGENT=USER_AGENT, SCRAPER_ALLOW_PRIVATE_ADDRESSES=True,
                   SCRAPER_HOST_REQUESTS_PER_SECOND=10.0)


@pytest.fixture
def companies(app):
    with app.app_context():
        make_company("Apple Inc.", slug="apple", city="Cupertino", region="CA", ceo="Timothy D. Cook")
        make_company("Microsoft Corporation", slug="microsoft")
        make_company("Fictional Retailer plc", slug="fictional-retailer", country="GB")
        db.session.commit()


def scrape(runner, *args):
    return runner.invoke(args=["scrape", "websites", *args])


def contacts_of(slug: str) -> list[Contact]:
    company = db.session.scalar(select(Company).where(Company.slug == slug))
    return list(company.contacts)


def test_apple_contacts_on_the_page_and_in_the_api_with_their_sources(app, runner, client, site, companies):
    result = scrape(runner, "--company", "apple", "--url", f"{site.base_url}/apple/")
    assert result.exit_code == 1, result.output  # one page failed: /apple/support is a 404
    assert f"failed: {site.base_url}/apple/support: HTTP 404" in result.output
    with app.app_context():
        found = {(c.tier, c.role, c.kind, c.value, c.quality) for c in contacts_of("apple")}
        assert found == {
            ("customer_service", "customer_service", "phone", "+1-800-275-2273", "scraped"),
            ("customer_service", "customer_service", "url", "https://support.apple.com/contact", "scraped"),
            ("customer_service", "social", "url", "https://x.com/AppleSupport", "scraped"),
            ("customer_service", "social", "url", "https://www.youtube.com/apple", "scraped"),
            ("customer_service", "social", "url", "https://www.instagram.com/apple", "scraped"),
        }
        phone = next(c for c in contacts_of("apple") if c.kind == "phone")
        assert (phone.source.kind, phone.source.url) == ("company_website", f"{site.base_url}/apple/contact/")
        assert phone.source.retrieved_at is not None and phone.as_of is not None
        apple = db.session.scalar(select(Company).where(Company.slug == "apple"))
        assert apple.website == f"{site.base_url}/apple/"
        assert apple.phone == "+1-408-996-1010"  # head office, none on record before
        assert apple.addresses[0].line1 == "1 Main Street"  # the register's address is kept

    page = client.get("/companies/apple").get_data(as_text=True)
    service_rung = page.split('class="rung rung-customer-service"')[1].split('class="rung rung-complaints"')[0]
    assert "(800) 275-2273" in service_rung  # filed +1-800-275-2273, written as in the US
    assert "Ask in public" in service_rung
    assert service_rung.index("X, support account") < service_rung.index("YouTube")  # support account first
    assert "Company website" in service_rung
    api = client.get("/api/v1/companies/apple").get_json()
    phone = next(c for c in api["contacts"] if c["kind"] == "phone")
    assert phone["tier"] == "customer_service"
    assert phone["source"]["url"] == f"{site.base_url}/apple/contact/"


def test_fictional_retailer_complaints_rung(app, runner, client, site, companies):
    result = scrape(runner, "--company", "fictional-retailer", "--url", f"{site.base_url}/fictional-retailer/")
    assert result.exit_code == 1, result.output  # /help/missing is a 404
    page = client.get("/companies/fictional-retailer").get_data(as_text=True)
    complaints = page.split('class="rung rung-complaints"')[1].split('class="rung rung-executive-office"')[0]
    assert "complaints@fictional-retailer.example" in complaints
    assert "1 Example Street, Leeds LS1 1AA" in complaints
    assert "Web form" in complaints
    assert "Nothing known yet for this step" not in complaints
    service = page.split('class="rung rung-customer-service"')[1].split('class="rung rung-complaints"')[0]
    assert "0333 014 0000" in service and "twitter.com/FictionalHelp" in service


BAD_PAGES = {  # a linked page, what the loopback server answers, what the run says about it
    "/shop/help": ([Scripted(302, headers={"Location": "/shop/help"})] * 8, "more than 5 redirects"),
    "/shop/support": ([Scripted(200, b"x" * (50 * 1024 * 1024), {"Content-Type": "text/html"})], "larger than"),
    "/shop/contact": ([Scripted(200, b"<html>late</html>", delay=1.0)] * 4, "Timeout"),
    "/shop/complaints": ([Scripted(200, b'<meta charset="utf-8"><h1>Complaints</h1>\xff\xfe',
                                   {"Content-Type": "text/html"})], "not valid utf-8"),
}


def test_each_bad_page_is_listed_once_the_run_goes_on_and_the_exit_status_counts_them(app, runner, client, site,
                                                                                         companies):
    links = "".join(f'<a href="{path}">{path.rsplit("/", 1)[1].title()}</a>' for path in BAD_PAGES)
    site.script("/shop/", Scripted(200, f'{links}<a href="/shop/customer-service">Customer service</a>'.encode(),
                                   {"Content-Type": "text/html; charset=utf-8"}))
    site.script("/shop/customer-service", Scripted(
        200, b'<h2>Customer service</h2><a href="tel:+443330140001">0333 014 0001</a>', {"Content-Type": "text/html"}))
    for path, (answers, _) in BAD_PAGES.items():
        site.script(path, *answers)
    app.config["SCRAPER_TIMEOUT"] = 0.3
    result = scrape(runner, "--company", "fictional-retailer", "--url", f"{site.base_url}/shop/")
    assert result.exit_code == len(BAD_PAGES), result.output
    listed = [line for line in result.output.splitlines() if line.startswith("  failed: ")]
    assert len(listed) == len(BAD_PAGES)
    for path, (_, message) in BAD_PAGES.items():
        mine = [line for line in listed if f"{site.base_url}{path}:" in line]
        assert len(mine) == 1 and message in mine[0], (path, listed)
    assert "0333 014 0001" in client.get("/companies/fictional-retailer").get_data(as_text=True)


def test_a_second_run_adds_nothing_and_keeps_one_row_per_channel(app, runner, site, companies):
    scrape(runner, "--company", "microsoft", "--url", f"{site.base_url}/microsoft/en-us/")
    with app.app_context():
        first = sorted((c.kind, c.value) for c in contacts_of("microsoft"))
    result = scrape(runner, "--company", "microsoft")  # the website recorded by the first run
    assert result.exit_code == 0, result.output
    assert "Contacts added: 0, seen again: 2." in result.output
    with app.app_context():
        assert sorted((c.kind, c.value) for c in contacts_of("microsoft")) == first == [
            ("phone", "1-800-642-7676"), ("url", "https://x.com/MicrosoftHelps")]


def test_a_moderators_phone_is_kept_and_the_sites_number_proposed(app, runner, site, companies):
    with app.app_context():
        company = db.session.scalar(select(Company).where(Company.slug == "microsoft"))
        company.contacts.append(Contact(kind="phone", value="+1 425 555 0100", tier="customer_service",
                                        quality="verified"))
        db.session.commit()
    result = scrape(runner, "--company", "microsoft", "--url", f"{site.base_url}/microsoft/en-us/")
    assert "Proposed changes for moderators: 1." in result.output
    with app.app_context():
        phones = [c.value for c in contacts_of("microsoft") if c.kind == "phone"]
        assert phones == ["+1 425 555 0100"]
        change = db.session.scalar(select(ProposedChange))
        assert (change.entity_type, change.field, change.proposed_value) == ("contact", "value", "1-800-642-7676")
        assert change.source.kind == "company_website"


def test_all_reads_companies_with_a_website_not_read_in_30_days(app, runner, site, companies):
    with app.app_context():
        for slug, path in (("apple", "/apple/"), ("microsoft", "/microsoft/en-us/")):
            db.session.scalar(select(Company).where(Company.slug == slug)).website = site.base_url + path
        db.session.commit()
    result = scrape(runner, "--all", "--limit", "5")
    assert "Websites: 2 read, 0 failed." in result.output
    assert scrape(runner, "--all").output.startswith("Websites: 0 read")
    with app.app_context():
        read = db.session.get(WebsiteRead, db.session.scalar(select(Company.id).where(Company.slug == "apple")))
        read.read_at = datetime.now(timezone.utc) - timedelta(days=31)
        db.session.commit()
    assert scrape(runner, "--all").output.startswith("Websites: 1 read")


def test_usage_errors(app, runner, site, companies):
    assert scrape(runner).exit_code == 2
    assert scrape(runner, "--all", "--url", "http://x.test/").exit_code == 2
    assert "has no website on record" in scrape(runner, "--company", "apple").output
    app.config["SCRAPER_USER_AGENT"] = ""
    result = scrape(runner, "--company", "apple", "--url", f"{site.base_url}/apple/")
    assert result.exit_code == 2 and "SCRAPER_USER_AGENT" in result.output
    assert site.requests == []


def test_private_addresses_are_refused_outside_tests(app, runner, site, companies):
    app.config["SCRAPER_ALLOW_PRIVATE_ADDRESSES"] = False
    result = scrape(runner, "--company", "apple", "--url", f"{site.base_url}/apple/")
    assert result.exit_code == 1
    assert "not a public address" in result.output
    assert site.requests == []
    with app.app_context():
        assert contacts_of("apple") == []


def test_refresh_websites_reads_at_most_its_limit_and_commits(app, site, companies):
    with app.app_context():
        for slug, path in (("apple", "/apple/"), ("microsoft", "/microsoft/en-us/")):
            db.session.scalar(select(Company).where(Company.slug == slug)).website = site.base_url + path
        db.session.commit()
        summary = refresh_websites(limit=1)
        assert summary.companies_read == 1
        db.session.rollback()  # nothing left uncommitted: the read company keeps its contacts
        assert db.session.scalar(select(func.count()).select_from(WebsiteRead)) == 1
        assert db.session.scalar(select(func.count()).select_from(Contact)) == summary.contacts_added > 0
