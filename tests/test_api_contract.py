"""The API against its own OpenAPI document, checked by a tool none of us wrote.

schemathesis reads /api/v1/openapi.json from gunicorn serving the bundled snapshot, generates
requests (valid and deliberately invalid ones, undeclared methods included) with a fixed seed
and checks every answer against the document: status codes, bodies, headers. Any failure
fails this test with schemathesis's own report. Installed from requirements-dev.txt; skipped
where it is not.
"""
from __future__ import annotations

import secrets
import subprocess

import pytest

from tests.servers import BIN, REPO, flask, gunicorn, server_env

SCHEMATHESIS = BIN / "schemathesis"
SNAPSHOT = REPO / "directory" / "data" / "snapshot.jsonl.gz"
SEED = "20261202"

pytestmark = pytest.mark.skipif(not SCHEMATHESIS.exists(), reason="schemathesis not installed (requirements-dev.txt)")


@pytest.fixture(scope="module")
def snapshot_server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("api-contract")
    env = server_env(SECRET_KEY=secrets.token_urlsafe(32), PUBLIC_URL="http://127.0.0.1",
                     DATABASE_URL=f"sqlite:///{workdir / 'directory.sqlite'}", SEARCH_INDEX_DIR=str(workdir / "search-index"),
                     SCRAPER_CACHE_DIR=str(workdir / "http-cache"),
                     SEC_USER_AGENT="CEO Directory API contract tests tests@example.org",
                     # A fuzzer is one address sending hundreds of searches: the limit is proved elsewhere.
                     DIRECTORY_RATELIMIT_SEARCH="100000/minute")
    flask(env, "db", "upgrade")
    flask(env, "import", str(SNAPSHOT))
    flask(env, "index", "rebuild")
    with gunicorn(env, workdir / "gunicorn.log", ready="/api/v1/openapi.json") as base_url:
        yield base_url


def test_every_answer_agrees_with_the_openapi_document(snapshot_server, tmp_path):
    result = subprocess.run(
        [str(SCHEMATHESIS), "run", f"{snapshot_server}/api/v1/openapi.json", "--checks", "all",
         "--max-examples", "60", "--seed", SEED, "--no-color"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
