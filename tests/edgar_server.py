"""A real HTTP server on 127.0.0.1 that stands in for www.sec.gov and data.sec.gov in tests.

It serves an EDGAR-shaped tree (`../shared/fixtures/edgar-mirror/`: `www/...`, `data/...`)
with ETag / Last-Modified and 304 answers, records every request (time, path, User-Agent,
headers), and can be scripted to answer given paths with canned responses first
("429 with Retry-After: 1, then the file"; "truncated XML"). Usable from any test module:

    with EdgarServer(mirror_root) as server:
        server.script("/www/Archives/...", Scripted(429, headers={"Retry-After": "1"}))
        client = EdgarClient(ua, server.www_url, server.data_url)
"""
from __future__ import annotations

import hashlib
import sys
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

NOT_FOUND_XML = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code>'
                 b"<Message>The specified key does not exist.</Message></Error>")
CONTENT_TYPES = {".json": "application/json", ".xml": "application/xml", ".htm": "text/html",
                 ".html": "text/html", ".txt": "text/plain"}
LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)


@dataclass(frozen=True)
class Scripted:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds to stall before answering (to trip read timeouts)
    release: threading.Event | None = None  # answer only once the test sets it (to hold a client mid-run)


@dataclass(frozen=True)
class RecordedRequest:
    time: float  # time.monotonic() when the request arrived
    path: str
    user_agent: str | None
    headers: dict


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A client that gave up (read timeout) is expected in tests; anything else is not."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class EdgarServer:
    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root else None
        self.requests: list[RecordedRequest] = []
        self._scripts: dict[str, deque[Scripted]] = defaultdict(deque)
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def www_url(self) -> str:
        return f"{self.base_url}/www"

    @property
    def data_url(self) -> str:
        return f"{self.base_url}/data"

    def script(self, path: str, *responses: Scripted) -> None:
        """Answer the next requests for `path` with these responses, then serve files again."""
        with self._lock:
            self._scripts[path].extend(responses)

    def requests_for(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def _answer(self, path: str, headers) -> Scripted:
        with self._lock:
            self.requests.append(RecordedRequest(time.monotonic(), path, headers.get("User-Agent"), dict(headers)))
            if self._scripts[path]:
                return self._scripts[path].popleft()
        return self._file(path, headers)

    def _file(self, path: str, headers) -> Scripted:
        relative = path.split("?", 1)[0].lstrip("/")
        target = (self.root / relative).resolve() if self.root else None
        if target is not None and target.is_dir():  # a folder is served from its index.html, as web servers do
            target = target / "index.html"
        if target is None or self.root.resolve() not in target.parents or not target.is_file():
            return Scripted(404, NOT_FOUND_XML, {"Content-Type": "application/xml"})
        body = target.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        validators = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        if headers.get("If-None-Match") == etag:
            return Scripted(304, b"", validators)
        content_type = CONTENT_TYPES.get(target.suffix, "application/octet-stream")
        return Scripted(200, body, {"Content-Type": content_type, **validators})

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                answer = server._answer(self.path, self.headers)
                if answer.delay:
                    time.sleep(answer.delay)
                if answer.release is not None:
                    answer.release.wait()
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                if answer.body:
                    self.wfile.write(answer.body)

            def log_message(self, *args):
                pass

        return Handler


def assert_failures_listed(result) -> None:
    """A `flask scrape edgar` run went to the end, its exit status the number of documents it
    lists as failed: the mirror holds a subset of EDGAR, so the filings it lacks are HTTP 404s."""
    assert result.exit_code == result.output.count("\n  error: "), result.output
