"""Open data and being found: the published snapshot at /data, its schema, the Atom feeds,
the sitemaps and robots.txt, all parsed the way their consumers parse them."""
from __future__ import annotations

import gzip
import json
from pathlib import Path
from datetime import date, datetime

import jsonschema
import pytest
from lxml import etree
from sqlalchemy import select

from directory.extensions import db
from directory.models import Company
from directory.revisions import revision_context
from tests.conftest import _config
from tests.factories import make_company, make_position

PUBLIC = "https://ceo.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def app_config(tmp_path, database_uri):
    return _config(tmp_path, database_uri, PUBLIC_URL=PUBLIC, SITEMAP_MAX_URLS=2,
                   OPEN_DATA_PATH=str(tmp_path / "open-data" / "directory.jsonl.gz"))


@pytest.fixture
def bundled(app, runner):
    result = runner.invoke(args=["import", app.config["SNAPSHOT_PATH"]])
    assert result.exit_code == 0, result.output
    with app.app_context():
        return list(db.session.scalars(select(Company.slug).order_by(Company.slug)))


def test_data_page_before_the_first_export(client):
    assert "No snapshot has been published yet" in client.get("/data").get_data(as_text=True)
    assert client.get("/data/directory.jsonl.gz").status_code == 404


def test_data_page_after_an_import_and_an_export(app, client, runner, bundled):
    assert f"{len(bundled):,} companies" in client.get("/data").get_data(as_text=True)  # the import published it
    with client.get("/data/directory.jsonl.gz") as download:  # the bundled file itself, loaded into an empty database
        assert download.data == Path(app.config["SNAPSHOT_PATH"]).read_bytes()
    result = runner.invoke(args=["export"])
    assert result.exit_code == 0 and f"Published {len(bundled)} companies" in result.output
    page = client.get("/data").get_data(as_text=True)
    assert f"{len(bundled):,} companies" in page and "bytes" in page
    assert "Open Database License" in page and "/data/snapshot-line.schema.json" in page and "/api/v1/openapi.json" in page
    assert "/privacy" in page and "/data" in client.get("/").get_data(as_text=True)  # footer links


def test_download_answers_etag_and_last_modified_with_304(client, runner, bundled):
    runner.invoke(args=["export"])
    with client.get("/data/directory.jsonl.gz") as first:
        assert first.status_code == 200 and first.headers["Content-Type"] == "application/gzip"
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        assert len(gzip.decompress(first.get_data()).decode().splitlines()) == len(bundled)
    for condition in ({"If-None-Match": etag}, {"If-Modified-Since": modified}):
        with client.get("/data/directory.jsonl.gz", headers=condition) as again:
            assert again.status_code == 304


def test_every_published_line_validates_against_the_published_schema(client, runner, bundled):
    runner.invoke(args=["export"])
    schema = client.get("/data/snapshot-line.schema.json").get_json()
    assert schema["$id"] == f"{PUBLIC}/data/snapshot-line.schema.json"
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    with client.get("/data/directory.jsonl.gz") as download:
        lines = gzip.decompress(download.get_data()).decode().splitlines()
    assert len(lines) == len(bundled)
    for line in lines:
        errors = list(validator.iter_errors(json.loads(line)))
        assert not errors, errors[0].message
    assert not validator.is_valid({"slug": "x"})  # a line needs its name


@pytest.fixture
def changes(app):
    """Acme appoints a CEO (importer), then a CFO; a moderator records the CFO's departure."""
    with app.app_context():
        with revision_context("sec_edgar importer"):
            acme = make_company("Acme Widgets Inc.", ceo="Wile Coyote")
            other = make_company("Other Corp", ceo="Daffy Duck")
            db.session.commit()
            cfo = make_position(acme, "Road Runner", "Chief Financial Officer", role="cfo")
            db.session.commit()
        with revision_context("user:1"):
            cfo.is_current, cfo.end_date = False, date(2024, 1, 31)
            db.session.commit()
        return acme.slug, other.slug


def _feed(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/atom+xml")
    return etree.fromstring(response.get_data())


def _assert_rfc4287(feed):
    """The elements RFC 4287 requires: feed id, title, updated, author (or one per entry),
    a self link; each entry id, title, updated, and an alternate link (there is no content)."""
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").startswith(PUBLIC)
    datetime.fromisoformat(feed.findtext(f"{ATOM}updated").replace("Z", "+00:00"))
    ids = []
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated", "summary"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith(PUBLIC)
        assert entry.findtext(f"{ATOM}updated").endswith("Z")
        ids.append(entry.findtext(f"{ATOM}id"))
    assert len(ids) == len(set(ids)) and all(i.startswith("urn:uuid:") for i in ids)


def test_leadership_feed_is_valid_atom_newest_first(client, changes):
    feed = _feed(client, "/feeds/leadership.atom")
    _assert_rfc4287(feed)
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert titles[0] == "Acme Widgets Inc.: Road Runner left (Chief Financial Officer)"
    assert "Acme Widgets Inc.: Road Runner listed as Chief Financial Officer" in titles
    assert "Other Corp: Daffy Duck listed as Chief Executive Officer" in titles
    updated = [e.findtext(f"{ATOM}updated") for e in feed.findall(f"{ATOM}entry")]
    assert updated == sorted(updated, reverse=True)
    assert "moderator" in feed.find(f"{ATOM}entry/{ATOM}summary").text


def test_company_feed_has_only_that_company_and_is_linked_from_its_page(client, changes):
    acme, _ = changes
    feed = _feed(client, f"/companies/{acme}/feed.atom")
    _assert_rfc4287(feed)
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert titles and all(t.startswith("Acme Widgets Inc.:") for t in titles)
    assert f'href="/companies/{acme}/feed.atom"' in client.get(f"/companies/{acme}").get_data(as_text=True)
    assert client.get("/companies/no-such-company/feed.atom").status_code == 404


def test_sitemap_index_and_files_of_at_most_the_limit(app, client):
    with app.app_context():
        for name in ("Alpha Inc.", "Beta Inc.", "Gamma Inc."):
            make_company(name, ceo=f"{name.split()[0]} Boss")
        db.session.commit()
    index = etree.fromstring(client.get("/sitemap.xml").get_data())
    assert index.tag == f"{SITEMAP}sitemapindex"
    files = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert files == [f"{PUBLIC}/sitemaps/companies-1.xml", f"{PUBLIC}/sitemaps/companies-2.xml",
                     f"{PUBLIC}/sitemaps/people-1.xml", f"{PUBLIC}/sitemaps/people-2.xml"]
    urls = []
    for file in files:
        urlset = etree.fromstring(client.get(file.removeprefix(PUBLIC)).get_data())
        assert urlset.tag == f"{SITEMAP}urlset"
        entries = urlset.findall(f"{SITEMAP}url")
        assert 1 <= len(entries) <= 2
        for entry in entries:
            urls.append(entry.findtext(f"{SITEMAP}loc"))
            datetime.strptime(entry.findtext(f"{SITEMAP}lastmod"), "%Y-%m-%dT%H:%M:%SZ")
    assert f"{PUBLIC}/companies/alpha-inc" in urls and f"{PUBLIC}/people/gamma-boss" in urls
    assert len(urls) == 6
    assert client.get("/sitemaps/companies-3.xml").status_code == 404


def test_robots_points_at_the_sitemap_and_keeps_crawlers_out_of_private_pages(client):
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in robots
    for path in ("/accounts/", "/moderate/", "/search", "/review/"):
        assert f"Disallow: {path}\n" in robots
