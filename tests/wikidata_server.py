"""A loopback stand-in for Wikidata: entity documents from a folder, SPARQL from a table.

`/<QID>.json` serves `<root>/<QID>.json` (404 when absent), as Special:EntityData does,
merged items included (their file holds the target's document). `/sparql?query=...&format=json`
answers the two query shapes the importer sends, in SPARQL's JSON results format:
`?item wdt:P5531 "0000320193"` (items with that value) and `?item wdt:P5531 ?value ...
LIMIT n OFFSET m` (a page of the items with the property, ordered by id). A page asking for
more than `max_page` rows answers as the query service does when a query runs past its
60 seconds: HTTP 500 with a TimeoutException. Every request is recorded (time, path, agent).
"""
from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

VALUE_QUERY = re.compile(r'wdt:(P\d+) "([^"]*)"')
PAGE_QUERY = re.compile(r"wdt:(P\d+) \?value .* LIMIT (\d+) OFFSET (\d+)", re.S)
ENTITY = "http://www.wikidata.org/entity/"


class WikidataMirror:
    def __init__(self, root: Path | None = None, *, claims: dict[str, dict[str, str]] | None = None,
                 max_page: int | None = None, documents: dict[str, bytes] | None = None):
        """`claims` is {property: {qid: value}}; `documents` adds or replaces entity files."""
        self.root = Path(root) if root else None
        self.claims = claims or {}
        self.max_page = max_page
        self.documents = documents if documents is not None else {}
        self.requests: list[tuple[float, str, str | None]] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def entity_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/entity"

    @property
    def sparql_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/sparql"

    def paths(self, prefix: str = "") -> list[str]:
        return [path for _, path, _ in self.requests if path.startswith(prefix)]

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def _answer(self, path: str) -> tuple[int, bytes]:
        parts = urlsplit(path)
        if parts.path == "/sparql":
            return self._sparql(parse_qs(parts.query).get("query", [""])[0])
        name = parts.path.removeprefix("/entity/")
        if name.removesuffix(".json") in self.documents:
            return 200, self.documents[name.removesuffix(".json")]
        target = self.root / name if self.root and re.fullmatch(r"Q\d+\.json", name) else None
        if target is None or not target.is_file():
            return 404, b'{"error": "not found"}'
        return 200, target.read_bytes()

    def _sparql(self, query: str) -> tuple[int, bytes]:
        if (match := VALUE_QUERY.search(query)) is not None:
            prop, value = match.groups()
            items = sorted(q for q, v in self.claims.get(prop, {}).items() if v == value)
        elif (match := PAGE_QUERY.search(query)) is not None:
            prop, limit, offset = match.group(1), int(match.group(2)), int(match.group(3))
            if self.max_page is not None and limit > self.max_page:
                return 500, b"java.util.concurrent.TimeoutException"
            items = sorted(self.claims.get(prop, {}), key=lambda q: int(q[1:]))[offset:offset + limit]
        else:
            return 400, b"unsupported query"
        rows = [{"item": {"type": "uri", "value": ENTITY + qid}} for qid in items]
        return 200, json.dumps({"head": {"vars": ["item"]}, "results": {"bindings": rows}}).encode()

    def _handler_class(self):
        mirror = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                with mirror._lock:
                    mirror.requests.append((time.monotonic(), self.path, self.headers.get("User-Agent")))
                status, body = mirror._answer(self.path)
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if status < 500 else "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler
