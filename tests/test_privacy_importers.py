"""What importers must never store, and what they must not bring back.

Dates of birth and home addresses that the Companies House register sends with every
officer never reach the database; a listing or contact removed on request (the suppression
list) is not restored by the next import of the same records."""
from __future__ import annotations

import json
from dataclasses import replace

from sqlalchemy import select, text

from directory.extensions import db
from directory.importers.bulk import NewCompanies, SlugBook
from directory.importers.companies_house import find_company_by_number
from directory.importers.store import SourceCache, find_company_by_cik, store_bundle
from directory.models import Base, Company, Person, Position, Suppression, utcnow
from directory.operations import objections
from directory.rules.suppression import contact_key
from scrapers.records import IdentifierRecord
from tests.community import make_user
from tests.test_import_companies_house_e2e import app_config, api_key, register, scrape  # noqa: F401
from tests.test_import_edgar_store import Bundle, apple_record, cook

HOME = {"premises": "The Old Vicarage", "address_line_1": "7 Acacia Avenue", "locality": "Little Snoring",
        "postal_code": "NR21 0ZZ", "country": "England"}
BIRTH = {"month": 4, "year": 1937}


def database_text() -> str:
    """Every value of every row of every table, as one string to search."""
    values = []
    for table in Base.metadata.sorted_tables:
        for row in db.session.execute(text(f"SELECT * FROM {table.name}")):
            values.extend(str(value) for value in row)
    return "\n".join(values)


def uphold_removal(person: Person, choice: str) -> None:
    """The listed person, logged in with a confirmed address, asks for a removal; two
    moderators uphold it (a filed or registered listing needs two)."""
    requester = make_user("exec@example.org", email_confirmed_at=utcnow())
    first, second = make_user("mod@example.org", role="moderator"), make_user("mod2@example.org", role="moderator")
    objection = objections.file_objection(person, choice, request="remove", corrected_value=None, requester="self",
                                          contact_email=requester.email, explanation=None, account=requester)
    for moderator in (first, second):
        if objections.decide(objection, moderator, uphold=True, reason="Listing wrong: not this person.") == "upheld":
            break
    db.session.commit()


def test_companies_house_officer_address_and_birth_date_never_reach_the_database(app, runner, register):
    for item in register.officers["items"]:
        item.update(address=HOME, date_of_birth=BIRTH)  # as the register's API sends every officer
    result = scrape(runner, "--number", "00445790")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert find_company_by_number("00445790").ceo_position.person.name == "Kenneth Andrew Murphy"
        stored = database_text()
    for home_value in HOME.values():
        if home_value != "England":
            assert home_value not in stored
    assert "1937" not in stored and "date_of_birth" not in stored


def test_real_register_officers_keep_their_homes_and_birth_dates_private(app, runner, register, shared_fixtures):
    real = json.loads((shared_fixtures / "real" / "companies_house" / "officers_04475590_you-limited.json").read_text())
    register.officers = {**register.officers, "items": real["items"], "total_results": len(real["items"])}
    assert scrape(runner, "--number", "00445790").exit_code == 0
    with app.app_context():
        stored = database_text()
        assert db.session.scalar(select(Position.id)) is not None
    for item in real["items"]:
        for key in ("premises", "address_line_1", "postal_code"):
            value = (item.get("address") or {}).get(key)
            if value:
                assert value not in stored, value
        birth = item.get("date_of_birth")
        if birth:
            assert f"{birth['year']}-{birth['month']:02d}" not in stored


def test_a_listing_removed_on_request_is_not_restored_by_the_next_companies_house_import(app, runner, register):
    assert scrape(runner, "--number", "00445790").exit_code == 0
    with app.app_context():
        tesco = find_company_by_number("00445790")
        position = next(p for p in tesco.positions if p.person.name == "Imran Nawaz Stewart")
        uphold_removal(position.person, f"position:{position.id}")
    result = scrape(runner, "--number", "00445790")
    assert result.exit_code == 0, result.output
    with app.app_context():
        names = [p.person.name for p in find_company_by_number("00445790").positions]
        assert "Imran Nawaz Stewart" not in names and "Kenneth Andrew Murphy" in names


def test_a_listing_removed_on_request_is_not_restored_by_the_next_edgar_store(app):
    bundle = Bundle("0000320193", apple_record(), officers=(cook(),))
    with app.app_context():
        store_bundle(bundle, window_start=None, sources=SourceCache())
        db.session.commit()
        position = find_company_by_cik("320193").ceo_position
        uphold_removal(position.person, f"position:{position.id}")

        outcome = store_bundle(replace(bundle, officers=(cook(title="CEO"),)), window_start=None, sources=SourceCache())
        db.session.commit()
        assert find_company_by_cik("320193").positions == []
        assert any("removed on request" in note for note in outcome.skipped)


def test_a_suppressed_phone_number_is_left_out_by_the_store_and_the_bulk_fast_path(app):
    """A number removed on request (say, a line that rings one person) stays out, whether the
    company is stored one by one or inserted by the bulk first load."""
    with app.app_context():
        db.session.add(Suppression(key=contact_key("phone", "408.996.1010")))
        db.session.commit()
        store_bundle(Bundle("0000320193", apple_record()), window_start=None, sources=SourceCache())
        NewCompanies(SlugBook()).insert([(Bundle("0000789019", apple_record(
            name="Other Inc.", identifiers=(IdentifierRecord("cik", "789019"),), former_names=())), None)])
        db.session.commit()
        assert find_company_by_cik("320193").phone is None
        assert find_company_by_cik("789019").phone is None
        assert find_company_by_cik("320193").city == "CUPERTINO"  # the rest of the record is stored


def test_snapshot_import_leaves_out_suppressed_values_and_personal_mailboxes(app, runner, tmp_path):
    line = {"slug": "acme", "name": "Acme Inc.", "phone": "+1 555 010 0100", "old_slugs": [], "identifiers": [],
            "former_names": [], "addresses": [], "positions": [],
            "contacts": [{"kind": "email", "value": "boss.at.home@gmail.com", "tier": "ceo", "position": None},
                         {"kind": "email", "value": "ceo@acme.example", "tier": "ceo", "position": None},
                         {"kind": "phone", "value": "555-010-0199", "tier": "ceo", "position": None}]}
    path = tmp_path / "snapshot.jsonl"
    path.write_text(json.dumps(line) + "\n")
    with app.app_context():
        db.session.add_all([Suppression(key=contact_key("phone", "+1 (555) 010-0199")),
                            Suppression(key=contact_key("phone", "555 010 0100"))])
        db.session.commit()
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        acme = db.session.scalar(select(Company))
        assert acme.phone is None
        assert [c.value for c in acme.contacts] == ["ceo@acme.example"]


def test_a_listing_removed_on_request_is_not_restored_by_a_snapshot_import(app, runner, tmp_path):
    """The open-data snapshot of yesterday still names the person; importing it must not undo
    the objection."""
    bundle = Bundle("0000320193", apple_record(), officers=(cook(),))
    path = tmp_path / "before.jsonl.gz"
    with app.app_context():
        store_bundle(bundle, window_start=None, sources=SourceCache())
        db.session.commit()
    assert runner.invoke(args=["export", str(path)]).exit_code == 0
    with app.app_context():
        position = find_company_by_cik("320193").ceo_position
        uphold_removal(position.person, f"position:{position.id}")
        assert find_company_by_cik("320193").positions == []
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert find_company_by_cik("320193").positions == []
