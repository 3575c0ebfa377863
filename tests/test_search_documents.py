"""Search documents: the rebuild's column-level loader agrees with the ORM path, and what
the rebuild writes is what a user finds (tickers as exact hits, word suggestions)."""
from __future__ import annotations

from directory import search_index
from directory.extensions import db
from directory.search_index.documents import all_documents, documents_for_ids
from tests.factories import make_company, make_position


def test_column_loader_builds_the_same_document_as_the_orm(app):
    with app.app_context():
        company = make_company("Acme Widgets Inc.", ticker="ACME", former_names=["Acme Tools Corp."],
                               ceo="Katherine J. Rivera", city="Boston", sector="Industrial Machinery",
                               sic_code="3560", executives=[("Robert Lee", "Chief Financial Officer", "cfo")])
        # A former CEO and a less confident current one: the document names the confident one.
        make_position(company, "Old Boss", "Chief Executive Officer", role="ceo", is_ceo=True, is_current=False)
        interim = make_position(company, "Interim Person", "Acting CEO", role="ceo", is_ceo=True)
        interim.ceo_confidence = 0.4
        db.session.commit()
        expected = search_index.document_for(company)
        with db.engine.connect() as connection:
            assert documents_for_ids(connection, [company.id, 999_999]) == {company.id: expected}
            assert list(all_documents(connection, batch=1)) == [[expected]]
    assert expected.ceo == "Katherine J. Rivera"
    assert "kate rivera" in expected.nicknames and "bob lee" in expected.nicknames
    assert "katherine rivera" in expected.person_names and "katherine j rivera" in expected.person_names
    assert "old" not in expected.people_words


def test_rebuilt_index_finds_tickers_people_and_later_words(app):
    with app.app_context():
        for n in range(6):
            make_company(f"Harbor Freight {n} Ltd", ticker=f"HF{n}", ceo=f"Daniel Stone{n}")
        db.session.commit()
        assert search_index.rebuild() == 6
        assert [s["ticker"] for s in search_index.suggest("hf")] == [f"HF{n}" for n in range(6)]
        assert len(search_index.suggest("freight")) == 6
        assert len(search_index.search("hf3").ids) == 1
        assert len(search_index.search("dan stone2").ids) == 1
        assert search_index.check() == []
