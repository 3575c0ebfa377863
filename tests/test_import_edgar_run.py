"""The import run: one company failing never costs another, bulk batches, configuration."""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.importers import bulk as bulk_module
from directory.importers import store as store_module
from directory.importers.edgar import EdgarImport, RunOptions
from directory.importers.store import find_company_by_cik
from directory.models import EdgarSyncState, Revision
from scrapers.records import IdentifierRecord

from .test_import_edgar_store import SUBMISSIONS, apple_record, cook


@dataclass(frozen=True)
class Bundle:
    cik: str
    company: object
    officers: tuple = ()
    leadership_changes: tuple = ()
    departed: tuple = ()
    filings_read: tuple = ()
    errors: tuple = ()
    not_modified: bool = False


def record_for(cik: str, name: str, phone="(555) 000-0000"):
    return apple_record(name=name, phone=phone, identifiers=(IdentifierRecord("cik", cik),), former_names=(),
                        source=replace(SUBMISSIONS, url=f"https://data.sec.gov/submissions/CIK{cik}.json"))


def fake_crawl(bundles: dict):
    def crawl(client, cik, *, lookback_days, as_of, already_read, submissions_data=None, known_officers=None,
              **contact_options):
        return bundles[cik]
    return crawl


def fail_for(monkeypatch, cik: str):
    """Make storing `cik` raise after its company row was already changed in the session."""
    original = store_module._flag_leadership_change

    def flag(writer, company, changes):
        if company.identifier("cik") == cik:
            db.session.flush()
            raise RuntimeError("simulated failure while storing")
        return original(writer, company, changes)

    monkeypatch.setattr(store_module, "_flag_leadership_change", flag)


def fail_fast_path_for(monkeypatch, cik: str):
    """Make the Core fast path raise for `cik` after its batch's companies were inserted."""
    original = bulk_module._former_name_rows

    def rows(record, company, source_id):
        if record.identifiers[0].value == cik:
            raise RuntimeError("simulated failure while inserting")
        return original(record, company, source_id)

    monkeypatch.setattr(bulk_module, "_former_name_rows", rows)


OPTIONS = RunOptions(lookback_days=730, as_of=date(2023, 12, 31))


def test_exception_while_storing_leaves_that_company_as_before(app, monkeypatch):
    with app.app_context():
        first = EdgarImport(None, OPTIONS, crawl=fake_crawl({
            "0000320193": Bundle("0000320193", record_for("320193", "Apple Inc.", phone="(408) 996-1010"))}))
        first.import_cik("320193")
        revisions_before = db.session.scalar(select(func.count()).select_from(Revision))

        fail_for(monkeypatch, "0000320193")
        run = EdgarImport(None, OPTIONS, crawl=fake_crawl({
            "0000320193": Bundle("0000320193", record_for("320193", "Apple Inc.", phone="(408) 111-1111"),
                                 officers=(cook(),), filings_read=("0000320193-23-000079",)),
            "0000789019": Bundle("0000789019", record_for("789019", "Microsoft Corp")),
        }))
        run.import_cik("320193")
        run.import_cik("789019")

        assert (run.summary.failed, run.summary.created) == (1, 1)
        assert run.summary.errors[0][0] == "CIK 0000320193"
        db.session.expire_all()
        apple = find_company_by_cik("320193")
        assert apple.phone == "(408) 996-1010" and apple.positions == []
        assert db.session.get(EdgarSyncState, "0000320193").accessions_read == []  # will be read again
        assert find_company_by_cik("789019").name == "Microsoft Corp"
        apple_revisions = db.session.scalar(
            select(func.count()).select_from(Revision).where(Revision.company_id == apple.id))
        assert apple_revisions == revisions_before


def test_bulk_batch_with_a_failing_company_keeps_the_others(app, monkeypatch):
    members = [(str(cik), json.dumps({"cik": str(cik), "name": f"Company {cik}", "tickers": [], "exchanges": [],
                                      "filings": {"recent": {}}}).encode())
               for cik in range(1001, 1011)]
    members.insert(3, ("999", b'{"cik": "999", "name": "Trunc'))  # a malformed member
    fail_for(monkeypatch, "0000001005")
    fail_fast_path_for(monkeypatch, "0000001005")
    with app.app_context():
        run = EdgarImport(None, replace(OPTIONS, with_filings=False))
        processed = list(run.import_bulk(members))
        assert len(processed) == 11
        assert (run.summary.created, run.summary.failed) == (9, 2)
        assert [where for where, _ in run.summary.errors] == [
            "https://data.sec.gov/submissions/CIK0000000999.json", "CIK 0000001005"]
        assert find_company_by_cik("1005") is None
        assert find_company_by_cik("1010").name == "Company 1010"

        again = EdgarImport(None, replace(OPTIONS, with_filings=False))
        list(again.import_bulk([m for m in members if m[0] != "999"]))
        assert (again.summary.unchanged, again.summary.created, again.summary.failed) == (9, 0, 1)


def test_missing_user_agent_is_refused_with_a_clear_message(app, runner):
    app.config["SEC_USER_AGENT"] = None
    result = runner.invoke(args=["scrape", "edgar", "--cik", "320193"])
    assert result.exit_code == 2
    assert "SEC_USER_AGENT" in result.output and "contact" in result.output


def test_nothing_to_import_is_a_usage_error(runner):
    result = runner.invoke(args=["scrape", "edgar"])
    assert result.exit_code == 2
    assert "--ticker" in result.output


@pytest.mark.parametrize("cik", ["320193", "0000320193"])
def test_cik_is_stored_in_one_form(app, cik):
    with app.app_context():
        run = EdgarImport(None, OPTIONS, crawl=fake_crawl({
            "0000320193": Bundle("0000320193", record_for(cik, "Apple Inc."))}))
        run.import_cik(cik)
        assert find_company_by_cik("320193").identifier("cik") == "0000320193"


def test_current_officers_are_handed_to_the_crawler_for_8k_matching(app):
    seen = {}

    def crawl(client, cik, *, lookback_days, as_of, already_read, submissions_data=None, known_officers=None,
              **contact_options):
        seen[len(seen)] = known_officers
        return Bundle("0000320193", record_for("320193", "Apple Inc."), officers=(cook(),))

    with app.app_context():
        EdgarImport(None, OPTIONS, crawl=crawl).import_cik("320193")
        EdgarImport(None, OPTIONS, crawl=crawl).import_cik("320193")
    assert seen == {0: {}, 1: {"0001214156": "Cook Timothy D."}}
