"""Given-name diminutives: "tim cook" finds the company whose CEO is filed as "Timothy D. Cook",
in both directions, and a nickname never pairs with another person's surname."""
from __future__ import annotations

import pytest

from directory import search_index
from directory.extensions import db
from directory.models import Company
from directory.search_index.schema import nickname_forms
from tests.factories import make_company


@pytest.fixture
def app_config(app_config, search_backend):
    return {**app_config, "SEARCH_BACKEND": search_backend}


@pytest.fixture
def people_app(app):
    with app.app_context():
        make_company("Apple Inc.", ticker="AAPL", ceo="Timothy D. Cook")
        make_company("Gates Ventures LLC", ceo="William H. Gates III")
        make_company("Cascade Outfitters", ceo="Bill Hart")
        # A William and a Gates, but no William Gates: "bill gates" must not find it.
        make_company("Pacific Timber Co.", ceo="William Smith",
                     executives=[("Melinda Gates", "Chief Financial Officer", "cfo")])
        db.session.commit()
    return app


def names_for(query):
    return [db.session.get(Company, i).name for i in search_index.search(query).ids]


@pytest.mark.parametrize("query", ["tim cook", "Timothy Cook", "timothy d cook", "Tim D. Cook", "cook"])
def test_middle_initial_and_diminutive_do_not_block(people_app, query):
    with people_app.app_context():
        assert names_for(query) == ["Apple Inc."]


def test_nickname_finds_the_formal_name_and_back(people_app):
    with people_app.app_context():
        assert names_for("bill gates")[0] == "Gates Ventures LLC"
        assert names_for("will gates")[0] == "Gates Ventures LLC"
        assert names_for("william hart") == ["Cascade Outfitters"]
        assert names_for("billy hart") == ["Cascade Outfitters"]


def test_nickname_does_not_pair_with_another_persons_surname(people_app):
    with people_app.app_context():
        assert "Pacific Timber Co." not in names_for("bill gates")
        assert names_for("tim smith") == []
        assert names_for("bob cook") == []


def test_nickname_forms_keep_surname_and_drop_generational_suffix():
    assert nickname_forms("Timothy D. Cook") == ["tim cook", "tim d cook"]
    assert "bill gates" in nickname_forms("William H. Gates III")
    assert nickname_forms("Madonna") == []
    assert nickname_forms("Satya Nadella") == []
