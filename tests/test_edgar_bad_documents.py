"""Bad press releases in a real `flask scrape edgar` run against the EDGAR mirror on 127.0.0.1:
Apple's submissions list gains six 8-Ks filed in January 2024 whose complete submission files
are a malformed SGML file, a 404, a 50 MB file, a redirect loop, a stalled server and one in
windows-1252. Each bad one is listed once with its URL and skipped, the rest of the run goes on
(Apple's real 1 February 2024 release is read), and the exit status is how many failed."""
from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from .conftest import _config
from .edgar_server import EdgarServer, Scripted

SUBMISSIONS = "/data/submissions/CIK0000320193.json"
FOLDER = "/www/Archives/edgar/data/320193"
CP1252_RELEASE = (
    b"<SEC-DOCUMENT>\nCOMPANY CONFORMED NAME:\t\t\tApple Inc.\n<DOCUMENT>\n<TYPE>EX-99.1\n<FILENAME>ex991.htm\n<TEXT>\n"
    + "<html><body><p>Apple today announced a new campus in M\u00e1laga.</p><p>Press Contact:</p>"
      "<p>Jos\u00e9 N\u00fa\u00f1ez</p><p>Apple</p><p>jnunez@apple.com</p><p>+34 952 00 00 00</p>"
      "</body></html>".encode("cp1252")
    + b"\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n")
# (accession, filed on, what the mirror answers for its complete submission file)
FILINGS = [
    ("0000320193-24-900001", "2024-01-26", [Scripted(200, b"<SEC-DOCUMENT>cut off before any document")]),
    ("0000320193-24-900002", "2024-01-25", []),  # not in the mirror: a 404
    ("0000320193-24-900003", "2024-01-24", [Scripted(200, b"x" * (50 * 1024 * 1024))]),
    ("0000320193-24-900004", "2024-01-23",
     [Scripted(302, headers={"Location": f"{FOLDER}/loop.txt"})] * 8),
    ("0000320193-24-900005", "2024-01-22", [Scripted(200, b"late", delay=1.0)] * 4),
    ("0000320193-24-900006", "2024-01-19", [Scripted(200, CP1252_RELEASE, {"Content-Type": "text/plain"})]),
]
FAILING = {"0000320193-24-900001": "not an EDGAR submission file", "0000320193-24-900002": "HTTP 404",
           "0000320193-24-900003": "larger than", "0000320193-24-900005": "Timeout"}  # and the loop, below


@pytest.fixture
def mirror(shared_fixtures):
    with EdgarServer(shared_fixtures / "edgar-mirror") as server:
        submissions = json.loads((shared_fixtures / "edgar-mirror" / SUBMISSIONS.lstrip("/")).read_bytes())
        recent = submissions["filings"]["recent"]
        for accession, filed_on, answers in reversed(FILINGS):
            row = {**{key: "" for key in recent}, "accessionNumber": accession, "filingDate": filed_on,
                   "reportDate": filed_on, "form": "8-K", "items": "8.01,9.01", "primaryDocument": "x8k.htm",
                   "size": 1000, "isXBRL": 0, "isInlineXBRL": 0}
            for key, values in recent.items():
                values.insert(1, row[key])  # after the real 1 February 2024 8-K
            if answers:
                server.script(url_path(accession), *answers)
        server.script(f"{FOLDER}/loop.txt", *[Scripted(302, headers={"Location": f"{FOLDER}/loop.txt"})] * 8)
        server.script(SUBMISSIONS, Scripted(200, json.dumps(submissions).encode(), {"Content-Type": "application/json"}))
        yield server


def url_path(accession: str) -> str:
    return f"{FOLDER}/{accession.replace('-', '')}/{accession}.txt"


@pytest.fixture
def app_config(tmp_path, database_uri, mirror):
    return _config(tmp_path, database_uri, SEC_WWW_URL=mirror.www_url, SEC_DATA_URL=mirror.data_url,
                   SEC_TIMEOUT=0.3)


def test_each_bad_release_is_listed_once_skipped_and_counted_in_the_exit_status(app, runner, client, mirror):
    result = runner.invoke(args=["scrape", "edgar", "--cik", "320193", "--as-of", "2024-02-01",
                                 "--lookback-days", "30"])
    listed = [line for line in result.output.splitlines() if line.startswith("  error: ")]
    # A bad release does not count towards the six read, so older 8-Ks are tried too: the
    # mirror lacks those (404s), and they are listed and counted like the rest.
    assert result.exit_code == len(listed) > len(FAILING), result.output
    assert f"Errors: {len(listed)}." in result.output
    for accession, message in {**FAILING, "0000320193-24-900004": "more than 5 redirects"}.items():
        mine = [line for line in listed if url_path(accession) in line]
        assert len(mine) == 1 and message in mine[0], (accession, listed)
    # The rest of the run went on: Apple's real release and the windows-1252 one are on the page.
    soup = BeautifulSoup(client.get("/companies/apple-inc").get_data(as_text=True), "lxml")
    people = {li.select_one(".contact-person").get_text() for li in soup.select("li.contact")
              if li.select_one(".contact-person")}
    assert {"Josh Rosenstock", "Jos\u00e9 N\u00fa\u00f1ez"} <= people
