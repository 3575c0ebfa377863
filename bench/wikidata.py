"""Wikidata importer: entities parsed per second, and an import from a loopback mirror.

    .venv/bin/python bench/wikidata.py --companies 100 --rate 10 --store-companies 2000
    nice .venv/bin/python bench/wikidata.py --companies 10000 --rate 200 --store-companies 0

Synthetic companies in Wikidata's EntityData shape, each with a current and a former CEO,
two brands, a website, an X account, a shared country and one of 100 cities and 10
industries (half carry a CIK). Three measurements:

1. parsing: `parse_entity` + `parse_company` over every document, entities per second;
2. an import over HTTP from a loopback mirror through the polite client at `--rate`
   requests per second: time, requests, whether each item was fetched once, and the busiest
   second the server saw (the goal: never above the rate; a rate above 10 is for the mirror
   only, the client refuses it for public servers);
3. storing alone (records parsed beforehand, no HTTP) at `--store-companies`, companies per
   second: what a 10,000-company run costs besides waiting for its rate limit.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

AGENT = "CEO Directory bench bench@example.org"


def _snak(prop, kind, value):
    return {"snaktype": "value", "property": prop, "datavalue": {"type": kind, "value": value}}


def _item(prop, qid):
    return _snak(prop, "wikibase-entityid", {"entity-type": "item", "id": qid})


def _time(prop, year):
    return _snak(prop, "time", {"time": f"+{year}-01-01T00:00:00Z", "precision": 11})


def _statement(snak, qualifiers=None, index=0):
    out = {"mainsnak": snak, "type": "statement", "rank": "normal", "id": f"S{snak['property']}{index}"}
    if qualifiers:
        out["qualifiers"] = {q["property"]: [q] for q in qualifiers}
    return out


def _document(qid, label, claims=(), aliases=()):
    grouped = {}
    for statement in claims:
        grouped.setdefault(statement["mainsnak"]["property"], []).append(statement)
    return json.dumps({"entities": {qid: {
        "id": qid, "type": "item", "labels": {"en": {"language": "en", "value": label}},
        "aliases": {"en": [{"language": "en", "value": a} for a in aliases]} if aliases else {},
        "claims": grouped, "sitelinks": {}}}}).encode()


def synthetic(companies: int) -> tuple[dict[str, bytes], list[str]]:
    docs = {"Q30": _document("Q30", "United States", [_statement(_snak("P297", "string", "US"))])}
    for n in range(10):
        docs[f"Q91{n:05}"] = _document(f"Q91{n:05}", f"industry {n}")
    for n in range(100):
        docs[f"Q92{n:05}"] = _document(f"Q92{n:05}", f"City {n}", [_statement(_item("P17", "Q30"))])
    qids = []
    for i in range(companies):
        qid, ceo, former, brand = f"Q93{i:06}", f"Q94{i:06}", f"Q95{i:06}", f"Q96{i:06}"
        docs[ceo] = _document(ceo, f"Casey Current{i}")
        docs[former] = _document(former, f"Fran Former{i}")
        docs[brand + "1"] = _document(brand + "1", f"Brandone{i}", aliases=[f"B1 {i}"])
        docs[brand + "2"] = _document(brand + "2", f"Brandtwo{i}")
        claims = [
            _statement(_item("P17", "Q30")), _statement(_item("P159", f"Q92{i % 100:05}")),
            _statement(_item("P452", f"Q91{i % 10:05}")),
            _statement(_item("P169", ceo), [_time("P580", 2020)], 1),
            _statement(_item("P169", former), [_time("P580", 2010), _time("P582", 2020)], 2),
            _statement(_item("P1716", brand + "1"), index=1), _statement(_item("P1716", brand + "2"), index=2),
            _statement(_snak("P856", "string", f"https://company{i}.example")),
            _statement(_snak("P2002", "string", f"company{i}")),
        ]
        if i % 2 == 0:
            claims.append(_statement(_snak("P5531", "string", f"{9_000_000 + i:010}")))
        docs[qid] = _document(qid, f"Bench Company {i}", claims)
        qids.append(qid)
    return docs, qids


def bench_parse(docs: dict[str, bytes], qids: list[str]) -> dict:
    from scrapers.wikidata import parse_company, parse_entity, referenced_ids

    now = datetime.now(timezone.utc)
    started = time.perf_counter()
    parsed = 0
    records = {}
    cache = {}
    for qid in qids:
        entity = parse_entity(docs[qid])
        parsed += 1
        related = {}
        for ref in referenced_ids(entity):
            if ref not in cache:
                cache[ref] = parse_entity(docs[ref])
                parsed += 1
            related[ref] = cache[ref]
        records[qid] = parse_company(entity, related, retrieved_at=now)
    elapsed = time.perf_counter() - started
    return {"entities": parsed, "seconds": round(elapsed, 3), "entities_per_second": round(parsed / elapsed),
            "records": records}


def _app(work: str, **extra):
    from flask_migrate import upgrade

    from directory import create_app

    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work}/bench.sqlite",
                      "SEARCH_INDEX_DIR": f"{work}/index", "SCRAPER_CACHE_DIR": f"{work}/cache",
                      "SCRAPER_USER_AGENT": AGENT, **extra})
    with app.app_context():
        upgrade()
    return app


def busiest_second(times: list[float]) -> int:
    """The most requests the server saw arrive within any one second (a sliding window)."""
    times, most, first = sorted(times), 0, 0
    for last, arrived in enumerate(times):
        while arrived - times[first] >= 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


def bench_import(docs: dict[str, bytes], qids: list[str], rate: float) -> dict:
    """Through `WikidataImport` and the polite client, as `flask scrape wikidata` runs. A rate
    above the client's ceiling for public servers is allowed here: the mirror is ours."""
    from directory.importers.wikidata import WikidataImport
    from scrapers.http import HttpClient, RateLimiter
    from scrapers.wikidata import WikidataClient
    from tests.wikidata_server import WikidataMirror

    with tempfile.TemporaryDirectory() as work, WikidataMirror(documents=docs) as mirror:
        app = _app(work)
        with app.app_context():
            http = HttpClient(AGENT, rate_limiter=RateLimiter(rate, ceiling=rate), cache_dir=f"{work}/cache")
            client = WikidataClient(AGENT, entity_url=mirror.entity_url, http=http)
            run = WikidataImport(client, defer_search=True)
            started = time.perf_counter()
            for qid in qids:
                run.import_qid(qid)
            run.finish()
            elapsed = time.perf_counter() - started
            client.close()
        paths = mirror.paths("/entity/")
        times = [r.time for r in mirror.requests]
    busiest = busiest_second(times)
    return {"companies": len(qids), "seconds": round(elapsed, 1), "requests": len(paths),
            "distinct_items": len(set(paths)), "each_item_once": len(paths) == len(set(paths)),
            "requests_per_company": round(len(paths) / len(qids), 2), "configured_rate": rate,
            "mean_rate": round(len(times) / elapsed, 1), "busiest_second": busiest,
            "under_limit": busiest <= rate, "summary": run.summary.lines()[:2]}


def bench_store(records: dict) -> dict:
    from directory.importers.wikidata import WikidataImport

    class NoClient:
        redirects: dict = {}
        requests = 0

    with tempfile.TemporaryDirectory() as work:
        app = _app(work)
        with app.app_context():
            run = WikidataImport(NoClient(), defer_search=True, crawl=lambda client, qid: records[qid])
            started = time.perf_counter()
            for qid in records:
                run.import_qid(qid)
            stored = time.perf_counter() - started
            rebuilt = run.finish()
            total = time.perf_counter() - started
    return {"companies": len(records), "store_seconds": round(stored, 1),
            "companies_per_second": round(len(records) / stored), "with_index_rebuild_seconds": round(total, 1),
            "indexed": rebuilt}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--companies", type=int, default=100, help="companies imported over HTTP")
    parser.add_argument("--rate", type=float, default=5.0, help="requests per second (WIKIDATA_REQUESTS_PER_SECOND)")
    parser.add_argument("--store-companies", type=int, default=2000, help="companies stored without HTTP (0: skip)")
    args = parser.parse_args(argv)
    docs, qids = synthetic(max(args.companies, args.store_companies))
    parsed = bench_parse(docs, qids)
    records = dict(list(parsed.pop("records").items())[:args.store_companies])
    print("parse:", json.dumps(parsed), flush=True)
    if args.store_companies:
        print("store:", json.dumps(bench_store(records)), flush=True)
    print("import over HTTP:", json.dumps(bench_import(docs, qids[:args.companies], args.rate)))


if __name__ == "__main__":
    main()
