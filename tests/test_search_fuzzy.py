"""Typo tolerance: when the exact words find nothing, words one edit away are searched, and
"did you mean" offers the correction only when it finds something."""
from __future__ import annotations

import pytest

from directory import search_index
from directory.extensions import db
from directory.models import Company
from directory.operations.companies import rename_company
from tests.factories import make_company


@pytest.fixture
def app_config(app_config, search_backend):
    return {**app_config, "SEARCH_BACKEND": search_backend}


def seed(app):
    with app.app_context():
        make_company("Microsoft Corporation", ticker="MSFT", ceo="Satya Nadella")
        make_company("Wolfspeed, Inc.", former_names=["Cree Research"], ceo="Gregg Lowe")
        make_company("Pine Energy LLC")
        make_company("Wine Holdings")
        make_company("Tesco PLC", country="GB")
        make_company("Zebra Technologies")
        make_company("IBM")
        db.session.commit()


def names(found) -> list[str]:
    return [db.session.get(Company, i).name for i in found.ids]


def test_typo_in_a_persons_name(app):
    seed(app)
    with app.app_context():
        found = search_index.search("satya nadela")
        assert names(found) == ["Microsoft Corporation"]
        assert found.did_you_mean == "satya nadella"


def test_typo_in_a_former_name(app):
    seed(app)
    with app.app_context():
        found = search_index.search("cree reserch")
        assert names(found) == ["Wolfspeed, Inc."]
        assert found.did_you_mean == "cree research"


def test_two_typos_in_two_words(app):
    seed(app)
    with app.app_context():
        found = search_index.search("microsft corporatin")
        assert names(found) == ["Microsoft Corporation"]
        assert found.did_you_mean == "microsoft corporation"


def test_typos_in_the_first_letters_and_swapped_letters(app):
    seed(app)
    with app.app_context():
        for typo in ("nicrosoft", "imcrosoft", "micorsoft", "microsfot"):
            found = search_index.search(typo)
            assert names(found) == ["Microsoft Corporation"], typo
            assert found.did_you_mean == "microsoft", typo


def test_typo_highlights_the_word_it_matched(app):
    seed(app)
    with app.app_context():
        found = search_index.search("microsft")
        assert str(found.highlights[found.ids[0]]) == "<mark>Microsoft</mark> Corporation"


def test_correction_that_finds_nothing_is_not_offered(app):
    seed(app)
    with app.app_context():
        found = search_index.search("tescoo zebraa")  # each word is close to a name, no name has both
        assert found.ids == []
        assert found.did_you_mean is None


def test_short_words_are_not_fuzzed(app):
    seed(app)
    with app.app_context():
        found = search_index.search("ibn")
        assert found.ids == []
        assert found.did_you_mean is None


def test_typo_that_makes_another_indexed_word(app):
    """'wine energy': both words are indexed but no name has both; one of them is a typo."""
    seed(app)
    with app.app_context():
        assert names(search_index.search("wine energy")) == ["Pine Energy LLC"]


def test_new_company_is_found_by_a_typo_right_after_it_is_added(app):
    seed(app)
    with app.app_context():
        assert search_index.search("quixotc").ids == []  # reads the words of the index as it is
        make_company("Quixotic Widgets")
        db.session.commit()
        found = search_index.search("quixotc")
        assert names(found) == ["Quixotic Widgets"]
        assert found.did_you_mean == "quixotic"


def test_renamed_company_is_not_offered_under_its_dropped_name(app):
    seed(app)
    with app.app_context():
        assert names(search_index.search("zebar")) == ["Zebra Technologies"]
        company = db.session.scalars(db.select(Company).filter_by(name="Zebra Technologies")).one()
        rename_company(company, "Okapi Technologies", keep_former_name=False)
        db.session.commit()
        found = search_index.search("zebar")
        assert found.ids == []
        assert found.did_you_mean is None
        assert names(search_index.search("okapy")) == ["Okapi Technologies"]
