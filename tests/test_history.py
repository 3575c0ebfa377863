"""Public history pages and moderators' reverts (a revert is itself a revision)."""
from __future__ import annotations

import re
from datetime import date

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from directory.extensions import db
from directory.models import Company, Contribution, Position, Revision
from tests.community import (
    client_for,
    make_user,
    submit,
    suggest_and_send,
)
from tests.factories import make_company, make_contact
from tests.html import visible_text


@pytest.fixture
def acme(app):
    with app.app_context():
        company = make_company("Acme Widgets Inc.", ticker="ACME", ceo="Wile Coyote", website="https://acme.example",
                               phone="+1 555 0100")
        make_contact(company, "email", "help@acme.example")
        make_user("contributor@example.org")
        make_user("mod@example.org", role="moderator")
        make_user("mod2@example.org", role="moderator")
        db.session.commit()
        return company.id


def approved(app, url, data, moderators=("mod@example.org",)):
    response, _ = suggest_and_send(client_for(app, "contributor@example.org"), url, data)
    assert response.status_code == 302
    with app.app_context():
        item = db.session.scalar(select(Contribution.id).order_by(Contribution.id.desc()))
    for email in moderators:
        assert submit(client_for(app, email), f"/moderate/contributions/{item}", {"action": "approve"}).status_code == 302
    return item


def test_history_pages_are_public_and_show_source_and_diff(app, client, acme):
    with app.app_context():
        company = db.session.get(Company, acme)
        contact_id, person_id = company.contacts[0].id, company.positions[0].person_id
    page = client.get(f"/history/company/{acme}").get_data(as_text=True)
    assert "Acme Widgets Inc." in page and "Person added" not in page  # people have their own history ...
    assert "Position added: Wile Coyote" in page  # ... and a position names whose it is
    assert "Chief Executive Officer" in page and "https://acme.example" in page
    assert "Revert" not in page  # visitors cannot revert
    assert "help@acme.example" in client.get(f"/history/contact/{contact_id}").get_data(as_text=True)
    assert "Wile Coyote" in client.get(f"/history/person/{person_id}").get_data(as_text=True)
    assert client.get("/history/position/1").status_code == 404


def test_revert_restores_exact_values_and_search_shows_them(app, client, acme):
    approved(app, f"/contribute/suggest/company/{acme}", {"name": "Acme Rockets Inc.", "phone": "+1 555 0199",
                                                          "evidence_url": "https://acme.example/rename"})
    assert "/companies/acme-rockets-inc" in client.get("/search?q=rockets").get_data(as_text=True)
    with app.app_context():  # the rename and the phone change are two revisions of one contribution
        revision_id = db.session.scalar(select(Revision.id).where(Revision.entity_type == "company",
                                                                  Revision.action == "update"))
    mod = client_for(app, "mod@example.org")
    assert f"/moderate/revisions/{revision_id}/revert" in mod.get(f"/history/company/{acme}").get_data(as_text=True)
    assert submit(mod, f"/moderate/revisions/{revision_id}/revert", {"whole_run": "y"}).status_code == 302

    with app.app_context():
        company = db.session.get(Company, acme)
        assert (company.name, company.phone, company.slug) == ("Acme Widgets Inc.", "+1 555 0100", "acme-widgets-inc")
        reverts = db.session.scalars(select(Revision).where(Revision.reverts_id.is_not(None))).all()
        assert {"phone": ["+1 555 0199", "+1 555 0100"]}.items() <= {
            k: v for r in reverts for k, v in r.changes.items()}.items()
        assert db.session.get(Revision, revision_id) is not None  # nothing deleted
    assert "/companies/acme-widgets-inc" in client.get("/search?q=widgets").get_data(as_text=True)
    assert "/companies/acme" not in client.get("/search?q=rockets").get_data(as_text=True)
    assert "/companies/acme-widgets-inc" in client.get("/companies/acme-rockets-inc").location  # old links still work
    history = client.get(f"/history/company/{acme}").get_data(as_text=True)
    assert f"reverts <a href=\"#revision-{revision_id}\">" in history


def test_revert_every_consecutive_change_by_one_contributor(app, client, acme):
    approved(app, f"/contribute/suggest/new_ceo/{acme}", {"person_name": "Road Runner", "note": "press release"},
             moderators=("mod@example.org", "mod2@example.org"))
    approved(app, f"/contribute/suggest/company/{acme}", {"phone": "+1 555 0199", "note": "called"})
    with app.app_context():
        latest = db.session.scalar(select(Revision).where(Revision.company_id == acme).order_by(Revision.id.desc()))
        latest_id = latest.id
    mod = client_for(app, "mod@example.org")
    form_page = mod.get(f"/moderate/revisions/{latest_id}/revert").get_data(as_text=True)
    assert "consecutive changes by the same contributor" in form_page
    submit(mod, f"/moderate/revisions/{latest_id}/revert", {"whole_run": "y"})

    with app.app_context():
        company = db.session.get(Company, acme)
        assert company.phone == "+1 555 0100"
        assert company.ceo_position.person.name == "Wile Coyote"
        runner = db.session.scalar(select(Position).join(Position.person).where(Position.person.has(name="Road Runner")))
        assert runner is not None and runner.is_current is False  # kept, retired, visible in history
    page = client.get("/companies/acme-widgets-inc").get_data(as_text=True)
    assert "Wile Coyote" in page.split('id="ceo-title"')[1].split("</section>")[0]


def test_person_rename_and_departure_show_in_their_histories(app, client, acme):
    with app.app_context():
        position = db.session.get(Company, acme).positions[0]
        position_id, person_id = position.id, position.person_id
    approved(app, f"/contribute/suggest/person/{person_id}", {"name": "Wile E. Coyote", "note": "full name in 10-K"},
             moderators=("mod@example.org", "mod2@example.org"))  # renaming a current CEO needs two moderators
    item = approved(app, f"/contribute/suggest/position/{position_id}",
                    {"departed": "y", "end_date": "2026-10-31", "note": "8-K item 5.02"},
                    moderators=("mod@example.org", "mod2@example.org"))  # a CEO leaving needs two moderators
    with app.app_context():
        assert db.session.get(Contribution, item).high_risk
        position = db.session.get(Position, position_id)
        assert position.is_current is False and position.end_date.isoformat() == "2026-10-31"
    person_history = client.get(f"/history/person/{person_id}").get_data(as_text=True)
    assert "Wile E. Coyote" in person_history and "accepted by a moderator" in person_history
    page = client.get("/companies/acme-widgets-inc").get_data(as_text=True)
    assert "Former executives (1)" in page and "No CEO on record" in page


def test_history_says_what_changed_in_words_and_offers_revert_only_where_it_works(app, client, acme):
    approved(app, f"/contribute/suggest/company/{acme}", {"phone": "+1 555 0199", "evidence_url": "https://acme.example/p"})
    moderator = client_for(app, "mod@example.org")
    page = moderator.get(f"/history/company/{acme}").get_data(as_text=True)
    assert "Phone changed from “+1 555 0100” to “+1 555 0199”" in page
    for column in ("company id", "company_id", "ceo confidence", "ceo_confidence", "source id"):
        assert column not in page
    revisions = BeautifulSoup(page, "lxml").select("li.revision")
    offered = {r["id"]: bool(r.find("a", string=lambda s: s and "Revert" in s)) for r in revisions}
    assert offered[revisions[0]["id"]]  # the phone change can be undone
    with app.app_context():
        company_created = db.session.scalar(select(Revision.id).where(
            Revision.entity_type == "company", Revision.action == "create"))
    assert offered[f"revision-{company_created}"] is False  # a company's creation cannot


def test_a_year_precision_date_moved_by_a_year_reads_as_years(app, client, acme):
    """Wikidata knows only the year a CEO started; a later correction of that year changes
    the date and keeps its precision, and the history says "2019" to "2020", not 1 January."""
    with app.app_context():
        position = db.session.get(Company, acme).positions[0]
        position.start_date, position.start_precision = date(2019, 1, 1), "year"
        db.session.commit()
        assert position.start_date == date(2019, 1, 1)  # read before the change, as every writer does
        position.start_date = date(2020, 1, 1)
        db.session.commit()
    page = visible_text(client.get(f"/history/company/{acme}").get_data(as_text=True))
    assert "Start date changed from “2019” to “2020”" in page
    assert "2019-01-01" not in page and "2020-01-01" not in page
