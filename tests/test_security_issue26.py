"""The second outside test's findings (issue 26) that this module covers: 1, 5, 7, 8, 9, 10, 11
and the SSRF, calendar, nginx and audit parts of 12. Each test failed on the code before its
fix; the finding's number is in the test's name."""
from __future__ import annotations

import base64
import json

import pytest

from directory.extensions import db
from directory.models import Company
from tests.factories import make_company


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": False}


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
