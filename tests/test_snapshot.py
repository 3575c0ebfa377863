"""The open-data snapshot: export, import, idempotency, bad lines and the bundled file."""
from __future__ import annotations

import gzip
import json
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import delete, func, inspect, select

from directory.extensions import db
from directory.models import Brand, Company, Contact, Person, Position, Revision, Source
from directory.operations.companies import rename_company
from directory.snapshot import export as export_module
from directory.snapshot.fields import (
    ADDRESS_FIELDS,
    BRAND_FIELDS,
    COMPANY_FIELDS,
    CONTACT_FIELDS,
    FORMER_NAME_FIELDS,
    IDENTIFIER_FIELDS,
    PERSON_FIELDS,
    POSITION_FIELDS,
    SOURCE_FIELDS,
)
from tests.factories import make_company, make_contact, make_position, make_source
from tests.html import visible_text

BUNDLED = Path(__file__).resolve().parent.parent / "directory" / "data" / "snapshot.jsonl.gz"


def _seed() -> None:
    """Two companies with every kind of fact: a renamed one, a shared executive, a contact
    linked to the CEO position, sources on every fact."""
    filing = make_source(title="Form 10-K", form_type="10-K", document_id="0000320193-22-000108",
                         url="https://www.sec.gov/Archives/edgar/data/320193/000032019322000108/",
                         filed_on=date(2022, 10, 28),
                         retrieved_at=datetime(2024, 5, 1, 12, 30, 15, 250000, tzinfo=timezone.utc))
    apple = make_company("Apple Computer Inc", ticker="AAPL", cik="0000320193", former_names=["Apple Computer, Inc."],
                         ceo="Tim Cook", executives=[("Luca Maestri", "Senior Vice President, CFO", "cfo")],
                         city="Cupertino", region="CA", sic_code="3571", sector="Electronic Computers",
                         phone="(408) 996-1010", website="https://www.apple.com", contact_policy="open",
                         leadership_change_on=date(2011, 8, 24), leadership_change_url="https://www.sec.gov/x",
                         leadership_change_summary="On August 24, 2011, Tim Cook was named Chief Executive Officer.",
                         last_verified_at=datetime(2024, 6, 1, 9, 0, tzinfo=timezone.utc),
                         incorporated_in="CA", entity_type="operating")
    db.session.flush()
    rename_company(apple, "Apple Inc.")
    apple.identifiers[0].exchange = "Nasdaq"
    ceo = apple.ceo_position
    ceo.start_date, ceo.confirmed, ceo.last_seen_on = date(2011, 8, 24), True, date(2024, 1, 5)
    make_contact(apple, "phone", "1-800-275-2273", label="AppleCare", source=filing)
    make_contact(apple, "postal", "One Apple Park Way, Cupertino, CA 95014", tier="ceo", source=filing)
    apple.contacts[-1].position = ceo
    maker = make_company("Widget Makers & Sons", country="GB", city="Leeds", ceo="Ann Other")
    maker.addresses[0].source.kind, maker.addresses[0].source.document_id = "registry_record", "01234567"
    make_position(maker, db.session.scalar(select(Person).where(Person.slug == "luca-maestri")), "Director",
                  role="director", is_current=False, end_date=date(2020, 1, 31), source=filing)
    apple.brands.append(Brand(name="iPhone", aliases=["Apple iPhone"], wikidata_id="Q2766", source=filing))
    apple.website_source = filing
    maker.parent = apple
    db.session.commit()


def _clear_database() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(delete(table))
    db.session.commit()


def _row_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def test_every_column_is_in_the_snapshot_format():
    """A new column on a model must be added to the format, or it silently drops out of the open data."""
    from directory.models import Address, CompanyName, Identifier

    not_data = {"id", "company_id", "person_id", "position_id", "source_id", "created_at", "updated_at",
                "parent_id", "website_source_id",  # written as "parent" (a slug) and "website_source"
                "untested_quality",  # kept for this database's outcome reports, which are not open data
                "parent_wikidata_id"}  # the importer's note of a parent not listed yet
    formats = {
        Brand: set(BRAND_FIELDS),
        Company: {"slug", "initial", *COMPANY_FIELDS}, Identifier: set(IDENTIFIER_FIELDS),
        CompanyName: set(FORMER_NAME_FIELDS), Address: set(ADDRESS_FIELDS), Person: set(PERSON_FIELDS),
        Position: set(POSITION_FIELDS), Contact: set(CONTACT_FIELDS), Source: set(SOURCE_FIELDS),
    }
    for model, fields in formats.items():
        columns = {column.key for column in inspect(model).column_attrs} - not_data
        assert columns <= fields, (model.__name__, columns - fields)


def test_export_then_import_into_an_empty_database_round_trips(app, runner, tmp_path):
    first, second = tmp_path / "first.jsonl.gz", tmp_path / "second.jsonl.gz"
    with app.app_context():
        _seed()
    result = runner.invoke(args=["export", str(first)])
    assert result.exit_code == 0, result.output
    assert "Exported 2 companies" in result.output
    with app.app_context():
        _clear_database()

    result = runner.invoke(args=["import", str(first)])
    assert result.exit_code == 0, result.output
    assert "created: 2, updated: 0, unchanged: 0" in result.output
    assert runner.invoke(args=["export", str(second)]).exit_code == 0
    assert second.read_bytes() == first.read_bytes()

    with app.app_context():
        apple = db.session.scalar(select(Company).where(Company.slug == "apple-inc"))
        assert [alias.slug for alias in apple.old_slugs] == ["apple-computer-inc"]
        assert apple.initial == "A" and apple.phone == "(408) 996-1010"
        assert apple.last_verified_at.replace(tzinfo=timezone.utc) == datetime(2024, 6, 1, 9, tzinfo=timezone.utc)
        assert apple.ceo_position.person.name == "Tim Cook" and apple.ceo_position.confirmed
        letter = next(c for c in apple.contacts if c.tier == "ceo")
        assert letter.position is apple.ceo_position
        assert letter.source.form_type == "10-K" and letter.source.filed_on == date(2022, 10, 28)
        assert letter.source.retrieved_at.replace(tzinfo=timezone.utc) == \
            datetime(2024, 5, 1, 12, 30, 15, 250000, tzinfo=timezone.utc)
        luca = db.session.scalar(select(Person).where(Person.slug == "luca-maestri"))
        assert sorted(p.company.slug for p in luca.positions) == ["apple-inc", "widget-makers-and-sons"]
        assert [(b.name, b.aliases) for b in apple.brands] == [("iPhone", ["Apple iPhone"])]
        assert apple.website_source.form_type == "10-K"
        assert [c.slug for c in apple.subsidiaries] == ["widget-makers-and-sons"]
        revisions = set(db.session.execute(select(Revision.actor, Revision.action)))
        assert revisions == {("snapshot import", "create")}  # each fact inserted complete, once


def test_second_import_changes_nothing(app, runner, tmp_path):
    path = tmp_path / "snapshot.jsonl"
    with app.app_context():
        _seed()
    runner.invoke(args=["export", str(path)])
    with app.app_context():
        _clear_database()
    assert runner.invoke(args=["import", str(path)]).exit_code == 0
    with app.app_context():
        before = _row_counts()

    result = runner.invoke(args=["import", str(path)])

    assert "created: 0, updated: 0, unchanged: 2" in result.output
    with app.app_context():
        assert _row_counts() == before  # no new revisions, sources, people or facts


def test_import_over_the_same_data_changes_nothing(app, runner, tmp_path):
    """Importing a database's own export back into it matches every row instead of duplicating."""
    path = tmp_path / "snapshot.jsonl.gz"
    with app.app_context():
        _seed()
        before = _row_counts()
    runner.invoke(args=["export", str(path)])

    result = runner.invoke(args=["import", str(path)])

    assert "created: 0, updated: 0, unchanged: 2" in result.output
    with app.app_context():
        assert _row_counts() == before


def test_import_updates_changed_fields_and_adds_missing_facts(app, runner, tmp_path):
    path = tmp_path / "snapshot.jsonl"
    with app.app_context():
        _seed()
    runner.invoke(args=["export", str(path)])
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    apple = next(record for record in lines if record["slug"] == "apple-inc")
    apple["phone"] = "+1 408 996 1010"
    apple["contacts"].append({**apple["contacts"][0], "kind": "web_form", "value": "https://getsupport.apple.com"})
    path.write_text("".join(json.dumps(record) + "\n" for record in lines))
    with app.app_context():
        last_revision = db.session.scalar(select(func.max(Revision.id)))

    result = runner.invoke(args=["import", str(path)])

    assert "created: 0, updated: 1, unchanged: 1" in result.output
    with app.app_context():
        company = db.session.scalar(select(Company).where(Company.slug == "apple-inc"))
        assert company.phone == "+1 408 996 1010"
        assert "https://getsupport.apple.com" in [c.value for c in company.contacts]
        revisions = db.session.scalars(select(Revision).where(Revision.id > last_revision)).all()
        assert {(r.entity_type, r.action, r.actor) for r in revisions} == {
            ("company", "update", "snapshot import"), ("contact", "create", "snapshot import")}
        update = next(r for r in revisions if r.action == "update")
        assert update.changes == {"phone": ["(408) 996-1010", "+1 408 996 1010"]}


def test_a_company_is_matched_by_cik_even_under_another_slug(app, runner, tmp_path):
    path = tmp_path / "snapshot.jsonl"
    with app.app_context():
        _seed()
    runner.invoke(args=["export", str(path)])
    with app.app_context():
        company = db.session.scalar(select(Company).where(Company.slug == "apple-inc"))
        company.slug = "apple-local-slug"
        db.session.commit()

    result = runner.invoke(args=["import", str(path)])

    assert "created: 0, updated: 1, unchanged: 1" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Company.id))) == 2
        company = db.session.scalar(select(Company).where(Company.slug == "apple-inc"))
        assert "apple-local-slug" in [alias.slug for alias in company.old_slugs]


def test_plain_and_gzip_exports_hold_the_same_lines(app, runner, tmp_path):
    with app.app_context():
        _seed()
    runner.invoke(args=["export", str(tmp_path / "a.jsonl")])
    runner.invoke(args=["export", str(tmp_path / "a.jsonl.gz")])
    plain = (tmp_path / "a.jsonl").read_bytes()
    assert gzip.decompress((tmp_path / "a.jsonl.gz").read_bytes()) == plain
    assert [json.loads(line)["slug"] for line in plain.splitlines()] == ["apple-inc", "widget-makers-and-sons"]


def test_export_reads_in_batches_without_losing_or_repeating_companies(app, runner, tmp_path, monkeypatch):
    with app.app_context():
        for number in range(7):
            make_company(f"Company {number:02d}")
        db.session.commit()
    monkeypatch.setattr(export_module, "BATCH_SIZE", 3)

    runner.invoke(args=["export", str(tmp_path / "out.jsonl")])

    slugs = [json.loads(line)["slug"] for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert slugs == [f"company-{number:02d}" for number in range(7)]


def test_malformed_lines_are_reported_with_their_number_and_skipped(app, runner, tmp_path):
    good = {"slug": "good-co", "name": "Good Co", "country": "US"}
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join([
        json.dumps(good),
        "{not json",
        json.dumps({"slug": "no-name"}),
        json.dumps({"slug": "bad-date", "name": "Bad Date", "leadership_change_on": "31/12/2024"}),
        json.dumps({**good, "slug": "other-co", "name": "Other Co",
                    "contacts": [{"kind": "phone", "value": "1", "position": 4}]}),
        json.dumps({"slug": "fine-co", "name": "Fine Co"}),
    ]) + "\n")

    result = runner.invoke(args=["import", str(path)])

    assert result.exit_code == 0
    assert "line 2: skipped" in result.output
    assert "line 3: skipped, company: 'name' is required" in result.output
    assert "line 4: skipped, company: 'leadership_change_on' is not a valid date" in result.output
    assert "line 5: skipped, contacts[0]: 'position' must be the index" in result.output
    assert "created: 2, updated: 0, unchanged: 0; problems: 4" in result.output
    with app.app_context():
        assert sorted(db.session.scalars(select(Company.slug))) == ["fine-co", "good-co"]


def test_if_empty_skips_a_database_that_has_companies(app, runner, tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"slug": "new-co", "name": "New Co"}) + "\n")
    with app.app_context():
        make_company("Existing Co")
        db.session.commit()

    result = runner.invoke(args=["import", "--if-empty", str(path)])

    assert "already has 1 companies; nothing imported" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Company.id))) == 1
    assert "Published 1 companies" in result.output  # nothing was published yet: now it is
    again = runner.invoke(args=["import", "--if-empty", str(path)])
    assert "Published" not in again.output  # a published download is left as it is


def test_if_empty_imports_into_an_empty_database_and_publishes_the_open_data(app, runner, client, tmp_path):
    """What `make run` does on a fresh clone: /data offers the download at once."""
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"slug": "new-co", "name": "New Co"}) + "\n")

    result = runner.invoke(args=["import", "--if-empty", str(path)])

    assert "created: 1" in result.output
    with app.app_context():
        assert db.session.scalar(select(Company.name)) == "New Co"
    assert "No snapshot has been published yet" not in client.get("/data").get_data(as_text=True)
    with client.get("/data/directory.jsonl.gz") as download:
        assert download.status_code == 200
        assert [record["name"] for record in _lines_of(download.data)] == ["New Co"]


def _lines(path: Path) -> list[dict]:
    return _lines_of(path.read_bytes())


def _lines_of(data: bytes) -> list[dict]:
    return [json.loads(line) for line in gzip.decompress(data).decode().splitlines()]


def test_the_bundled_snapshot_imports_and_shows_a_company(app, runner, client, tmp_path):
    result = runner.invoke(args=["import", str(BUNDLED)])
    assert result.exit_code == 0, result.output
    assert "problems: 0" in result.output
    runner.invoke(args=["export", str(tmp_path / "again.jsonl.gz")])
    assert (tmp_path / "again.jsonl.gz").read_bytes() == BUNDLED.read_bytes()  # else: `make snapshot`

    page = client.get("/companies/apple-inc")
    assert page.status_code == 200
    assert "Timothy D. Cook" in page.get_data(as_text=True)
    api = client.get("/api/v1/companies/apple-inc").get_json()
    assert api["ceo"]["name"] == "Timothy D. Cook"
    assert api["ceo"]["source"]["url"].startswith("https://www.sec.gov/Archives/edgar/data/320193/")
    assert api["phone"] == "(408) 996-1010"
    found = client.get("/api/v1/companies?q=cree").get_json()  # indexed after the import's commits
    assert [row["name"] for row in found["results"]] == ["Wolfspeed, Inc."]
    # Wikidata's companies: a brand finds a company no register we read holds.
    found = client.get("/api/v1/companies?q=playstation").get_json()
    assert [row["name"] for row in found["results"]] == ["Sony Group Corporation"]
    assert "Brands: Bravia, PlayStation, Walkman" in client.get("/companies/sony-group-corporation").get_data(
        as_text=True)


def test_repeated_company_and_taken_ticker_in_one_file(app, runner, tmp_path):
    """A later line for the same CIK updates the company created by an earlier line of the
    same batch, and a ticker another company holds is reported instead of moved."""
    with app.app_context():
        make_company("Ticker Holder", ticker="HOLD")
        db.session.commit()
    cik = {"scheme": "cik", "value": "0000000042", "exchange": None, "source": None}
    lines = [
        {"slug": "first-name", "name": "First Name", "identifiers": [cik]},
        {"slug": "first-name", "name": "First Name", "phone": "555-0101",
         "identifiers": [cik, {"scheme": "ticker", "value": "HOLD", "exchange": "NYSE", "source": None}]},
    ]
    path = tmp_path / "repeat.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))

    result = runner.invoke(args=["import", str(path)])

    assert result.exit_code == 0, result.output
    assert "line 2: ticker HOLD belongs to another company; kept there" in result.output
    assert "created: 1, updated: 1, unchanged: 0" in result.output
    with app.app_context():
        company = db.session.scalar(select(Company).where(Company.slug == "first-name"))
        assert company.phone == "555-0101"
        assert [(i.scheme, i.value) for i in company.identifiers] == [("cik", "0000000042")]


def test_a_parent_that_comes_after_its_subsidiary_is_linked(app, runner, tmp_path):
    path = tmp_path / "family.jsonl"
    lines = [{"slug": "audi", "name": "Audi", "parent": "volkswagen-group"},
             {"slug": "volkswagen-group", "name": "Volkswagen Group"},
             {"slug": "orphan", "name": "Orphan", "parent": "nobody"}]
    path.write_text("\n".join(json.dumps(line) for line in lines))
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "orphan: parent nobody is not in the directory" in result.output
    with app.app_context():
        audi = db.session.scalar(select(Company).where(Company.slug == "audi"))
        assert audi.parent.slug == "volkswagen-group"


def test_a_snapshot_written_in_capitals_loads_as_people_write_names(app, runner, client, tmp_path):
    """Snapshots written before names were re-cased say "MICROSOFT CORP": the loader shows
    "Microsoft Corp" and keeps the filed name, with the register's source, as the legal name."""
    lines = _lines(BUNDLED)
    old = next(line for line in lines if line["slug"] == "microsoft-corp")
    old.update(name="MICROSOFT CORP", former_names=[])
    (tmp_path / "old.jsonl").write_text(json.dumps(old) + "\n")
    for _ in range(2):
        assert "problems: 0" in runner.invoke(args=["import", str(tmp_path / "old.jsonl")]).output
    with app.app_context():
        company = db.session.scalar(select(Company).where(Company.slug == "microsoft-corp"))
        assert company.name == "Microsoft Corp"
        assert [(n.name, n.source.title) for n in company.former_names] == [
            ("MICROSOFT CORP", "EDGAR company filings record")]
    page = visible_text(client.get("/companies/microsoft-corp").get_data(as_text=True))
    assert "Legal name" in page and page.count("MICROSOFT CORP") == 1


def _status_row(client, source: str) -> str:
    page = client.get("/status").get_data(as_text=True)
    row = page.split(f'id="source-{source}"', 1)[1].split("</tr>", 1)[0]
    return visible_text(row)


def test_status_says_bundled_snapshot_of_its_date_for_sources_not_read_live(app, runner, client, tmp_path):
    filing = {"kind": "sec_filing", "url": "https://data.sec.gov/submissions/CIK0000000042.json",
              "document_id": "0000000042", "form_type": "submissions", "title": None, "filed_on": None,
              "retrieved_at": "2026-11-30T00:00:00+00:00"}
    path = tmp_path / "snapshot.jsonl"
    path.write_text(json.dumps({"slug": "acme-inc", "name": "Acme Inc", "identifiers": [
        {"scheme": "cik", "value": "0000000042", "exchange": None, "source": filing}]}) + "\n")
    assert "Never" in _status_row(client, "edgar")

    assert runner.invoke(args=["import", "--if-empty", str(path)]).exit_code == 0
    with app.app_context():
        from directory.extensions import cache

        cache.clear()

    assert "bundled snapshot of 30 November 2026" in _status_row(client, "edgar")
    assert "Never" in _status_row(client, "companies_house")  # the snapshot held no register record
    assert "flask refresh" in client.get("/status").get_data(as_text=True)
