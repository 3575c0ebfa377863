"""`flask scrape wikidata` end to end against a loopback Wikidata mirror (and the EDGAR one)."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from directory import search_index
from directory.extensions import db
from directory.importers.store import find_company_by_cik
from directory.models import Company, Identifier, Person, ProposedChange, Revision

from .community import log_in, make_user
from .conftest import SHARED, _config
from .edgar_server import EdgarServer, Scripted, assert_failures_listed
from .test_api import assert_matches, openapi  # noqa: F401  (a fixture)
from .wikidata_server import WikidataMirror

FIXTURES = SHARED / "fixtures" / "wikidata"
EDGAR_MIRROR = SHARED / "fixtures" / "edgar-mirror"
CIKS = {"Q312": "0000320193", "Q2283": "0000789019", "Q990000141": "0001324424"}


@pytest.fixture
def documents() -> dict[str, bytes]:
    """Entity documents a test adds to (or swaps into) the mirror."""
    return {}


@pytest.fixture
def wikidata(shared_fixtures, documents):
    with WikidataMirror(FIXTURES, claims={"P5531": CIKS}, documents=documents) as mirror:
        yield mirror


@pytest.fixture
def edgar(shared_fixtures):
    with EdgarServer(EDGAR_MIRROR) as server:
        yield server


@pytest.fixture
def app_config(tmp_path, database_uri, wikidata, edgar):
    return _config(tmp_path, database_uri, WIKIDATA_ENTITY_URL=wikidata.entity_url,
                   WIKIDATA_SPARQL_URL=wikidata.sparql_url, WIKIDATA_REQUESTS_PER_SECOND=8.0,
                   SEC_WWW_URL=edgar.www_url, SEC_DATA_URL=edgar.data_url)


def scrape(runner, *args):
    return runner.invoke(args=["scrape", "wikidata", *args])


def entity_document(qid: str, label: str, claims: dict[str, list[str]] | None = None) -> bytes:
    """A minimal EntityData document whose claims point at items."""
    def statement(prop, value):
        return {"mainsnak": {"snaktype": "value", "property": prop, "datatype": "wikibase-item",
                             "datavalue": {"type": "wikibase-entityid", "value": {"entity-type": "item", "id": value}}},
                "type": "statement", "rank": "normal", "id": f"{qid}${prop}-{value}"}
    entity = {"type": "item", "id": qid, "labels": {"en": {"language": "en", "value": label}}, "aliases": {},
              "claims": {prop: [statement(prop, v) for v in values] for prop, values in (claims or {}).items()},
              "sitelinks": {}}
    return json.dumps({"entities": {qid: entity}}).encode()


def test_sony_becomes_a_record_found_by_its_brands(app, runner, client, wikidata):
    result = scrape(runner, "--qid", "Q41187")
    assert result.exit_code == 0, result.output
    assert "Companies: 1 created" in result.output
    with app.app_context():
        sony = db.session.scalar(select(Company).join(Identifier).where(Identifier.value == "Q41187"))
        assert (sony.name, sony.country, sony.city, sony.website) == (
            "Sony Group Corporation", "JP", "Tokyo", "https://www.sony.com")
        assert sony.ceo_position.person.name == "Hiroki Totoki"
        for query in ("playstation", "PlayStation", "walkman", "sony playstation"):
            assert search_index.search(query).ids == [sony.id], query
        found = search_index.search("playstation")
        assert found.reasons[sony.id] == "brand: PlayStation"
        assert search_index.search("sony").reasons == {}  # found by its name: no reason needed
    page = client.get("/search?q=playstation").get_data(as_text=True)
    assert "brand: PlayStation" in page and "Sony Group Corporation" in page

    html = client.get(f"/companies/{sony.slug}").get_data(as_text=True)
    assert "Brands: PlayStation, Bravia, Walkman" in html or "Brands: Bravia, PlayStation, Walkman" in html
    assert "Hiroki Totoki" in html and "https://www.sony.com/en/SonyInfo/CorporateInfo/Data/officer.html" in html
    current, former = html.split("Former executives", 1)
    assert "Kenichiro Yoshida" in former  # a label only in `mul` and Japanese; ended 2025-04-01
    assert "Howard Stringer" not in html  # a deprecated statement
    assert "https://x.com/Sony" in html  # the public social account, on the ladder


def test_one_record_when_the_cik_matches_an_edgar_company(app, runner, client, wikidata, edgar, openapi):
    assert_failures_listed(runner.invoke(args=["scrape", "edgar", "--cik", "320193", "--as-of", "2023-12-31"]))
    result = scrape(runner, "--cik", "320193")
    assert result.exit_code == 0, result.output
    assert "Companies: 0 created, 1 updated" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Company.id))) == 1
        apple = find_company_by_cik("320193")
        assert apple.name == "Apple Inc."
        assert apple.identifier("lei") == "HWUPKR0MPOU8FGXBT394" and apple.identifier("wikidata") == "Q312"
        ceo = apple.ceo_position
        assert ceo.person.name == "Timothy D. Cook" and ceo.source.kind == "sec_filing"  # the filing wins
        assert ceo.person.wikidata_id == "Q265852"  # ... and it is the same person: no conflict
        assert db.session.scalar(select(func.count(ProposedChange.id))) == 0
        jobs = [p for p in apple.positions if p.person.name == "Steve Jobs"]
        assert [(p.is_current, p.end_date.isoformat()) for p in jobs] == [(False, "2011-08-24")]
        assert search_index.search("iphone").ids == [apple.id]
        slug = apple.slug
    body = client.get(f"/api/v1/companies/{slug}").get_json()
    assert_matches(openapi, "Company", body)
    schemes = {i["scheme"]: i["value"] for i in body["identifiers"]}
    assert schemes["lei"] == "HWUPKR0MPOU8FGXBT394" and schemes["wikidata"] == "Q312"
    assert [b["name"] for b in body["brands"]] == ["Mac", "iPad", "iPhone"]
    assert body["ceo"]["name"] == "Timothy D. Cook"
    assert any(e["name"] == "Steve Jobs" and not e["is_current"] for e in body["executives"])
    html = client.get(f"/companies/{slug}").get_data(as_text=True)
    assert "https://www.wikidata.org/wiki/Q312" in html and "HWUPKR0MPOU8FGXBT394" in html


def test_a_disagreeing_ceo_goes_to_the_moderation_queue_with_both_sources(app, runner, client, documents):
    apple = json.loads((FIXTURES / "Q312.json").read_bytes())
    claims = apple["entities"]["Q312"]["claims"]
    current = next(s for s in claims["P169"] if "P582" not in s.get("qualifiers", {}))
    current["mainsnak"]["datavalue"]["value"]["id"] = "Q990000112"  # Levinson, not Cook
    documents["Q312"] = json.dumps(apple).encode()
    assert_failures_listed(runner.invoke(args=["scrape", "edgar", "--cik", "320193", "--as-of", "2023-12-31"]))
    result = scrape(runner, "--qid", "Q312")
    assert result.exit_code == 0, result.output
    assert "Proposed changes for moderators: 1" in result.output
    with app.app_context():
        apple_row = find_company_by_cik("320193")
        assert apple_row.ceo_position.person.name == "Timothy D. Cook"  # the filing's answer stays
        change = db.session.scalar(select(ProposedChange))
        assert (change.entity_type, change.field, change.status) == ("position", "is_current", "pending")
        assert change.source.kind == "wikidata" and "Arthur D. Levinson" in change.source.title
        filing_url, wikidata_url, change_id = apple_row.ceo_position.source.url, change.source.url, change.id
        make_user("mod@example.org", role="moderator")
    assert scrape(runner, "--qid", "Q312").output.count("Proposed changes for moderators: 0") == 1  # not twice
    log_in(client, "mod@example.org")
    html = client.get(f"/moderate/importer/{change_id}").get_data(as_text=True)
    assert filing_url in html and wikidata_url in html and "Arthur D. Levinson" in html


def test_merged_items_unknown_values_and_year_precision(app, runner, wikidata):
    result = scrape(runner, "--qid", "Q990000141")
    assert result.exit_code == 0, result.output
    with app.app_context():
        expedia = db.session.scalar(select(Company).join(Identifier).where(Identifier.value == "Q990000141"))
        brands = {b.name: b for b in expedia.brands}
        assert brands["Vrbo"].wikidata_id == "Q990000145" and "HomeAway" in brands["Vrbo"].aliases
        ceos = sorted((p.person.name, p.is_current, p.start_date.isoformat()) for p in expedia.positions)
        # The unknown CEO of 2019-2020 (somevalue) is no one; Kern's year-precision start is 2020.
        assert ceos == [("Ariane Gorin", True, "2024-05-01"), ("Peter Kern", False, "2020-01-01")]
    assert wikidata.paths("/entity/Q990000146.json") == ["/entity/Q990000146.json"]
    assert wikidata.paths("/entity/Q990000145.json") == []  # the merge target came with the old id
    assert search_index_ids(app, "hotels.com") == search_index_ids(app, "vrbo") == [expedia.id]


def search_index_ids(app, query):
    with app.app_context():
        return search_index.search(query).ids


def test_each_item_is_fetched_once_and_the_run_is_polite(app, runner, wikidata):
    result = scrape(runner, "--qid", "Q312", "--qid", "Q2283", "--qid", "Q41187", "--qid", "Q312")
    assert result.exit_code == 0, result.output
    assert "Companies: 3 created" in result.output
    paths = wikidata.paths("/entity/")
    assert len(paths) == len(set(paths))  # Q30, Nasdaq, consumer electronics ... once each
    assert "/entity/Q990000131.json" in paths  # LinkedIn: 404, logged, the run went on
    assert {r.user_agent for r in wikidata.requests} == {"CEO Directory tests tests@example.org"}
    times = sorted(r.time for r in wikidata.requests)
    # 8 a second configured; arrivals jitter, so the server may see a ninth or tenth in a second, never more.
    assert max(sum(1 for u in times if t <= u < t + 1.0) for t in times) <= 10
    with app.app_context():
        microsoft = db.session.scalar(select(Company).join(Identifier).where(Identifier.value == "Q2283"))
        social = {c.value: (c.role, c.quality, c.tier, c.source.kind) for c in microsoft.contacts}
        assert social["https://www.linkedin.com/company/microsoft/"] == (
            "social", "scraped", "customer_service", "wikidata")
        assert len(social) == 4


def test_a_second_run_writes_nothing(app, runner, wikidata):
    assert scrape(runner, "--qid", "Q41187").exit_code == 0
    with app.app_context():
        revisions = db.session.scalar(select(func.count(Revision.id)))
    result = scrape(runner, "--qid", "Q41187")
    assert "Companies: 0 created, 0 updated, 1 unchanged" in result.output, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Revision.id))) == revisions


def test_a_missing_item_is_reported_and_nothing_is_written(app, runner, wikidata):
    result = scrape(runner, "--qid", "Q990000131")
    assert result.exit_code == 1
    assert "1 not found" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Company.id))) == 0
        assert db.session.scalar(select(func.count(Person.id))) == 0


def family_documents(documents) -> None:
    documents["Q990000201"] = entity_document("Q990000201", "Volkswagen Group",
                                              {"P169": ["Q990000203"], "P355": ["Q990000202"]})
    documents["Q990000202"] = entity_document("Q990000202", "Audi", {"P749": ["Q990000201"]})
    documents["Q990000203"] = entity_document("Q990000203", "Oliver Blume")


def assert_family_linked(app, client) -> None:
    with app.app_context():
        audi = db.session.scalar(select(Company).where(Company.name == "Audi"))
        assert audi.parent.name == "Volkswagen Group"
        assert db.session.scalar(select(func.count(Company.id))) == 2  # no second record for either
        audi_slug, group_slug = audi.slug, audi.parent.slug
    html = client.get(f"/companies/{audi_slug}").get_data(as_text=True)
    assert f'Part of <a href="/companies/{group_slug}">Volkswagen Group</a> (chief executive: Oliver Blume)' in html
    assert f'<a href="/companies/{audi_slug}">Audi</a>' in client.get(f"/companies/{group_slug}").get_data(as_text=True)


def test_parent_and_subsidiary_link_each_other(app, runner, client, documents):
    family_documents(documents)
    assert scrape(runner, "--qid", "Q990000202", "--qid", "Q990000201").exit_code == 0
    assert_family_linked(app, client)


@pytest.mark.parametrize("first, second", [("Q990000202", "Q990000201"), ("Q990000201", "Q990000202")],
                         ids=["subsidiary first", "parent first"])
def test_parent_and_subsidiary_imported_in_separate_runs_link_each_other(app, runner, client, documents,
                                                                         first, second):
    """The second run finds the first's record: by the parent's P355 or the subsidiary's P749."""
    family_documents(documents)
    assert scrape(runner, "--qid", first).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(Company).where(Company.parent_id.is_not(None))) is None
    result = scrape(runner, "--qid", second)
    assert result.exit_code == 0 and "Companies: 1 created" in result.output, result.output
    assert_family_linked(app, client)


@pytest.mark.parametrize("first, second", [("Q990000202", "Q990000201"), ("Q990000201", "Q990000202")],
                         ids=["subsidiary first", "parent first"])
def test_a_parent_only_the_subsidiary_names_is_linked_in_either_order(app, runner, client, documents,
                                                                      first, second):
    """Wikidata often records the link on one side only: here Audi names its parent and the
    group's item lists no subsidiaries. Read first, Audi remembers the parent it waits for."""
    family_documents(documents)
    documents["Q990000201"] = entity_document("Q990000201", "Volkswagen Group", {"P169": ["Q990000203"]})
    assert scrape(runner, "--qid", first).exit_code == 0
    result = scrape(runner, "--qid", second)
    assert result.exit_code == 0 and "Companies: 1 created" in result.output, result.output
    assert_family_linked(app, client)
    with app.app_context():
        assert db.session.scalar(select(Company.parent_wikidata_id).where(Company.name == "Audi")) is None


def dated(prop: str, iso: str, precision: int) -> dict:
    return {"snaktype": "value", "property": prop, "datatype": "time", "datavalue": {"type": "time", "value": {
        "time": f"+{iso}T00:00:00Z", "timezone": 0, "before": 0, "after": 0, "precision": precision,
        "calendarmodel": "http://www.wikidata.org/entity/Q1985727"}}}


def ceo_statement(qid: str, person: str, *, start: tuple, end: tuple | None = None) -> dict:
    qualifiers = {"P580": [dated("P580", *start)], **({"P582": [dated("P582", *end)]} if end else {})}
    reference = {"snaks": {"P854": [{"snaktype": "value", "property": "P854", "datatype": "url", "datavalue": {
        "type": "string", "value": f"https://example.org/{person}/appointment"}}]}}
    return {"mainsnak": {"snaktype": "value", "property": "P169", "datatype": "wikibase-item", "datavalue": {
        "type": "wikibase-entityid", "value": {"entity-type": "item", "id": person}}},
        "type": "statement", "rank": "normal", "id": f"{qid}$P169-{person}", "qualifiers": qualifiers,
        "references": [reference]}


def test_a_ceo_no_filing_covers_is_a_sourced_fact_dated_as_precisely_as_wikidata_knows(
        app, runner, client, documents, openapi):
    """Year- and month-precision dates read "2011" and "March 2005", never "1 January 2011"; the
    CEO is Wikidata's, with its reference and dates, and not marked "inferred"."""
    documents["Q990000301"] = entity_document("Q990000301", "Nordwind Gruppe")
    company = json.loads(documents["Q990000301"])
    company["entities"]["Q990000301"]["claims"]["P169"] = [
        ceo_statement("Q990000301", "Q990000302", start=("2011-00-00", 9)),
        ceo_statement("Q990000301", "Q990000303", start=("2005-03-00", 10), end=("2011-00-00", 9)),
    ]
    documents["Q990000301"] = json.dumps(company).encode()
    documents["Q990000302"] = entity_document("Q990000302", "Greta Current")
    documents["Q990000303"] = entity_document("Q990000303", "Franz Former")
    result = scrape(runner, "--qid", "Q990000301")
    assert result.exit_code == 0, result.output
    with app.app_context():
        nordwind = db.session.scalar(select(Company).where(Company.name == "Nordwind Gruppe"))
        ceo = nordwind.ceo_position
        assert (ceo.person.name, ceo.start_date.isoformat(), ceo.start_precision) == ("Greta Current", "2011-01-01",
                                                                                   "year")
        slug, company_id = nordwind.slug, nordwind.id

    html = client.get(f"/companies/{slug}").get_data(as_text=True)
    card = html.split('class="ceo-card"', 1)[1].split("</section>", 1)[0]
    assert 'since <time datetime="2011">2011</time>' in card
    assert "inferred" not in card and "https://example.org/Q990000302/appointment" in card
    former = html.split("Former executives", 1)[1]
    assert ('<time datetime="2005-03">March 2005</time> – <time datetime="2011">2011</time>' in former
            and "Franz Former" in former)
    assert "1 January" not in html

    body = client.get(f"/api/v1/companies/{slug}").get_json()
    assert_matches(openapi, "Company", body)
    executives = {e["name"]: e for e in body["executives"]}
    assert (executives["Greta Current"]["start_date"], executives["Greta Current"]["start_date_precision"]) == (
        "2011-01-01", "year")
    assert executives["Greta Current"]["end_date_precision"] is None
    assert (executives["Franz Former"]["start_date_precision"], executives["Franz Former"]["end_date_precision"]) == (
        "month", "year")
    person = client.get(body["executives"][0]["person_url"].replace("/people/", "/api/v1/people/")).get_json()
    assert_matches(openapi, "Person", person)

    history = client.get(f"/history/company/{company_id}").get_data(as_text=True)
    assert "Start date: “2011”" in history and "Start date: “2005-03”" in history
    assert "“2011-01-01”" not in history


def test_a_merged_company_item_enriches_its_target_s_record(app, runner, documents):
    """An item merged into another answers with the target's document: one record, keyed by the target."""
    documents["Q990000401"] = entity_document("Q990000401", "Hotels Group")
    documents["Q990000402"] = documents["Q990000401"]  # Q990000402 was merged into Q990000401
    assert scrape(runner, "--qid", "Q990000401").exit_code == 0
    result = scrape(runner, "--qid", "Q990000402")
    assert "Companies: 0 created, 0 updated, 1 unchanged" in result.output, result.output
    with app.app_context():
        assert db.session.scalars(select(Identifier.value).where(Identifier.scheme == "wikidata")).all() == [
            "Q990000401"]


def test_a_sparql_lookup_cut_short_by_its_timeout_is_reported_and_the_run_goes_on(app, runner, wikidata):
    """The query service streams results, then stops at 60 seconds mid-document."""
    wikidata._sparql = lambda query: Scripted(
        200, b'{"head": {"vars": ["item"]}, "results": {"bindings": [{"item": {"type": "uri", "value": "http://www.wi',
        {"Content-Type": "application/json"})
    result = scrape(runner, "--qid", "Q41187", "--cik", "320193")
    assert result.exit_code == 0, result.output
    assert "Companies: 1 created" in result.output and "1 failed" in result.output
    assert "P5531 320193" in result.output and "unreadable SPARQL results" in result.output
    with app.app_context():
        assert db.session.scalars(select(Company.name)).all() == ["Sony Group Corporation"]


def test_discovery_by_companies_house_number_that_no_item_has(app, runner, wikidata):
    result = scrape(runner, "--ch-number", "00445790")
    assert result.exit_code == 1
    assert "P2622 00445790: no Wikidata item has it" in result.output


def test_all_companies_pages_through_sparql_and_refresh_rereads_known_items(app, runner, wikidata):
    result = scrape(runner, "--all-companies", "--limit", "2")
    assert result.exit_code == 0, result.output
    assert "Companies: 2 created" in result.output and "Search index rebuilt: 2 companies." in result.output
    assert any("LIMIT+2000+OFFSET+0" in path for path in wikidata.paths("/sparql"))
    with app.app_context():
        from directory.importers.wikidata import refresh_wikidata

        before = len(wikidata.paths("/entity/"))
        summary = refresh_wikidata(limit=1)
        assert (summary.unchanged, summary.failed) == (1, 0)
        assert len(wikidata.paths("/entity/")) > before  # read again, politely, through the same client


def test_a_filing_after_wikidata_leaves_one_ceo_the_filings(app, runner, client):
    assert scrape(runner, "--qid", "Q312").exit_code == 0
    assert_failures_listed(runner.invoke(args=["scrape", "edgar", "--cik", "320193", "--as-of", "2023-12-31"]))
    with app.app_context():  # before Wikidata is read again, the filing's explicit title already ranks first
        assert find_company_by_cik("320193").ceo_position.source.kind == "sec_filing"
    result = scrape(runner, "--qid", "Q312")
    assert result.exit_code == 0, result.output
    with app.app_context():
        apple = find_company_by_cik("320193")
        current_ceos = [p.person.name for p in apple.positions if p.is_current and p.is_ceo]
        assert current_ceos == ["Timothy D. Cook"]
        assert apple.ceo_position.person.wikidata_id == "Q265852"
        assert db.session.scalar(select(func.count(ProposedChange.id))) == 0
