"""Freshness that agrees with itself (issue 30, item 7): "last verified" and "sources last
read" on a company loaded from the bundled snapshot, and the age of what waits for a moderator."""
from __future__ import annotations

from datetime import date, timedelta

from bs4 import BeautifulSoup

from directory.extensions import db
from directory.models import Company, utcnow
from tests.community import client_for, make_user
from tests.conftest import REPO
from tests.factories import make_company


def facts(client, url) -> dict:
    soup = BeautifulSoup(client.get(url).get_data(as_text=True), "lxml")
    return {dt.get_text(strip=True): dt.find_next_sibling("dd") for dt in soup.select("dl.facts dt")}


def test_a_snapshot_companys_sources_are_shown_as_read_for_the_snapshot(app, client, runner):
    result = runner.invoke(args=["import", str(REPO / "directory" / "data" / "snapshot.jsonl.gz")])
    assert result.exit_code == 0, result.output

    terms = facts(client, "/companies/apple-inc")
    verified = terms["Last verified"].time["datetime"]
    reads = terms["Sources last read"].get_text(" ", strip=True)
    assert "Not read" not in reads and "Never" not in reads
    lines = [li.get_text(" ", strip=True) for li in terms["Sources last read"].select("li")]
    assert any(line.startswith("SEC EDGAR:") and line.endswith("(read for the bundled snapshot)") for line in lines)
    read_days = [time["datetime"] for time in terms["Sources last read"].select("time")]
    assert verified in read_days  # the day it was last verified is a day a source was read


def test_the_queue_says_how_long_each_item_has_waited_oldest_first(app):
    with app.app_context():
        make_company("Old Co", leadership_change_on=(utcnow() - timedelta(days=300)).date())
        make_company("New Co", leadership_change_on=(utcnow() - timedelta(days=3)).date())
        make_user("mod@example.org", role="moderator")
        db.session.commit()
    queue = BeautifulSoup(client_for(app, "mod@example.org").get("/moderate/").get_data(as_text=True), "lxml")
    rows = [row.get_text(" ", strip=True) for row in queue.select(".queue-table tbody tr")]
    assert "Old Co" in rows[0] and "(10 months)" in rows[0]
    assert "New Co" in rows[1] and "(3 days)" in rows[1]
