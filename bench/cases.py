"""How long `flask cases remind` takes over many open cases, and how fast a case page renders.

    .venv/bin/python bench/cases.py [--cases 2000] [--due-share 0.5]

Builds a throwaway SQLite database (migrated), 50 companies (UK banks and US retailers) and
`--cases` open cases of 3 steps each, a `--due-share` of them past their deadline. Mail goes
to a loopback SMTP server (tests/smtp_server.py), so sending is real but local. Reports the
first run (mails every due reminder), a second run (mails nothing: every deadline claimed)
and the median time of GET /cases/<id> for the owner.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from flask_migrate import upgrade  # noqa: E402

from directory import create_app  # noqa: E402
from directory.rules.case_clocks import today  # noqa: E402
from directory.cases.reminders import send_reminders  # noqa: E402
from directory.extensions import db  # noqa: E402
from directory.models import Case, CaseStep  # noqa: E402
from tests.community import log_in, make_user  # noqa: E402
from tests.factories import make_company  # noqa: E402
from tests.smtp_server import SMTPServer  # noqa: E402


def seed(cases: int, due_share: float) -> None:
    companies = [make_company(f"Bench Bank {n} PLC", country="GB", sic_code="64191") if n % 2 else
                 make_company(f"Bench Retail {n} Inc.", country="US", sic_code="5311") for n in range(50)]
    owners = [make_user(f"owner{n}@example.org") for n in range(max(1, cases // 10))]
    for n in range(cases):
        started = today() - timedelta(days=70 if n < cases * due_share else 3)
        case = Case(user_id=owners[n % len(owners)].id, company=companies[n % 50], title=f"Case {n}",
                    problem="Charged twice.", wanted="A refund.")
        case.steps = [CaseStep(taken_on=started + timedelta(days=d), rung=r, channel="email")
                      for d, r in ((0, "customer_service"), (1, "complaints"), (2, "executive_office"))]
        db.session.add(case)
    db.session.commit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--due-share", type=float, default=0.5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, SMTPServer() as smtp:
        app = create_app({"SECRET_KEY": "bench-secret-key-not-for-production", "TESTING": True,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite", "SEARCH_INDEX_DIR": f"{tmp}/index",
                          "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 8, "CACHE_TYPE": "NullCache",
                          "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port, "MAIL_USE_TLS": False,
                          "RATELIMIT_ENABLED": False})
        with app.app_context():
            upgrade(directory=str(REPO / "migrations"))
            seed(args.cases, args.due_share)
            for label in ("first run", "second run"):
                start = time.perf_counter()
                sent, failed = send_reminders(today())
                print(f"{label}: {sent} mailed, {failed} failed, {time.perf_counter() - start:.2f} s "
                      f"for {args.cases} open cases")
            db.session.remove()
        client = app.test_client()
        log_in(client, "owner0@example.org")
        timings = []
        for _ in range(50):
            start = time.perf_counter()
            assert client.get("/cases/1").status_code == 200
            timings.append(time.perf_counter() - start)
        print(f"GET /cases/<id> (3 steps): median {statistics.median(timings) * 1000:.1f} ms over 50")
        print(f"GET /cases/ ({args.cases // max(1, args.cases // 10)} cases): ", end="")
        start = time.perf_counter()
        client.get("/cases/")
        print(f"{(time.perf_counter() - start) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
