"""The search module: ranking, typo tolerance, facets, safety, and keeping the index in step
with the database (after commit, never after rollback, nothing lost when the lock is busy)."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from directory import search_index
from directory.extensions import db
from directory.models import Company, PendingReindex
from tests.factories import make_company


@pytest.fixture
def app_config(app_config, search_backend):
    app_config["SEARCH_WRITER_TIMEOUT"] = 0.2
    app_config["SEARCH_BACKEND"] = search_backend
    return app_config


@pytest.fixture
def directory_app(app):
    """A small directory, committed (so indexed by the after-commit hook)."""
    with app.app_context():
        make_company("Apple Inc.", ticker="AAPL", ceo="Tim Cook", city="Cupertino", region="CA",
                     sector="Electronic Computers", sic_code="3571")
        make_company("Apple Hospitality REIT", ticker="APLE", sector="Real Estate Investment Trusts")
        make_company("Pineapple Energy", ticker="PEGY", sector="Solar Power")
        make_company("Orchard Supply Group", ceo="Mary Jones", sector="Retail",
                     executives=[("Fiona Apple", "Chief Financial Officer", "cfo")])
        make_company("Microsoft Corporation", ticker="MSFT", ceo="Satya Nadella", city="Redmond",
                     sector="Prepackaged Software")
        make_company("Wolfspeed, Inc.", former_names=["Cree, Inc."], city="Durham",
                     sector="Semiconductors")
        make_company("Tesco PLC", country="GB", city="Welwyn Garden City", sector="Retail",
                     ceo="Ken Murphy")
        db.session.commit()
    return app


def names_for(query, **options):
    return [db.session.get(Company, i).name for i in search_index.search(query, **options).ids]


def test_exact_name_then_prefix_then_people(directory_app):
    with directory_app.app_context():
        assert names_for("apple") == ["Apple Inc.", "Apple Hospitality REIT", "Orchard Supply Group"]


def test_ticker_is_an_exact_hit(directory_app):
    with directory_app.app_context():
        assert names_for("AAPL")[0] == "Apple Inc."
        assert names_for("msft") == ["Microsoft Corporation"]


def test_executive_name_finds_the_company(directory_app):
    with directory_app.app_context():
        assert names_for("tim cook") == ["Apple Inc."]
        assert names_for("Nadella") == ["Microsoft Corporation"]


def test_typo_finds_company_and_offers_did_you_mean(directory_app):
    with directory_app.app_context():
        found = search_index.search("micrsoft")
        assert [db.session.get(Company, i).name for i in found.ids] == ["Microsoft Corporation"]
        assert found.did_you_mean == "microsoft"


def test_exact_hits_offer_no_correction(directory_app):
    with directory_app.app_context():
        assert search_index.search("microsoft").did_you_mean is None


def test_former_name_city_and_sector(directory_app):
    with directory_app.app_context():
        assert names_for("cree") == ["Wolfspeed, Inc."]
        assert names_for("cupertino") == ["Apple Inc."]
        assert names_for("semiconductors") == ["Wolfspeed, Inc."]


def test_facets_count_every_match_and_filters_narrow(directory_app):
    with directory_app.app_context():
        found = search_index.search("retail")
        assert found.total == 2
        assert found.facets["country"] == [("GB", 1), ("US", 1)]
        assert found.facets["sector"] == [("Retail", 2)]
        assert names_for("retail", country="gb") == ["Tesco PLC"]
        assert names_for("apple", sector="Real Estate Investment Trusts") == ["Apple Hospitality REIT"]


def test_pagination_is_taken_inside_the_index(app):
    with app.app_context():
        for n in range(25):
            make_company(f"Acme Widgets {n:02d}", slug=f"acme-widgets-{n:02d}")
        db.session.commit()
        pages = [search_index.search("acme widgets", page=p, per_page=10) for p in (1, 2, 3, 4)]
    assert [len(p.ids) for p in pages] == [10, 10, 5, 0]
    assert all(p.total == 25 and p.pages == 3 for p in pages)
    assert len(set(pages[0].ids + pages[1].ids + pages[2].ids)) == 25


def test_highlight_escapes_names(app):
    with app.app_context():
        company = make_company("<script>alert(1)</script> Widgets", slug="script-widgets")
        db.session.commit()
        found = search_index.search("widgets")
        html = str(found.highlights[company.id])
    assert "<script>" not in html
    assert html == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Widgets</mark>"


@pytest.mark.parametrize("query", ["name:apple", "a*", "[a TO z]", '"unterminated', "apple OR", "(", "*:*", "~"])
def test_query_syntax_is_inert(directory_app, query):
    with directory_app.app_context():
        found = search_index.search(query)
        names = [db.session.get(Company, i).name for i in found.ids]
    assert "Pineapple Energy" not in names and "Tesco PLC" not in names


def test_empty_query_finds_nothing(directory_app):
    with directory_app.app_context():
        assert search_index.search("   ").ids == []


def test_suggest_reads_names_tickers_and_later_words(directory_app):
    with directory_app.app_context():
        # "Apple Inc." is also filed under "apple", which sorts first.
        assert [s["name"] for s in search_index.suggest("app")] == [
            "Apple Inc.", "Apple Hospitality REIT", "Orchard Supply Group"]  # its CFO is Fiona Apple
        apple = search_index.suggest("aapl")[0]
        assert apple == {"name": "Apple Inc.", "slug": "apple-inc", "ticker": "AAPL", "country": "US",
                         "ceo": "Tim Cook", "matched": "name"}
        assert [s["name"] for s in search_index.suggest("hosp")] == ["Apple Hospitality REIT"]
        assert search_index.suggest("zzz") == []


def test_suggest_offers_companies_by_their_executives_first_names(directory_app):
    with directory_app.app_context():
        satya = search_index.suggest("saty")
        assert [(s["name"], s["matched"]) for s in satya] == [("Microsoft Corporation", "person")]
        assert [s["name"] for s in search_index.suggest("tim co")] == ["Apple Inc."]


def test_suggest_offers_what_a_typo_was_meant_for(directory_app):
    with directory_app.app_context():
        assert [(s["name"], s["matched"]) for s in search_index.suggest("micrsoft")] == [
            ("Microsoft Corporation", "typo")]


def test_suggest_corrects_a_typo_in_a_half_typed_name(directory_app):
    """The word being typed is not the start of any indexed word, but one edit away from the
    start of one: a letter left out ("micrs", "amazn", "expdia"), wrong or swapped."""
    with directory_app.app_context():
        make_company("Amazon.com, Inc.", ticker="AMZN")
        make_company("Expedia Group, Inc.", ticker="EXPE")
        db.session.commit()
        for typed, meant in (("micrs", "Microsoft Corporation"), ("amazn", "Amazon.com, Inc."),
                             ("expdia", "Expedia Group, Inc."), ("mircos", "Microsoft Corporation"),
                             ("wolfsepe", "Wolfspeed, Inc.")):
            suggestions = search_index.suggest(typed)
            assert (meant, "typo") in [(s["name"], s["matched"]) for s in suggestions], typed
        assert search_index.suggest("micr")[0]["matched"] == "name"  # a plain prefix is no typo
        assert search_index.suggest("qxzv") == []


def test_suggest_corrects_the_last_of_several_words(directory_app):
    with directory_app.app_context():
        assert [(s["name"], s["matched"]) for s in search_index.suggest("apple hosp1t")] == [
            ("Apple Hospitality REIT", "typo")]


def test_suggest_finds_a_company_by_the_start_of_its_ticker(directory_app):
    with directory_app.app_context():
        assert [s["name"] for s in search_index.suggest("aap")] == ["Apple Inc."]
        assert [s["name"] for s in search_index.suggest("msf")] == ["Microsoft Corporation"]


def test_suggest_returns_at_most_eight(app):
    with app.app_context():
        for n in range(12):
            make_company(f"Zeta Labs {n:02d}", slug=f"zeta-{n:02d}")
        db.session.commit()
        assert len(search_index.suggest("zeta")) == 8


def test_index_follows_commits_not_flushes(app):
    with app.app_context():
        make_company("Rolled Back Robotics")
        db.session.flush()
        assert search_index.search("robotics").ids == []
        db.session.rollback()
        assert search_index.search("robotics").ids == []
        company = make_company("Committed Robotics")
        db.session.commit()
        assert search_index.search("robotics").ids == [company.id]

        company.name = "Committed Machines"
        db.session.commit()
        assert search_index.search("robotics").ids == []
        assert search_index.search("machines").ids == [company.id]

        db.session.delete(company)
        db.session.commit()
        assert search_index.search("machines").ids == []
        assert search_index.check() == []


@pytest.mark.usefixtures("whoosh_only")
def test_busy_lock_queues_changes_and_nothing_is_lost(app, runner):
    """Two writers commit while another process holds the index lock: both are queued,
    then drained by `flask index rebuild --pending`."""
    def add_company(name):
        with app.app_context():
            make_company(name)
            db.session.commit()

    with app.app_context():
        held = app.extensions["search_index"].index().writer()
        try:
            threads = [threading.Thread(target=add_company, args=(n,)) for n in ("Alpha Mills", "Beta Mills")]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert search_index.search("mills").ids == []
            assert len(db.session.scalars(select(PendingReindex)).all()) == 2
        finally:
            held.cancel()

    result = runner.invoke(args=["index", "rebuild", "--pending"])
    assert result.exit_code == 0, result.output
    assert "Indexed 2 pending companies" in result.output
    with app.app_context():
        assert search_index.search("mills").total == 2
        assert db.session.scalars(select(PendingReindex)).all() == []


@pytest.mark.usefixtures("whoosh_only")
def test_next_successful_write_drains_the_queue(app):
    with app.app_context():
        held = app.extensions["search_index"].index().writer()
        try:
            make_company("Gamma Mills")
            db.session.commit()
        finally:
            held.cancel()
        make_company("Delta Mills")
        db.session.commit()
        assert search_index.search("mills").total == 2
        assert db.session.scalars(select(PendingReindex)).all() == []


@pytest.mark.usefixtures("whoosh_only")
def test_rebuild_and_check_commands(app, runner):
    with app.app_context():
        make_company("Epsilon Ltd")
        make_company("Zeta Ltd")
        db.session.commit()
        writer = app.extensions["search_index"].index().writer()
        writer.delete_by_term("id", str(db.session.scalar(select(Company.id).where(Company.name == "Zeta Ltd"))))
        writer.commit()

    result = runner.invoke(args=["index", "rebuild", "--check"])
    assert result.exit_code == 1
    assert "(Zeta Ltd) is missing from the index" in result.output

    result = runner.invoke(args=["index", "rebuild", "--if-stale"])
    assert result.exit_code == 0, result.output
    assert "Indexed 2 companies" in result.output

    result = runner.invoke(args=["index", "rebuild", "--if-stale"])
    assert "up to date" in result.output
    result = runner.invoke(args=["index", "rebuild", "--check"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["index", "rebuild"])
    assert "Indexed 2 companies" in result.output
    with app.app_context():
        assert search_index.search("zeta").total == 1


@pytest.mark.usefixtures("whoosh_only")
def test_missing_index_is_created_empty(app):
    with app.app_context():
        assert search_index.search("anything").total == 0
        assert search_index.suggest("any") == []
