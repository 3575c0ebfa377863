"""The outside penetration test's findings (issue 12), each replayed the way the tester did.

Every test here failed on the code before its fix: the finding's number is in the test's name.
Mail is read from the development log (no MAIL_SERVER), as the other account tests do.
"""
from __future__ import annotations

import logging
import re
from datetime import date, timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from argon2 import PasswordHasher
from bs4 import BeautifulSoup
from flask_migrate import upgrade
from sqlalchemy import func, select, text

from directory import create_app
from directory.config import ConfigurationError
from directory.extensions import db
from directory.models import (
    Company,
    CompanyReply,
    Contact,
    Contribution,
    OutcomeReport,
    OutcomeReportChange,
    Person,
    Position,
    User,
    utcnow,
)
from directory.operations import ratings as rating_ops
from tests.old_schema import database_at, insert
from tests.community import PASSWORD, client_for, form_fields, log_in, make_user, submit, suggest_and_send
from tests.conftest import REPO
from tests.factories import make_company

PUBLIC_URL = "https://ceo.example.org"
PRODUCTION_KEY = "a-long-random-production-secret-for-the-tests"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": False, "PUBLIC_URL": PUBLIC_URL}


@pytest.fixture
def acme(app):
    with app.app_context():
        company = make_company("Acme Widgets Inc.", ceo="Wile Coyote", website="https://acme.example")
        company.contacts.append(Contact(kind="url", value="https://acme.example/contact", tier="customer_service"))
        company.contacts.append(Contact(kind="email", value="help@acme.example", tier="complaints"))
        make_user("contributor@example.org")
        make_user("mod@example.org", role="moderator")
        make_user("mod2@example.org", role="moderator")
        db.session.commit()
        return company.id


def mails(caplog) -> str:
    return caplog.text


def production_app(app_config, **extra):
    return create_app({**app_config, "SECRET_KEY": PRODUCTION_KEY, **extra}, production=True)



def dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# 1. Password-reset links built from the Host header.

def test_1_reset_link_uses_public_url_whatever_the_host_header(app, client, acme, caplog):
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        response = submit(client, "/accounts/reset-request", {"email": "contributor@example.org"},
                          headers={"Host": "evil.example"})
    assert response.status_code == 302
    assert "evil.example" not in mails(caplog)
    assert re.search(re.escape(PUBLIC_URL) + r"/accounts/reset/\S+", mails(caplog))


def test_1_production_refuses_other_hosts_with_a_400(app_config, acme):
    production = production_app(app_config, TRUSTED_HOSTS=["www.ceo.example.org"])
    client = production.test_client()
    assert client.get("/accounts/reset-request", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "ceo.example.org"}).status_code == 200
    assert client.get("/", headers={"Host": "www.ceo.example.org"}).status_code == 200
    dispose(production)


def test_1_production_requires_public_url(app_config):
    with pytest.raises(ConfigurationError, match="PUBLIC_URL"):
        create_app({**app_config, "SECRET_KEY": PRODUCTION_KEY, "PUBLIC_URL": None}, production=True)


# 2. Open redirect after login and registration.

@pytest.mark.parametrize("target", ["/%09/evil.example", "/%0a/evil.example", "/%0d%0a/evil.example", "%09//evil.example",
                                    "/\\evil.example", "https://evil.example", "//evil.example", "/%5Cevil.example",
                                    "/x%0d%0aSet-Cookie:%20a=b"])
def test_2_next_cannot_leave_the_site(client, acme, target):
    response = submit(client, f"/accounts/login?next={target}",
                      {"email": "contributor@example.org", "password": PASSWORD})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert not urlsplit(location).netloc and not location.startswith("//"), location
    assert "\n" not in location and "\r" not in location and "Set-Cookie" not in response.headers.get("Set-Cookie", "a")[:0]


def test_2_a_same_site_next_still_works(client, acme):
    response = submit(client, "/accounts/login?next=/companies/acme-widgets-inc",
                      {"email": "contributor@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/companies/acme-widgets-inc"


# 3. ReDoS in the registration email check.

def test_3_a_50_kb_email_gets_one_length_message_and_no_pattern_check(client, acme):
    response = submit(client, "/accounts/register", {"email": "a@" + "." * 50_000 + " ", "password": PASSWORD,
                                                     "confirm": PASSWORD})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    errors = [e.get_text(strip=True) for e in BeautifulSoup(html, "lxml").select(".field-error")]
    assert errors == ["Use at most 254 characters."]


def test_3_addresses_are_checked_by_email_validator(client, acme):
    for bad in ("a@b", "a@@b.example", "help@x.example?bcc=attacker@evil.example", "a b@c.example"):
        html = submit(client, "/accounts/register", {"email": bad, "password": PASSWORD, "confirm": PASSWORD}
                      ).get_data(as_text=True)
        assert "Enter an email address like name@example.com." in html, bad


# 4. Slow clients: the production instructions put a buffering proxy in front.

def test_4_readme_binds_gunicorn_to_loopback_behind_the_documented_proxy():
    readme = (REPO / "README.md").read_text()
    commands = re.findall(r"gunicorn -[^\n`]*wsgi:app", readme)
    assert commands and all("-b 127.0.0.1:" in command for command in commands), commands
    assert "docs/proxy.md" in readme
    nginx = (REPO / "docs" / "nginx.conf").read_text()
    assert "proxy_pass http://127.0.0.1:8000;" in nginx and "client_header_timeout" in nginx


# 4b. The documented environment variables are read by the names the README lists.

def documented_variables() -> list[str]:
    readme = (REPO / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    names = []
    for line in table.splitlines():
        if line.startswith("| `"):
            names += re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1])
    return [name for name in names if name not in ("HOST", "PORT")]  # `make run`'s, not the app's


def test_4b_every_documented_variable_reaches_the_config(monkeypatch, tmp_path):
    names = documented_variables()
    assert {"PROXY_COUNT", "MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_FROM",
            "PUBLIC_URL", "TRUSTED_HOSTS"} <= set(names)
    from directory.config import ENVIRONMENT_KEYS, PARSERS
    numeric = {name for name in names if PARSERS.get(ENVIRONMENT_KEYS[name]) in (int, float)}
    values = {name: "7" if name in numeric else f"https://{name.lower().replace('_', '-')}.example" for name in names}
    values["DATABASE_URL"] = f"sqlite:///{tmp_path}/x.sqlite"
    values["SECRET_KEY"] = PRODUCTION_KEY
    values["SEARCH_BACKEND"] = "whoosh"  # one of two names (postgres needs a PostgreSQL DATABASE_URL)
    values["TRUSTED_PROXIES"] = "10.0.0.1,::1"  # addresses, not a URL
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    app = create_app()
    for name in names:
        key = ENVIRONMENT_KEYS[name]
        assert app.config[key] == PARSERS.get(key, str)(values[name]), (name, app.config[key])
    assert app.config["PROXY_COUNT"] == 7 and app.config["MAIL_PORT"] == 7


def test_4b_production_without_mail_server_says_so_at_start_and_logs_no_mail(app_config, acme, caplog):
    with caplog.at_level(logging.INFO):
        production = production_app(app_config, MAIL_SERVER=None, TRUSTED_HOSTS=["localhost"])  # the test client's
        submit(production.test_client(), "/accounts/reset-request", {"email": "contributor@example.org"})
    assert "MAIL_SERVER is not set" in caplog.text
    assert "/accounts/reset/" not in caplog.text  # no working link in a log
    dispose(production)


# 5. The two-moderator rule cannot be bypassed by renaming the CEO.

def test_5_renaming_the_current_ceo_needs_two_moderators(app, acme):
    with app.app_context():
        person_id = db.session.scalar(select(Position.person_id).where(Position.is_ceo))
    contributor = client_for(app, "contributor@example.org")
    suggest_and_send(contributor, f"/contribute/suggest/person/{person_id}", {"name": "Mallory", "note": "trust me"})
    with app.app_context():
        item = db.session.scalar(select(Contribution).order_by(Contribution.id.desc()))
        assert item.high_risk
        item_id = item.id
    submit(client_for(app, "mod@example.org"), f"/moderate/contributions/{item_id}", {"action": "approve"})
    with app.app_context():
        assert db.session.get(Person, person_id).name == "Wile Coyote"
    submit(client_for(app, "mod2@example.org"), f"/moderate/contributions/{item_id}", {"action": "approve"})
    with app.app_context():
        assert db.session.get(Person, person_id).name == "Mallory"


def test_5_changing_a_former_ceos_end_date_is_high_risk(app, acme):
    with app.app_context():
        position = db.session.scalar(select(Position).where(Position.is_ceo))
        position.is_current, position.end_date = False, date(2025, 1, 31)
        db.session.commit()
        position_id = position.id
    suggest_and_send(client_for(app, "contributor@example.org"), f"/contribute/suggest/position/{position_id}",
                     {"departed": "y", "end_date": "2026-06-30", "note": "8-K"})
    with app.app_context():
        assert db.session.scalar(select(Contribution.high_risk).order_by(Contribution.id.desc()))


# 6. One account cannot inflate outcome statistics.

def test_6_six_saves_are_one_outcome_report_with_its_history(app, client, acme):
    app.config["LEADERBOARD_MIN_REPORTS"] = 5
    with app.app_context():
        make_user("rater@example.org", email_confirmed_at=utcnow())
    rater = client_for(app, "rater@example.org")
    for days in range(6):
        response = submit(rater, "/ratings/acme-widgets-inc", {
            "stars": "5", "rung": "customer_service", "channel": "email", "got_reply": "yes",
            "days_to_reply": str(days + 1)})
        assert response.status_code == 303, response.get_data(as_text=True)
    with app.app_context():
        reports = db.session.scalars(select(OutcomeReport)).all()
        assert len(reports) == 1 and reports[0].days_to_reply == 6
        assert db.session.scalar(select(func.count()).select_from(OutcomeReportChange)) == 6
    board = client.get("/leaderboards").get_data(as_text=True)
    assert "Acme Widgets" not in board.split('id="responders-title"')[1].split("</section>")[0]


def test_6_record_outcome_is_the_one_upsert(app, acme):
    with app.app_context():
        user = make_user("case@example.org")
        company = db.session.get(Company, acme)
        first = rating_ops.record_outcome(user, company, rating_ops.Outcome("ceo", "letter", got_reply=False))
        again = rating_ops.record_outcome(user, company, rating_ops.Outcome("ceo", "letter", got_reply=True,
                                                                            days_to_reply=3, resolved=True))
        db.session.commit()
        assert first.id == again.id and again.rating_id is None
        assert [c.got_reply for c in again.changes] == [False, True]


def test_6_the_migration_collapses_old_duplicates_and_keeps_them_as_history(app_config, tmp_path):
    with database_at("0005", app_config, tmp_path):
        insert("INSERT INTO users (id, email, password_hash, role, created_at, updated_at)"
               " VALUES (1, 'rater@example.org', 'x', 'contributor', :t, :t)")
        insert("INSERT INTO ratings (id, company_id, user_id, stars, created_at, updated_at) VALUES (1, 1, 1, 5, :t, :t)")
        for days in (1, 2, 3):  # three saves of the rating, three "votes" before the fix
            insert("INSERT INTO outcome_reports (rating_id, company_id, user_id, rung, channel, got_reply, days_to_reply,"
                   " created_at) VALUES (1, 1, 1, 'ceo', 'email', :yes, :d, :t)", yes=True, d=days)
        db.session.commit()
        upgrade()
        assert db.session.execute(text("SELECT days_to_reply FROM outcome_reports")).all() == [(3,)]
        assert db.session.execute(text("SELECT days_to_reply FROM outcome_report_changes ORDER BY id")).all() == [
            (1,), (2,), (3,)]


# 7. Public pages never show anything derived from an email address.

def test_7_history_shows_a_display_name_or_pseudonym_never_the_local_part(app, client, acme):
    contributor = client_for(app, "contributor@example.org")
    suggest_and_send(contributor, f"/contribute/suggest/company/{acme}",
                     {"phone": "+1 555 0199", "note": "on their contact page"})
    with app.app_context():
        item = db.session.scalar(select(Contribution.id))
    submit(client_for(app, "mod@example.org"), f"/moderate/contributions/{item}", {"action": "approve"})
    history = client.get(f"/history/company/{acme}").get_data(as_text=True)
    assert "accepted by a moderator" in history  # a moderator without a display name is named by the role
    assert not re.search(r"\b(mod|contributor)\b(?! \d)", history.replace("Contributor", "")), "email local part shown"


def test_7_registration_says_what_is_public(client):
    html = client.get("/accounts/register").get_data(as_text=True)
    assert "What is public" in html and "Your email address is never shown" in html


# 8. Nobody decides on their own submission.

def test_8_a_moderator_cannot_approve_their_own_company_reply(app, acme):
    mod = client_for(app, "mod@example.org")
    submit(mod, "/ratings/acme-widgets-inc/reply", {"author_role": "Head of customer relations",
                                                   "evidence": "call the switchboard", "body": "We answer within 2 days."})
    with app.app_context():
        reply_id = db.session.scalar(select(CompanyReply.id))
    response = submit(mod, f"/moderate/replies/{reply_id}", {"action": "approve"}, follow_redirects=True)
    assert "another moderator must decide" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(CompanyReply, reply_id).status == "pending"


# 9. User enumeration.

def test_9_registering_a_taken_address_answers_like_a_new_one_and_mails_the_owner(app, acme, caplog):
    answers = []
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        for email in ("newcomer@example.org", "contributor@example.org"):
            response = submit(app.test_client(), "/accounts/register?next=/browse/",
                              {"email": email, "password": PASSWORD, "confirm": PASSWORD}, follow_redirects=True)
            answers.append((response.status_code, response.request.path,
                            re.sub(r"\s+", " ", response.get_data(as_text=True).split("<main", 1)[1].split('name="csrf_token"')[0])))
    assert answers[0] == answers[1]
    assert "already has one" in caplog.text and "Confirm your CEO Directory account" in caplog.text


def test_9_an_unknown_address_costs_the_same_argon2_work_as_a_known_one(app, client, acme, monkeypatch):
    calls = []
    original = PasswordHasher.verify
    monkeypatch.setattr(PasswordHasher, "verify", lambda self, hash, password: calls.append(hash) or original(self, hash, password))
    for email in ("contributor@example.org", "nobody@example.org"):
        response = submit(client, "/accounts/login", {"email": email, "password": "not the password!"})
        assert "do not match an account" in response.get_data(as_text=True)
    assert len(calls) == 2 and all(hash.startswith("$argon2id$v=19$m=8,t=1,p=1$") for hash in calls)


# 10. mailto parameter injection.

def test_10_email_contacts_must_be_addresses_and_are_encoded_in_links(app, client, acme):
    contributor = client_for(app, "contributor@example.org")
    response = submit(contributor, f"/contribute/suggest/contact_add/{acme}",
                      {"kind": "email", "value": "help@x.example?bcc=attacker@evil.example", "tier": "complaints",
                       "note": "seen on their site", "action": "preview"})
    assert "Enter an email address like name@example.com." in response.get_data(as_text=True)
    with app.app_context():
        contact = db.session.scalar(select(Contact).where(Contact.kind == "email"))
        contact.value = "help@x.example?bcc=attacker@evil.example"  # as an old import might hold it
        db.session.commit()
    page = client.get("/companies/acme-widgets-inc").get_data(as_text=True)
    assert "?bcc=" not in page.split("mailto:", 1)[1].split('"', 1)[0]


# 11. Email confirmation, and badges counted from established accounts only.

def test_11_confirmation_link_is_signed_expiring_and_from_public_url(app, client, acme, caplog):
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        submit(client, "/accounts/register", {"email": "new@example.org", "password": PASSWORD, "confirm": PASSWORD})
    link = re.search(re.escape(PUBLIC_URL) + r"(/accounts/confirm/\S+)", caplog.text).group(1)
    assert client.get(link[:-3] + "xyz").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.email_confirmed_at).where(User.email == "new@example.org")) is None
    app.config["EMAIL_CONFIRM_MAX_AGE"] = -1  # every link is now too old
    client.get(link)
    with app.app_context():
        assert db.session.scalar(select(User.email_confirmed_at).where(User.email == "new@example.org")) is None
    app.config["EMAIL_CONFIRM_MAX_AGE"] = 3600
    assert "your email address is confirmed" in client.get(link, follow_redirects=True).get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new@example.org"))
        assert user.email_confirmed_at is not None and rating_ops.is_established(user)


def test_11_reports_from_brand_new_accounts_do_not_make_a_public_badge(app, client, acme):
    with app.app_context():
        contact_id = db.session.scalar(select(Contact.id).where(Contact.kind == "url"))
        for n in range(3):
            make_user(f"sybil{n}@example.org")
    for n in range(3):
        submit(client_for(app, f"sybil{n}@example.org"), f"/ratings/contacts/{contact_id}/problem", {"problem": "bounced"})
    assert "people report it" not in client.get("/companies/acme-widgets-inc").get_data(as_text=True)
    with app.app_context():
        for user in db.session.scalars(select(User).where(User.email.like("sybil%"))):
            user.created_at = utcnow() - timedelta(days=30)
        db.session.commit()
    assert "3 people report it bouncing" in client.get("/companies/acme-widgets-inc").get_data(as_text=True)


# 12. The API's search has the search page's rate limit.

def test_12_api_searches_are_rate_limited(app_config):
    limited = create_app({**app_config, "RATELIMIT_ENABLED": True, "RATELIMIT_SEARCH": "3/minute"})
    client = limited.test_client()
    statuses = [client.get(f"/api/v1/companies?q=acme{n}").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/api/v1/companies").status_code == 200  # listing without a search is not a search
    dispose(limited)


# 13. Edits are validated like new entries.

def test_13_editing_a_web_link_contact_to_javascript_is_refused(app, acme):
    with app.app_context():
        contact_id = db.session.scalar(select(Contact.id).where(Contact.kind == "url"))
    contributor = client_for(app, "contributor@example.org")
    for bad in ("javascript:alert(1)", "data:text/html,<b>x</b>".replace("<", "").replace(">", "")):
        response = submit(contributor, f"/contribute/suggest/contact/{contact_id}",
                          {"value": bad, "note": "x", "action": "preview"})
        assert "Enter a full web address" in response.get_data(as_text=True), bad


def test_13_approve_with_a_bad_edit_re_renders_and_the_item_stays_decidable(app, acme):
    suggest_and_send(client_for(app, "contributor@example.org"), f"/contribute/suggest/new_ceo/{acme}",
                     {"person_name": "Road Runner", "start_date": "2026-01-05", "note": "8-K item 5.02"})
    with app.app_context():
        item = db.session.scalar(select(Contribution.id))
    first = client_for(app, "mod@example.org")
    response = submit(first, f"/moderate/contributions/{item}", {"action": "approve_edit", "edit-start_date": "31/31/2026"})
    assert response.status_code == 400 and "Not a valid date value" in response.get_data(as_text=True)
    response = submit(first, f"/moderate/contributions/{item}",
                      {"action": "approve_edit", "edit-person_name": "Road Runner", "edit-start_date": "2026-01-06"})
    assert response.status_code == 302
    second = client_for(app, "mod2@example.org")
    assert submit(second, f"/moderate/contributions/{item}", {"action": "approve"}).status_code == 302
    with app.app_context():
        ceo = db.session.scalar(select(Position).where(Position.is_ceo, Position.is_current))
        assert ceo.person.name == "Road Runner" and ceo.start_date == date(2026, 1, 6)


# 14. Cached search pages, unbanning, tokens in access logs.

def test_14_a_cached_search_page_never_shows_another_visitors_query(app, acme):
    app.config["CACHE_TYPE"] = "SimpleCache"
    from directory.extensions import cache
    cache.init_app(app)
    first = "acme " + "a" * 200 + " FIRST-VISITOR-SECRET"
    second = "acme " + "a" * 200 + " second"
    app.test_client().get("/search", query_string={"q": first})
    html = app.test_client().get("/search", query_string={"q": second}).get_data(as_text=True)
    assert "FIRST-VISITOR-SECRET" not in html
    cache.init_app(app, config={"CACHE_TYPE": "NullCache"})


def test_14_unbanning_does_not_revive_an_old_session(app, client, acme, runner):
    log_in(client, "contributor@example.org")
    assert client.get("/accounts/mine").status_code == 200
    stolen = client.get_cookie("session").value
    assert runner.invoke(args=["users", "ban", "contributor@example.org"]).exit_code == 0
    assert client.get("/accounts/mine").status_code == 302
    assert runner.invoke(args=["users", "unban", "contributor@example.org"]).exit_code == 0
    old = app.test_client()
    old.set_cookie("session", stolen)
    assert old.get("/accounts/mine").status_code == 302
    log_in(app.test_client(), "contributor@example.org")  # the account itself works again


def test_14_moderators_ban_contributors_but_not_moderators(app, acme):
    with app.app_context():
        contributor_id = db.session.scalar(select(User.id).where(User.email == "contributor@example.org"))
        mod2_id = db.session.scalar(select(User.id).where(User.email == "mod2@example.org"))
    mod = client_for(app, "mod@example.org")
    _, values = form_fields(mod.get("/moderate/").get_data(as_text=True), action_contains="/accounts/logout")
    token = values["csrf_token"]
    assert mod.post(f"/moderate/users/{contributor_id}/ban", data={"csrf_token": token, "action": "ban"}).status_code == 303
    mod.post(f"/moderate/users/{mod2_id}/ban", data={"csrf_token": token, "action": "ban"})
    with app.app_context():
        assert db.session.get(User, contributor_id).is_active is False
        assert db.session.get(User, mod2_id).is_active is True


def test_14_reset_and_confirmation_tokens_are_not_in_the_access_log():
    from gunicorn.config import Config

    from directory.accesslog import RedactingLogger
    logger = RedactingLogger(Config())
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/accounts/reset/eyJ1c2VyIjoxfQ.abc.def?x=1",
               "PATH_INFO": "/accounts/reset/eyJ1c2VyIjoxfQ.abc.def", "QUERY_STRING": "x=1", "SERVER_PROTOCOL": "HTTP/1.1",
               "HTTP_REFERER": "https://ceo.example.org/accounts/confirm/eyJlbWFpbCI6IngifQ.q.r"}
    response = SimpleNamespace(status="200 OK", headers=[], sent=10)
    atoms = logger.atoms(response, SimpleNamespace(headers=[("Referer", environ["HTTP_REFERER"])]), environ,
                         timedelta(milliseconds=5))
    line = " ".join(str(value) for value in atoms.values())
    assert "eyJ" not in line and "/accounts/reset/[token]" in atoms["r"] and "/accounts/confirm/[token]" in atoms["f"]
    assert (REPO / "gunicorn.conf.py").read_text().count("directory.accesslog.RedactingLogger") == 1
