"""Benchmark the search module: index build rate and query latency, with SQLite FTS5 as yardstick.

    .venv/bin/python bench/search.py [--companies 100000] [--queries 200] [--workdir DIR]
    bash .ci/with-postgres.sh .venv/bin/python bench/search.py --backend postgres [--companies N]

Generates N synthetic companies (pseudo-word names, tickers on a third of them, a CEO, a CFO
and a director each) straight into a temporary SQLite database with core bulk inserts, builds
the index through `search_index.rebuild`, then times `search_index.search` / `suggest` for
name, two-word, ticker, person, prefix, mistyped prefix, fuzzy and two-typo queries (p50/p95/p99), the same
queries through an FTS5 table over the same data, the search page's no-results path (the search, then the
"Companies with a similar name" of `directory/search/finding.py`), and a reused searcher against a new one per query.

`--backend postgres` loads the same companies (and a brand for one in twenty) into the
PostgreSQL database of DATABASE_URL with COPY, fills the search documents with
`search_index.rebuild`, and times the same query mix, plus brand names, over the postgres
search backend.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from sqlalchemy import func, select  # noqa: E402

from flask_migrate import upgrade  # noqa: E402

from directory import create_app, search_index  # noqa: E402
from directory.extensions import db  # noqa: E402
from directory.models import Company, Identifier, Person, Position  # noqa: E402
from directory.search.finding import close_names, find  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
BRAND_SHARE = 20  # one company in this many gets a brand (postgres run)

SYLLABLES = ("ba be bi bo bu ca co da de di do fa fe fi ga go ha he ka ke ki ko la le li lo lu ma me "
             "mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi vo xa ze zo "
             "tron vex lix dor nar quin sol ter gen cor max").split()
SUFFIXES = ("Inc.", "Corp.", "Corporation", "Holdings", "Group", "LLC", "Ltd", "plc", "Co.")
COUNTRIES = ("US",) * 6 + ("GB", "GB", "CA", "DE", "JP", "IE")
SECTORS = ("Retail", "Banking", "Software", "Semiconductors", "Airlines", "Insurance", "Utilities",
           "Pharmaceuticals", "Real Estate", "Telecommunications", "Oil and Gas", "Restaurants")
# A SIC code per sector, so the browse-by-sector pages have something to list (bench/pages.py).
SIC_CODES = {sector: f"{5000 + 10 * n}" for n, sector in enumerate(SECTORS)}
CITIES = ("New York", "London", "Austin", "Chicago", "Toronto", "Berlin", "Tokyo", "Dublin",
          "San Jose", "Boston", "Seattle", "Denver", "Atlanta", "Manchester", "Osaka")
BATCH = 10_000
SUGGESTED = ("prefix", "prefix-typo")  # the kinds timed through `suggest`, as typed in the search box


def pseudo_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def generate(n: int, rng: random.Random):
    """Yield batches of (companies, people, positions, identifiers) row dicts."""
    first_names = [pseudo_word(rng) for _ in range(400)]
    last_names = [pseudo_word(rng) for _ in range(5000)]
    tickers = set()
    person_id = 0
    for start in range(1, n + 1, BATCH):
        companies, people, positions, identifiers = [], [], [], []
        for company_id in range(start, min(start + BATCH, n + 1)):
            words = [pseudo_word(rng) for _ in range(rng.randint(1, 3))]
            name = " ".join(words + [rng.choice(SUFFIXES)])
            companies.append({"id": company_id, "name": name, "slug": f"{'-'.join(words).lower()}-{company_id}",
                              "initial": name[0], "country": rng.choice(COUNTRIES),
                              "city": rng.choice(CITIES), "sector": (sector := rng.choice(SECTORS)),
                              "sic_code": SIC_CODES[sector]})
            if rng.random() < 0.33:
                ticker = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(rng.randint(3, 5)))
                if ticker not in tickers:
                    tickers.add(ticker)
                    identifiers.append({"company_id": company_id, "scheme": "ticker", "value": ticker})
            for title, role in (("Chief Executive Officer", "ceo"), ("Chief Financial Officer", "cfo"),
                                ("Director", "director")):
                person_id += 1
                pname = f"{rng.choice(first_names)} {rng.choice(last_names)}"
                people.append({"id": person_id, "name": pname, "slug": f"{pname.lower().replace(' ', '-')}-{person_id}"})
                positions.append({"company_id": company_id, "person_id": person_id, "title": title,
                                  "role": role, "is_ceo": role == "ceo", "is_current": True,
                                  "ceo_confidence": 0.95 if role == "ceo" else None})
        yield companies, people, positions, identifiers


def _columns_with_defaults(table, row: dict) -> dict:
    """The row with every unset column that has a default filled in, as SQLAlchemy would."""
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(" ")
    for column in table.columns:
        if column.name not in row and column.default is not None:
            row[column.name] = now if column.default.is_callable else column.default.arg
    return row


TABLES = {"companies": Company.__table__, "people": Person.__table__, "positions": Position.__table__,
          "identifiers": Identifier.__table__}


def table_rows(n: int, rng: random.Random):
    """`generate`'s batches as (table name, column names, row tuples), defaults filled in."""
    for batch in generate(n, rng):
        for (name, table), rows in zip(TABLES.items(), batch):
            if rows:
                rows = [_columns_with_defaults(table, row) for row in rows]
                columns = list(rows[0])
                yield name, columns, [tuple(row[c] for c in columns) for row in rows]


def load(n: int, rng: random.Random, path: str) -> None:
    """Generate straight into SQLite with `sqlite3` executemany: the ORM/Core layers spend
    more time building parameters than SQLite spends storing 7 rows per company."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous = OFF")
    for name, columns, rows in table_rows(n, rng):
        connection.executemany(
            f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)
        connection.commit()
    connection.close()


def load_postgres(n: int, rng: random.Random) -> None:
    """The same rows as `load`, COPYed into PostgreSQL, plus a brand for one company in
    BRAND_SHARE (the brand queries' targets)."""
    raw = db.engine.raw_connection()
    try:
        connection = raw.driver_connection
        with connection.cursor() as cursor:
            for name, columns, rows in table_rows(n, rng):
                with cursor.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            with cursor.copy("COPY brands (company_id, name, aliases) FROM STDIN") as copy:
                for company_id in range(1, n + 1, BRAND_SHARE):
                    copy.write_row((company_id, f"{pseudo_word(rng)} {pseudo_word(rng)}", "[]"))
            for table in ("companies", "people"):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        connection.commit()
    finally:
        raw.close()


def main_postgres(args) -> None:
    """The postgres search backend over the same generated data (DATABASE_URL)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("--backend postgres needs DATABASE_URL (bash .ci/with-postgres.sh ...)")
    rng = random.Random(42)
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="search-bench-"))
    app = create_app({"SECRET_KEY": "bench-only-secret-key", "SQLALCHEMY_DATABASE_URI": url,
                      "SEARCH_INDEX_DIR": str(workdir / "search-index"), "SEARCH_BACKEND": "postgres"})
    with app.app_context():
        upgrade(directory=str(REPO / "migrations"))
        if db.session.scalar(select(func.count(Company.id))):
            print("reusing the companies in DATABASE_URL")
        else:
            started = time.perf_counter()
            load_postgres(args.companies, rng)
            print(f"generated {args.companies:,} companies in {time.perf_counter() - started:.1f} s")
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
        if not args.skip_build:
            started = time.perf_counter()
            count = search_index.rebuild()
            elapsed = time.perf_counter() - started
            print(f"postgres build: {count:,} documents in {elapsed:.1f} s = {count / elapsed:,.0f} docs/s")
            db.session.execute(db.text("ANALYZE search_documents"))
            db.session.execute(db.text("ANALYZE search_words"))
            db.session.commit()
        time_writes(rng, args.companies)
        queries = query_sets(rng, args.companies, args.queries)
        queries["brand"] = [row[0] for row in db.session.execute(
            db.text("SELECT name FROM brands ORDER BY random() LIMIT :k"), {"k": args.queries})]
        search_index.warm()
        print(f"\n{'query':10} {'postgres p50/p95/p99 ms':>24}")
        for kind, inputs in queries.items():
            call = search_index.suggest if kind in SUGGESTED else search_index.search
            timings = []
            for value in inputs:
                started = time.perf_counter()
                call(value)
                timings.append(time.perf_counter() - started)
                db.session.rollback()  # a request's transaction ends with it
            p = percentiles(timings)
            print(f"{kind:10} {p[0]:8.2f}{p[1]:8.2f}{p[2]:8.2f}")


def time_writes(rng: random.Random, n: int, singles: int = 200, batches: int = 10, batch: int = 500) -> None:
    """What writing documents adds to a commit (`postgres.write_documents`, rolled back):
    one company, as a form edit writes it, and a bulk import's batch of `batch` companies."""
    from directory.search_index import postgres

    def timed(ids: list[int]) -> float:
        with db.engine.connect() as connection:
            transaction = connection.begin()
            started = time.perf_counter()
            postgres.write_documents(connection, ids)
            elapsed = time.perf_counter() - started
            transaction.rollback()
        return elapsed

    one = [timed([rng.randint(1, n)]) for _ in range(singles)]
    p = percentiles(one)
    print(f"write one company: p50 {p[0]:.2f} ms, p95 {p[1]:.2f} ms ({singles} writes)")
    starts = [rng.randint(1, max(1, n - batch)) for _ in range(batches)]
    many = [timed(list(range(start, start + batch))) for start in starts]
    mean = statistics.mean(many)
    print(f"write {batch} companies: mean {mean * 1000:.0f} ms = {batch / mean:,.0f} docs/s ({batches} batches)")


def build_fts(path: str) -> float:
    """An FTS5 table over the same fields the search documents carry; returns seconds."""
    started = time.perf_counter()
    connection = sqlite3.connect(path)
    connection.executescript("""
        DROP TABLE IF EXISTS company_fts;
        CREATE VIRTUAL TABLE company_fts USING fts5(company_id UNINDEXED, name, tickers, people, city, sector);
        INSERT INTO company_fts (company_id, name, tickers, people, city, sector)
        SELECT c.id, c.name,
               (SELECT group_concat(value, ' ') FROM identifiers i WHERE i.company_id = c.id AND scheme = 'ticker'),
               (SELECT group_concat(p.name, ' ') FROM positions po JOIN people p ON p.id = po.person_id
                 WHERE po.company_id = c.id AND po.is_current),
               c.city, c.sector
        FROM companies c;
    """)
    connection.commit()
    connection.close()
    return time.perf_counter() - started


def fts_query(kind: str, text: str) -> str:
    words = [w for w in search_index.tokens(text)]
    if kind in SUGGESTED:
        return "name : " + " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}" *'
    return " AND ".join(f'"{w}"' for w in words)


def query_sets(rng: random.Random, n: int, count: int) -> dict[str, list[str]]:
    """Real strings picked from the generated data, one list per kind of query."""
    def sample(sql: str) -> list[str]:
        return [row[0] for row in db.session.execute(db.text(sql), {"k": count})]

    names = sample("SELECT name FROM companies ORDER BY random() LIMIT :k")
    people = sample("SELECT name FROM people ORDER BY random() LIMIT :k")
    tickers = sample("SELECT value FROM identifiers WHERE scheme = 'ticker' ORDER BY random() LIMIT :k")

    def typo(word: str, first: int = 0) -> str:
        i = rng.randrange(first, len(word))  # a deleted letter, from position `first` on
        return word[:i] + word[i + 1:]

    long_words = [max(name.lower().split(), key=len) for name in names]

    return {
        "name": names,
        "two-word": [" ".join(name.split()[:2]) for name in names],
        "ticker": tickers,
        "person": people,
        "prefix": [name[:rng.randint(2, 5)] for name in names],
        # half a word typed, one letter of it missed ("micrs"): the suggestions' typo fallback
        "prefix-typo": [typo(word[:rng.randint(5, 7)], 1) for word in long_words if len(word) >= 5],
        "fuzzy": [typo(max(name.split(), key=len)) for name in names],
        # two letters missed: beyond the search's one-typo fallback, so the page offers close names
        "two-typos": [typo(typo(word)) for word in long_words if len(word) >= 6],
    }


def cpu_seconds() -> float:
    """User + system time of this process and its finished children (the index workers):
    on a shared machine this moves less than wall time."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_rss_mb() -> float:
    """The largest resident set of this process and its finished children (the index workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return max(own.ru_maxrss, children.ru_maxrss) / 1024


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return q[49] * 1000, q[94] * 1000, q[98] * 1000


def time_calls(fn, inputs) -> list[float]:
    timings = []
    for value in inputs:
        started = time.perf_counter()
        fn(value)
        timings.append(time.perf_counter() - started)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--workdir", default=None, help="keep the database and index here; "
                        "a database already there is reused instead of generated again")
    parser.add_argument("--generate-only", action="store_true", help="stop after generating")
    parser.add_argument("--build-only", action="store_true", help="stop after building the index")
    parser.add_argument("--skip-build", action="store_true", help="query the index already in --workdir")
    parser.add_argument("--processes", type=int, default=None,
                        help="rebuild processes (default: what `flask index rebuild` uses)")
    parser.add_argument("--backend", choices=("whoosh", "postgres"), default="whoosh",
                        help="postgres: the PostgreSQL search backend over DATABASE_URL")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows up when redirected to a log
    if args.backend == "postgres":
        main_postgres(args)
        return
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="search-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    database = workdir / "bench.sqlite"
    rng = random.Random(42)
    app = create_app({"SECRET_KEY": "bench-only-secret-key", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                      "SEARCH_INDEX_DIR": str(workdir / "search-index"), "SEARCH_TIME_LIMIT": 5.0})
    with app.app_context():
        if database.exists() and db.session.scalar(select(func.count(Company.id))):
            print(f"reusing {database}")
        else:
            db.metadata.create_all(db.engine)
            started = time.perf_counter()
            load(args.companies, rng, str(database))
            print(f"generated {args.companies:,} companies in {time.perf_counter() - started:.1f} s")
        if args.generate_only:
            return

        if not args.skip_build:
            load_before = os.getloadavg()[0]
            started, cpu_started = time.perf_counter(), cpu_seconds()
            count = search_index.rebuild(processes=args.processes)
            elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
            print(f"whoosh build: {count:,} docs in {elapsed:.1f} s = {count / elapsed:,.0f} docs/s "
                  f"({len(app.extensions['search_index'].index().reader().leaf_readers())} segments); "
                  f"CPU {cpu:.1f} s in all processes = {count / cpu:,.0f} docs per CPU second; "
                  f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after; "
                  f"peak memory {peak_rss_mb():,.0f} MB in one process")
            if args.build_only:
                return
            fts_seconds = build_fts(str(database))
            print(f"fts5 build:   {args.companies / fts_seconds:,.0f} docs/s")
        queries = query_sets(rng, args.companies, args.queries)
        fts = sqlite3.connect(str(database))
        print(f"\n{'query':10} {'whoosh p50/p95/p99 ms':>24} {'fts5 p50/p95/p99 ms':>24} {'p50 ratio':>10}")
        for kind, inputs in queries.items():
            if kind in SUGGESTED:
                ours = time_calls(search_index.suggest, inputs)
            else:
                ours = time_calls(lambda q: search_index.search(q), inputs)
            theirs = time_calls(lambda q: fts.execute(
                "SELECT company_id FROM company_fts WHERE company_fts MATCH ? ORDER BY rank LIMIT 20",
                (fts_query(kind, q),)).fetchall(), inputs)
            o, t = percentiles(ours), percentiles(theirs)
            print(f"{kind:10} {o[0]:8.2f}{o[1]:8.2f}{o[2]:8.2f} {t[0]:8.2f}{t[1]:8.2f}{t[2]:8.2f} {o[0] / t[0]:9.1f}x")

        state = app.extensions["search_index"]

        def with_new_searcher(q):
            state.close()  # the next search opens a new searcher, as a per-query design would
            search_index.search(q)

        no_results = percentiles(time_calls(lambda q: (find(q, page=1, per_page=20), close_names(q)),
                                            queries["two-typos"]))
        print(f"\ntwo typos, the search page's whole path (search, then close names): p50 {no_results[0]:.2f} ms, "
              f"p95 {no_results[1]:.2f} ms, p99 {no_results[2]:.2f} ms")
        reused = percentiles(time_calls(lambda q: search_index.search(q), queries["name"]))
        fresh = percentiles(time_calls(with_new_searcher, queries["name"]))
        print(f"\nname query, reused searcher p50 {reused[0]:.2f} ms, p95 {reused[1]:.2f} ms; "
              f"new searcher per query p50 {fresh[0]:.2f} ms, p95 {fresh[1]:.2f} ms")
        fts.close()
    print(f"\nworkdir: {workdir}")


if __name__ == "__main__":
    main()
