"""Open data and discovery at size: a full sitemap file, the sitemap index, the leadership
feed, the JSON-LD company page and `flask export` publishing, over N synthetic companies.

    nice .venv/bin/python bench/opendata.py --companies 60000

The synthetic directory (bench/search.py's generator: three executives a company) gets one
"create" revision per position, as importers write them, so the feed and `lastmod` have real
rows to read. Each URL is fetched --repeat times through the test client; the median is shown.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=60_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", help="keep the database here and reuse it on the next run")
    args = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import insert

    from bench.search import generate
    from directory import create_app
    from directory.extensions import db
    from directory.models import Company, Identifier, Person, Position, Revision
    from directory.opendata.publishing import publish_snapshot

    with tempfile.TemporaryDirectory(prefix="bench-opendata-") as tmp:
        work = Path(args.workdir or tmp)
        work.mkdir(parents=True, exist_ok=True)
        reuse = (work / "d.sqlite").exists()
        app = create_app({"SECRET_KEY": "bench-only-secret-key", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work}/d.sqlite",
                          "SEARCH_INDEX_DIR": str(work / "index"), "SCRAPER_CACHE_DIR": str(work / "cache"),
                          "SEARCH_ENABLED": False, "PUBLIC_URL": "https://ceo.example.org",
                          "OPEN_DATA_PATH": str(work / "open-data" / "directory.jsonl.gz"), "CACHE_TYPE": "NullCache"})
        with app.app_context():
            upgrade()
            if reuse:
                print(f"reusing {work / 'd.sqlite'}")
            started = time.perf_counter()
            position_id = 0
            for rows in ([] if reuse else generate(args.companies, random.Random(7))):
                revisions = []
                for position in rows[2]:
                    position_id += 1
                    position["id"] = position_id
                    revisions.append({"entity_type": "position", "entity_id": position_id, "action": "create",
                                      "company_id": position["company_id"], "actor": "sec_edgar importer",
                                      "changes": {"is_current": [None, True], "title": [None, position["title"]]}})
                with db.engine.begin() as connection:
                    for table, batch in zip((Company, Person, Position, Identifier, Revision), (*rows, revisions)):
                        if batch:
                            connection.execute(insert(table.__table__), batch)
            if not reuse:
                print(f"{args.companies:,} companies, {position_id:,} positions and revisions loaded "
                      f"in {time.perf_counter() - started:.0f} s (SQLite)")
            slug = db.session.scalar(db.select(Company.slug).limit(1))

        client = app.test_client()
        for url in ("/sitemap.xml", "/sitemaps/companies-1.xml", "/sitemaps/people-1.xml", "/feeds/leadership.atom",
                    f"/companies/{slug}", f"/companies/{slug}/feed.atom"):
            times, size = [], 0
            for _ in range(args.repeat):
                began = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - began)
                assert response.status_code == 200, (url, response.status_code)
                size = len(response.get_data())
            print(f"GET {url}: median {statistics.median(times) * 1000:.0f} ms, {size:,} bytes")
        with app.app_context():
            began = time.perf_counter()
            published = publish_snapshot()
            print(f"flask export (publish): {published.records:,} companies, {published.size:,} bytes "
                  f"in {time.perf_counter() - began:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
