"""`flask scrape edgar` opens every 8-K that carries a press release, whatever its items:
3M's real 8-K of 8 March 2024 (item 8.01 "Other Events" alone, with the Solventum spin-off
release as EX-99.1) served from a loopback EDGAR, its contacts stored; an 8-K whose document
list has no EX-99 is examined by its index page only; an older 8-K with item 7.01 alone is read
too, unless `--press-releases` asks for fewer.

The mirror is built in a temporary folder: the real complete submission file, a submissions
record listing the two 8-Ks, and each filing's index page in EDGAR's layout, written from the
real filing's own document list.
"""
from __future__ import annotations

import json
import shutil

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.models import Contact
from scrapers.edgar.press import parse_submission_file

from .conftest import _config
from .edgar_server import EdgarServer, assert_failures_listed

CIK = "0000066740"
RELEASE = "0000066740-24-000023"  # 8-K, item 8.01 only, EX-99.1
VOTES = "0000066740-24-000020"  # 8-K, item 5.07 only, no exhibit
OLDER = "0000066740-24-000010"  # 8-K, item 7.01 only, EX-99.1 (WRITTEN for this test)
OLDER_FILING = (b"<SEC-DOCUMENT>\nCOMPANY CONFORMED NAME:\t\t\t3M CO\n<DOCUMENT>\n<TYPE>8-K\n"
                b"<FILENAME>mmm-20240301.htm\n<TEXT>\n<html><body><p>Item 7.01 Regulation FD Disclosure</p>"
                b"</body></html>\n</TEXT>\n</DOCUMENT>\n"
                b"<DOCUMENT>\n<TYPE>EX-99.1\n<FILENAME>ex991.htm\n<TEXT>\n<html><body><p>3M today presented at a "
                b"conference.</p><p>3M Investor Contact</p><p>Jane Roe</p><p>(651) 555-0100</p></body></html>\n"
                b"</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n")
FOLDER = "www/Archives/edgar/data/66740"


def folder(accession: str) -> str:
    return f"{FOLDER}/{accession.replace('-', '')}"


def index_page(accession: str, documents: list[tuple[str, str]]) -> str:
    """A filing index page as EDGAR lays it out: the "Document Format Files" table."""
    rows = "".join(
        f'<tr><td scope="row">{seq}</td><td scope="row">{kind}</td><td scope="row">'
        f'<a href="/Archives/edgar/data/66740/{accession.replace("-", "")}/{name}">{name}</a></td>'
        f'<td scope="row">{kind}</td><td scope="row">1000</td></tr>'
        for seq, (kind, name) in enumerate(documents, 1))
    return (f'<html><body><div id="formName"><strong>Form 8-K</strong></div><table class="tableFile" '
            f'summary="Document Format Files"><tr><th>Seq</th><th>Description</th><th>Document</th><th>Type</th>'
            f"<th>Size</th></tr>{rows}</table></body></html>")


def submissions() -> dict:
    filings = [(RELEASE, "2024-03-08", "8.01", "mmm-20240308.htm"), (VOTES, "2024-03-05", "5.07", "mmm-20240305.htm"),
               (OLDER, "2024-03-01", "7.01", "mmm-20240301.htm")]
    recent = {"accessionNumber": [f[0] for f in filings], "filingDate": [f[1] for f in filings],
              "reportDate": [f[1] for f in filings], "form": ["8-K"] * 3, "items": [f[2] for f in filings],
              "primaryDocument": [f[3] for f in filings], "size": [1000] * 3, "isXBRL": [0] * 3,
              "isInlineXBRL": [0] * 3}
    return {"cik": CIK, "entityType": "operating", "sic": "3841", "name": "3M CO", "tickers": ["MMM"],
            "exchanges": ["NYSE"], "stateOfIncorporation": "DE", "phone": "651-733-1110", "formerNames": [],
            "filings": {"recent": recent, "files": []}}


@pytest.fixture
def spin_off_mirror(shared_fixtures, tmp_path):
    root = tmp_path / "mirror"
    real = shared_fixtures / "real" / "edgar" / "8k_ex99" / f"8k_3m_2024-03-08_{RELEASE}.txt"
    (root / folder(RELEASE)).mkdir(parents=True)
    (root / folder(VOTES)).mkdir(parents=True)
    (root / folder(OLDER)).mkdir(parents=True)
    (root / folder(OLDER) / f"{OLDER}.txt").write_bytes(OLDER_FILING)
    (root / folder(OLDER) / f"{OLDER}-index.htm").write_text(
        index_page(OLDER, [("8-K", "mmm-20240301.htm"), ("EX-99.1", "ex991.htm")]))
    (root / "data" / "submissions").mkdir(parents=True)
    shutil.copyfile(real, root / folder(RELEASE) / f"{RELEASE}.txt")
    documents = [(d.type, d.filename) for d in parse_submission_file(real.read_bytes()).documents if d.filename]
    (root / folder(RELEASE) / f"{RELEASE}-index.htm").write_text(index_page(RELEASE, documents))
    (root / folder(VOTES) / f"{VOTES}-index.htm").write_text(index_page(VOTES, [("8-K", "mmm-20240305.htm")]))
    (root / "data" / "submissions" / f"CIK{CIK}.json").write_text(json.dumps(submissions()))
    with EdgarServer(root) as server:
        yield server


@pytest.fixture
def app_config(tmp_path, database_uri, spin_off_mirror):
    return _config(tmp_path, database_uri, SEC_WWW_URL=spin_off_mirror.www_url, SEC_DATA_URL=spin_off_mirror.data_url)


def test_an_8k_with_item_801_alone_and_an_ex99_is_read_and_its_contacts_stored(app, runner, spin_off_mirror):
    result = runner.invoke(args=["scrape", "edgar", "--cik", "66740", "--as-of", "2024-03-08", "--lookback-days", "30"])
    assert_failures_listed(result)
    paths = [r.path for r in spin_off_mirror.requests]
    assert f"/{folder(RELEASE)}/{RELEASE}.txt" in paths
    assert f"/{folder(VOTES)}/{VOTES}-index.htm" in paths  # examined by its document list ...
    assert not [p for p in paths if p.startswith(f"/{folder(VOTES)}/") and not p.endswith("-index.htm")]  # ... only
    with app.app_context():
        stored = db.session.scalars(select(Contact).where(Contact.role.in_(("press", "investor_relations")))).all()
        people = {(c.person_name, c.organisation, c.value, c.tier) for c in stored}
    assert ("Bruce Jermeland", None, "(651) 733-1807", "executive_office") in people
    assert ("Sean Lynch", None, "Slynch2@mmm.com", "executive_office") in people
    # Solventum's people are kept as Solventum's, not as 3M's own.
    assert ("Kevin Moran", "Solventum", "kmmoran@solventum.com", "executive_office") in people
    assert not [p for p in people if "1-800-401-1952" in p[2]]  # the distribution agent's line
    assert ("Jane Roe", None, "(651) 555-0100", "executive_office") in people  # item 7.01 alone


def test_no_more_filings_are_read_than_press_releases_asks_for(app, runner, spin_off_mirror):
    result = runner.invoke(args=["scrape", "edgar", "--cik", "66740", "--as-of", "2024-03-08", "--lookback-days", "30",
                                 "--press-releases", "1"])
    assert_failures_listed(result)
    archives = [r.path for r in spin_off_mirror.requests if "/Archives/" in r.path]
    assert archives == [f"/{folder(RELEASE)}/{RELEASE}-index.htm", f"/{folder(RELEASE)}/{RELEASE}.txt"]


def test_a_second_run_opens_neither_filing_again(app, runner, spin_off_mirror):
    args = ["scrape", "edgar", "--cik", "66740", "--as-of", "2024-03-08", "--lookback-days", "30"]
    assert_failures_listed(runner.invoke(args=args))
    before = len(spin_off_mirror.requests)
    assert_failures_listed(runner.invoke(args=args))
    again = [r.path for r in spin_off_mirror.requests[before:]]
    assert not [p for p in again if "/Archives/" in p], again
