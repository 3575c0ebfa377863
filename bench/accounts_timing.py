"""Account forms' timing: a failed login for an unknown address against a known one, and a
registration posted with 50 KB of email address.

    .venv/bin/python bench/accounts_timing.py [--rounds 20]

Builds the app on a temporary SQLite file with the production argon2id parameters (OWASP:
19 MiB, 2 iterations), creates one account, then posts the real login form (CSRF token
included) `--rounds` times with a wrong password for that account and for an unknown
address, alternating, and prints the median and spread of each. Before issue 12 an unknown
address skipped argon2 and answered several times faster, which told an attacker who has an
account. The 50 KB registration is the penetration test's ReDoS probe (`a@` and dots): 12 s
for 40 KB before the length limit and email-validator replaced the backtracking pattern.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from directory import create_app  # noqa: E402
from directory.extensions import db  # noqa: E402
from directory.operations.accounts import register  # noqa: E402

PASSWORD = "correct horse battery staple"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        app = create_app({"SECRET_KEY": "bench-only-secret-key", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work}/b.sqlite",
                          "SEARCH_INDEX_DIR": f"{work}/index", "RATELIMIT_ENABLED": False, "CACHE_TYPE": "NullCache"})
        with app.app_context():
            upgrade()
            register("known@example.org", PASSWORD)
            db.session.commit()
        client = app.test_client()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                          client.get("/accounts/login").get_data(as_text=True)).group(1)
        timings: dict[str, list[float]] = {"known address": [], "unknown address": []}
        for _ in range(args.rounds):
            for label, email in (("known address", "known@example.org"), ("unknown address", "nobody@example.org")):
                start = time.perf_counter()
                response = client.post("/accounts/login", data={"csrf_token": token, "email": email,
                                                                "password": "not the password at all"})
                timings[label].append(time.perf_counter() - start)
                assert response.status_code == 200
        huge = "a@" + "." * 50_000 + " "
        for _ in range(args.rounds):
            start = time.perf_counter()
            response = client.post("/accounts/register", data={"csrf_token": token, "email": huge,
                                                               "password": PASSWORD, "confirm": PASSWORD})
            timings.setdefault("50 KB email", []).append(time.perf_counter() - start)
            assert response.status_code == 200
        for label, values in timings.items():
            values_ms = sorted(v * 1000 for v in values)
            print(f"{label:16} median {statistics.median(values_ms):6.1f} ms   "
                  f"min {values_ms[0]:6.1f}   max {values_ms[-1]:6.1f}   ({args.rounds} posts)")
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
