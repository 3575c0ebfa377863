"""Time every public page at N companies, the first request after start-up included.

    .venv/bin/python bench/pages.py [--companies 100000] [--workdir DIR] [--requests 30]
    DATABASE_URL=postgresql://... .venv/bin/python bench/pages.py ...   # e.g. under .ci/with-postgres.sh

1. Generates bench/search.py's synthetic companies (a CEO, a CFO and a director each, 12
   countries, 12 sectors with a SIC code) into SQLite, or PostgreSQL when DATABASE_URL says so
   (COPY), unless the database already has them. Then a community: one account per 50
   companies, 2% of the companies rated by 1 to 8 accounts, an outcome report with 40% of the
   ratings, and contact policies (1% open, 0.5% no name, 1% partial). Then `flask counts
   refresh`'s work (timed) and the search index (bench/search.py's build; reused when present).
2. In a new process (a fresh worker: nothing cached, nothing open), warms the app as
   gunicorn.conf.py does (timed; `--no-warm` skips it, to see what a visitor would pay), then
   requests each route through the app's test client: `--requests` different URLs per route
   (different letters, companies, queries...), the first one reported on its own.

Search pages are different queries each time, so the per-worker page cache never answers.
"""
from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import func, insert, inspect, select, text  # noqa: E402

from directory import create_app, keyset, search_index  # noqa: E402
from directory import aggregates  # noqa: E402
from directory.aggregates import counts  # noqa: E402
from directory.browse.queries import LISTING_ORDER  # noqa: E402
from directory.extensions import db  # noqa: E402
from directory.models import Company, OutcomeReport, Person, Rating, User  # noqa: E402
from search import TABLES, load, table_rows  # noqa: E402

UNTHROTTLED = {"RATELIMIT_SEARCH": "1000000/minute", "RATELIMIT_SEARCH_SUGGEST": "1000000/minute"}
TIERS = ("customer_service", "complaints", "executive_office", "ceo", "regulator")


def make_app(workdir: Path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = f"sqlite:///{workdir / 'pages.sqlite'}"
    return create_app({"SECRET_KEY": "bench-only-secret-key", "SQLALCHEMY_DATABASE_URI": url,
                       "SEARCH_INDEX_DIR": str(workdir / "search-index"), **UNTHROTTLED})


def load_postgres(n: int, rng: random.Random) -> None:
    """bench/search.py's rows through COPY (executemany of 7 million rows would take an hour)."""
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        for name, columns, rows in table_rows(n, rng):
            with cursor.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            raw.commit()
        for name in TABLES:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))")
        raw.commit()
    finally:
        raw.close()


def add_community(n: int, rng: random.Random) -> int:
    """Accounts, ratings, outcome reports and contact policies; returns the number of ratings."""
    now = datetime.now(UTC)
    users = [{"id": i, "email": f"rater{i}@example.org", "password_hash": "x", "role": "contributor",
              "is_active": True, "email_confirmed_at": now, "session_version": 1, "trusted": False,
              "created_at": now, "updated_at": now} for i in range(1, max(10, n // 50) + 1)]
    db.session.execute(insert(User.__table__), users)
    ratings, reports = [], []
    for company_id in rng.sample(range(1, n + 1), k=n // 50):
        for user in rng.sample(users, k=rng.randint(1, 8)):
            rating_id = len(ratings) + 1
            ratings.append({"id": rating_id, "company_id": company_id, "user_id": user["id"],
                            "stars": rng.randint(1, 5), "comment": None, "comment_state": "visible",
                            "created_at": now, "updated_at": now})
            if rng.random() < 0.4:
                replied = rng.random() < 0.5
                reports.append({"rating_id": rating_id, "company_id": company_id, "user_id": user["id"],
                                "rung": rng.choice(TIERS), "channel": "email", "got_reply": replied,
                                "days_to_reply": rng.randint(0, 30) if replied else None, "resolved": None,
                                "created_at": now})
    for start in range(0, len(ratings), 10_000):
        db.session.execute(insert(Rating.__table__), ratings[start:start + 10_000])
    for start in range(0, len(reports), 10_000):
        db.session.execute(insert(OutcomeReport.__table__), reports[start:start + 10_000])
    for policy, share in (("open", 0.01), ("no_name", 0.005), ("partial", 0.01)):
        ids = rng.sample(range(1, n + 1), k=int(n * share))
        for start in range(0, len(ids), 10_000):
            db.session.execute(Company.__table__.update().where(Company.id.in_(ids[start:start + 10_000]))
                               .values(contact_policy=policy))
    db.session.commit()
    return len(ratings)


def prepare(app, n: int, rng: random.Random) -> None:
    with app.app_context():
        dialect = db.engine.dialect.name
        if inspect(db.engine).has_table("companies") and db.session.scalar(select(func.count(Company.id))):
            print(f"reusing the {dialect} database")
        else:
            db.metadata.create_all(db.engine)
            started = time.perf_counter()
            if dialect == "sqlite":
                load(n, rng, app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
            else:
                load_postgres(n, rng)
            rated = add_community(n, rng)
            print(f"generated {n:,} companies and {rated:,} ratings on {dialect} in {time.perf_counter() - started:.0f} s")
            started = time.perf_counter()
            with db.engine.begin() as connection:
                aggregates.refresh(connection)
            print(f"flask counts refresh: {time.perf_counter() - started:.1f} s")
            if dialect == "postgresql":  # what autovacuum does within a minute of such a load
                db.session.execute(text("ANALYZE"))
                db.session.commit()
        state = app.extensions["search_index"]
        if not state.exists() or state.index().doc_count() == 0:
            started = time.perf_counter()
            built = search_index.rebuild()
            print(f"search index: {built:,} companies in {time.perf_counter() - started:.0f} s")


def _deep_cursor(stmt, order, per_page: int, total: int) -> str:
    """The cursor of the listing's last full page: what following `next` to the end reaches."""
    row = db.session.execute(stmt.with_only_columns(*order).order_by(*(c.desc() for c in order))
                             .offset(per_page).limit(1)).one()
    return keyset.encode(tuple(row), max(1, math.ceil(total / per_page) - 1))


def targets(rng: random.Random, count: int) -> dict[str, list[str]]:
    """URLs per route: real letters, codes, slugs and names picked from the database."""
    def sample(column, k=count):
        return list(db.session.scalars(select(column).order_by(func.random()).limit(k)))

    letters = [row[0] for row in db.session.execute(select(Company.initial).distinct())]
    countries = [code for code, _ in counts.country_counts()]
    sectors = [code for code, _, _ in counts.sector_counts()]
    names = sample(Company.name)

    def deep(endpoint, column, key):
        stmt = select(Company).where(column == key)
        cursor = _deep_cursor(stmt, LISTING_ORDER, 20, counts.count_of(kind_of[endpoint], key))
        return f"/browse/{endpoint}/{key}?after={cursor}"

    kind_of = {"a-z": counts.LETTER, "countries": counts.COUNTRY, "sectors": counts.SECTOR}
    api_order = (Company.name, Company.id)
    total = counts.total_companies()
    return {
        "home": ["/"] * count,
        "browse index": ["/browse/"] * count,
        "browse letter": [f"/browse/a-z/{rng.choice(letters)}" for _ in range(count)],
        "browse letter, last page": [deep("a-z", Company.initial, rng.choice(letters)) for _ in range(count)],
        "countries": ["/browse/countries/"] * count,
        "browse country": [f"/browse/countries/{rng.choice(countries)}" for _ in range(count)],
        "browse country, last page": [deep("countries", Company.country, rng.choice(countries))
                                      for _ in range(count)],
        "sectors": ["/browse/sectors/"] * count,
        "browse sector": [f"/browse/sectors/{rng.choice(sectors)}" for _ in range(count)],
        "browse sector, last page": [deep("sectors", Company.sic_code, rng.choice(sectors)) for _ in range(count)],
        "company": [f"/companies/{slug}" for slug in sample(Company.slug)],
        "person": [f"/people/{slug}" for slug in sample(Person.slug)],
        "search": [f"/search?q={name.replace(' ', '+')}" for name in names],
        "suggestions": [f"/search/suggest?q={name[:rng.randint(2, 5)]}" for name in names],
        "leaderboards": [rng.choice(("/leaderboards", "/leaderboards?country=GB", "/leaderboards?sector=Retail"))
                         for _ in range(count)],
        "api list": ["/api/v1/companies"] * count,
        "api page=50": ["/api/v1/companies?page=50"] * count,
        "api last page": [f"/api/v1/companies?after={_deep_cursor(select(Company), api_order, 20, total)}"] * count,
        "api last page, per_page=50": [
            f"/api/v1/companies?per_page=50&after={_deep_cursor(select(Company), api_order, 50, total)}"] * count,
        "api company": [f"/api/v1/companies/{slug}" for slug in sample(Company.slug)],
    }


def measure(workdir: Path, count: int, warm: bool) -> None:
    """Runs in a new process: a worker's life from start-up."""
    rng = random.Random(7)
    app = make_app(workdir)
    with app.app_context():
        urls = targets(rng, count)
        db.session.remove()
    if warm:
        from directory.warmup import warm as warm_worker

        started = time.perf_counter()
        warm_worker(app)
        print(f"worker warm-up (gunicorn.conf.py): {time.perf_counter() - started:.1f} s")
    client = app.test_client()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"\n{'route':28} {'first ms':>9} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'CPU 1st':>8} {'CPU p95':>8}   "
          f"({count} requests; CPU: this process's, which other jobs on the machine do not inflate)")
    worst = worst_cpu = 0.0
    for route, paths in urls.items():
        timings, cpu = [], []
        for path in paths:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code}")
        p95 = statistics.quantiles(timings, n=20, method="inclusive")[18]
        worst = max(worst, p95, timings[0])
        worst_cpu = max(worst_cpu, statistics.quantiles(cpu, n=20, method="inclusive")[18], cpu[0])
        print(f"{route:28} {timings[0]:9.1f} {statistics.median(timings):8.1f} {p95:8.1f} {max(timings):8.1f} "
              f"{cpu[0]:8.1f} {statistics.quantiles(cpu, n=20, method='inclusive')[18]:8.1f}")
    print(f"\nworst p95 or first request: {worst:.1f} ms wall, {worst_cpu:.1f} ms CPU; "
          f"load average {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30, help="URLs per route")
    parser.add_argument("--workdir", default=None, help="keep (and reuse) the SQLite file and the index here")
    parser.add_argument("--no-warm", action="store_true", help="skip the worker warm-up, to see its worth")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="pages-bench-"))
    if args.measure:
        measure(workdir, args.requests, warm=not args.no_warm)
        return
    workdir.mkdir(parents=True, exist_ok=True)
    prepare(make_app(workdir), args.companies, random.Random(42))
    child = [sys.executable, __file__, "--measure", "--workdir", str(workdir), "--requests", str(args.requests)]
    subprocess.run(child + (["--no-warm"] if args.no_warm else []), check=True)
    print(f"workdir: {workdir}")


if __name__ == "__main__":
    main()
