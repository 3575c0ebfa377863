"""One writer for facts: every importer obeys the same channel key, position matcher and
privacy rules.

- A channel is one key however it is written ("+1 408 996 1010", "(408) 996-1010",
  "408.996.1010" and "tel:+14089961010"), read in the company's country.
- An appointment finds the same position whichever source reports it.
- What an upheld objection removed (the suppression list) is not brought back by any writer:
  EDGAR's store and its press-release contacts, the insider data sets, the website reader,
  Wikidata, Companies House, contributions.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import event, func, select

from directory.extensions import db
from directory.importers.companies_house import find_company_by_number
from directory.importers.store import SourceCache, find_company_by_cik, store_bundle
from directory.importers.writer import match_position
from directory.models import Company, Contact, Identifier, Person, Position, Suppression
from directory.operations.contributions import KINDS, privacy_refusal
from directory.rules.suppression import contact_key
from scrapers.channels import channel_key, same_phone
from scrapers.records import ContactRecord, SourceRef
from tests.conftest import _config
from tests.edgar_server import EdgarServer
from tests.factories import make_company
from tests.test_import_companies_house_e2e import api_key, register  # noqa: F401  (fixtures)
from tests.test_import_companies_house_e2e import scrape as scrape_register
from tests.test_import_edgar_store import Bundle, apple_record, cook
from tests.test_import_wikidata_e2e import documents, edgar, wikidata  # noqa: F401  (fixtures)
from tests.test_insider_datasets import ACME, quarters  # noqa: F401  (a fixture)
from tests.test_privacy_importers import uphold_removal

APPLE_NUMBER = ["+1 408 996 1010", "(408) 996-1010", "408.996.1010", "tel:+14089961010", "1-408-996-1010"]
RELEASE = SourceRef(kind="sec_filing", url="https://www.sec.gov/Archives/edgar/data/320193/000032019324000010/ex99.htm",
                    document_id="0000320193-24-000010", form_type="8-K", filed_on=date(2024, 2, 1),
                    retrieved_at=datetime(2024, 2, 2, tzinfo=timezone.utc))


def suppress(*keys: str) -> None:
    db.session.add_all(Suppression(key=key) for key in keys)
    db.session.commit()


# -- one channel key ------------------------------------------------------------------------

@pytest.mark.parametrize("written", APPLE_NUMBER)
def test_a_us_number_is_one_key_however_it_is_written(written):
    assert channel_key("phone", written, "US") == "+14089961010"
    assert contact_key("phone", written, "US") == contact_key("phone", "(408) 996-1010")


def test_uk_and_german_numbers_are_read_in_the_companys_country():
    assert channel_key("phone", "020 7946 0000", "GB") == channel_key("phone", "+44 20 7946 0000") == "+442079460000"
    assert channel_key("phone", "030 1234567", "DE") == channel_key("phone", "+49 30 1234567", "US") == "+49301234567"
    assert channel_key("phone", "030 1234567", "DE") != channel_key("phone", "030 1234567", "GB")
    assert same_phone("0333 014 0000", "+44 333 014 0000")  # a page that says both, country unknown


def test_emails_and_web_addresses_are_compared_as_a_reader_would():
    assert channel_key("email", "mailto:Investor.Relations@Apple.com?subject=Hi") == "investor.relations@apple.com"
    assert channel_key("url", "https://www.apple.com/contact/") == channel_key("web_form", "http://apple.com/contact")
    assert contact_key("web_form", "https://www.apple.com/contact/") == contact_key("url", "apple.com/contact")


# -- one position matcher -------------------------------------------------------------------

def test_positions_are_matched_alike_for_every_source(app):
    with app.app_context():
        company = make_company("Acme Inc.", slug="acme")
        person = Person(name="Jane Smith", slug="jane-smith")
        db.session.add(person)
        director = Position(company=company, person=person, role="director", title="Director", is_current=False,
                            start_date=date(2015, 3, 1), end_date=date(2019, 1, 1))
        secretary = Position(company=company, person=person, role="secretary", title="Secretary", is_current=True,
                             start_date=date(2016, 1, 1))
        ceo = Position(company=company, person=person, role="ceo", title="CEO", is_current=True,
                       start_date=date(2020, 1, 1), start_precision="year", last_seen_on=date(2024, 5, 1))
        db.session.add_all([director, secretary, ceo])
        db.session.flush()
        # EDGAR: the person's position whatever the title says now, the current one last seen first
        assert match_position(company, person) is ceo
        # Companies House: one person, two appointments, told apart by role and date
        assert match_position(company, person, role="secretary", start_date=date(2016, 1, 1)) is secretary
        assert match_position(company, person, role="director", start_date=date(2015, 3, 1)) is director
        # ... and a reappointment after resigning is a position of its own
        assert match_position(company, person, role="director", start_date=date(2021, 6, 1), is_current=True) is None
        # Wikidata: a start known to the year, then to the day, is the same position
        assert match_position(company, person, role="ceo", start_date=date(2020, 8, 24), is_current=True) is ceo
        # ... and a current appointment whose start date was corrected, too
        ceo.start_precision = None
        assert match_position(company, person, role="ceo", start_date=date(2020, 2, 1), is_current=True) is ceo


# -- suppression through every writer --------------------------------------------------------

def test_edgar_store_does_not_publish_a_suppressed_email_or_phone_found_again_in_a_press_release(app):
    with app.app_context():
        suppress(contact_key("email", "Nancy.Paxton@apple.com"), contact_key("phone", "(408) 974-5420", "US"))
        contacts = (
            ContactRecord(kind="email", value="npaxton@apple.com", tier="executive_office", role="press",
                          source=RELEASE, person_name="Nancy Paxton"),
            ContactRecord(kind="email", value="nancy.paxton@apple.com", tier="executive_office",
                          role="investor_relations", source=RELEASE, person_name="Nancy Paxton"),
            ContactRecord(kind="phone", value="+1 408 974 5420", tier="executive_office", role="investor_relations",
                          source=RELEASE, person_name="Nancy Paxton"),
        )
        outcome = store_bundle(Bundle("0000320193", apple_record(), contacts=contacts), window_start=None,
                               sources=SourceCache())
        db.session.commit()
        assert [c.value for c in find_company_by_cik("320193").contacts] == ["npaxton@apple.com"]
        assert sum("removed on request" in note for note in outcome.skipped) == 2


def test_edgar_store_does_not_publish_a_personal_mailbox_as_an_executives_email(app):
    with app.app_context():
        record = ContactRecord(kind="email", value="tim.cook.home@gmail.com", tier="ceo", role="other",
                               source=RELEASE, person_name="Timothy D. Cook")
        store_bundle(Bundle("0000320193", apple_record(), contacts=(record,)), window_start=None,
                     sources=SourceCache())
        db.session.commit()
        assert find_company_by_cik("320193").contacts == []


def test_edgar_does_not_restore_a_removed_listing_under_a_new_person_row(app):
    """The person was removed at Apple; a filing that names them with another owner CIK (a new
    person row) does not list them again."""
    bundle = Bundle("0000320193", apple_record(), officers=(cook(),))
    with app.app_context():
        store_bundle(bundle, window_start=None, sources=SourceCache())
        db.session.commit()
        position = find_company_by_cik("320193").ceo_position
        uphold_removal(position.person, f"position:{position.id}")
        people = db.session.scalar(select(func.count()).select_from(Person))

        store_bundle(replace(bundle, officers=(cook(name="Tim Cook", external_id="0009999999"),)),
                     window_start=None, sources=SourceCache())
        db.session.commit()
        assert find_company_by_cik("320193").positions == []
        assert db.session.scalar(select(func.count()).select_from(Person)) == people


def test_the_insider_data_sets_do_not_restore_a_removed_listing(app, runner, quarters):  # noqa: F811
    args = ["scrape", "edgar", "--as-of", "2024-09-30", "--insider-datasets", *map(str, quarters)]
    assert runner.invoke(args=args).exit_code == 0
    with app.app_context():
        position = next(p for p in find_company_by_cik(ACME).positions if p.person.name == "Jane Smith")
        uphold_removal(position.person, f"position:{position.id}")
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    with app.app_context():
        names = {p.person.name for p in find_company_by_cik(ACME).positions}
        assert "Jane Smith" not in names and "Sam White" in names


def test_a_rerun_of_the_insider_data_sets_reads_each_batch_at_once(app, runner, tmp_path):
    """An unchanged re-run writes nothing and does not look companies up one by one."""
    from tests.test_insider_datasets import dataset_zip

    filings = [(f"0000900{n:03d}-24-000001", "15-AUG-2024", "4", f"0000900{n:03d}", f"Issuer {n} Inc", "", "")
               for n in range(30)]
    owners = [(accession, f"0002{n:03d}{seat:03d}", f"Person{n} Seat{seat}", "Director,Officer", "Director")
              for n, (accession, *_) in enumerate(filings) for seat in range(3)]
    path = tmp_path / "2024q3_form345.zip"
    dataset_zip(path, filings, owners)
    args = ["scrape", "edgar", "--as-of", "2024-09-30", "--insider-datasets", str(path)]
    assert runner.invoke(args=args).exit_code == 0
    statements = []
    with app.app_context():
        def record(conn, cursor, statement, *rest):
            statements.append(statement.lstrip().split()[0].upper())
        event.listen(db.engine, "before_cursor_execute", record)
    try:
        result = runner.invoke(args=args)
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", record)
    assert "0 created, 0 updated, 30 unchanged" in result.output, result.output
    assert not {"INSERT", "UPDATE", "DELETE"} & set(statements)
    assert statements.count("SELECT") < 30  # fewer than one per company


class TestWebsites:
    @pytest.fixture
    def site(self, shared_fixtures):
        with EdgarServer(shared_fixtures / "websites") as server:
            yield server

    @pytest.fixture
    def app_config(self, tmp_path, database_uri):
        return _config(tmp_path, database_uri, SCRAPER_USER_AGENT="CEO Directory tests tests@example.org",
                       SCRAPER_ALLOW_PRIVATE_ADDRESSES=True, SCRAPER_HOST_REQUESTS_PER_SECOND=10.0)

    def test_a_suppressed_phone_found_again_on_the_website_is_not_published(self, app, runner, site):
        with app.app_context():
            make_company("Apple Inc.", slug="apple", country="US")
            db.session.commit()
            # removed as the register wrote them; the site writes "+1-800-275-2273" and "+1-408-996-1010"
            suppress(contact_key("phone", "(800) 275-2273", "US"), contact_key("phone", "408.996.1010", "US"))
        result = runner.invoke(args=["scrape", "websites", "--company", "apple", "--url", f"{site.base_url}/apple/"])
        assert "Contacts added" in result.output, result.output
        with app.app_context():
            apple = db.session.scalar(select(Company).where(Company.slug == "apple"))
            assert apple.phone is None  # the head office's number
            assert [c.value for c in apple.contacts if c.kind == "phone"] == []
            assert any(c.kind == "url" for c in apple.contacts)  # the rest of the site is stored


class TestWikidata:
    @pytest.fixture
    def app_config(self, tmp_path, database_uri, wikidata, edgar):  # noqa: F811
        return _config(tmp_path, database_uri, WIKIDATA_ENTITY_URL=wikidata.entity_url,
                       WIKIDATA_SPARQL_URL=wikidata.sparql_url, WIKIDATA_REQUESTS_PER_SECOND=8.0,
                       SEC_WWW_URL=edgar.www_url, SEC_DATA_URL=edgar.data_url)

    def test_wikidata_does_not_add_again_a_ceo_removed_on_request(self, app, runner):
        """Issue 26, finding 3: Sony's CEO removed by an upheld objection came back with
        `flask scrape wikidata --qid Q41187` ("Positions added: 1")."""
        assert runner.invoke(args=["scrape", "wikidata", "--qid", "Q41187"]).exit_code == 0
        with app.app_context():
            sony = db.session.scalar(select(Company).join(Identifier).where(Identifier.value == "Q41187"))
            position = sony.ceo_position
            assert position.person.name == "Hiroki Totoki"
            uphold_removal(position.person, f"position:{position.id}")
        result = runner.invoke(args=["scrape", "wikidata", "--qid", "Q41187"])
        assert result.exit_code == 0, result.output
        assert "Positions added: 0" in result.output
        with app.app_context():
            sony = db.session.scalar(select(Company).join(Identifier).where(Identifier.value == "Q41187"))
            assert "Hiroki Totoki" not in {p.person.name for p in sony.positions}

    def test_wikidata_does_not_publish_a_suppressed_social_account_or_website(self, app, runner):
        with app.app_context():
            suppress(contact_key("website", "http://sony.com"))
        assert runner.invoke(args=["scrape", "wikidata", "--qid", "Q41187"]).exit_code == 0
        with app.app_context():
            sony = db.session.scalar(select(Company).join(Identifier).where(Identifier.value == "Q41187"))
            assert sony.website is None


class TestCompaniesHouse:
    @pytest.fixture
    def app_config(self, tmp_path, database_uri, register, api_key):  # noqa: F811
        return _config(tmp_path, database_uri, COMPANIES_HOUSE_API_KEY=api_key,
                       COMPANIES_HOUSE_API_URL=f"{register.root}/api", COMPANIES_HOUSE_WEB_URL=f"{register.root}/web",
                       COMPANIES_HOUSE_REQUESTS_PER_SECOND=10.0)

    def test_a_removed_listing_stays_removed_when_the_register_gives_the_officer_a_new_id(self, app, runner,
                                                                                         register):  # noqa: F811
        assert scrape_register(runner, "--number", "00445790").exit_code == 0
        with app.app_context():
            tesco = find_company_by_number("00445790")
            position = next(p for p in tesco.positions if p.person.name == "Imran Nawaz Stewart")
            uphold_removal(position.person, f"position:{position.id}")
        for item in register.officers["items"]:
            if item.get("name") == "STEWART, Imran Nawaz":
                item["links"] = {"officer": {"appointments": "/officers/nEwId0000000000000000001/appointments"}}
        result = scrape_register(runner, "--number", "00445790")
        assert result.exit_code == 0, result.output
        with app.app_context():
            names = [p.person.name for p in find_company_by_number("00445790").positions]
            assert "Imran Nawaz Stewart" not in names and "Kenneth Andrew Murphy" in names
            assert db.session.scalar(select(func.count()).select_from(Person).where(
                Person.name == "Imran Nawaz Stewart")) == 1


def test_a_contribution_of_a_suppressed_number_in_another_format_is_refused(app):
    with app.app_context():
        company = make_company("Apple Inc.", slug="apple", country="US")
        db.session.commit()
        suppress(contact_key("phone", "(408) 996-1010", "US"))
        refusal = privacy_refusal(KINDS["contact_add"], company,
                                  {"kind": "phone", "value": "+1 408 996 1010", "tier": "ceo"})
        assert refusal and "removed at the request" in refusal
        assert db.session.scalar(select(func.count()).select_from(Contact)) == 0
