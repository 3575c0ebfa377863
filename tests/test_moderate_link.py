"""A moderator links a UK register record to the SEC company it describes, through the real
forms: the company page suggests the match, the link page compares them, one POST merges them."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEntry, Company, Identifier
from tests.community import (
    client_for,
    form_fields,
    log_in,
    make_user,
    submit,
)
from tests.factories import make_company, make_position

UK_SLUG = "tesco-plc-00445790"


@pytest.fixture
def tesco(app):
    """The same company twice: an SEC filer and an imported UK-only record, plus an unrelated one."""
    with app.app_context():
        sec = make_company("Tesco PLC", cik="0000012345", country="GB", ceo="Ken Murphy")
        uk = make_company("TESCO PLC", slug=UK_SLUG, country="GB")
        uk.identifiers.append(Identifier(scheme="ch_number", value="00445790"))
        make_position(uk, "Imran Nawaz", "Director", role="director")
        make_company("Acme Widgets Inc.", cik="0000099999")
        make_user("contributor@example.org")
        make_user("mod@example.org", role="moderator")
        db.session.commit()
        return sec.slug


def test_moderator_sees_the_match_and_links_the_records(app, tesco):
    mod = client_for(app, "mod@example.org")
    assert f"/companies/{UK_SLUG}" in mod.get("/search?q=tesco").get_data(as_text=True)
    page = mod.get(f"/companies/{UK_SLUG}").get_data(as_text=True)
    assert "Possible same company as" in page and "SEC CIK 0000012345" in page
    assert f'href="/moderate/link/{UK_SLUG}"' in page and "Link these records" in page

    compare = mod.get(f"/moderate/link/{UK_SLUG}").get_data(as_text=True)
    assert "Companies House number: 00445790" in compare and "SEC CIK: 0000012345" in compare
    assert "Ken Murphy" in compare and "Acme Widgets" not in compare

    response = submit(mod, f"/moderate/link/{UK_SLUG}", action_contains="/moderate/link/")
    assert response.status_code == 302 and response.headers["Location"] == f"/companies/{tesco}"
    merged = mod.get(response.headers["Location"]).get_data(as_text=True)
    assert "Companies House number 00445790 linked to Tesco PLC" in merged
    assert "Imran Nawaz" in merged and "Possible same company" not in merged

    found = mod.get("/search?q=tesco").get_data(as_text=True)
    assert f"/companies/{tesco}" in found and f"/companies/{UK_SLUG}" not in found  # one company, not two

    old = mod.get(f"/companies/{UK_SLUG}")
    assert old.status_code == 301 and old.headers["Location"] == f"/companies/{tesco}"
    with app.app_context():
        company = db.session.scalar(select(Company).where(Company.slug == tesco))
        assert (company.identifier("cik"), company.identifier("ch_number")) == ("0000012345", "00445790")
        assert db.session.scalar(select(Company).where(Company.name == "TESCO PLC")) is None
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "company_linked"))
        assert (entry.target_id, entry.details["ch_number"], entry.details["merged_slug"]) == (
            company.id, "00445790", UK_SLUG)
    audit = mod.get("/moderate/audit").get_data(as_text=True)
    assert "company linked" in audit and f"merged_slug: {UK_SLUG}" in audit


def test_only_moderators_see_or_use_the_link(app, client, tesco):
    assert "Possible same company" not in client.get(f"/companies/{UK_SLUG}").get_data(as_text=True)
    log_in(client, "contributor@example.org")
    page = client.get(f"/companies/{UK_SLUG}").get_data(as_text=True)
    assert "Possible same company" not in page
    assert client.get(f"/moderate/link/{UK_SLUG}").status_code == 403
    token = form_fields(page, action_contains="/accounts/logout")[1]["csrf_token"]  # a valid token
    forged = client.post(f"/moderate/link/{UK_SLUG}", data={"csrf_token": token, "target": tesco})
    assert forged.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(Company).where(Company.slug == UK_SLUG)) is not None


def test_a_post_without_csrf_or_for_a_non_candidate_links_nothing(app, tesco):
    mod = client_for(app, "mod@example.org")
    assert mod.post(f"/moderate/link/{UK_SLUG}", data={"target": tesco}).status_code == 400
    _, values = form_fields(mod.get(f"/moderate/link/{UK_SLUG}").get_data(as_text=True),
                            action_contains="/moderate/link/")
    wrong = mod.post(f"/moderate/link/{UK_SLUG}", data={**values, "target": "acme-widgets-inc"}, follow_redirects=True)
    assert "no longer a likely match" in wrong.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Company).where(Company.slug == UK_SLUG)) is not None


def test_sec_company_page_offers_no_link(app, tesco):
    mod = client_for(app, "mod@example.org")
    assert "Possible same company" not in mod.get(f"/companies/{tesco}").get_data(as_text=True)
    assert mod.get(f"/moderate/link/{tesco}").status_code == 302
