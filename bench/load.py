"""Load test: drive a running CEO Directory over HTTP with a realistic mix of requests.

    .venv/bin/python bench/load.py --url http://127.0.0.1:8000 [--seconds 60] [--concurrency 8]
    .venv/bin/python bench/load.py --serve [--companies 20000] [--workers 4]   # what `make bench-load` runs
    bash .ci/with-postgres.sh .venv/bin/python bench/load.py --serve --servers 2   # two app servers, one PostgreSQL

The mix is search 40%, company pages 30%, suggestions 20%, API 10%, with names, slugs and
prefixes taken from the site's own API. Then, for the issue's yardstick, the search page alone
(repeated searches, as real traffic repeats popular names, so mostly served from each worker's
page cache), the search page with every query typed with random capitals (each one a cache
miss: the cost of a search itself) and a static file alone, each for the same time. Each phase reports requests per second,
p50/p95/p99 latency and the errors (5xx or no answer, none expected).

`--serve` builds a synthetic directory (bench/search.py's generator) in a temporary folder,
on SQLite or on the PostgreSQL database DATABASE_URL names (`.ci/with-postgres.sh`), starts
gunicorn on a free loopback port and stops it afterwards. Rate limits stay on (the counters
are part of a search's cost) but are raised beyond what one address sends here.

`--servers N` (PostgreSQL only) starts N gunicorn instances, each from a folder of its own with
SEARCH_BACKEND=postgres (a Whoosh folder of its own where that backend is missing), as N hosts
behind a load balancer would run; the load goes round-robin to them, request by request.

The load comes from separate processes (`--processes`, threads within each) so the client's
own Python does not cap what the server can show.
"""
from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

MIX = (("search", 40), ("company", 30), ("suggest", 20), ("api", 10))
STATIC_PATH = "/static/css/site.css"
# Raised, not removed: the shared counters still cost a database write per search.
UNTHROTTLED = {"DIRECTORY_RATELIMIT_SEARCH": "1000000/minute", "DIRECTORY_RATELIMIT_SEARCH_SUGGEST": "1000000/minute"}


# --- the targets: real names and slugs from the running site ------------------------------------

def fetch_json(base: str, path: str):
    import json

    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 200:
        raise SystemExit(f"GET {path}: HTTP {response.status}")
    return json.loads(body)


def sample_targets(base: str, rng: random.Random, pages: int = 8) -> dict[str, list[str]]:
    first = fetch_json(base, "/api/v1/companies?per_page=100")
    last_page = max(1, -(-first["total"] // 100))
    rows = list(first["results"])
    for page in rng.sample(range(1, last_page + 1), min(pages, last_page)):
        rows += fetch_json(base, f"/api/v1/companies?per_page=100&page={page}")["results"]
    if not rows:
        raise SystemExit("the site lists no companies: nothing to load-test")
    names = [row["name"] for row in rows]
    words = [word for name in names for word in name.split() if len(word) > 3]
    return {"slugs": [row["slug"] for row in rows], "names": names, "words": words}


def make_path(kind: str, targets: dict, rng: random.Random) -> str:
    if kind == "search":
        query = rng.choice(targets["names"]) if rng.random() < 0.5 else rng.choice(targets["words"])
        return f"/search?q={quote(query)}"
    if kind == "search-uncached":  # the same searches with random capitals: each misses the page cache
        query = rng.choice(targets["names"]) if rng.random() < 0.5 else rng.choice(targets["words"])
        query = "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in query)
        return f"/search?q={quote(query)}"
    if kind == "company":
        return f"/companies/{rng.choice(targets['slugs'])}"
    if kind == "suggest":
        word = rng.choice(targets["words"])
        return f"/search/suggest?q={quote(word[:rng.randint(2, 5)])}"
    if kind == "api":
        if rng.random() < 0.5:
            return f"/api/v1/companies/{rng.choice(targets['slugs'])}"
        return f"/api/v1/companies?q={quote(rng.choice(targets['words']))}"
    if kind == "static":
        return STATIC_PATH
    raise ValueError(kind)


# --- the load: processes of threads, one request at a time each ---------------------------------

def _drive(bases: list[str], kinds: list[tuple[str, int]], targets: dict, seconds: float, threads: int, seed: int):
    """One load process: `threads` threads request until the deadline, each request to the
    next server in turn (a round-robin balancer); returns the samples."""
    servers = [urlsplit(base) for base in bases]
    deadline = time.monotonic() + seconds
    samples: list[tuple[str, float, int]] = []
    lock = threading.Lock()
    names = [name for name, _ in kinds]
    weights = [weight for _, weight in kinds]

    def worker(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        mine = []
        turn = number
        while time.monotonic() < deadline:
            parts = servers[turn % len(servers)]
            turn += 1
            kind = rng.choices(names, weights)[0]
            path = make_path(kind, targets, rng)
            started = time.perf_counter()
            try:  # gunicorn's sync workers close every connection: one per request, like a browser's first
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                status = response.status
                connection.close()
            except OSError:
                status = 0
            mine.append((kind, time.perf_counter() - started, status))
        with lock:
            samples.extend(mine)

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return samples


def run_phase(bases: list[str], kinds, targets, *, seconds: float, concurrency: int, processes: int) -> dict:
    processes = max(1, min(processes, concurrency))
    per_process = [concurrency // processes + (1 if n < concurrency % processes else 0) for n in range(processes)]
    started = time.monotonic()
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        results = pool.starmap(_drive, [(bases, kinds, targets, seconds, threads, n)
                                        for n, threads in enumerate(per_process)])
    elapsed = time.monotonic() - started
    samples = [sample for result in results for sample in result]
    return summarize(samples, elapsed)


def percentiles(latencies: list[float]) -> tuple[float, float, float]:
    if len(latencies) < 2:
        value = latencies[0] * 1000 if latencies else 0.0
        return value, value, value
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return q[49] * 1000, q[94] * 1000, q[98] * 1000


def summarize(samples, elapsed: float) -> dict:
    statuses = Counter(status for _, _, status in samples)
    by_kind = {}
    for kind in sorted({kind for kind, _, _ in samples}):
        latencies = [latency for k, latency, _ in samples if k == kind]
        by_kind[kind] = {"requests": len(latencies), "p50_p95_p99_ms": percentiles(latencies)}
    return {
        "requests": len(samples),
        "rps": len(samples) / elapsed if elapsed else 0.0,
        "p50_p95_p99_ms": percentiles([latency for _, latency, _ in samples]),
        "errors": sum(count for status, count in statuses.items() if status == 0 or status >= 500),
        "statuses": dict(sorted(statuses.items())),
        "by_kind": by_kind,
    }


def report(name: str, result: dict) -> None:
    p50, p95, p99 = result["p50_p95_p99_ms"]
    print(f"{name:15} {result['requests']:7d} requests  {result['rps']:8.1f} req/s  "
          f"p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  p99 {p99:7.1f} ms  errors {result['errors']}  "
          f"statuses {result['statuses']}")
    if len(result["by_kind"]) > 1:
        for kind, row in result["by_kind"].items():
            k50, k95, k99 = row["p50_p95_p99_ms"]
            print(f"  {kind:8} {row['requests']:7d} requests  p50 {k50:7.1f} ms  p95 {k95:7.1f} ms  p99 {k99:7.1f} ms")


def drive(bases: list[str], args) -> int:
    rng = random.Random(args.seed)
    targets = sample_targets(bases[0], rng)
    phases = {"mix": MIX, "search": (("search", 1),), "search-uncached": (("search-uncached", 1),),
              "static": (("static", 1),)}
    results = {}
    print(f"{', '.join(bases)}: {args.seconds:.0f} s per phase, {args.concurrency} concurrent requests from "
          f"{args.processes} processes; {len(targets['slugs'])} sampled companies")
    for name in args.phases.split(","):
        results[name] = run_phase(bases, phases[name], targets, seconds=args.seconds,
                                  concurrency=args.concurrency, processes=args.processes)
        report(name, results[name])
    for name in ("search", "search-uncached"):
        if name in results and "static" in results and results["static"]["rps"]:
            ratio = results[name]["rps"] / results["static"]["rps"]
            print(f"{name} page / static file requests per second: {ratio:.2f} (the issue asks for at least 0.50)")
    return 1 if any(result["errors"] for result in results.values()) else 0


# --- --serve: a synthetic directory behind gunicorn ---------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(workdir: Path, database_url: str, companies: int, seed: int) -> None:
    """Migrate, bulk-load `companies` synthetic companies and build the search index."""
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from bench.search import generate
    from directory import create_app, search_index
    from directory.extensions import db
    from directory.models import Company, Identifier, Person, Position

    app = create_app({"SECRET_KEY": "bench-only-secret-key", "SQLALCHEMY_DATABASE_URI": database_url,
                      "SEARCH_INDEX_DIR": str(workdir / "search-index"),
                      "SCRAPER_CACHE_DIR": str(workdir / "http-cache")})
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        # Core inserts, so the same code fills SQLite and PostgreSQL.
        for rows in generate(companies, random.Random(seed)):
            with db.engine.begin() as connection:
                for table, batch in zip((Company, Person, Position, Identifier), rows):
                    if batch:
                        connection.execute(insert(table.__table__), batch)
        count = search_index.rebuild()
        print(f"{companies} synthetic companies loaded and {count} indexed in {time.perf_counter() - started:.0f} s")
        db.engine.dispose()


def wait_until_serving(base: str, server: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    parts = urlsplit(base)
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            socket.create_connection((parts.hostname, parts.port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not start within {timeout:.0f} s")


def start_server(folder: Path, env: dict, workers: int) -> tuple[str, subprocess.Popen, Path]:
    """gunicorn from `folder` (its Whoosh folder and HTTP cache there) on a free port."""
    env = dict(env, SEARCH_INDEX_DIR=str(folder / "search-index"), SCRAPER_CACHE_DIR=str(folder / "http-cache"))
    port = free_port()
    log = folder / "gunicorn.log"
    with log.open("w") as log_file:
        server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py",
                                   "-b", f"127.0.0.1:{port}", "-w", str(workers), "wsgi:app"],
                                  cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    return f"http://127.0.0.1:{port}", server, log


def serve_and_drive(args) -> int:
    database_url = os.environ.get("DATABASE_URL", "")
    backend = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    if args.servers > 1 and backend == "SQLite":
        raise SystemExit("--servers needs PostgreSQL: run under .ci/with-postgres.sh or set DATABASE_URL")
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        workdir = Path(tmp)
        if backend == "SQLite":
            database_url = f"sqlite:///{workdir / 'directory.sqlite'}"
        prepare(workdir, database_url, args.companies, args.seed)
        env = {key: value for key, value in os.environ.items() if not key.startswith(("FLASK_", "DIRECTORY_"))}
        env.update(UNTHROTTLED, SECRET_KEY=secrets.token_urlsafe(32), PUBLIC_URL="http://127.0.0.1", DATABASE_URL=database_url)
        if args.servers > 1:
            env["SEARCH_BACKEND"] = "postgres"
        # One sync worker per core measured best (bench/README.md), the cores shared by the servers.
        workers = args.workers or max(1, (os.cpu_count() or 1) // args.servers)
        servers = []
        try:
            for number in range(args.servers):
                folder = workdir / f"server-{number + 1}"
                shutil.copytree(workdir / "search-index", folder / "search-index")  # a host's own, where Whoosh serves
                servers.append(start_server(folder, env, workers))
            for base, server, log in servers:
                wait_until_serving(base, server, log)
            print(f"{args.servers} x gunicorn -w {workers} on {backend}, {os.cpu_count()} CPU cores shared with the load")
            status = drive([base for base, _, _ in servers], args)
        finally:
            for _, server, _ in servers:
                server.terminate()
                server.wait(timeout=30)
        if status:
            for _, _, log in servers:
                print(log.read_text()[-3000:])
        return status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--url", help="a running site, e.g. http://127.0.0.1:8000")
    target.add_argument("--serve", action="store_true", help="build a synthetic site under gunicorn and drive it")
    parser.add_argument("--seconds", type=float, default=60, help="length of each phase (default 60)")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight (default 8)")
    parser.add_argument("--processes", type=int, default=2, help="load processes (default 2)")
    parser.add_argument("--phases", default="mix,search,search-uncached,static",
                        help="any of mix,search,search-uncached,static (default all)")
    parser.add_argument("--companies", type=int, default=20_000, help="--serve: synthetic companies (default 20000)")
    parser.add_argument("--workers", type=int, default=0,
                        help="--serve: gunicorn workers per server (default one per core, shared by the servers)")
    parser.add_argument("--servers", type=int, default=1, help="--serve: app servers on one PostgreSQL (default 1)")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    return drive([args.url.rstrip("/")], args) if args.url else serve_and_drive(args)


if __name__ == "__main__":
    sys.exit(main())
