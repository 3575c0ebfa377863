"""The counts and leaderboard scores kept by the writes: after every kind of write they equal
a recount from the rows, and the pages that show them never count at request time."""
from __future__ import annotations

import json
import re
import zipfile
from datetime import timedelta

from bs4 import BeautifulSoup
from sqlalchemy import select

from directory import aggregates
from directory.aggregates import counts
from directory.extensions import db
from directory.models import Company, CompanyScore, DirectoryCount, Position, utcnow
from directory.operations import ratings as ops
from directory.operations.companies import new_company, rename_company
from tests.community import make_user
from tests.factories import make_company, make_position
from tests.test_pages_company import count_statements

# A statement that counts or groups rows of the big tables: what no public page may send.
SCAN = re.compile(r"(count\(|group by).*\bfrom (companies|positions|ratings|outcome_reports)\b", re.I | re.S)


def stored() -> tuple[dict, dict]:
    """The maintained rows (zero counts left out), then the same recomputed from scratch."""
    def snapshot():
        rows = db.session.scalars(select(DirectoryCount).where(DirectoryCount.n != 0))
        by_key = {(r.kind, r.key): (r.n, r.label if r.kind == counts.SECTOR else None) for r in rows}
        score_rows = db.session.scalars(select(CompanyScore).order_by(CompanyScore.company_id))
        return by_key, [(s.company_id, s.name, s.country, s.sector, s.contact_policy, s.ratings, s.average,
                         s.reports, s.replies) for s in score_rows]

    maintained = snapshot()
    aggregates.refresh(db.session.connection())
    recomputed = snapshot()
    db.session.rollback()
    return maintained, recomputed


def assert_maintained() -> None:
    maintained, recomputed = stored()
    assert maintained == recomputed


def headline(client) -> dict[str, str]:
    soup = BeautifulSoup(client.get("/").get_data(as_text=True), "lxml")
    return {dd.find_previous("dt").get_text(strip=True): dd.get_text(strip=True) for dd in soup.select("dd")}


def test_orm_writes_keep_the_counts(app):
    with app.app_context():
        acme = make_company("Acme Inc", country="US", sic_code="3571", sector="Electronic Computers", ceo="Ann Able")
        bolt = make_company("Bolt Ltd", country="GB", sic_code="6021", sector="Banks")
        make_position(bolt, acme.positions[0].person, "Chief Executive Officer", role="ceo", is_ceo=True)
        zed = make_company("Zed GmbH", country="DE", ceo="Zoe Zed")
        db.session.commit()
        assert counts.headline() == {"companies": 3, "executives": 2, "countries": 3}
        assert_maintained()

        rename_company(acme, "Quux Inc")  # moves it from A to Q
        zed.country, zed.sic_code, zed.sector = "FR", "3571", "Computers"
        acme.positions[0].is_current = False  # Ann Able is still CEO of Bolt
        db.session.commit()
        assert counts.letter_counts() == {"B": 1, "Q": 1, "Z": 1}
        assert dict(counts.country_counts()) == {"FR": 1, "GB": 1, "US": 1}
        assert counts.count_of(counts.SECTOR, "3571") == 2
        assert counts.headline()["executives"] == 2
        assert_maintained()

        db.session.get(Company, zed.id).positions[0].is_current = False  # Zoe Zed holds nothing now
        db.session.delete(db.session.scalar(select(Company).where(Company.name == "Bolt Ltd")))
        db.session.commit()
        assert counts.headline() == {"companies": 2, "executives": 0, "countries": 2}
        assert_maintained()

        person = db.session.scalar(select(Position)).person  # a new current position for Ann
        make_position(new_company("New Co", country="US"), person, "Chief Executive Officer", role="ceo", is_ceo=True)
        db.session.commit()
        assert counts.headline() == {"companies": 3, "executives": 1, "countries": 2}
        assert_maintained()


def test_a_rolled_back_write_leaves_the_counts_alone(app):
    with app.app_context():
        make_company("Acme Inc")
        db.session.flush()
        db.session.rollback()
        assert counts.headline()["companies"] == 0
        assert_maintained()


def _submissions(cik: int, name: str, sic: str, description: str) -> bytes:
    """A submissions JSON in EDGAR's shape with no filings (the bulk load reads no others)."""
    return json.dumps({
        "cik": str(cik), "entityType": "operating", "sic": sic, "sicDescription": description, "name": name,
        "tickers": [], "exchanges": [], "ein": "", "website": "", "stateOfIncorporation": "DE", "phone": "",
        "addresses": {"business": {"street1": "1 Main St", "street2": None, "city": "DOVER", "stateOrCountry": "DE",
                                   "zipCode": "19901", "stateOrCountryDescription": "DE"}},
        "formerNames": [],
        "filings": {"recent": {"accessionNumber": [], "filingDate": [], "form": [], "items": [],
                               "primaryDocument": []}, "files": []},
    }).encode()


def _bulk_file(path, companies) -> str:
    with zipfile.ZipFile(path, "w") as archive:
        for cik, name, sic, description in companies:
            archive.writestr(f"CIK{cik:010d}.json", _submissions(cik, name, sic, description))
    return str(path)


def test_home_and_browse_counts_after_an_edgar_bulk_import_without_a_scan(app, runner, client, tmp_path):
    first = [(1001, "Alpha Mining Corp", "1000", "Metal Mining"), (1002, "Beta Bank", "6021", "National Banks"),
             (1003, "Another Mine Inc", "1000", "Metal Mining")]
    result = runner.invoke(args=["scrape", "edgar", "--bulk", _bulk_file(tmp_path / "one.zip", first)])
    assert result.exit_code == 0, result.output
    with count_statements(app) as statements:
        assert headline(client)["Companies"] == "3"
        browse = client.get("/browse/").get_data(as_text=True)
        sectors = client.get("/browse/sectors/").get_data(as_text=True)
        listing = client.get("/browse/sectors/1000").get_data(as_text=True)
    assert not [s for s in statements if SCAN.search(s)]
    letters = {a.select_one(".letter").get_text(): a.select_one(".count").get_text(" ", strip=True)
               for a in BeautifulSoup(browse, "lxml").select(".letters a")}
    assert (letters["A"], letters["B"], letters["C"]) == ("2 companies", "1 company", "0 companies")
    assert "Metal Mining" in sectors and "2 companies" in listing

    # A second file: one new company (the Core fast path) and one renamed (the ORM path).
    again = [(1003, "Zinc Mine Inc", "1000", "Metal Mining"), (1004, "Gamma Bank", "6021", "National Banks")]
    result = runner.invoke(args=["scrape", "edgar", "--bulk", _bulk_file(tmp_path / "two.zip", again)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert counts.letter_counts() == {"A": 1, "B": 1, "G": 1, "Z": 1}
        assert counts.count_of(counts.SECTOR, "6021") == 2
        assert_maintained()
    assert headline(client)["Companies"] == "4"


def test_snapshot_import_keeps_the_counts(app, runner, client):
    result = runner.invoke(args=["import", app.config["SNAPSHOT_PATH"]])
    assert result.exit_code == 0, result.output
    with app.app_context():
        total = db.session.query(Company).count()
        assert total > 0 and counts.headline()["companies"] == total
        assert_maintained()
    assert headline(client)["Companies"] == f"{total:,}"


def test_refresh_command_repairs_the_tables(app, runner):
    with app.app_context():
        make_company("Acme Inc", contact_policy="open", country="US")
        db.session.commit()
        db.session.execute(DirectoryCount.__table__.update().values(n=99))
        db.session.execute(CompanyScore.__table__.delete())
        db.session.commit()
    result = runner.invoke(args=["counts", "refresh"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert counts.headline() == {"companies": 1, "executives": 0, "countries": 1}
        assert db.session.scalar(select(CompanyScore.name)) == "Acme Inc"


def test_leaderboard_scores_follow_ratings_policies_and_confirmations(app, client):
    with app.app_context():
        acme = make_company("Acme Inc", contact_policy="open", country="US", sector="Retail")
        hush = make_company("Hush Corp", country="GB")
        db.session.flush()
        confirmed = make_user("confirmed@example.org", email_confirmed_at=utcnow())
        newcomer = make_user("new@example.org")
        ops.rate(acme, confirmed, stars=4, comment=None)
        ops.rate(acme, newcomer, stars=1, comment=None)  # counts once the account is established
        ops.rate(hush, confirmed, stars=2, comment=None,
                 outcome=ops.Outcome("customer_service", "email", got_reply=False))
        db.session.commit()
        assert_maintained()
        assert [(s.name, s.ratings, s.average, s.reports) for s in db.session.scalars(
            select(CompanyScore).order_by(CompanyScore.name))] == [("Acme Inc", 1, 4.0, 0), ("Hush Corp", 1, 2.0, 1)]

        hush.contact_policy = "no_name"
        hush.country = "FR"
        newcomer.email_confirmed_at = utcnow()
        db.session.commit()
        assert db.session.get(CompanyScore, acme.id).average == 2.5
        assert db.session.get(CompanyScore, hush.id).country == "FR"
        assert_maintained()

        acme.contact_policy = "partial"  # off every board: no reports
        db.session.commit()
        assert db.session.get(CompanyScore, acme.id) is None
        assert_maintained()

    with count_statements(app) as statements:
        html = client.get("/leaderboards").get_data(as_text=True)
    assert "Hush Corp" in html and "Acme Inc" not in html
    assert not [s for s in statements if SCAN.search(s)]


def test_an_account_that_ages_into_counting_reaches_the_boards_at_the_next_refresh(app, runner):
    with app.app_context():
        acme = make_company("Acme Inc", contact_policy="open")
        db.session.flush()
        user = make_user("old@example.org")
        ops.rate(acme, user, stars=5, comment=None)
        db.session.commit()
        acme_id = acme.id
        assert db.session.get(CompanyScore, acme_id).ratings == 0
        user.created_at = utcnow() - timedelta(days=app.config["RATING_MIN_ACCOUNT_AGE_DAYS"] + 1)
        db.session.commit()
    assert runner.invoke(args=["counts", "refresh"]).exit_code == 0
    with app.app_context():
        assert db.session.get(CompanyScore, acme_id).ratings == 1
