"""The second outside test's findings (issue 26) that this module covers: 1, 5, 7, 8, 9, 10, 11
and the SSRF, calendar, nginx and audit parts of 12. Each test failed on the code before its
fix; the finding's number is in the test's name."""
from __future__ import annotations

import base64
import importlib
import importlib.util
import json
import logging
import os
import pkgutil
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import requests
import wtforms
from bs4 import BeautifulSoup
from flask_migrate import upgrade
from sqlalchemy import func, select, text
from werkzeug.datastructures import MultiDict
from wtforms.validators import DataRequired, InputRequired, Optional, Regexp

import directory
from bench.slow_clients import free_port, wait_until_serving
from directory import create_app, formfields
from directory.extensions import db
from directory.models import TIERS, Contact, Contribution, User, utcnow
from directory.operations import ratings as rating_ops
from directory.security import CONTENT_SECURITY_POLICY
from scrapers.websites.safety import AddressPolicy, RefusedURL, is_public_address
from tests.community import PASSWORD, client_for, log_in, make_user, submit
from tests.conftest import REPO
from tests.factories import make_company
from tests.old_schema import database_at, insert
from tests.test_privacy_importers import database_text


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


# 1. A 50 KB email on the objection form ran a slow regex for 15.7 s (its Length check let it on).

def hostile_value(size: int) -> str:
    """`size` characters that are worst-case for an email pattern: one `@`, then thousands of
    dots and a space at the end that makes every way of splitting them fail (the tester's
    15.7 s on the old objection form's regex)."""
    return ("x@" + "a." * size)[:size - 1] + " "


LONG_VALUE = hostile_value(50_000)
FIRST_CHECKS = (DataRequired, InputRequired, Optional)  # constant-time: whether there is a value


def every_form() -> list[type]:
    """Every form class the site defines, found by importing every module of the package."""
    for module in pkgutil.walk_packages(directory.__path__, "directory."):
        importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)
    return sorted({cls for cls in subclasses(wtforms.Form) if cls.__module__.startswith("directory.")},
                  key=lambda cls: (cls.__module__, cls.__name__))


def text_fields(form) -> list:
    return [field for field in form if isinstance(field, wtforms.StringField)]


def test_1_every_form_is_found():
    names = {cls.__name__ for cls in every_form()}
    assert {"ObjectionForm", "RegisterForm", "LetterForm", "ReplyForm", "CompanyForm", "CaseForm"} <= names


@pytest.mark.parametrize("form_class", every_form(), ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_1_every_text_field_stops_at_its_length_limit_before_any_other_check(app, form_class, monkeypatch):
    """50 KB in every field of the form: each text field fails with its length error alone,
    and no pattern or address parser ever sees the long value (the work is bounded by the
    length check, whatever the machine's speed)."""
    seen = []
    regexp_call, validate_email = Regexp.__call__, formfields.validate_email
    monkeypatch.setattr(Regexp, "__call__", lambda self, form, field: seen.append(len(field.data or "")) or
                        regexp_call(self, form, field))
    monkeypatch.setattr(formfields, "validate_email", lambda value, **options: seen.append(len(value)) or
                        validate_email(value, **options))
    with app.test_request_context(method="POST"):
        names = [field.name for field in form_class(meta={"csrf": False})]
        form = form_class(formdata=MultiDict({name: LONG_VALUE for name in names}), meta={"csrf": False})
        form.validate()
    assert all(length < 1000 for length in seen), seen
    for field in text_fields(form):
        checks = [check for check in field.validators if not isinstance(check, FIRST_CHECKS)]
        assert checks and getattr(checks[0], "max_length", None), f"{field.name} has no length limit first"
        assert field.errors == [f"Use at most {checks[0].max_length} characters."], (field.name, field.errors)


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


# 9. Private pages (the objection page shows the requester's email) carried only Vary: Cookie.

def private(response) -> bool:
    return {part.strip() for part in response.headers.get("Cache-Control", "").split(",")} >= {"private", "no-store"}


def test_9_every_page_a_logged_in_visitor_gets_is_private(app, acme):
    """Every GET route without arguments, and the ones the tester named, as an admin: whatever
    the status, an HTML page (its navigation names the visitor) is never kept by a shared
    cache. Feeds, JSON, robots.txt and files are the same for everyone and keep their caching."""
    with app.app_context():
        make_user("admin@example.org", role="admin")
        user_id = db.session.scalar(select(User.id).where(User.email == "contributor@example.org"))
    admin = client_for(app, "admin@example.org")
    submit(client_for(app, "contributor@example.org"), f"/contribute/suggest/company/{acme}",
           {"sector": "Widgets", "note": "their annual report", "action": "send"})
    with app.app_context():
        contribution_id = db.session.scalar(select(Contribution.id))
    paths = [rule.rule for rule in app.url_map.iter_rules()
             if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith("/data/")]
    paths += ["/ratings/acme-widgets-inc", f"/moderate/contributions/{contribution_id}", f"/moderate/users/{user_id}",
              "/accounts/mine", "/accounts/delete", "/moderate/", "/moderate/users", "/moderate/audit"]
    assert "/accounts/mine" in paths and "/moderate/" in paths
    responses = {path: admin.get(path) for path in paths}
    pages = {path: response for path, response in responses.items() if response.mimetype == "text/html"}
    assert {"/accounts/mine", "/accounts/delete", "/ratings/acme-widgets-inc", "/moderate/audit"} <= set(pages)
    not_private = [(path, response.status_code, response.headers.get("Cache-Control"))
                   for path, response in pages.items() if not private(response)]
    for response in responses.values():
        response.close()  # files (the favicon) are streamed
    assert not_private == [], not_private


def test_9_the_anonymous_public_pages_stay_shareable(client, acme):
    """The rule is about the visitor, not the page: an anonymous company page is the same for all."""
    response = client.get("/companies/acme-widgets-inc")
    assert response.status_code == 200 and not private(response)
    assert private(client.get("/accounts/login"))  # it sets the session cookie (a CSRF token)


# 12. The SSRF filter took shared address space and 6to4 (which embeds IPv4) for public.

@pytest.mark.parametrize("address", ["100.64.0.1", "100.127.255.254", "2002:7f00:1::1", "2002:a00:5::1",
                                     "2002:a9fe:a9fe::1", "64:ff9b::7f00:1", "::7f00:1", "::ffff:100.64.0.1",
                                     "2001:0:4136:e378:8000:63bf:80ff:fffe", "192.0.2.1", "2001:db8::1", "ff0e::1"])
def test_12_addresses_that_reach_private_ones_are_refused(address):
    assert not is_public_address(address)
    with pytest.raises(RefusedURL):
        AddressPolicy(resolve=lambda host, port: [address]).check("http://intranet.example/")


@pytest.mark.parametrize("address", ["17.253.144.10", "2620:149:af0::10", "::ffff:17.253.144.10", "2002:11fd:900a::1",
                                     "64:ff9b::808:808"])
def test_12_public_addresses_and_their_embeddings_are_read(address):
    assert is_public_address(address)


# 12. An .ics SUMMARY kept a lone carriage return (a calendar app may end the line there).

def test_12_a_case_title_with_a_lone_carriage_return_stays_one_calendar_line(app):
    with app.app_context():
        make_company("Northern Bank PLC", country="GB", sic_code="64191")
        make_user("owner@example.org")
    owner = client_for(app, "owner@example.org")
    opened = submit(owner, "/cases/new?company=northern-bank-plc",
                    {"title": "Double\rDTSTART:19700101\x0bcharge", "problem": "Charged twice.", "wanted": "A refund."})
    assert opened.status_code == 303, opened.get_data(as_text=True)
    case_url = opened.headers["Location"]
    submit(owner, case_url, {"taken_on": "2026-01-05", "rung": "complaints", "channel": "email"},
           action_contains="/steps", index=-1)
    body = owner.get(f"{case_url}/calendar.ics").get_data(as_text=True)
    assert "SUMMARY:" in body
    lines = body.split("\r\n")
    assert not any("\r" in line or "\n" in line or "\x0b" in line for line in lines)
    unfolded = body.replace("\r\n ", "").split("\r\n")
    assert [line for line in unfolded if line.startswith("DTSTART:")] == []
    assert any(line.startswith("SUMMARY:") and "Double\\nDTSTART:19700101charge" in line for line in unfolded)


# 12. docs/nginx.conf served /static/ without the security headers and TRACE without `Allow`.

NGINX_CONF = REPO / "docs" / "nginx.conf"


def test_12_the_documented_nginx_adds_the_apps_headers_to_static_files_and_allow_to_a_405():
    conf = NGINX_CONF.read_text()
    static = conf[conf.index("location /static/"):]
    static = static[:static.index("}")]
    for name, value in (("Content-Security-Policy", CONTENT_SECURITY_POLICY), ("X-Content-Type-Options", "nosniff"),
                        ("X-Frame-Options", "DENY"), ("Referrer-Policy", "strict-origin-when-cross-origin")):
        assert f'add_header {name} "{value}" always;' in static
    assert "error_page 405 = @method_not_allowed;" in conf
    assert 'add_header Allow "GET, HEAD, POST, OPTIONS" always;' in conf


def local_nginx_conf(work: Path, port: int) -> str:
    """docs/nginx.conf as it is, on a loopback port without TLS, serving this checkout's static/."""
    site = NGINX_CONF.read_text()
    site = re.sub(r"\n\s*listen \[::\]:\d+( ssl)?;", "", site)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{free_port()};").replace("listen 443 ssl;", f"listen 127.0.0.1:{port};")
    site = re.sub(r"\n\s*ssl_certificate(_key)? .*;", "", site)
    site = site.replace("/var/log/nginx/ceo-directory.access.log", str(work / "access.log"))
    site = site.replace("/srv/ceo-directory/static/", f"{REPO / 'static'}/").replace("127.0.0.1:8000", f"127.0.0.1:{free_port()}")
    temp = " ".join(f"{kind}_temp_path {work / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"worker_processes 1; pid {work / 'nginx.pid'}; error_log {work / 'error.log'};\n"
            f"events {{ worker_connections 64; }}\n"
            f"http {{ access_log off; types {{ text/css css; }} {temp}\n{site}\n}}\n")


@pytest.fixture
def documented_nginx(tmp_path):
    """nginx running docs/nginx.conf (`nginx` on PATH, or NGINX_BIN=/path/to/nginx); skipped without it."""
    binary = os.environ.get("NGINX_BIN") or shutil.which("nginx")
    if not binary:
        pytest.skip("nginx is not installed (Debian: apt-get install nginx)")
    port = free_port()
    (tmp_path / "nginx.conf").write_text(local_nginx_conf(tmp_path, port))
    env = {key: value for key, value in os.environ.items() if key != "NGINX"}  # nginx reads NGINX itself
    server = subprocess.Popen([binary, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                               "-e", str(tmp_path / "error.log"), "-g", "daemon off;"], env=env)
    try:
        wait_until_serving(port, deadline=20)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_12_nginx_serves_static_files_with_the_security_headers(documented_nginx):
    response = requests.get(f"{documented_nginx}/static/css/site.css", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/static/css/site.css"])
def test_12_nginx_refuses_trace_with_405_and_allow(documented_nginx, path):
    response = requests.request("TRACE", f"{documented_nginx}{path}", timeout=10)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD, POST, OPTIONS"


# 12. `make audit`'s pip-audit said "no known vulnerabilities" when it could not reach a database.

@pytest.fixture
def audit_helper():
    spec = importlib.util.spec_from_file_location("audit_helper", REPO / ".ci" / "audit_helper.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_12_pip_audit_without_a_database_says_not_checked(audit_helper, tmp_path, capsys):
    log = tmp_path / "pip-audit.log"
    log.write_text("ERROR:pip_audit._cli:Connection error: HTTPSConnectionPool(host='pypi.org', port=443)\n")
    assert audit_helper.pip_audit_verdict(str(tmp_path / "missing.json"), str(log)) == audit_helper.NOT_CHECKED
    skipped = tmp_path / "skipped.json"
    skipped.write_text(json.dumps({"dependencies": [{"name": "flask", "skip_reason": "connection error"}], "fixes": []}))
    assert audit_helper.pip_audit_verdict(str(skipped), str(log)) == audit_helper.NOT_CHECKED
    output = capsys.readouterr().out
    assert "NOT CHECKED" in output and "Connection error" in output and "no known" not in output


def test_12_pip_audit_fails_only_when_it_checked_and_found_something(audit_helper, tmp_path, capsys):
    clean, found = tmp_path / "clean.json", tmp_path / "found.json"
    clean.write_text(json.dumps({"dependencies": [{"name": "flask", "version": "3.0.3", "vulns": []},
                                                  {"name": "local-thing", "skip_reason": "not on PyPI"}]}))
    found.write_text(json.dumps({"dependencies": [
        {"name": "jinja2", "version": "3.1.3", "vulns": [{"id": "GHSA-h75v-3vvj-5mfj", "fix_versions": ["3.1.4"]}]}]}))
    assert audit_helper.pip_audit_verdict(str(clean), str(tmp_path / "none.log")) == audit_helper.CHECKED
    assert "1 package(s) checked, 0 with known vulnerabilities, 1 not checked" in capsys.readouterr().out
    assert audit_helper.pip_audit_verdict(str(found), str(tmp_path / "none.log")) == audit_helper.VULNERABLE
    assert "FAIL  jinja2 3.1.3: GHSA-h75v-3vvj-5mfj (fixed in 3.1.4)" in capsys.readouterr().out


def test_12_the_audit_script_runs_pip_audit_and_reports_what_it_could_not_check():
    script = (REPO / ".ci" / "audit.sh").read_text()
    assert "pip-audit-verdict" in script and "NOT CHECKED" in script
    assert "pip-audit" in (REPO / "requirements-audit.txt").read_text()


# 5. One account's five outcome reports (one per rung) met the 5-report minimum on its own.

def board_rows(html: str, title_id: str) -> list[list[str]]:
    section = BeautifulSoup(html, "lxml").find("h2", id=title_id).parent
    table = section.find("table")
    return [] if table is None else [[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
                                     for row in table.tbody.find_all("tr")]


def report_every_rung(company, email: str, *, got_reply_on=()) -> None:
    """One established account reporting each rung of the company's ladder."""
    user = make_user(email, email_confirmed_at=utcnow())
    for rung in TIERS:
        rating_ops.rate(company, user, stars=1, comment=None, outcome=rating_ops.Outcome(
            rung, "email", got_reply=rung in got_reply_on, days_to_reply=3 if rung in got_reply_on else None))


def test_5_one_account_weighs_once_on_the_leaderboards(app, client):
    with app.app_context():
        cabot = make_company("Cabot Corp", contact_policy="no_name")
        db.session.flush()
        report_every_rung(cabot, "one@example.org")
        db.session.commit()
    html = client.get("/leaderboards").get_data(as_text=True)
    assert board_rows(html, "responders-title") == []  # five reports, one person: under the minimum of 5
    assert board_rows(html, "noname-title") == [["1", "Cabot Corp", "1", "1"]]


def test_5_five_different_accounts_meet_the_minimum_each_with_one_verdict(app, client):
    with app.app_context():
        cabot = make_company("Cabot Corp")
        db.session.flush()
        report_every_rung(cabot, "one@example.org", got_reply_on=("complaints",))  # answered at one rung of five
        for n in range(4):
            report_every_rung(cabot, f"other{n}@example.org")
        db.session.commit()
    html = client.get("/leaderboards").get_data(as_text=True)
    assert board_rows(html, "responders-title") == [["1", "Cabot Corp", "20%", "5"]]


# 10. Account deletion left a company reply's evidence, role and body behind.

def test_10_deleting_an_account_removes_its_company_replies_after_listing_them(app, client):
    with app.app_context():
        acme = make_company("Acme Widgets Inc.", contact_policy="no_name")
        author = make_user("ada@example.org", email_confirmed_at=utcnow())
        moderator = make_user("mod@example.org", role="moderator")
        published = rating_ops.submit_reply(acme, author, author_role="Ada Lovelace, head of customer relations",
                                            evidence="ada.lovelace@acme.example", body="We answer every letter. Ada Lovelace")
        db.session.commit()
        rating_ops.decide_reply(published, moderator, approve=True)
        rating_ops.submit_reply(acme, author, author_role="Head of customer relations",
                                evidence="call me on +1 555 0142", body="A newer reply, still pending.")
        db.session.commit()
    assert "We answer every letter" in client.get("/companies/acme-widgets-inc").get_data(as_text=True)
    log_in(client, "ada@example.org")
    exported = client.get("/accounts/data").get_json()["company_replies"]
    assert [(r["evidence"], r["status"]) for r in exported] == [("ada.lovelace@acme.example", "approved"),
                                                                ("call me on +1 555 0142", "pending")]
    assert submit(client, "/accounts/delete", {"password": PASSWORD}).status_code == 302
    with app.app_context():
        stored = database_text()
    for trace in ("ada.lovelace@acme.example", "Ada Lovelace", "+1 555 0142", "We answer every letter", "A newer reply"):
        assert trace not in stored
    assert "We answer every letter" not in client.get("/companies/acme-widgets-inc").get_data(as_text=True)


# 7. Login guesses were limited per address only; X-Forwarded-For was believed from anyone.

def limited_app(app_config, **extra):
    return create_app({**app_config, "RATELIMIT_ENABLED": True, "PUBLIC_URL": "https://ceo.example.org", **extra})


def test_7_wrong_passwords_from_many_addresses_pause_the_account_until_a_reset(app_config, caplog):
    app = limited_app(app_config, PROXY_COUNT=1, RATELIMIT_LOGIN_ACCOUNT="5/hour")
    with app.app_context():
        make_user("victim@example.org")
        make_user("bystander@example.org")
    client = app.test_client()
    for n in range(5):  # each through the proxy from a new address: the per-address limit never fires
        response = submit(client, "/accounts/login", {"email": "victim@example.org", "password": f"guess number {n}"},
                          **{"X-Forwarded-For": f"198.51.100.{n}"})
        assert response.status_code == 200 and "do not match" in response.get_data(as_text=True)
    paused = submit(client, "/accounts/login", {"email": "Victim@Example.org", "password": PASSWORD},
                    **{"X-Forwarded-For": "198.51.100.99"})
    assert paused.status_code == 429  # even the right password: no guess is tried any more
    assert 0 < int(paused.headers["Retry-After"]) <= 3600
    page = BeautifulSoup(paused.get_data(as_text=True), "lxml")
    assert "logging in to it is paused" in page.get_text() and page.find("a", string="reset your password by email")
    assert submit(client, "/accounts/login", {"email": "nobody@example.org", "password": "whatever it is"},
                  **{"X-Forwarded-For": "198.51.100.98"}).status_code == 200  # other accounts unaffected
    assert log_in(app.test_client(), "bystander@example.org").status_code == 302

    with caplog.at_level(logging.INFO, logger=app.logger.name):
        submit(client, "/accounts/reset-request", {"email": "victim@example.org"}, **{"X-Forwarded-For": "198.51.100.97"})
    link = re.search(r"https://ceo\.example\.org(/accounts/reset/\S+)", caplog.text).group(1)
    assert submit(client, link, {"password": "a brand new passphrase", "confirm": "a brand new passphrase"},
                  **{"X-Forwarded-For": "198.51.100.97"}).status_code == 302
    again = submit(app.test_client(), "/accounts/login", {"email": "victim@example.org", "password": "a brand new passphrase"},
                   **{"X-Forwarded-For": "198.51.100.96"})
    assert again.status_code == 302
    dispose(app)


def test_7_forwarded_addresses_count_only_from_the_configured_proxy(app_config):
    app = limited_app(app_config, PROXY_COUNT=1, TRUSTED_PROXIES=["10.0.0.0/24"], RATELIMIT_LOGIN="3/minute")
    direct = app.test_client()
    direct.environ_base["REMOTE_ADDR"] = "203.0.113.7"  # reaching gunicorn without the proxy
    codes = [submit(direct, "/accounts/login", {"email": f"user{n}@example.org", "password": "not a password at all"},
                    **{"X-Forwarded-For": f"198.51.100.{n}"}).status_code for n in range(5)]
    assert codes == [200, 200, 200, 429, 429]  # one visitor, whatever it claims
    proxied = app.test_client()
    proxied.environ_base["REMOTE_ADDR"] = "10.0.0.5"  # nginx: each forwarded address is its own visitor
    codes = [submit(proxied, "/accounts/login", {"email": f"user{n}@example.org", "password": "not a password at all"},
                    **{"X-Forwarded-For": f"198.51.100.{n}"}).status_code for n in range(5)]
    assert codes == [200] * 5
    dispose(app)


def dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_11_links_stored_before_the_fix_are_percent_encoded_on_upgrade(app_config, tmp_path):
    with database_at("0023", app_config, tmp_path):
        insert("INSERT INTO sources (id, kind, url, retrieved_at) VALUES (1, 'contribution', :u, :t)",
               u='https://acme.example/a"b<c>d e')
        insert("INSERT INTO sources (id, kind, url, retrieved_at) VALUES (2, 'sec_filing', :u, :t)",
               u="https://www.sec.gov/x y")  # not a contributor's link: left alone
        insert("INSERT INTO contacts (id, company_id, kind, value, tier, status, created_at, updated_at)"
               " VALUES (1, 1, 'url', :u, 'complaints', 'ok', :t, :t)", u="https://acme.example/\\help`")
        insert("INSERT INTO contacts (id, company_id, kind, value, tier, status, created_at, updated_at)"
               " VALUES (2, 1, 'phone', :u, 'complaints', 'ok', :t, :t)", u="+1 555 0100")
        db.session.commit()
        upgrade()
        assert db.session.execute(text("SELECT url FROM sources ORDER BY id")).scalars().all() == [
            "https://acme.example/a%22b%3Cc%3Ed%20e", "https://www.sec.gov/x y"]
        assert db.session.execute(text("SELECT value FROM contacts ORDER BY id")).scalars().all() == [
            "https://acme.example/%5Chelp%60", "+1 555 0100"]
