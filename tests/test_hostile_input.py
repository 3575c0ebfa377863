"""Hostile input against every way in: query parameters, form fields, slugs, `next=`,
CSRF-less posts and moderator URLs typed by a contributor.

Each probe must get a clear answer (a 4xx, or a normal page) and never a 500 (TESTING is on,
so a server error surfaces here as an exception); markup must come back escaped, and what
a visitor may store (a report note, a suggestion) must be stored intact and shown escaped.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from directory.extensions import db
from directory.models import Contribution, Flag
from tests.community import (
    PASSWORD,
    client_for,
    form_fields,
    log_in,
    make_user,
    submit,
    suggest_and_send,
)
from tests.factories import make_company

XSS = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "'><svg/onload=alert(1)>",
    "javascript:alert(1)",
    "{{7*7}}{% raw %}",
]
SQL = ["' OR '1'='1", "1; DROP TABLE companies; --", "\" OR 1=1 --", "%' UNION SELECT password_hash FROM users --",
       "\\'; SELECT pg_sleep(5); --"]
LONG = "A" * 100_000
# Markup that must never come back verbatim: the escaped form is fine.
RAW_MARKERS = ("<script>alert", "<img src=x", "<svg/onload")

GET_PAGES = ["/", "/search", "/search/suggest", "/browse/", "/browse/a-z/a", "/browse/countries/",
             "/browse/countries/us", "/browse/sectors/", "/browse/sectors/3571", "/api/v1/companies",
             "/companies/acme-widgets-inc", "/companies/acme-widgets-inc/write", "/people/wile-coyote",
             "/api/v1/companies/acme-widgets-inc", "/review/leadership-changes", "/accounts/login",
             "/accounts/register"]
PARAMS = ["q", "page", "per_page", "country", "sector", "rung", "next", "sort", "field"]


@pytest.fixture
def app_config(app_config):
    # Limits are proven elsewhere; here hundreds of probes must reach the views.
    return {**app_config, "RATELIMIT_ENABLED": False}


@pytest.fixture
def acme(app):
    with app.app_context():
        company = make_company("Acme Widgets Inc.", ticker="ACME", ceo="Wile Coyote", city="Phoenix", region="AZ",
                               country="US", sic_code="3571", website="https://acme.example", phone="+1 555 0100")
        make_user("contributor@example.org")
        make_user("mod@example.org", role="moderator")
        db.session.commit()
        return company.id


def assert_clean(response, what) -> str:
    """A 4xx or a page, never a 500, and no payload markup reflected unescaped."""
    assert response.status_code < 500, (what, response.status_code)
    body = response.get_data(as_text=True)
    if response.mimetype == "application/json":
        # JSON is data, not markup: with nosniff a browser never renders it as HTML.
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        return body
    for marker in RAW_MARKERS:
        assert marker not in body, (what, marker)
    return body


@pytest.mark.parametrize("payload", XSS + SQL + [LONG], ids=lambda p: p[:20])
def test_query_parameters_are_answered_and_escaped(client, acme, payload):
    for path in GET_PAGES:
        for name in PARAMS:
            assert_clean(client.get(path, query_string={name: payload}), (path, name))


def test_sql_metacharacters_in_search_match_nothing(client, acme):
    for payload in SQL:
        body = assert_clean(client.get("/search", query_string={"q": payload}), payload)
        assert "/companies/acme-widgets-inc" not in body
    assert "/companies/acme-widgets-inc" in client.get("/search?q=acme").get_data(as_text=True)  # index intact
    api = client.get("/api/v1/companies", query_string={"q": "' OR '1'='1"})
    assert api.status_code == 200 and api.json["total"] == 0


@pytest.mark.parametrize("raw", [b"q=%ff%fe", b"q=%c0%af", b"q=%ed%a0%80", b"page=%ff", b"q=%00", b"country=%ff%ff"])
def test_invalid_utf8_in_query_strings(client, acme, raw):
    for path in GET_PAGES:
        assert_clean(client.get(f"{path}?{raw.decode()}"), (path, raw))


def test_invalid_utf8_in_form_bodies_is_refused_cleanly(client, acme):
    for path in ("/accounts/login", "/accounts/register", f"/contribute/report/company/{acme}",
                 "/companies/acme-widgets-inc/write"):
        token = form_fields(client.get(path).get_data(as_text=True))[1]["csrf_token"]
        body = f"csrf_token={token}&email=%ff%fe@example.org&password=%c0%af&note=%ed%a0%80&what_happened=%ff".encode()
        response = client.post(path, data=body, content_type="application/x-www-form-urlencoded")
        assert_clean(response, path)
        nul = client.post(path, data={"csrf_token": token, "email": "a\x00@example.org", "note": "a\x00b",
                                      "what_happened": "\x00"})
        assert nul.status_code == 400, path


@pytest.mark.parametrize("path", [
    "/companies/..%2f..%2fetc%2fpasswd", "/companies/%2e%2e", "/companies/%2e%2e%2fapi", "/companies/a%00b",
    "/companies/%00", "/companies/..%5c..%5cwindows", "/people/..%2f..%2f", "/people/%00",
    "/api/v1/companies/%2e%2e%2f%2e%2e", "/api/v1/companies/a%00", "/api/v1/people/%00",
    "/browse/a-z/%00", "/browse/a-z/..", "/browse/countries/%2e%2e", "/browse/sectors/%00",
    "/companies/acme-widgets-inc%00/write", "/static/..%2f..%2fdirectory%2fconfig.py", "/static/%2e%2e/wsgi.py",
    "/history/company/99999999999999999999", "/contribute/company/1%00",
])
def test_path_tricks_in_slugs_are_not_found(client, acme, path):
    response = client.get(path)
    assert response.status_code in (301, 302, 308, 400, 404), (path, response.status_code)
    body = response.get_data(as_text=True)
    assert "SECRET_KEY" not in body and "root:" not in body
    response.close()


@pytest.mark.parametrize("page", ["0", "-1", "99999999999999999999999", "1e9", "NaN"])
def test_absurd_page_numbers(client, acme, page):
    for path in ("/search?q=acme", "/browse/", "/browse/a-z/a", "/browse/countries/us", "/browse/sectors/3571",
                 "/api/v1/companies", f"/history/company/{acme}", "/review/leadership-changes"):
        joiner = "&" if "?" in path else "?"
        assert_clean(client.get(f"{path}{joiner}page={page}&per_page={page}"), (path, page))


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/\\evil.example", "\\/evil.example",
                                    "javascript:alert(1)", "/%2f%2fevil.example", "http:evil.example",
                                    " //evil.example", "\t//evil.example", "/\t/evil.example"])
def test_next_parameter_never_leaves_the_site(client, acme, target):
    response = submit(client, f"/accounts/login?next={target}", {"email": "contributor@example.org",
                                                                  "password": PASSWORD})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "\\" not in location, location
    assert urlsplit(location).netloc == "" and urlsplit(location).scheme == ""


def _stored_suggestion(app):
    with app.app_context():
        return db.session.scalar(select(Contribution).order_by(Contribution.id.desc()))


def test_markup_in_form_fields_is_refused_and_shown_escaped(app, client, acme):
    forms = {
        "/accounts/register": {"email": XSS[1] + "@example.org", "display_name": XSS[0], "password": PASSWORD,
                               "confirm": PASSWORD},
        "/accounts/login": {"email": XSS[0], "password": XSS[1]},
        "/accounts/reset-request": {"email": XSS[0]},
        f"/contribute/report/company/{acme}": {"note": XSS[0]},
    }
    for url, data in forms.items():
        response = submit(client, url, data)
        body = assert_clean(response, url)
        assert response.status_code in (200, 302, 400), (url, response.status_code)
        if response.status_code == 302:  # the reset form answers the same whatever was typed
            continue
        assert "HTML is not accepted" in body or "do not match" in body or "email address" in body.lower(), url
    with app.app_context():
        assert db.session.scalar(select(Flag)) is None

    log_in(client, "contributor@example.org")
    response = submit(client, f"/contribute/suggest/company/{acme}", {
        "name": XSS[0], "website": XSS[3], "phone": XSS[1], "evidence_url": "javascript:alert(1)",
        "note": XSS[2], "action": "preview"})
    body = assert_clean(response, "suggest")
    assert "HTML is not accepted" in body and "https://" in body
    assert _stored_suggestion(app) is None


def test_composer_reflects_every_field_escaped(client, acme):
    data = {name: XSS[0] for name in ("what_happened", "dates", "references", "tried", "wanted", "your_name",
                                      "your_address")}
    response = submit(client, "/companies/acme-widgets-inc/write", data)
    body = assert_clean(response, "composer")
    assert response.status_code == 200 and "&lt;script&gt;" in body


@pytest.mark.parametrize("field", ["letter", "rung"])
def test_composer_choices_outside_the_list_fall_back_to_the_usual_letter(client, acme, field):
    """Found by wapiti: a tampered letter choice was a 500."""
    response = submit(client, "/companies/acme-widgets-inc/write", {field: "' AND 63=146 AND 42=42"})
    body = assert_clean(response, "composer")
    assert response.status_code == 200 and "Dear" in body


def test_sql_metacharacters_and_long_text_are_stored_intact(app, client, acme):
    note = "O'Brien said \"; DROP TABLE companies; --\" and 50% of it"
    response = submit(client, f"/contribute/report/company/{acme}?field=phone'--", {"note": note})
    assert response.status_code == 302
    with app.app_context():
        flag = db.session.scalar(select(Flag))
        assert flag.note == note and flag.field == "phone'--"

    contributor = client_for(app, "contributor@example.org")
    sql_name = "Acme'; DELETE FROM users; -- Widgets"
    sent, _ = suggest_and_send(contributor, f"/contribute/suggest/company/{acme}",
                               {"name": sql_name, "note": "It's \"quoted\" & 100% true"})
    assert sent.status_code == 302
    moderator = client_for(app, "mod@example.org")
    item = _stored_suggestion(app)
    review = moderator.get(f"/moderate/contributions/{item.id}").get_data(as_text=True)
    assert "Acme&#39;; DELETE FROM users; -- Widgets" in review
    assert "It&#39;s &#34;quoted&#34; &amp; 100% true" in review


@pytest.mark.parametrize("url_and_fields", [
    ("/accounts/register", ("email", "display_name", "password", "confirm")),
    ("/accounts/login", ("email", "password")),
    ("/accounts/reset-request", ("email",)),
    ("/contribute/report/company/{acme}", ("note",)),
    ("/companies/acme-widgets-inc/write", ("what_happened", "dates", "references", "tried", "wanted", "your_name",
                                           "your_address")),
], ids=lambda item: item[0])
def test_100kb_values_are_refused_or_handled(app, client, acme, url_and_fields):
    url, fields = url_and_fields
    url = url.format(acme=acme)
    response = submit(client, url, {name: LONG for name in fields})
    assert_clean(response, url)
    assert response.status_code in (200, 400), (url, response.status_code)
    with app.app_context():
        assert db.session.scalar(select(Flag)) is None


def test_100kb_values_in_a_suggestion_are_refused(app, acme):
    contributor = client_for(app, "contributor@example.org")
    response = submit(contributor, f"/contribute/suggest/company/{acme}",
                      {"name": LONG, "website": "https://" + LONG, "phone": LONG, "note": LONG,
                       "evidence_url": "https://" + LONG, "action": "preview"})
    assert response.status_code == 200 and "Use at most 300 characters." in response.get_data(as_text=True)
    assert _stored_suggestion(app) is None


NAMED_ARGUMENTS = {"slug": "acme-widgets-inc", "entity_type": "company", "kind_name": "company", "token": "x",
                   "letter": "a", "code": "us", "sic_code": "3571"}


def _fill(rule) -> str:
    """A URL for `rule`: id 1 for numbers, the test company or a valid word for the rest."""
    arguments = {name: 1 if isinstance(rule._converters[name], IntegerConverter) else NAMED_ARGUMENTS.get(name, "x")
                 for name in rule.arguments}
    return rule.build(arguments)[1]


def post_rules(app):
    return [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]


def test_every_post_route_refuses_a_post_without_csrf_token(app, acme):
    rules = post_rules(app)
    assert len(rules) >= 14  # the enumeration found the forms
    moderator = client_for(app, "mod@example.org")
    for rule in rules:
        url = _fill(rule)
        for who in (app.test_client(), moderator):
            response = who.post(url, data={"action": "approve", "note": "x", "email": "a@example.org"})
            assert response.status_code == 400, (url, response.status_code)
            assert "could not be understood" in response.get_data(as_text=True) or url.startswith("/api/")


def test_a_contributor_gets_403_on_every_moderator_route(app, acme):
    contributor = client_for(app, "contributor@example.org")
    page = contributor.get("/companies/acme-widgets-inc").get_data(as_text=True)
    token = form_fields(page, action_contains="/accounts/logout")[1]["csrf_token"]
    rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith(("/moderate", "/review"))]
    assert len(rules) >= 9
    for rule in rules:
        url = _fill(rule)
        if "GET" in rule.methods:
            assert contributor.get(url).status_code == 403, url
        if "POST" in rule.methods:
            for action in ("approve", "reject", "revert", "ban", "role"):
                response = contributor.post(url, data={"csrf_token": token, "action": action, "role": "admin",
                                                       "version": "1", "reason": "x"})
                assert response.status_code == 403, (url, action)
    anonymous = app.test_client()
    for rule in rules:
        if "GET" in rule.methods:
            assert anonymous.get(_fill(rule)).status_code in (302, 403), rule.rule
        else:  # a POST-only action: refused (400 without a CSRF token, else the login)
            assert anonymous.post(_fill(rule)).status_code in (302, 400, 403), rule.rule


def test_mass_assignment_of_role_at_registration_is_ignored(app, client, acme):
    response = submit(client, "/accounts/register", {"email": "eve@example.org", "password": PASSWORD,
                                                     "confirm": PASSWORD, "role": "admin", "is_active": "1",
                                                     "session_version": "99"})
    assert response.status_code == 302
    log_in(client, "eve@example.org")
    assert client.get("/moderate/").status_code == 403
    assert re.search(r"/moderate/", client.get("/").get_data(as_text=True)) is None


BAD_URLS = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
            "java\nscript:alert(1)", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "vbscript:msgbox(1)", "VBScript:msgbox(1)", "//evil.example", "/\\evil.example", "https:/evil.example",
            "http://", "https://exa mple.com", "file:///etc/passwd", "ftp://example.com", "\x00javascript:alert(1)"]
GOOD_URLS = ["https://acme.example/contact", "HTTPS://ACME.example/Contact", "http://acme.example"]


@pytest.mark.parametrize("kind_and_field", [("company", "website"), ("company", "evidence_url"),
                                            ("contact_add", "value"), ("contact_add", "evidence_url")],
                         ids=lambda item: "-".join(item))
def test_url_fields_accept_only_http_and_https(app, acme, kind_and_field):
    kind, name = kind_and_field
    contributor = client_for(app, "contributor@example.org")
    url = f"/contribute/suggest/{kind}/{acme}"
    extra = ({"kind": "web_form", "tier": "complaints", "value": "https://acme.example/form"} if kind == "contact_add"
             else {"phone": "+1 555 0199"})  # something must change for a preview
    for bad in BAD_URLS:
        data = {**extra, "note": "seen on their site", name: bad, "action": "preview"}
        response = submit(contributor, url, data)
        body = assert_clean(response, (name, bad))
        assert "Check your suggestion" not in body, (name, bad)
        if response.status_code == 400:  # a NUL byte is refused before any form sees it
            continue
        assert "starting with https:// or http://" in body or "HTML is not accepted" in body, (name, bad)
    for good in GOOD_URLS:
        response = submit(contributor, url, {**extra, "note": "seen on their site", name: good, "action": "preview"})
        assert "Check your suggestion" in response.get_data(as_text=True), (name, good)
    assert _stored_suggestion(app) is None
