"""The postgres search backend: what one server commits, every server finds at once, with
no index to rebuild and no queue to drain; deleted and merged companies leave the results.
Run on PostgreSQL only (`make test-postgres`); the search tests shared with Whoosh run on
both backends through the `search_backend` fixture."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text

from directory import create_app, search_index
from directory.extensions import db
from directory.importers.edgar import EdgarImport
from directory.models import Brand, Contribution, Identifier, PendingReindex
from tests.community import client_for, make_user, submit, suggest_and_send
from tests.conftest import POSTGRES_URL
from tests.factories import make_company, make_position
from tests.test_import_edgar_bulk import OPTIONS, document

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="the postgres search backend needs PostgreSQL")


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SEARCH_BACKEND": "postgres"}


def found_slugs(client, query: str) -> str:
    return client.get(f"/search?q={query}").get_data(as_text=True)


def test_a_ceo_approved_through_the_forms_is_found_at_once_by_another_server(app, app_config):
    with app.app_context():
        company = make_company("Acme Widgets Inc.", ceo="Wile Coyote")
        make_user("contributor@example.org")
        make_user("mod@example.org", role="moderator")
        make_user("mod2@example.org", role="moderator")
        db.session.commit()
        acme = company.id
    response, _ = suggest_and_send(client_for(app, "contributor@example.org"), f"/contribute/suggest/new_ceo/{acme}", {
        "person_name": "Road Runner", "title": "President and Chief Executive Officer",
        "evidence_url": "https://acme.example/press/new-ceo"})
    assert response.status_code == 302
    with app.app_context():
        item = db.session.scalar(select(Contribution.id))
    for moderator in ("mod@example.org", "mod2@example.org"):
        assert submit(client_for(app, moderator), f"/moderate/contributions/{item}",
                      {"action": "approve"}).status_code == 302

    other = create_app(app_config)  # its own process state, the same database
    try:
        assert "/companies/acme-widgets-inc" in found_slugs(other.test_client(), "road+runner")
        suggestions = other.test_client().get("/search/suggest?q=road+ru").get_json()["suggestions"]
    finally:
        with other.app_context():
            db.engine.dispose()
    assert [(s["name"], s["ceo"], s["matched"]) for s in suggestions] == [
        ("Acme Widgets Inc.", "Road Runner", "person")]
    with app.app_context():
        assert db.session.scalars(select(PendingReindex)).all() == []  # no outbox with this backend
        assert search_index.check() == []
    assert not Path(app_config["SEARCH_INDEX_DIR"]).exists()  # and no Whoosh index


def test_linking_two_records_leaves_one_company_in_the_results(app):
    uk_slug = "tesco-plc-00445790"
    with app.app_context():
        make_company("Tesco PLC", cik="0000012345", country="GB", ceo="Ken Murphy")
        uk = make_company("TESCO PLC", slug=uk_slug, country="GB")
        uk.identifiers.append(Identifier(scheme="ch_number", value="00445790"))
        make_position(uk, "Imran Nawaz", "Director", role="director")
        make_user("mod@example.org", role="moderator")
        db.session.commit()
    mod = client_for(app, "mod@example.org")
    assert f"/companies/{uk_slug}" in found_slugs(mod, "tesco")
    assert submit(mod, f"/moderate/link/{uk_slug}", action_contains="/moderate/link/").status_code == 302
    page = found_slugs(mod, "tesco")
    assert "/companies/tesco-plc" in page and f"/companies/{uk_slug}" not in page
    with app.app_context():  # the merged record's director now works for the company kept
        assert [s["slug"] for s in search_index.suggest("imran naw")] == ["tesco-plc"]


def test_deleted_company_and_rolled_back_change_are_never_found(app):
    with app.app_context():
        gone = make_company("Vanishing Ventures")
        db.session.commit()
        assert search_index.search("vanishing").ids == [gone.id]
        db.session.delete(gone)
        db.session.commit()
        assert search_index.search("vanishing").total == 0
        assert search_index.suggest("vanish") == []

        make_company("Phantom Holdings")
        db.session.flush()
        db.session.rollback()
        assert search_index.search("phantom").total == 0


def test_a_rebuild_forgets_the_words_no_company_uses_any_more(app):
    """Typos are corrected towards the word list, which commits only add to: a renamed
    company's old word stays until the next rebuild, and a word still used stays after it."""
    def listed(word: str) -> bool:
        return db.session.scalar(text("SELECT count(*) FROM search_words WHERE word = :w"), {"w": word}) == 1

    with app.app_context():
        company = make_company("Quixotic Widgets")
        db.session.commit()
        assert listed("quixotic") and listed("widgets")
        company.name = "Sensible Widgets"
        db.session.commit()
        assert listed("quixotic")
        search_index.rebuild()
        assert not listed("quixotic") and listed("sensible") and listed("widgets")


def test_snapshot_import_fills_the_search_documents(app, runner, tmp_path):
    path = tmp_path / "snapshot.jsonl.gz"
    with app.app_context():
        apple = make_company("Apple Inc.", ticker="AAPL", ceo="Timothy D. Cook", former_names=["Apple Computer, Inc."])
        apple.brands.append(Brand(name="iPhone", aliases=["Apple iPhone"]))
        make_company("Nestlé S.A.", country="CH", ceo="Laurent Freixe")
        db.session.commit()
    assert runner.invoke(args=["export", str(path)]).exit_code == 0
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(delete(table))
        db.session.commit()
        assert search_index.search("apple").total == 0
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        for query in ("apple", "aapl", "tim cook", "apple computer", "iphone", "nestle"):
            assert search_index.search(query).total == 1, query
        assert search_index.search("iphone").reasons.values() and search_index.check() == []
        assert search_index.is_stale() is False


@pytest.mark.parametrize("defer_search", [False, True])
def test_bulk_import_batches_are_found_with_or_without_a_final_rebuild(app, defer_search):
    """Per batch, in the batch's own commit; or, deferred, by one rebuild at the end."""
    members = [(str(cik), document(cik, f"Quartzite {name} Inc", ticker=ticker, former=f"{name} Labs"))
               for cik, name, ticker in ((4001, "Alpha", "QZA"), (4002, "Beta", "QZB"), (4003, "Gamma", None))]
    with app.app_context():
        run = EdgarImport(None, replace(OPTIONS, defer_search=defer_search))
        list(run.import_bulk(members))
        run.finish()
        assert run.summary.created == 3
        assert search_index.search("quartzite").total == 3
        assert search_index.search("qzb").total == 1 and search_index.search("gamma labs").total == 1
        assert [s["name"] for s in search_index.suggest("quartzite al")] == ["Quartzite Alpha Inc"]
        assert search_index.check() == []
