"""WikidataClient: entity documents and SPARQL discovery through the polite HTTP client.

Why each part exists:
- Wikimedia's User-Agent policy requires a declared contact, as SEC does: `HttpClient`
  refuses to run without one;
- at most 5 requests per second by default, Retry-After honoured on 429 and 503, backoff
  with jitter: all `HttpClient`'s;
- every entity is fetched once per run (a memo keyed by requested and by resolved id), and
  kept on disk with validators, so a rerun asks "changed?" instead of downloading again;
- a merged item answers with its target's document: the memo records old -> new so the
  target is never fetched a second time;
- SPARQL discovery is paged: the query service stops any query at 60 seconds, so a page
  that times out is asked again at half the size before it is given up and logged.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Iterator
from urllib.parse import urlencode

from ..errors import FetchError, ParseError
from ..http import REVALIDATE, HttpClient
from .companies import WikidataCompany, parse_company, referenced_ids
from .entities import Entity, parse_entity

DEFAULT_ENTITY_URL = "https://www.wikidata.org/wiki/Special:EntityData"
DEFAULT_SPARQL_URL = "https://query.wikidata.org/sparql"
DEFAULT_REQUESTS_PER_SECOND = 5.0
SPARQL_PAGE_SIZE = 2000
SPARQL_MIN_PAGE_SIZE = 125
# Discovery for --all-companies: items carrying one of these, one property at a time (a
# union of all of them is one query too slow for the 60-second limit).
DISCOVERY_PROPERTIES = ("P5531", "P2622", "P1278", "P169")

log = logging.getLogger(__name__)


class WikidataClient:
    def __init__(self, user_agent: str | None, *, entity_url: str = DEFAULT_ENTITY_URL,
                 sparql_url: str = DEFAULT_SPARQL_URL, requests_per_second: float = DEFAULT_REQUESTS_PER_SECOND,
                 cache_dir=None, http: HttpClient | None = None):
        self.entity_url = entity_url.rstrip("/")
        self.sparql_url = sparql_url
        self.http = http or HttpClient(user_agent, requests_per_second=requests_per_second, cache_dir=cache_dir)
        self._entities: dict[str, Entity | None] = {}  # by requested id and by resolved id
        self.redirects: dict[str, str] = {}  # merged id -> target id
        self.requests = 0

    def close(self) -> None:
        self.http.close()

    def entity(self, qid: str) -> Entity | None:
        """The item's entity (its merge target's, for a merged item); None when it does not exist."""
        qid = qid.strip().upper()
        if qid in self._entities:
            return self._entities[qid]
        url = f"{self.entity_url}/{qid}.json"
        self.requests += 1
        try:
            result = self.http.get(url, cache=REVALIDATE)
        except FetchError as error:
            if not error.not_found:
                raise
            log.warning("Wikidata item %s not found (%s)", qid, url)
            self._entities[qid] = None
            return None
        entity = parse_entity(result.content, url=url)
        if entity.id != qid:
            log.info("Wikidata item %s was merged into %s", qid, entity.id)
            self.redirects[qid] = entity.id
        self._entities[qid] = self._entities[entity.id] = entity
        return entity

    def related(self, entity: Entity) -> dict[str, Entity | None]:
        """Every item the company's claims point to, each fetched at most once per run."""
        return {qid: self.entity(qid) for qid in referenced_ids(entity)}

    def sparql(self, query: str) -> list[dict]:
        """The result rows of a SELECT query, each {variable: value}."""
        url = f"{self.sparql_url}?{urlencode({'query': query, 'format': 'json'})}"
        self.requests += 1
        result = self.http.get(url)
        try:
            bindings = result.json()["results"]["bindings"]
            return [{name: cell.get("value") for name, cell in row.items()} for row in bindings]
        except (ValueError, KeyError, TypeError) as error:  # a timeout can cut the JSON short
            raise ParseError(url, f"unreadable SPARQL results ({type(error).__name__})") from error


def crawl_company(client: WikidataClient, qid: str) -> WikidataCompany | None:
    """The company item and its related items, read into a `WikidataCompany`; None if missing."""
    entity = client.entity(qid)
    if entity is None:
        return None
    return parse_company(entity, client.related(entity), retrieved_at=datetime.now(timezone.utc))


def items_with(client: WikidataClient, prop: str, value: str) -> list[str]:
    """QIDs of the items whose `prop` is `value` (a CIK, a company number)."""
    literal = value.replace("\\", "").replace('"', "")
    rows = client.sparql(f'SELECT ?item WHERE {{ ?item wdt:{prop} "{literal}" . }}')
    return [qid for row in rows if (qid := _qid(row.get("item")))]


def all_company_ids(client: WikidataClient, *, limit: int | None = None, page_size: int = SPARQL_PAGE_SIZE,
                    min_page_size: int = SPARQL_MIN_PAGE_SIZE) -> Iterator[str]:
    """Companies Wikidata ties to a register or names a CEO for, each once, page by page."""
    seen: set[str] = set()
    for prop in DISCOVERY_PROPERTIES:
        offset, size = 0, page_size
        while True:
            query = f"SELECT ?item WHERE {{ ?item wdt:{prop} ?value . }} ORDER BY ?item LIMIT {size} OFFSET {offset}"
            try:
                rows = client.sparql(query)
            except (FetchError, ParseError) as error:
                if size // 2 >= min_page_size:
                    size //= 2
                    log.warning("SPARQL page of %s at %d failed (%s): retrying with %d rows", prop, offset, error, size)
                    continue
                log.error("SPARQL discovery of %s stopped at %d: %s", prop, offset, error)
                break
            for row in rows:
                qid = _qid(row.get("item"))
                if qid and qid not in seen:
                    seen.add(qid)
                    yield qid
                    if limit is not None and len(seen) >= limit:
                        return
            if len(rows) < size:
                break
            offset += size


def _qid(uri: str | None) -> str | None:
    tail = (uri or "").rsplit("/", 1)[-1]
    return tail if tail.startswith("Q") and tail[1:].isdigit() else None
