"""Durability harness: edits through the real forms while gunicorn workers, the whole server
and (on PostgreSQL) the database are killed; then every acknowledged write must be there
exactly once, the database must be intact and the search index must agree with it.

    .venv/bin/python bench/durability.py [--edits 2000] [--kills 10]        # `make durability`
    bash .ci/with-postgres.sh .venv/bin/python bench/durability.py         # `make durability-postgres`

What it does:

1. A temporary folder with a database (a SQLite file there, or a fresh `<name>_durability`
   database beside the one DATABASE_URL names), migrated, seeded with the e2e journeys'
   six companies (`tests/e2e/seed.py`), contributor and moderator accounts and an index.
2. `gunicorn -w 2 wsgi:app` on a free loopback port, rate limits raised (bench/load.py's way).
3. Client threads, one account each, send the edits through the HTML forms (GET for the
   CSRF token, POST): suggestions of a new contact or of a company rename (evidence link
   carrying a unique marker), moderator approvals of pending suggestions, and ratings
   (one per account and company; later ones change it; the comment is the marker).
   An edit is *acknowledged* when the server answered with the view's success redirect;
   a POST that lost its connection is *unknown* and is never retried (a retry could
   duplicate it). A connection refused before anything was sent is simply sent again.
4. Meanwhile a killer: SIGKILL of random workers (gunicorn respawns them) during the first
   third of the run, then SIGKILL of the master and its workers `--kills` times, restarting
   it on the same port, database and index; on PostgreSQL also `pg_ctl -m immediate stop`
   and start of the database server (`--db-stops`, needs `.ci/with-postgres.sh`).
5. Afterwards, with the server stopped: acknowledged edits present exactly once, others at
   most once; approved suggestions applied exactly once (live value, source, revision, audit
   entry) and pending ones not at all; one rating row per account and company holding the
   last acknowledged value or a later unanswered one; SQLite's integrity and foreign-key
   checks and, on both databases, no orphans in the tables written; then
   `flask index rebuild --check` must exit 0.

It prints a summary and each violation, and exits 1 when there is any.

`--read-load SECONDS` is the load goal's run: bench/load.py's read mix (search, company pages,
suggestions, API) from two more processes for that long, while the edits go on until it ends;
with `--kills 0 --worker-kills 0 --db-stops 0` it shows no 5xx and no lost write at full load.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import lxml.html
import requests
from urllib3.exceptions import NewConnectionError

from bench.load import MIX, free_port, report, run_phase, sample_targets, wait_until_serving

BIN = Path(sys.executable).parent
PASSWORD = "durable harness password 42"
EVIDENCE = "https://example.org/durability/"  # + marker: how the checker finds each suggestion
CONTACT_URL = "https://example.org/contact/"  # + marker: the value of each suggested contact
RENAMED = ("tesco-plc", "wolfspeed-inc")  # seed companies whose name suggestions rename them
RAISED_LIMITS = {f"DIRECTORY_RATELIMIT_{name}": "1000000/minute"
                 for name in ("SUGGEST", "RATE", "WRITES", "LOGIN", "REPORT", "SEARCH", "SEARCH_SUGGEST")}
MAX_BACKLOG = 30  # contributors rate instead of suggesting while this many suggestions wait
SERVER_DOWN_LIMIT = 120.0  # seconds a client waits for the server before the run is abandoned
OUTAGE_GRACE = 5.0  # seconds after a database restart in which a 5xx is expected


# --- the record of what was sent ------------------------------------------------------------------

@dataclass
class Edit:
    number: int
    kind: str  # contact | rename | approve | rate
    account: str
    marker: str
    target: int | str  # company id (suggestions), contribution id (approvals), slug (ratings)
    stars: int | None = None
    outcome: str = "unsent"  # acknowledged | unknown | failed
    status: int | None = None
    started: float = 0.0
    finished: float = 0.0


@dataclass
class Run:
    """Shared state of one run: the edit counter, the log of edits and the kill counts."""

    total: int
    token: str = field(default_factory=lambda: secrets.token_hex(3))
    edits: list[Edit] = field(default_factory=list)
    claimed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    kills: Counter = field(default_factory=Counter)
    acknowledged: Counter = field(default_factory=Counter)  # by kind
    downtime: Counter = field(default_factory=Counter)  # seconds, by cause
    outages: list[list[float]] = field(default_factory=list)  # [stopped, restarted] monotonic
    abandoned: list[str] = field(default_factory=list)

    def claim(self) -> int | None:
        with self.lock:
            if self.claimed >= self.total or self.stop.is_set():
                return None
            self.claimed += 1
            return self.claimed

    def record(self, edit: Edit) -> None:
        with self.lock:
            self.edits.append(edit)
            if edit.outcome == "acknowledged":
                self.acknowledged[edit.kind] += 1

    def marker(self, number: int) -> str:
        return f"dur{self.token}-{number:05d}"

    def backlog(self) -> int:
        """Suggestions acknowledged minus approvals acknowledged: roughly what waits."""
        with self.lock:
            return self.acknowledged["contact"] + self.acknowledged["rename"] - self.acknowledged["approve"]


# --- setup: database, accounts, index -----------------------------------------------------------

def make_database(workdir: Path) -> tuple[str, callable]:
    """(url, drop): a SQLite file in workdir, or a fresh database on DATABASE_URL's server."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{workdir / 'directory.sqlite'}", lambda: None
    from sqlalchemy import create_engine, make_url, text

    base = make_url(url).set(drivername="postgresql+psycopg")
    target = base.set(database=f"{base.database}_durability")
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        setting = connection.execute(text("SHOW synchronous_commit")).scalar_one()
        if setting == "off":
            raise SystemExit("synchronous_commit is off on this server: a crash may lose acknowledged commits "
                             "by design. Start it with PG_SYNCHRONOUS_COMMIT=on (.ci/with-postgres.sh).")
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}"'))
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))

    def drop() -> None:
        admin.dispose()  # its pooled connection died with the database crashes
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        admin.dispose()

    return target.render_as_string(hide_password=False), drop


def prepare(env: dict, contributors: int, moderators: int) -> dict:
    """Migrate, seed, create the accounts and build the index; returns the companies by slug."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from directory import create_app, search_index
    from directory.extensions import db
    from directory.models import Company, utcnow
    from directory.operations.accounts import register
    from tests.e2e.seed import seed_directory

    app = create_app({"SECRET_KEY": env["SECRET_KEY"], "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
                      "SEARCH_INDEX_DIR": env["SEARCH_INDEX_DIR"], "SCRAPER_CACHE_DIR": env["SCRAPER_CACHE_DIR"]})
    with app.app_context():
        upgrade()
        seed_directory()
        for number in range(contributors + moderators):
            role = "moderator" if number >= contributors else "contributor"
            user = register(account_email(role, number), PASSWORD, role=role)
            user.email_confirmed_at = utcnow()  # established: no "burst of new accounts" flags
        db.session.commit()
        search_index.rebuild()
        companies = {slug: company_id for company_id, slug in db.session.execute(select(Company.id, Company.slug))}
        db.session.remove()
        db.engine.dispose()
    return companies


def account_email(role: str, number: int) -> str:
    return f"{role}-{number}@durability.example.org"


# --- the server and the killer ---------------------------------------------------------------------

class Server:
    """gunicorn in its own process group, so the whole server can be SIGKILLed at once."""

    def __init__(self, env: dict, port: int, log: Path, workers: int):
        self.env, self.port, self.log, self.workers = env, port, log, workers
        self.base = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("a") as log_file:
            self.process = subprocess.Popen(
                [str(BIN / "gunicorn"), "-b", f"127.0.0.1:{self.port}", "-w", str(self.workers), "wsgi:app"],
                cwd=REPO, env=self.env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
        wait_until_serving(self.base, self.process, self.log)
        deadline = time.monotonic() + SERVER_DOWN_LIMIT
        while time.monotonic() < deadline:  # the master listens at once; wait for a booted worker
            try:
                requests.get(self.base + "/static/css/site.css", timeout=(5, 30)).close()
                return
            except requests.RequestException:
                time.sleep(0.1)
        raise SystemExit(f"gunicorn workers did not answer within {SERVER_DOWN_LIMIT:.0f} s")

    def worker_pids(self) -> list[int]:
        pid = self.process.pid
        try:
            return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []

    def kill_worker(self, rng: random.Random) -> bool:
        pids = self.worker_pids()
        if not pids:
            return False
        try:
            os.kill(rng.choice(pids), signal.SIGKILL)
        except ProcessLookupError:
            return False
        return True

    def kill(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


class Database:
    """The throwaway PostgreSQL server of `.ci/with-postgres.sh` (None on SQLite)."""

    def __init__(self):
        self.bin = os.environ["PG_BIN"]
        self.data = os.environ["PG_DATA_DIR"]
        self.log = os.environ["PG_LOG_FILE"]
        self.options = os.environ["PG_SERVER_OPTIONS"]
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @classmethod
    def from_environment(cls) -> Database | None:
        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            return None
        if not all(os.environ.get(name) for name in ("PG_BIN", "PG_DATA_DIR", "PG_LOG_FILE", "PG_SERVER_OPTIONS")):
            raise SystemExit("PostgreSQL crash tests need the server of .ci/with-postgres.sh (PG_BIN, PG_DATA_DIR, "
                             "PG_LOG_FILE, PG_SERVER_OPTIONS); or run with --db-stops 0")
        return cls()

    def crash_and_restart(self) -> None:
        """What a power cut does to the server processes: no shutdown checkpoint, WAL replay at start."""
        pg_ctl = [*self.as_postgres, f"{self.bin}/pg_ctl", "-D", self.data]
        subprocess.run([*pg_ctl, "-m", "immediate", "-w", "stop"], check=True, capture_output=True)
        time.sleep(1.0)
        subprocess.run([*pg_ctl, "-l", self.log, "-w", "-t", "60", "-o", self.options, "start"],
                       check=True, capture_output=True)


def schedule(total: int, kills: int, worker_kills: int, db_stops: int) -> list[tuple[int, str]]:
    """(edit number, action): worker kills over the first third, server kills over the rest,
    database crashes between server kills."""
    plan = [(int(total * (0.02 + 0.3 * n / max(worker_kills, 1))), "worker") for n in range(worker_kills)]
    plan += [(int(total * (0.34 + 0.63 * (n + 0.5) / max(kills, 1))), "server") for n in range(kills)]
    plan += [(int(total * (0.4 + 0.5 * (n + 0.5) / max(db_stops, 1))) + 7, "database") for n in range(db_stops)]
    return sorted(plan)


def killer(run: Run, server: Server, database: Database | None, plan, rng: random.Random) -> None:
    for at, action in plan:
        while run.claimed < at and not run.stop.is_set():
            time.sleep(0.02)
        if run.stop.is_set():
            return
        time.sleep(rng.uniform(0, 0.3))  # not in step with the edits' own rhythm
        try:
            if action == "worker":
                run.kills["worker SIGKILL"] += server.kill_worker(rng)
            elif action == "server":
                down = time.monotonic()
                server.kill()
                run.kills["server SIGKILL"] += 1
                server.start()
                run.downtime["server restarts"] += time.monotonic() - down
            else:
                window = [time.monotonic(), float("inf")]
                run.outages.append(window)
                database.crash_and_restart()
                window[1] = time.monotonic()
                run.downtime["database restarts"] += window[1] - window[0]
                run.kills["database immediate stop"] += 1
        except BaseException as error:  # a server that cannot restart ends the run
            run.abandoned.append(f"{action} kill/restart failed: {error!r}")
            run.stop.set()
            return


# --- the clients -----------------------------------------------------------------------------------

class RunStopped(Exception):
    """The run ended (edits done, or the read load over) while a client waited for a page."""


class NotSent(Exception):
    """Nothing reached the server (connection refused): sending again cannot duplicate."""


def _never_connected(error: requests.ConnectionError) -> bool:
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, NewConnectionError)


class Browser:
    """One account's requests.Session: forms read the way a browser fills them."""

    def __init__(self, run: Run, base: str, email: str):
        self.run, self.base, self.email = run, base, email
        self.http = requests.Session()

    def page(self, path: str) -> str:
        """GET, waiting out a server or database that is restarting (a GET changes nothing)."""
        deadline = time.monotonic() + SERVER_DOWN_LIMIT
        while time.monotonic() < deadline and not self.run.stop.is_set():
            try:
                response = self.http.get(self.base + path, timeout=(5, 60))
                self._keep_cookies()
                if response.status_code == 200:
                    return response.text
            except requests.RequestException:
                pass
            time.sleep(0.2)
        if self.run.stop.is_set():
            raise RunStopped
        raise NotSent(f"GET {path} did not answer 200 within {SERVER_DOWN_LIMIT:.0f} s")

    def form(self, path: str) -> tuple[str, dict]:
        """The page's first POST form (not the navigation's "Log out"): its action and the
        values a browser would submit, CSRF token included."""
        page = lxml.html.fromstring(self.page(path))
        for form in page.forms:
            action = form.get("action") or path
            if (form.method or "").upper() == "POST" and not action.startswith("/accounts/logout"):
                return action, dict(form.form_values())
        raise NotSent(f"no form on {path}")

    def post(self, path: str, values: dict) -> requests.Response:
        try:
            response = self.http.post(self.base + path, data=values, allow_redirects=False, timeout=(5, 60))
        except requests.ConnectionError as error:
            if _never_connected(error):
                raise NotSent(str(error)) from None
            raise
        self._keep_cookies()
        return response

    def _keep_cookies(self) -> None:
        """Production sets Secure session cookies. Browsers send them to http://127.0.0.1 (a
        secure context); requests does not, so its jar is told they may go over plain HTTP."""
        for cookie in self.http.cookies:
            cookie.secure = False

    def login(self) -> None:
        while True:
            action, values = self.form("/accounts/login")
            try:
                response = self.post(action, {**values, "email": self.email, "password": PASSWORD})
            except (NotSent, requests.RequestException):
                time.sleep(0.2)
                continue
            if response.status_code == 302:
                return
            raise SystemExit(f"login of {self.email} answered {response.status_code}")

    def send(self, edit: Edit, path: str, changes: dict, succeeded) -> None:
        """GET the form, POST it with `changes`, and record how it ended."""
        while not self.run.stop.is_set():
            action, values = self.form(path)
            edit.started = time.monotonic()
            try:
                response = self.post(action, {**values, **changes})
            except NotSent:
                time.sleep(0.2)
                continue
            except requests.RequestException:
                edit.outcome = "unknown"
            else:
                edit.status = response.status_code
                location = urlsplit(response.headers.get("Location", "")).path
                edit.outcome = "acknowledged" if succeeded(response.status_code, location) else "failed"
            edit.finished = time.monotonic()
            self.run.record(edit)
            return


def contributor(run: Run, base: str, number: int, companies: dict, rng: random.Random) -> None:
    browser = Browser(run, base, account_email("contributor", number))
    browser.login()
    stable = sorted(slug for slug in companies if slug not in RENAMED)
    while (claimed := run.claim()) is not None:
        marker = run.marker(claimed)
        choice = rng.random()
        if choice < 0.4 and run.backlog() < MAX_BACKLOG:
            company_id = companies[rng.choice(stable)]
            edit = Edit(claimed, "contact", browser.email, marker, company_id)
            browser.send(edit, f"/contribute/suggest/contact_add/{company_id}",
                         {"kind": "url", "value": CONTACT_URL + marker, "tier": "customer_service",
                          "label": f"Durability {marker}", "evidence_url": EVIDENCE + marker, "action": "send"},
                         lambda status, location: status == 302 and location == "/accounts/mine")
        elif choice < 0.55 and run.backlog() < MAX_BACKLOG:
            company_id = companies[rng.choice(RENAMED)]
            edit = Edit(claimed, "rename", browser.email, marker, company_id)
            browser.send(edit, f"/contribute/suggest/company/{company_id}",
                         {"name": f"Renamed {marker} Ltd", "evidence_url": EVIDENCE + marker, "action": "send"},
                         lambda status, location: status == 302 and location == "/accounts/mine")
        else:
            slug = rng.choice(stable)
            edit = Edit(claimed, "rate", browser.email, marker, slug, stars=rng.randint(1, 5))
            browser.send(edit, f"/ratings/{slug}", {"stars": str(edit.stars), "comment": marker},
                         lambda status, location, page=f"/companies/{slug}": status == 303 and location == page)


QUEUED = re.compile(r'href="/moderate/contributions/(\d+)"')


def moderator(run: Run, base: str, number: int, moderators: int, contributors: int) -> None:
    """Approves the pending suggestions whose id falls to it (so two moderators rarely race),
    each at most once: an approval whose answer was lost is not sent again."""
    browser = Browser(run, base, account_email("moderator", contributors + number))
    browser.login()
    handled: set[int] = set()
    while not run.stop.is_set() and run.claimed < run.total:
        waiting = [int(i) for i in QUEUED.findall(browser.page("/moderate/?kind=contribution"))]
        mine = sorted(i for i in set(waiting) - handled if i % moderators == number)
        if not mine:
            time.sleep(0.2)
            continue
        for item in mine[:5]:
            handled.add(item)
            if 'value="approve"' not in browser.page(f"/moderate/contributions/{item}"):
                continue  # decided meanwhile (listed among the recent decisions)
            claimed = run.claim()
            if claimed is None:
                return
            edit = Edit(claimed, "approve", browser.email, run.marker(claimed), item)
            browser.send(edit, f"/moderate/contributions/{item}", {"action": "approve"},
                         lambda status, location: status == 302 and location == "/moderate/")


def guarded(run: Run, target, *args) -> threading.Thread:
    """A client thread whose failure (a server that never came back) ends the run, reported."""
    def body() -> None:
        try:
            target(run, *args)
        except RunStopped:
            pass
        except BaseException as error:
            run.abandoned.append(f"{target.__name__} thread stopped: {error!r}")
            run.stop.set()
    return threading.Thread(target=body)


# --- the checks ------------------------------------------------------------------------------------

def read_load(run: Run, base: str, seconds: float, concurrency: int, rng: random.Random) -> None:
    """bench/load.py's read mix for `seconds`, then stop the edits; its errors are violations."""
    try:
        result = run_phase(base, MIX, sample_targets(base, rng), seconds=seconds, concurrency=concurrency,
                           processes=2)
        report("reads", result)
        if result["errors"]:
            run.abandoned.append(f"the read load saw {result['errors']} errors: {result['statuses']}")
    finally:
        run.stop.set()


def check_database(env: dict, run: Run) -> tuple[list[str], dict]:
    """Every violation as a sentence, and a few counts for the summary."""
    from directory import create_app

    app = create_app({"SECRET_KEY": env["SECRET_KEY"], "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
                      "SEARCH_INDEX_DIR": env["SEARCH_INDEX_DIR"], "SCRAPER_CACHE_DIR": env["SCRAPER_CACHE_DIR"]})
    with app.app_context():
        from directory.extensions import db

        problems = check_suggestions(run) + check_approvals(run) + check_ratings(run) + check_integrity()
        from sqlalchemy import func, select

        from directory.models import PendingReindex

        counts = {"pending_reindex rows left by killed workers":
                  db.session.scalar(select(func.count()).select_from(PendingReindex))}
        db.session.remove()
        db.engine.dispose()
    return problems, counts


def _expect_once(label: str, edit: Edit, found: int) -> list[str]:
    if edit.outcome == "acknowledged" and found != 1:
        return [f"{label} {edit.marker} ({edit.kind}, acknowledged) is in the database {found} times"]
    if found > 1:
        return [f"{label} {edit.marker} ({edit.kind}, {edit.outcome}) is in the database {found} times"]
    return []


def check_suggestions(run: Run) -> list[str]:
    from sqlalchemy import select

    from directory.extensions import db
    from directory.models import Contribution

    stored = Counter(url[len(EVIDENCE):] for url in db.session.scalars(
        select(Contribution.evidence_url).where(Contribution.evidence_url.like(EVIDENCE + "%"))))
    sent = {e.marker: e for e in run.edits if e.kind in ("contact", "rename")}
    problems = [problem for edit in sent.values() for problem in _expect_once("suggestion", edit, stored[edit.marker])]
    problems += [f"suggestion {marker} is in the database but was never sent" for marker in stored.keys() - sent.keys()]
    return problems


def check_approvals(run: Run) -> list[str]:
    """Approved: applied exactly once, with its source, revision and audit entry. Pending: not applied."""
    from sqlalchemy import func, select

    from directory.extensions import db
    from directory.models import (
        AuditEntry,
        Company,
        Contact,
        Contribution,
        Revision,
        Source,
    )

    problems = []
    ours = db.session.scalars(select(Contribution).where(Contribution.evidence_url.like(EVIDENCE + "%"))).all()
    by_id = {c.id: c for c in ours}
    for edit in run.edits:
        if edit.kind != "approve" or edit.outcome != "acknowledged":
            continue
        status = by_id[edit.target].status if edit.target in by_id else "missing"
        if status != "approved":
            problems.append(f"approval of suggestion {edit.target} was acknowledged but it is {status}")
    sources = Counter(db.session.scalars(select(Source.document_id).where(Source.kind == "contribution")))
    audits = Counter(db.session.scalars(select(AuditEntry.target_id).where(
        AuditEntry.target_type == "contribution", AuditEntry.action == "approve")))
    contacts = Counter(db.session.scalars(select(Contact.value).where(Contact.value.like(CONTACT_URL + "%"))))
    latest_rename: dict[int, tuple[int, str]] = {}
    for contribution in ours:
        approved = contribution.status == "approved"
        source_count = sources[f"contribution:{contribution.id}"]
        if source_count != (1 if approved else 0):
            problems.append(f"suggestion {contribution.id} ({contribution.status}) has {source_count} sources")
        if audits[contribution.id] != (1 if approved else 0):
            problems.append(f"suggestion {contribution.id} ({contribution.status}) has {audits[contribution.id]} "
                            "approval audit entries")
        if contribution.kind == "contact_add":
            found = contacts[contribution.proposed["value"]]
            if found != (1 if approved else 0):
                problems.append(f"suggested contact {contribution.proposed['value']} ({contribution.status}) "
                                f"exists {found} times")
        if not approved or not source_count:
            continue
        source_id = db.session.scalar(select(Source.id).where(Source.document_id == f"contribution:{contribution.id}"))
        revisions = db.session.scalars(select(Revision).where(Revision.source_id == source_id)).all()
        if not revisions:
            problems.append(f"approved suggestion {contribution.id} has no revision")
        if contribution.kind == "company":
            renames = [r.id for r in revisions if r.entity_type == "company" and "name" in r.changes]
            if renames and max(renames) > latest_rename.get(contribution.company_id, (0, ""))[0]:
                latest_rename[contribution.company_id] = (max(renames), contribution.proposed["name"])
    for company_id, (_, name) in latest_rename.items():
        live = db.session.scalar(select(Company.name).where(Company.id == company_id))
        if live != name:
            problems.append(f"company {company_id} is named {live!r}; its last approved rename says {name!r}")
    unexplained = db.session.scalar(select(func.count()).select_from(Contact).where(
        Contact.value.like(CONTACT_URL + "%"), Contact.value.not_in([c.proposed.get("value") for c in ours
                                                                     if c.kind == "contact_add"])))
    if unexplained:
        problems.append(f"{unexplained} contacts come from no suggestion")
    return problems


def check_ratings(run: Run) -> list[str]:
    """One row per (account, company), holding the last acknowledged rating or a later one."""
    from sqlalchemy import select

    from directory.extensions import db
    from directory.models import Company, Rating, RatingChange, User

    problems = []
    rows = Counter()
    current = {}
    for email, slug, comment, stars in db.session.execute(
            select(User.email, Company.slug, Rating.comment, Rating.stars)
            .join(User, User.id == Rating.user_id).join(Company, Company.id == Rating.company_id)):
        rows[(email, slug)] += 1
        current[(email, slug)] = (comment, stars)
    changes = Counter(db.session.scalars(select(RatingChange.comment).where(RatingChange.comment.like(f"dur{run.token}-%"))))
    sequences = defaultdict(list)
    for edit in sorted((e for e in run.edits if e.kind == "rate"), key=lambda e: e.number):
        sequences[(edit.account, edit.target)].append(edit)
        problems += _expect_once("rating", edit, changes[edit.marker])
    for pair, edits in sequences.items():
        if rows[pair] > 1:
            problems.append(f"{pair[0]} has {rows[pair]} ratings of {pair[1]}")
        acknowledged = [n for n, edit in enumerate(edits) if edit.outcome == "acknowledged"]
        allowed = {(e.marker, e.stars) for e in edits[acknowledged[-1] if acknowledged else 0:]}
        if pair not in current:
            if acknowledged:
                problems.append(f"{pair[0]}'s acknowledged rating of {pair[1]} is missing")
        elif current[pair] not in allowed:
            problems.append(f"{pair[0]}'s rating of {pair[1]} is {current[pair]}, not the last acknowledged one "
                            f"or a later one")
    return problems


ORPHANS = {  # (child table, column, parent table): rows pointing at nothing
    "contacts.company_id": ("contacts", "company_id", "companies"),
    "contacts.source_id": ("contacts", "source_id", "sources"),
    "contributions.company_id": ("contributions", "company_id", "companies"),
    "contributions.source_id": ("contributions", "source_id", "sources"),
    "contributions.author_id": ("contributions", "author_id", "users"),
    "company_slugs.company_id": ("company_slugs", "company_id", "companies"),
    "revisions.source_id": ("revisions", "source_id", "sources"),
    "audit_log.actor_id": ("audit_log", "actor_id", "users"),
    "ratings.company_id": ("ratings", "company_id", "companies"),
    "ratings.user_id": ("ratings", "user_id", "users"),
    "rating_changes.rating_id": ("rating_changes", "rating_id", "ratings"),
    "pending_reindex.company_id": ("pending_reindex", "company_id", "companies"),
}


def check_integrity() -> list[str]:
    from sqlalchemy import text

    from directory.database import is_sqlite
    from directory.extensions import db

    problems = []
    with db.engine.connect() as connection:
        if is_sqlite(db.engine):
            result = connection.execute(text("PRAGMA integrity_check")).scalars().all()
            if result != ["ok"]:
                problems.append(f"PRAGMA integrity_check: {result[:10]}")
            broken = connection.execute(text("PRAGMA foreign_key_check")).all()
            if broken:
                problems.append(f"PRAGMA foreign_key_check: {len(broken)} rows, e.g. {broken[:5]}")
        for label, (child, column, parent) in ORPHANS.items():
            count = connection.execute(text(
                f"SELECT count(*) FROM {child} c LEFT JOIN {parent} p ON p.id = c.{column} "
                f"WHERE c.{column} IS NOT NULL AND p.id IS NULL")).scalar_one()
            if count:
                problems.append(f"{count} rows of {label} point at no {parent} row")
    return problems


def check_index(env: dict) -> tuple[list[str], str]:
    result = subprocess.run([str(BIN / "flask"), "--app", "directory", "index", "rebuild", "--check"],
                            check=False, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        return [f"flask index rebuild --check exited {result.returncode}:\n{output}"], output
    return [], output


def unexpected_answers(run: Run) -> list[str]:
    """Answered edits that failed: a 4xx means the form or session broke; a 5xx is only
    expected while the database was down (and just after)."""
    problems = []
    for edit in run.edits:
        if edit.outcome != "failed":
            continue
        after = seconds_after_outage(run, edit)
        if edit.status < 500 or after is None or after > OUTAGE_GRACE:
            problems.append(f"{edit.kind} {edit.marker} by {edit.account} answered HTTP {edit.status}"
                            + ("" if after is None else f", sent {after:.1f} s after the database came back"))
    return problems


def seconds_after_outage(run: Run, edit: Edit) -> float | None:
    """How long after a database restart this edit was sent: 0 when it overlapped an outage,
    None when no outage came before it. Printed with a 5xx, because one just past the grace
    period reads differently from one in a quiet stretch."""
    delays = [max(0.0, edit.started - restarted) for stopped, restarted in run.outages if stopped <= edit.finished]
    return min(delays) if delays else None


# --- the run ---------------------------------------------------------------------------------------

def summarize(run: Run, elapsed: float, counts: dict, index_output: str) -> None:
    by_kind = defaultdict(Counter)
    for edit in run.edits:
        by_kind[edit.kind][edit.outcome] += 1
    outcomes = Counter(edit.outcome for edit in run.edits)
    statuses = Counter(edit.status for edit in run.edits if edit.outcome == "failed")
    print(f"edits sent {len(run.edits)} in {elapsed:.0f} s ({len(run.edits) / elapsed:.1f}/s): "
          f"acknowledged {outcomes['acknowledged']}, unknown {outcomes['unknown']}, failed {outcomes['failed']}"
          + (f" (HTTP {dict(sorted(statuses.items()))})" if statuses else ""))
    for kind in ("contact", "rename", "approve", "rate"):
        print(f"  {kind:8} {dict(by_kind[kind])}")
    print("kills: " + ", ".join(f"{name} {count}" for name, count in run.kills.items())
          + "".join(f"; {cause} {seconds:.0f} s in all" for cause, seconds in run.downtime.items()))
    server_errors = [edit for edit in run.edits if edit.outcome == "failed" and edit.status >= 500]
    if server_errors:
        delays = [delay for edit in server_errors if (delay := seconds_after_outage(run, edit)) is not None]
        print(f"HTTP 5xx answers: {len(server_errors)}"
              + (f", sent at most {max(delays):.1f} s after a database restart (allowed: {OUTAGE_GRACE:.0f} s)"
                 if delays else ""))
    for name, value in counts.items():
        print(f"{name}: {value}")
    print(f"flask index rebuild --check: {index_output.splitlines()[-1] if index_output else ''}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=2000, help="edits to send (default 2000)")
    parser.add_argument("--kills", type=int, default=10, help="whole-server SIGKILLs (default 10)")
    parser.add_argument("--worker-kills", type=int, default=10, help="single-worker SIGKILLs (default 10)")
    parser.add_argument("--db-stops", type=int, default=2, help="PostgreSQL immediate stops (default 2)")
    parser.add_argument("--contributors", type=int, default=6, help="contributor threads (default 6)")
    parser.add_argument("--moderators", type=int, default=2, help="moderator threads (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--read-load", type=float, default=0, metavar="SECONDS",
                        help="also drive bench/load.py's read mix this long; edits go on until it ends")
    parser.add_argument("--read-concurrency", type=int, default=8, help="read requests in flight (default 8)")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    database = Database.from_environment() if args.db_stops else None
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory(prefix="durability-") as tmp:
        workdir = Path(tmp)
        database_url, drop_database = make_database(workdir)
        env = {key: value for key, value in os.environ.items() if not key.startswith(("FLASK_", "DIRECTORY_"))}
        env.update(RAISED_LIMITS, SECRET_KEY=secrets.token_urlsafe(32), PUBLIC_URL="http://127.0.0.1", DATABASE_URL=database_url,
                   SEARCH_INDEX_DIR=str(workdir / "search-index"), SCRAPER_CACHE_DIR=str(workdir / "http-cache"))
        try:
            companies = prepare(env, args.contributors, args.moderators)
            server = Server(env, free_port(), workdir / "gunicorn.log", args.workers)
            server.start()
            backend = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
            amount = f"edits for {args.read_load:.0f} s under read load" if args.read_load else f"{args.edits} edits"
            print(f"gunicorn -w {args.workers} on {backend}: {amount} from {args.contributors} contributors "
                  f"and {args.moderators} moderators; {args.worker_kills} worker kills, {args.kills} server kills"
                  + (f", {args.db_stops} database crashes" if database else ""))
            run = Run(total=10**9 if args.read_load else args.edits)
            threads = [guarded(run, contributor, server.base, n, companies, random.Random(rng.random()))
                       for n in range(args.contributors)]
            threads += [guarded(run, moderator, server.base, n, args.moderators, args.contributors)
                        for n in range(args.moderators)]
            plan = schedule(args.edits, args.kills, args.worker_kills, args.db_stops if database else 0)
            if args.read_load:
                threads.append(guarded(run, read_load, server.base, args.read_load, args.read_concurrency, rng))
            threads.append(threading.Thread(target=killer, args=(run, server, database, plan, random.Random(rng.random()))))
            started = time.monotonic()
            try:
                for thread in threads:
                    thread.start()
                for thread in threads[:-1]:
                    thread.join()
            finally:
                run.stop.set()
                threads[-1].join()
                elapsed = time.monotonic() - started
                server.stop()
            problems = list(run.abandoned) + unexpected_answers(run)
            checked, counts = check_database(env, run)
            indexed, index_output = check_index(env)
            problems += checked + indexed
            summarize(run, elapsed, counts, index_output)
            if problems:  # the violations last: a CI log shows only its end
                print("\ngunicorn log (tail):\n" + server.log.read_text()[-3000:])
                print(f"\n{len(problems)} VIOLATIONS:")
                for problem in problems:
                    print(f"  {problem}")
                return 1
            print("durability: every acknowledged edit is present exactly once; database and index agree")
            return 0
        finally:
            drop_database()


if __name__ == "__main__":
    sys.exit(main())
