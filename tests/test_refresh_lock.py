"""`flask refresh` runs on one host at a time: two real processes against one database (a SQLite
file here, PostgreSQL in the PostgreSQL pass), the first held mid-run by EDGAR's stand-in."""
from __future__ import annotations

import subprocess
import threading
import time

from sqlalchemy import func, select

from directory.extensions import db
from directory.models import RefreshRun
from directory.refresh.commands import ALREADY_RUNNING
from tests.edgar_server import EdgarServer, Scripted
from tests.servers import BIN, REPO, server_env

from .test_refresh import EMPTY_INDEX, TODAY, YESTERDAY, index_path

WAIT = 60  # seconds at most for the first run to reach EDGAR (a wait, not a measurement)


def refresh_process(database_uri: str, mirror: EdgarServer, tmp_path) -> dict:
    """How to start `flask refresh --only edgar` against this database and this EDGAR."""
    env = server_env(DATABASE_URL=database_uri, SECRET_KEY="refresh-lock-test-key-not-secret",
                     SEARCH_INDEX_DIR=str(tmp_path / "search-index"), SCRAPER_CACHE_DIR=str(tmp_path / "http-cache"),
                     SEC_WWW_URL=mirror.www_url, SEC_DATA_URL=mirror.data_url,
                     SEC_USER_AGENT="CEO Directory tests tests@example.org")
    return {"args": [str(BIN / "flask"), "--app", "directory", "refresh", "--today", TODAY.isoformat(), "--only", "edgar"],
            "cwd": REPO, "env": env, "text": True}


def test_a_second_refresh_exits_at_once_while_the_first_runs(app, database_uri, tmp_path):
    held = threading.Event()
    with EdgarServer() as mirror:
        mirror.script(index_path(YESTERDAY), Scripted(200, EMPTY_INDEX, release=held))
        command = refresh_process(database_uri, mirror, tmp_path)
        first = subprocess.Popen(**command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + WAIT
            while not mirror.requests_for(index_path(YESTERDAY)) and first.poll() is None:
                assert time.monotonic() < deadline, "the first refresh never reached EDGAR"
                time.sleep(0.05)
            second = subprocess.run(**command, capture_output=True, timeout=120)
        finally:
            held.set()
            output, _ = first.communicate(timeout=120)

        assert second.returncode == ALREADY_RUNNING, second.stdout + second.stderr
        assert "Another `flask refresh` is running" in second.stderr
        assert "SEC EDGAR" not in second.stdout  # it did nothing
        assert first.returncode == 0, output
        assert "SEC EDGAR: ok" in output

        third = subprocess.run(**command, capture_output=True, timeout=120)  # the lock went with the first
        assert third.returncode == 0, third.stdout + third.stderr
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RefreshRun)) == 2  # the first and the third
