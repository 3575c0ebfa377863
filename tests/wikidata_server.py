"""A loopback stand-in for Wikidata: entity documents from a folder, SPARQL from a table.

Built on `EdgarServer` (requests recorded with time and agent, scripted answers first):
`/entity/<QID>.json` serves `<root>/<QID>.json` (404 when absent), as Special:EntityData does,
merged items included (their file holds the target's document). `/sparql?query=...&format=json`
answers the two query shapes the importer sends, in SPARQL's JSON results format:
`?item wdt:P5531 "0000320193"` (items with that value) and `?item wdt:P5531 ?value ...
LIMIT n OFFSET m` (a page of the items with the property, ordered by id). A page asking for
more than `max_page` rows answers as the query service does when a query runs past its
60 seconds: HTTP 500 with a TimeoutException.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .edgar_server import EdgarServer, Scripted

VALUE_QUERY = re.compile(r'wdt:(P\d+) "([^"]*)"')
PAGE_QUERY = re.compile(r"wdt:(P\d+) \?value .* LIMIT (\d+) OFFSET (\d+)", re.S)
ENTITY = "http://www.wikidata.org/entity/"
JSON = {"Content-Type": "application/json"}


class WikidataMirror(EdgarServer):
    def __init__(self, root: Path | None = None, *, claims: dict[str, dict[str, str]] | None = None,
                 max_page: int | None = None, documents: dict[str, bytes] | None = None):
        """`claims` is {property: {qid: value}}; `documents` adds or replaces entity files."""
        super().__init__(root)
        self.claims = claims or {}
        self.max_page = max_page
        self.documents = documents if documents is not None else {}

    @property
    def entity_url(self) -> str:
        return f"{self.base_url}/entity"

    @property
    def sparql_url(self) -> str:
        return f"{self.base_url}/sparql"

    def paths(self, prefix: str = "") -> list[str]:
        return [r.path for r in self.requests if r.path.startswith(prefix)]

    def _file(self, path: str, headers) -> Scripted:
        parts = urlsplit(path)
        if parts.path == "/sparql":
            return self._sparql(parse_qs(parts.query).get("query", [""])[0])
        name = parts.path.removeprefix("/entity/")
        if name.removesuffix(".json") in self.documents:
            return Scripted(200, self.documents[name.removesuffix(".json")], JSON)
        if not re.fullmatch(r"Q\d+\.json", name):
            return Scripted(404, b'{"error": "not found"}', JSON)
        return super()._file(name, headers)

    def _sparql(self, query: str) -> Scripted:
        if (match := VALUE_QUERY.search(query)) is not None:
            prop, value = match.groups()
            items = sorted(q for q, v in self.claims.get(prop, {}).items() if v == value)
        elif (match := PAGE_QUERY.search(query)) is not None:
            prop, limit, offset = match.group(1), int(match.group(2)), int(match.group(3))
            if self.max_page is not None and limit > self.max_page:
                return Scripted(500, b"java.util.concurrent.TimeoutException", {"Content-Type": "text/plain"})
            items = sorted(self.claims.get(prop, {}), key=lambda q: int(q[1:]))[offset:offset + limit]
        else:
            return Scripted(400, b"unsupported query", {"Content-Type": "text/plain"})
        rows = [{"item": {"type": "uri", "value": ENTITY + qid}} for qid in items]
        return Scripted(200, json.dumps({"head": {"vars": ["item"]}, "results": {"bindings": rows}}).encode(), JSON)
