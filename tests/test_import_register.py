"""What every register import shares: one run base class (Companies House is not an EDGAR
run) and one rule for updating a position a register finds again."""
from __future__ import annotations

import inspect

from sqlalchemy import select

from directory.extensions import db
from directory.importers.companies_house import CompaniesHouseImport
from directory.importers.edgar import EdgarImport
from directory.importers.fca import FcaImport
from directory.importers.register import RegisterImport
from directory.importers.store import CompanyWriter, SourceCache, StoreOutcome
from directory.importers.wikidata import WikidataImport
from directory.models import Position, ProposedChange
from tests.factories import make_company, make_source


def test_companies_house_runs_on_the_register_base_not_on_edgar():
    assert issubclass(EdgarImport, RegisterImport) and issubclass(CompaniesHouseImport, RegisterImport)
    assert not issubclass(CompaniesHouseImport, EdgarImport)
    for edgar_only in ("import_cik", "import_bundles", "_crawl", "_contact_options", "_facts"):
        assert not hasattr(CompaniesHouseImport, edgar_only), edgar_only


def test_every_register_run_stores_one_item_with_no_edgar_arguments():
    """EDGAR's submissions digest and sync state travel inside its own items, not through the
    base's hooks that Companies House, the FCA register and Wikidata implement too."""
    for run in (EdgarImport, CompaniesHouseImport, FcaImport, WikidataImport):
        assert issubclass(run, RegisterImport), run
        assert len(inspect.signature(run._store).parameters) == 2, run
        assert len(inspect.signature(run._where).parameters) == 2, run


def _writer(company) -> CompanyWriter:
    return CompanyWriter(SourceCache(), company, StoreOutcome())


def test_a_confirmed_role_is_proposed_and_the_rest_is_updated_with_the_new_source(app):
    with app.app_context():
        company = make_company("Acme Widgets Inc.", ceo="Wile Coyote")
        db.session.flush()
        position = company.ceo_position
        position.confirmed = True
        register_record = make_source(kind="registry_record", url="https://find-and-update.company-information"
                                      ".service.gov.uk/company/00000006/officers", document_id=None)
        db.session.flush()
        writer = _writer(company)
        changed = writer.update_position(position, {"role": "director", "is_ceo": False, "title": "Director",
                                                    "is_current": False}, register_record)
        db.session.flush()
        assert changed
        assert (position.role, position.is_ceo) == ("ceo", True)  # a moderator confirmed these
        assert (position.title, position.is_current, position.source_id) == ("Director", False, register_record.id)
        proposed = db.session.scalars(select(ProposedChange).order_by(ProposedChange.field)).all()
        assert [(p.field, p.current_value, p.proposed_value) for p in proposed] == [
            ("is_ceo", True, False), ("role", "ceo", "director")]
        assert (writer.outcome.positions_ended, writer.outcome.proposals) == (1, 2)


def test_values_a_position_already_has_change_nothing_not_even_its_source(app):
    with app.app_context():
        company = make_company("Acme Widgets Inc.", ceo="Wile Coyote")
        db.session.flush()
        position = company.ceo_position
        first_source = position.source_id
        again = make_source(url="https://www.sec.gov/Archives/edgar/data/320193/other/", document_id="other")
        db.session.flush()
        writer = _writer(company)
        assert not writer.update_position(position, {"title": position.title, "is_current": True}, again)
        assert position.source_id == first_source and not writer.changed
        assert db.session.get(Position, position.id).source_id == first_source
