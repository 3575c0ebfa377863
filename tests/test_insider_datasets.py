"""SEC's insider-transaction data sets: the real SUBMISSION.tsv of 2024 Q3, and written
REPORTINGOWNER.tsv rows (no real one is stored) in the layout FORM_345_metadata.json documents,
imported through `flask scrape edgar --insider-datasets` into a real database."""
from __future__ import annotations

import json
import zipfile
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import event, func, select

from directory.extensions import db
from directory.importers.store import find_company_by_cik
from directory.models import Company, CompanyRead, Identifier, Person, Position, Revision
from directory.operations.companies import new_company
from directory.revisions import revision_context
from scrapers.edgar.insider_datasets import (
    InsiderDatasets,
    iter_tsv,
    parse_dataset_date,
    parse_submission_rows,
)
from tests.edgar_server import EdgarServer
from tests.insider_layout import OWNER_COLUMNS, SUBMISSION_COLUMNS, tsv, write_quarter

ACME, BETA = "0000900001", "0000900002"

# (accession, filed, form, issuer cik, issuer name, symbol, remarks)
Q2 = [
    ("0000900001-24-000010", "15-MAY-2024", "4", ACME, "Acme Widgets Inc", "ACMW", ""),
    ("0000900001-24-000011", "10-MAY-2024", "4", ACME, "Acme Widgets Inc", "ACMW", ""),
]
Q3 = [
    ("0000900001-24-000020", "15-AUG-2024", "4", ACME, "Acme Widgets Inc", "ACMW", ""),
    ("0000900001-24-000021", "16-AUG-2024", "4", ACME, "Acme Widgets Inc", "ACMW", ""),
    ("0000900001-24-000022", "20-AUG-2024", "4", ACME, "Acme Widgets Inc", "ACMW", ""),
    ("0000900001-24-000023", "05-SEP-2024", "4", ACME, "Acme Widgets Inc", "ACMW", ""),
    ("0000900001-24-000024", "06-SEP-2024", "3", ACME, "Acme Widgets Inc", "ACMW", ""),
    ("0000900001-24-000025", "09-SEP-2024", "4", ACME, "Acme Widgets Inc", "ACMW", ""),
    ("0000900001-24-000026", "10-SEP-2024", "4/A", ACME, "Acme Widgets Inc", "ACMW", "Chief Operating Officer"),
    ("0000900002-24-000030", "12-SEP-2024", "4", BETA, "BETA CORP /DE/", "NONE", ""),
]
# (accession, owner cik, name, relationship, title)
Q2_OWNERS = [
    ("0000900001-24-000010", "0001000004", "Gray Pat", "Officer", "Chief Financial Officer"),
    ("0000900001-24-000011", "0001000005", "White Sam", "Director", ""),
]
Q3_OWNERS = [
    ("0000900001-24-000020", "0001000001", "Smith Jane", "Officer", "Co-Chief Executive Officer"),
    ("0000900001-24-000021", "0001000002", "Jones Raj", "Director,Officer", "Co-CEO"),
    ("0000900001-24-000022", "0001000003", "Brown Lee", "Officer", "CEO, Acme Energy"),
    ("0000900001-24-000023", "0001000005", "White Sam", "Director,Officer", "President and Chief Executive Officer"),
    ("0000900001-24-000024", "0001000006", "Black Ann", "Director", "Former CEO"),
    ("0000900001-24-000025", "0001000007", "BIG FUND LP", "TenPercentOwner", ""),
    ("0000900001-24-000026", "0001000008", "Green Kim", "Officer", "See Remarks"),
    ("0000900002-24-000030", "0001000009", "Stone Ray", "Director,Officer", "Chief Executive Officer"),
]


def dataset_zip(path, filings, owners) -> None:
    submissions = [dict(zip(["ACCESSION_NUMBER", "FILING_DATE", "DOCUMENT_TYPE", "ISSUERCIK", "ISSUERNAME",
                             "ISSUERTRADINGSYMBOL", "REMARKS"], row)) for row in filings]
    reporting = [dict(zip(["ACCESSION_NUMBER", "RPTOWNERCIK", "RPTOWNERNAME", "RPTOWNER_RELATIONSHIP",
                           "RPTOWNER_TITLE"], row), RPTOWNER_STREET1="1 Main St") for row in owners]
    write_quarter(path, submissions, reporting)


@pytest.fixture
def quarters(tmp_path):
    q2, q3 = tmp_path / "2024q2_form345.zip", tmp_path / "2024q3_form345.zip"
    dataset_zip(q2, Q2, Q2_OWNERS)
    dataset_zip(q3, Q3, Q3_OWNERS)
    return q2, q3


def scrape(runner, *args):
    return runner.invoke(args=["scrape", "edgar", *args], catch_exceptions=False)


def positions_by_person(cik: str) -> dict[str, Position]:
    company = find_company_by_cik(cik)
    return {p.person.name: p for p in company.positions}


# -- the real SUBMISSION.tsv ------------------------------------------------------------------

def test_every_row_of_the_real_2024q3_submission_table_is_read(shared_fixtures):
    path = shared_fixtures / "real" / "edgar" / "insider-datasets" / "2024q3_SUBMISSION.tsv"
    with open(path, "rb") as stream:
        filings = list(parse_submission_rows(iter_tsv(stream, name=str(path))))  # raises on a shifted row
    assert len(filings) == 36_075
    assert Counter(f.form for f in filings) == {"4": 32_530, "3": 2_866, "4/A": 520, "3/A": 87, "5": 62, "5/A": 10}
    assert min(f.filed_on for f in filings) == date(2024, 7, 1)
    assert max(f.filed_on for f in filings) == date(2024, 9, 30)
    first = filings[0]
    assert (first.accession, first.filed_on, first.form, first.issuer_cik, first.issuer_name, first.issuer_symbol) == (
        "0001967680-24-000113", date(2024, 7, 31), "4", "0001967680", "Veralto Corp", "VLTO")
    assert len({f.accession for f in filings}) == 36_075


def test_the_metadata_documents_the_columns_read(shared_fixtures):
    metadata = json.loads((shared_fixtures / "real" / "edgar" / "insider-datasets" / "FORM_345_metadata.json")
                          .read_text())
    tables = {t["url"]: [c["name"] for c in t["tableSchema"]["columns"]] for t in metadata["tables"]}
    assert tables["REPORTINGOWNER.tsv"] == OWNER_COLUMNS  # the layout the written owner rows use
    real_header = (shared_fixtures / "real" / "edgar" / "insider-datasets" / "2024q3_SUBMISSION.tsv"
                   ).read_text().split("\n", 1)[0].split("\t")
    assert real_header == SUBMISSION_COLUMNS and set(real_header) <= set(tables["SUBMISSION.tsv"])


def test_dates_in_the_data_sets_layout():
    assert parse_dataset_date("31-JUL-2024") == date(2024, 7, 31)
    assert parse_dataset_date("01-feb-2023") == date(2023, 2, 1)
    assert [parse_dataset_date(v) for v in ("", "2024-07-31", "31-JUX-2024", "31-FEB-2024")] == [None] * 4


# -- officers and CEO decisions ------------------------------------------------------------------

def test_the_newest_filing_of_each_owner_decides_with_the_crawls_title_rules(quarters):
    datasets = InsiderDatasets(as_of=date(2024, 9, 30), lookback_days=730)
    for path in quarters:
        datasets.add_zip(path)
    acme = next(b for b in datasets.bundles() if b.cik == ACME)
    officers = {o.name: o for o in acme.officers}
    assert set(officers) == {"Jane Smith", "Raj Jones", "Lee Brown", "Sam White", "Ann Black", "Pat Gray", "Kim Green"}
    assert (officers["Jane Smith"].is_ceo, officers["Jane Smith"].ceo_confidence) == (True, 0.8)  # co-CEOs
    assert (officers["Raj Jones"].is_ceo, officers["Raj Jones"].ceo_confidence) == (True, 0.8)
    assert not officers["Lee Brown"].is_ceo  # the CEO of a segment is not the company's
    assert (officers["Sam White"].is_ceo, officers["Sam White"].title) == (True, "President and Chief Executive Officer")
    assert (officers["Ann Black"].is_ceo, officers["Ann Black"].role) == (False, "director")  # a former CEO
    assert (officers["Kim Green"].title, officers["Kim Green"].role) == ("Chief Operating Officer", "coo")
    assert officers["Sam White"].source.url.endswith("/Archives/edgar/data/900001/000090000124000023/")
    assert acme.company.identifiers[1].value == "ACMW"
    assert len(acme.filings_read) == 9


def test_import_creates_companies_keeps_known_ones_and_ends_those_who_stopped_filing(app, runner, quarters):
    with app.app_context():
        with revision_context("test"):
            beta = new_company("Beta Corp")
            beta.identifiers.append(Identifier(scheme="cik", value=BETA))
            db.session.add(beta)
            db.session.commit()
    q2, q3 = map(str, quarters)
    result = scrape(runner, "--as-of", "2024-06-30", "--lookback-days", "90", "--insider-datasets", q2)
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert positions_by_person(ACME)["Pat Gray"].is_current

    result = scrape(runner, "--as-of", "2024-09-30", "--lookback-days", "90", "--insider-datasets", q2, q3)
    assert result.exit_code == 0, result.output
    assert "Companies: 0 created" in result.output  # Acme existed since the first import
    with app.app_context():
        acme = find_company_by_cik(ACME)
        assert (acme.name, acme.identifier("ticker")) == ("Acme Widgets Inc", "ACMW")
        people = positions_by_person(ACME)
        gray = people["Pat Gray"]  # last filed 15 May, before the 90-day window
        assert (gray.is_current, gray.end_date) == (False, date(2024, 5, 15))
        white = people["Sam White"]  # a director in May, the CEO in September
        assert (white.is_ceo, white.role, white.is_current) == (True, "ceo", True)
        assert white.source.url.endswith("/Archives/edgar/data/900001/000090000124000023/")
        assert {name for name, p in people.items() if p.is_current and p.is_ceo} == {
            "Jane Smith", "Raj Jones", "Sam White"}
        assert "BIG FUND LP" not in people and db.session.scalar(
            select(func.count()).select_from(Person).where(Person.name.ilike("%fund%"))) == 0
        beta = find_company_by_cik(BETA)
        assert beta.name == "Beta Corp" and beta.identifier("ticker") is None  # its own record is the authority
        assert positions_by_person(BETA)["Ray Stone"].is_ceo
        assert db.session.scalar(select(CompanyRead.read_on).where(CompanyRead.company_id == acme.id)) == date.today()
    page = app.test_client().get(f"/companies/{_slug(app, ACME)}").get_data(as_text=True)
    assert "Jane Smith" in page and "SEC EDGAR" in page


def _slug(app, cik):
    with app.app_context():
        return find_company_by_cik(cik).slug


def test_a_second_import_of_the_same_zips_writes_nothing(app, runner, quarters):
    args = ["--as-of", "2024-09-30", "--insider-datasets", *map(str, quarters)]
    assert scrape(runner, *args).exit_code == 0
    with app.app_context():  # the batch went through the Core fast path: every row has its revision
        for entity_type, model in (("position", Position), ("person", Person), ("company", Company)):
            assert db.session.scalar(select(func.count()).select_from(Revision).where(
                Revision.entity_type == entity_type, Revision.action == "create")) == \
                db.session.scalar(select(func.count()).select_from(model))
        counts = {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                  for model in (Company, Person, Position, Revision)}
        writes = []

        def record(conn, cursor, statement, *rest):
            if statement.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE"):
                writes.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
    try:
        result = scrape(runner, *args)
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", record)
    assert result.exit_code == 0, result.output
    assert "0 created, 0 updated, 2 unchanged" in result.output
    assert writes == []
    with app.app_context():
        assert counts == {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                          for model in (Company, Person, Position, Revision)}


# -- downloads ----------------------------------------------------------------------------------

@pytest.fixture
def sec(tmp_path, quarters):
    folder = tmp_path / "mirror" / "www" / "files" / "structureddata" / "data" / "insider-transactions-data-sets"
    folder.mkdir(parents=True)
    for path in quarters:
        (folder / path.name).write_bytes(path.read_bytes())
    with EdgarServer(tmp_path / "mirror") as server:
        yield server


@pytest.fixture
def app_config(app_config, sec):
    return {**app_config, "SEC_WWW_URL": sec.www_url, "SEC_DATA_URL": sec.data_url}


def test_quarters_are_downloaded_once_and_read(app, runner, sec):
    args = ["--as-of", "2024-09-30", "--insider-quarters", "2024q2", "2024q3"]
    result = scrape(runner, *args)
    assert result.exit_code == 0, result.output
    assert "Companies: 2 created" in result.output
    paths = [r.path for r in sec.requests]
    assert paths == ["/www/files/structureddata/data/insider-transactions-data-sets/2024q2_form345.zip",
                     "/www/files/structureddata/data/insider-transactions-data-sets/2024q3_form345.zip"]
    assert all(r.user_agent == "CEO Directory tests tests@example.org" for r in sec.requests)
    assert scrape(runner, *args).exit_code == 0
    assert len(sec.requests) == 2  # published data sets never change: the cache answers


def test_a_quarter_that_is_not_published_is_an_error(runner, sec):
    result = scrape(runner, "--insider-quarters", "2031q1")
    assert result.exit_code == 1
    assert "2031q1_form345.zip" in result.output


def test_a_zip_without_the_owner_table_is_an_error(runner, tmp_path):
    path = tmp_path / "broken.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("SUBMISSION.tsv", tsv(SUBMISSION_COLUMNS, []))  # and no owner table
    result = scrape(runner, "--insider-datasets", str(path))
    assert result.exit_code == 1
    assert "no REPORTINGOWNER.tsv" in result.output


def test_a_row_shifted_by_a_stray_tab_is_skipped_and_reported(app, runner, tmp_path):
    path = tmp_path / "2024q3_form345.zip"
    shifted = ("0000900001-24-000027", "11-SEP-2024", "4", ACME, "Acme Widgets Inc", "ACMW", "moved\tacross")
    dataset_zip(path, [*Q3, shifted], Q3_OWNERS)
    result = scrape(runner, "--as-of", "2024-09-30", "--insider-datasets", str(path))
    assert result.exit_code == 0, result.output
    assert "1 malformed rows skipped" in result.output
    assert "SUBMISSION.tsv line 10: 14 fields, the header has 13" in result.output
    with app.app_context():
        assert "Jane Smith" in positions_by_person(ACME)  # the rest of the quarter is read


def test_sources_without_the_option_are_a_usage_error(runner, quarters):
    result = scrape(runner, str(quarters[0]))
    assert result.exit_code == 2
    assert "--insider-datasets" in result.output


def test_an_entity_in_a_data_set_title_is_read_as_its_character():
    from scrapers.edgar.insider_datasets import parse_owner_rows

    owner, = parse_owner_rows([{"ACCESSION_NUMBER": "0000016040-24-000001", "RPTOWNERCIK": "1234",
                                 "RPTOWNERNAME": "Keohane Sean D", "RPTOWNER_RELATIONSHIP": "Director,Officer",
                                 "RPTOWNER_TITLE": "Chairman &amp; CEO"}])
    assert owner.title == "Chairman & CEO"
