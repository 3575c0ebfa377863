"""Wikidata parsers against the written fixtures and small documents of our own; the client
against a loopback mirror (404s, merged items, paged SPARQL that times out)."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest

from directory.importers.wikidata import same_person
from scrapers.errors import ParseError
from scrapers.http import HttpClient
from scrapers.wikidata import WikidataClient, all_company_ids, crawl_company, items_with, parse_entity, parse_time
from scrapers.wikidata.companies import parse_company, referenced_ids

from .conftest import SHARED
from .wikidata_server import WikidataMirror

FIXTURES = SHARED / "fixtures" / "wikidata"
NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
AGENT = "CEO Directory tests tests@example.org"


def load(qid: str):
    path = FIXTURES / f"{qid}.json"
    return parse_entity(path.read_bytes(), url=str(path)) if path.exists() else None


def company(qid: str):
    entity = load(qid)
    return parse_company(entity, {q: load(q) for q in referenced_ids(entity)}, retrieved_at=NOW)


def item(value: str) -> dict:
    return {"type": "wikibase-entityid", "value": {"entity-type": "item", "id": value}}


def when(text: str, precision: int = 11) -> dict:
    return {"snaktype": "value", "property": "P580", "datavalue": {"type": "time", "value": {
        "time": text, "precision": precision, "timezone": 0, "before": 0, "after": 0}}}


def statement(prop: str, value: str | None, *, rank="normal", start=None, end=None, snaktype="value") -> dict:
    mainsnak = {"snaktype": snaktype, "property": prop, "datatype": "wikibase-item"}
    if value is not None:
        mainsnak["datavalue"] = item(value)
    qualifiers = {}
    if start:
        qualifiers["P580"] = [when(start)]
    if end:
        qualifiers["P582"] = [{**when(end), "property": "P582"}]
    return {"mainsnak": mainsnak, "type": "statement", "rank": rank, "id": f"Q1${prop}{value}",
            **({"qualifiers": qualifiers} if qualifiers else {})}


def document(qid: str, labels: dict, claims: dict) -> dict:
    return {"entities": {qid: {"id": qid, "type": "item", "labels": {
        lang: {"language": lang, "value": v} for lang, v in labels.items()}, "aliases": {}, "claims": claims}}}


def test_times_keep_their_precision_and_are_never_read_as_iso():
    assert parse_time("+2020-00-00T00:00:00Z", 9).value == date(2020, 1, 1)
    assert parse_time("+2020-00-00T00:00:00Z", 9).isoformat() == "2020"
    assert parse_time("+2019-12-00T00:00:00Z", 10).isoformat() == "2019-12"
    assert parse_time("+2011-08-24T00:00:00Z", 11).value == date(2011, 8, 24)
    assert parse_time("+1900-00-00T00:00:00Z", 7) is None  # a century is not a term's start
    assert parse_time("-0044-03-15T00:00:00Z", 11) is None


def test_deprecated_statements_are_dropped_and_a_preferred_one_wins():
    entity = parse_entity(document("Q1", {"en": "Example"}, {"P169": [
        statement("P169", "Q2", start="+2020-01-01T00:00:00Z"),
        statement("P169", "Q3", rank="preferred", start="+2021-01-01T00:00:00Z"),
        statement("P169", "Q4", rank="deprecated"),
    ]}))
    assert [s.value for s in entity.statements("P169")] == ["Q2", "Q3"]
    assert [s.value for s in entity.best("P169")] == ["Q3"]


def test_somevalue_and_novalue_have_no_value_and_name_no_one():
    entity = parse_entity(document("Q1", {"en": "Example"}, {"P169": [
        statement("P169", None, snaktype="somevalue", start="+2019-12-00T00:00:00Z"),
        statement("P169", None, snaktype="novalue"),
    ]}))
    assert [(s.snaktype, s.value) for s in entity.statements("P169")] == [("somevalue", None), ("novalue", None)]
    record = parse_company(entity, {}, retrieved_at=NOW)
    assert record.executives == ()
    assert len(record.problems) == 2


def test_end_dates_make_former_holders_and_the_latest_start_is_current():
    entity = parse_entity(document("Q1", {"en": "Example"}, {"P169": [
        statement("P169", "Q2", start="+2010-01-01T00:00:00Z", end="+2015-06-30T00:00:00Z"),
        statement("P169", "Q3", start="+2015-07-01T00:00:00Z"),
    ]}))
    related = {"Q2": parse_entity(document("Q2", {"en": "Ann Old"}, {})),
               "Q3": parse_entity(document("Q3", {"de": "Bea Neu"}, {}))}
    record = parse_company(entity, related, retrieved_at=NOW)
    assert [(e.name, e.is_current, e.end.value if e.end else None) for e in record.executives] == [
        ("Ann Old", False, date(2015, 6, 30)), ("Bea Neu", True, None)]  # a German-only label still names her
    assert record.current("ceo").name == "Bea Neu"


def test_without_an_english_label_the_company_s_own_language_names_it_and_no_label_skips_a_person():
    entity = parse_entity(document("Q1", {"fr": "Fromagerie Exemple", "ja": "例"}, {
        "P17": [statement("P17", "Q142")], "P169": [statement("P169", "Q2")]}))
    related = {"Q142": parse_entity(document("Q142", {"en": "France"}, {})), "Q2": parse_entity(document("Q2", {}, {}))}
    record = parse_company(entity, related, retrieved_at=NOW)
    assert (record.company.name, record.company.country) == ("Fromagerie Exemple", "FR")  # French before Japanese
    assert record.executives == () and record.problems == ("Q1 P169: Q2 has no label: skipped",)


def test_not_an_entity_document_is_a_parse_error():
    with pytest.raises(ParseError):
        parse_entity(b"<html>Too many requests</html>", url="https://example.org/Q1.json")
    with pytest.raises(ParseError):
        parse_entity(b'{"entities": {}}')


def test_sony_from_the_written_fixtures(shared_fixtures):
    sony = company("Q41187")
    assert (sony.company.name, sony.company.country, sony.company.city) == ("Sony Group Corporation", "JP", "Tokyo")
    ceos = {e.name: e for e in sony.executives if e.role == "ceo"}
    assert set(ceos) == {"Hiroki Totoki", "Kenichiro Yoshida"}  # Stringer's statement is deprecated
    assert sony.current("ceo").name == "Hiroki Totoki" and sony.current("chair").name == "Kenichiro Yoshida"
    assert not ceos["Kenichiro Yoshida"].is_current  # named by his `mul` label: no English one
    assert [b.name for b in sony.brands] == ["PlayStation", "Bravia", "Walkman"]
    assert ("ticker", "SONY", "New York Stock Exchange") in {(i.scheme, i.value, i.exchange)
                                                            for i in sony.company.identifiers}
    assert ceos["Hiroki Totoki"].source.url.startswith("https://www.sony.com/")


def test_apple_identifiers_references_and_socials(shared_fixtures):
    apple = company("Q312")
    schemes = {(i.scheme, i.value) for i in apple.company.identifiers}
    assert {("cik", "0000320193"), ("lei", "HWUPKR0MPOU8FGXBT394"), ("wikidata", "Q312"), ("ticker", "AAPL")} <= schemes
    cook = apple.current("ceo")
    assert (cook.name, cook.start.value, "Timothy Donald Cook" in cook.aliases) == ("Tim Cook", date(2011, 8, 24), True)
    assert "Steve Jobs Resigns as CEO of Apple" in cook.source.title
    assert [(s.platform, s.url) for s in apple.socials] == [("X", "https://x.com/Apple")]
    assert apple.company.website == "https://www.apple.com"


def test_expedia_merged_brand_unknown_ceo_and_year_precision(shared_fixtures):
    expedia = company("Q990000141")
    assert {b.qid: b.name for b in expedia.brands} == {"Q990000144": "Hotels.com", "Q990000145": "Vrbo"}
    kern = next(e for e in expedia.executives if e.name == "Peter Kern")
    assert (kern.start.isoformat(), kern.end.isoformat(), kern.is_current) == ("2020", "2024-05-01", False)
    assert any("somevalue" in problem for problem in expedia.problems)


def test_names_agree_after_normalisation_and_nicknames():
    assert same_person("Timothy D. Cook", ["Tim Cook"])
    assert same_person("Satya Nadella", ["Satya Nadella"])
    assert same_person("Timothy D. Cook", ["Timothy Donald Cook"])
    assert not same_person("Timothy D. Cook", ["Arthur D. Levinson", "Art Levinson"])
    assert not same_person("Jane Cook", ["Tim Cook"])


@pytest.fixture
def mirror(shared_fixtures):
    claims = {"P5531": {"Q312": "0000320193"}, "P2622": {f"Q{n}": str(n) for n in range(1, 40)},
              "P1278": {"Q312": "HWUPKR0MPOU8FGXBT394", "Q5": "X"}, "P169": {}}
    with WikidataMirror(FIXTURES, claims=claims, max_page=10) as server:
        yield server


def client_for(mirror, **kwargs) -> WikidataClient:
    http = HttpClient(AGENT, requests_per_second=10.0, sleep=lambda seconds: None, max_attempts=2, **kwargs)
    return WikidataClient(AGENT, entity_url=mirror.entity_url, sparql_url=mirror.sparql_url, http=http)


def test_each_item_once_a_merged_item_under_its_target_and_a_missing_one_as_none(mirror):
    client = client_for(mirror)
    assert client.entity("Q990000146").id == "Q990000145"
    assert client.entity("Q990000145").id == "Q990000145"
    assert client.redirects == {"Q990000146": "Q990000145"}
    assert client.entity("Q990000131") is None and client.entity("Q990000131") is None
    assert mirror.paths() == ["/entity/Q990000146.json", "/entity/Q990000131.json"]
    assert crawl_company(client, "Q990000131") is None


def test_discovery_pages_and_halves_a_page_that_times_out(mirror, caplog):
    client = client_for(mirror)
    assert items_with(client, "P5531", "0000320193") == ["Q312"]
    found = list(all_company_ids(client, page_size=20, min_page_size=5))
    assert set(found) == {"Q312", "Q5", *(f"Q{n}" for n in range(1, 40))} and len(found) == len(set(found))
    sparql = [p for p in mirror.paths("/sparql") if "OFFSET" in p]
    assert any("LIMIT+20" in p for p in sparql) and any("LIMIT+10" in p for p in sparql)
    assert "retrying with 10 rows" in caplog.text
    assert list(all_company_ids(client, limit=5, page_size=10)) == ["Q312", "Q1", "Q2", "Q3", "Q4"]


def test_a_page_that_keeps_timing_out_is_logged_and_given_up(mirror, caplog):
    mirror.max_page = 0
    assert list(all_company_ids(client_for(mirror), page_size=40, min_page_size=10)) == []
    assert "SPARQL discovery of P5531 stopped" in caplog.text


def test_a_fixture_entity_round_trips_through_json(shared_fixtures):
    raw = json.loads((FIXTURES / "Q2283.json").read_bytes())
    assert parse_entity(raw).label() == "Microsoft"
