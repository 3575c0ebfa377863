"""The bulk fast path: new companies inserted with Core keep every guarantee of the ORM path."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import event, func, select

from directory.extensions import db
from directory.importers import edgar as edgar_module
from directory.importers.edgar import EdgarImport, RunOptions
from directory.importers.store import find_company_by_cik
from directory.models import Company, CompanySlug, EdgarSyncState, Identifier, Revision
from directory.operations.companies import rename_company

from .factories import make_company

OPTIONS = RunOptions(lookback_days=730, as_of=date(2023, 12, 31), with_filings=False, defer_search=True)


def document(cik: int, name: str, *, ticker: str | None = None, ein: str = "", former: str | None = None) -> bytes:
    """A submissions JSON in EDGAR's shape, with a short list of filings."""
    address = {"street1": "1 Infinite Loop", "street2": None, "city": "CUPERTINO", "stateOrCountry": "CA",
               "zipCode": "95014", "stateOrCountryDescription": "CA"}
    return json.dumps({
        "cik": str(cik), "entityType": "operating", "sic": "3571", "sicDescription": "Electronic Computers",
        "name": name, "tickers": [ticker] if ticker else [], "exchanges": ["Nasdaq"] if ticker else [],
        "ein": ein, "website": "", "stateOfIncorporation": "CA", "phone": "(408) 996-1010",
        "addresses": {"business": address, "mailing": address},
        "formerNames": [{"name": former, "from": "1994-01-26T00:00:00.000Z", "to": "2007-01-04T00:00:00.000Z"}]
        if former else [],
        "filings": {"recent": {"accessionNumber": ["0000320193-23-000079"], "filingDate": ["2023-08-08"],
                               "form": ["4"], "items": [""], "primaryDocument": ["form4.xml"]}, "files": []},
    }).encode()


@pytest.fixture
def through_orm(monkeypatch) -> list[str]:
    """The CIKs stored by the ORM path; a company missing here went through the fast path
    (a failing fast batch is replayed through the ORM, which would hide a broken fast path)."""
    ciks = []

    def store_bundle(bundle, **kwargs):
        ciks.append(bundle.cik)
        return original(bundle, **kwargs)

    original = edgar_module.store_bundle
    monkeypatch.setattr(edgar_module, "store_bundle", store_bundle)
    return ciks


def bulk(*members: tuple[str, bytes]) -> EdgarImport:
    run = EdgarImport(None, OPTIONS)
    list(run.import_bulk(members))
    return run


def revisions_of(company: Company, placeholders: dict[str, str]) -> list[tuple]:
    """The company's revisions with its own ids and values replaced, so two companies compare."""
    state = db.session.get(EdgarSyncState, company.identifier("cik"))
    source_id = company.identifiers[0].source_id
    rows = []
    for revision in db.session.scalars(select(Revision).where(Revision.company_id == company.id)):
        changes = dict(revision.changes)
        if revision.entity_type == "company":  # when each document was read
            changes["last_verified_at"] = [None, "retrieved at"] if changes["last_verified_at"][1] else None
        for key in ("company_id", "source_id"):
            if key in changes:
                changes[key] = [None, key]
        text = json.dumps(changes, sort_keys=True)
        for value, placeholder in placeholders.items():
            text = text.replace(value, placeholder)
        rows.append((revision.entity_type, revision.action, revision.actor, revision.source_id == source_id,
                     revision.entity_id is not None, text))
    assert state.company_id == company.id and state.submissions_hash
    return sorted(rows)


def test_new_companies_get_the_same_rows_and_revisions_as_through_the_orm(app, through_orm):
    with app.app_context():
        run = bulk(("1001", document(1001, "Acme Holdings Inc", ticker="AAA", ein="111111111", former="Acme Corp")))
        assert run.summary.created == 1 and through_orm == ["0000001001"]  # a batch of one: the ORM path
        run = bulk(("2002", document(2002, "Acme Holdings Inc", ticker="BBB", ein="222222222", former="Acme Corp")),
                   ("3003", document(3003, "Other Co", ticker="CCC")))
        assert (run.summary.created, run.summary.failed, through_orm) == (2, 0, ["0000001001"])

        through_orm, fast = find_company_by_cik("1001"), find_company_by_cik("2002")
        assert (through_orm.slug, fast.slug) == ("acme-holdings-inc", "acme-holdings-inc-2")
        assert revisions_of(fast, {"0000002002": "CIK", "BBB": "TICKER", "222222222": "EIN",
                                   "acme-holdings-inc-2": "SLUG"}) == revisions_of(
            through_orm, {"0000001001": "CIK", "AAA": "TICKER", "111111111": "EIN", "acme-holdings-inc": "SLUG"})
        assert {(i.scheme, i.value, i.exchange) for i in fast.identifiers} == {
            ("cik", "0000002002", None), ("ticker", "BBB", "Nasdaq"), ("ein", "222222222", None)}
        assert [(n.name, n.used_from) for n in fast.former_names] == [("Acme Corp", date(1994, 1, 26))]
        assert sorted(a.kind for a in fast.addresses) == ["mailing", "principal_office"]
        assert fast.last_verified_at is not None and fast.identifiers[0].source.document_id == "0000002002"
        assert db.session.get(EdgarSyncState, "0000002002").accessions_read == []


def test_new_slugs_avoid_current_and_old_slugs(app, through_orm):
    with app.app_context():
        make_company("Acme Holdings Inc")
        renamed = make_company("Old Name Inc")
        db.session.flush()
        rename_company(renamed, "New Name Inc")
        db.session.commit()

        bulk(("1001", document(1001, "ACME HOLDINGS, INC.")), ("1002", document(1002, "Old Name Inc")),
             ("1003", document(1003, "Acme Holdings Inc")))

        assert through_orm == []
        slugs = [find_company_by_cik(cik).slug for cik in ("1001", "1002", "1003")]
        assert slugs == ["acme-holdings-inc-2", "old-name-inc-2", "acme-holdings-inc-3"]
        assert db.session.get(CompanySlug, "old-name-inc").company_id == renamed.id


def test_a_ticker_another_company_holds_is_skipped_not_taken(app, through_orm):
    with app.app_context():
        holder = make_company("Holder Inc", ticker="AAA")
        db.session.commit()

        run = bulk(("1001", document(1001, "First Inc", ticker="AAA")), ("1002", document(1002, "Second Inc",
                                                                                          ticker="ZZZ")),
                   ("1003", document(1003, "Third Inc", ticker="ZZZ")))

        assert (run.summary.created, run.summary.failed, through_orm) == (3, 0, [])
        owners = dict(db.session.execute(select(Identifier.value, Identifier.company_id).where(
            Identifier.scheme == "ticker")).all())
        assert owners == {"AAA": holder.id, "ZZZ": find_company_by_cik("1002").id}
        assert find_company_by_cik("1001").tickers == [] and find_company_by_cik("1003").tickers == []


def test_unchanged_rerun_writes_nothing_and_a_changed_company_is_updated_in_place(app, through_orm):
    members = [(str(cik), document(cik, f"Company {cik} Inc")) for cik in (1001, 1002, 1003)]
    with app.app_context():
        bulk(*members)
        assert through_orm == []
        statements = []

        def record(conn, cursor, statement, *args):
            if statement.split()[0].upper() in ("INSERT", "UPDATE", "DELETE"):
                statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            again = bulk(*members)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        assert (again.summary.unchanged, statements) == (3, [])

        members[1] = ("1002", document(1002, "Renamed Company Inc"))
        changed = bulk(*members)
        assert (changed.summary.updated, changed.summary.unchanged, changed.summary.created) == (1, 2, 0)
        assert through_orm == ["0000001002"]
        company = find_company_by_cik("1002")
        assert company.slug == "renamed-company-inc"
        assert [s.slug for s in company.old_slugs] == ["company-1002-inc"]
        assert "Company 1002 Inc" in [n.name for n in company.former_names]
        assert db.session.scalar(select(func.count()).select_from(Company)) == 3


def test_bulk_with_filings_keeps_the_orm_path(app):
    """Ownership data needs the comparing store; the fast path is for company facts only."""
    calls = []

    def crawl(client, cik, *, lookback_days, as_of, already_read, submissions_data=None, known_officers=None,
              **contact_options):
        calls.append(cik)
        return run._facts(cik, submissions_data)

    with app.app_context():
        run = EdgarImport(None, replace(OPTIONS, with_filings=True), crawl=crawl)
        list(run.import_bulk([("1001", document(1001, "First Inc")), ("1002", document(1002, "Second Inc"))]))
        assert run.summary.created == 2 and calls == ["0000001001", "0000001002"]
        assert find_company_by_cik("1002").name == "Second Inc"
