"""How long `flask import --if-empty` takes on the bundled snapshot (the first start of `make run`).

    .venv/bin/python bench/snapshot_import.py [PATH]

Migrates a throwaway SQLite database, then times the load (the bulk path: Core inserts, the
directory counts and the search index built once) apart from the index, and a second import
of the same file into the full database (the matching path, which changes nothing).
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from directory import create_app, search_index  # noqa: E402
from directory.snapshot import importer  # noqa: E402

BUNDLED = REPO / "directory" / "data" / "snapshot.jsonl.gz"


def main(path: Path) -> None:
    from flask_migrate import upgrade

    with tempfile.TemporaryDirectory(prefix="bench-snapshot-") as work:
        app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work}/db.sqlite",
                          "SEARCH_INDEX_DIR": f"{work}/index"})
        with app.app_context():
            upgrade()
            indexing = []
            rebuild = search_index.rebuild

            def timed_rebuild(*args, **kwargs):
                started = time.perf_counter()
                try:
                    return rebuild(*args, **kwargs)
                finally:
                    indexing.append(time.perf_counter() - started)

            search_index.rebuild = timed_rebuild
            started = time.perf_counter()
            summary = importer.import_snapshot(str(path))
            total = time.perf_counter() - started
            search_index.rebuild = rebuild
            load = total - sum(indexing)
            print(f"{path.name} ({path.stat().st_size / 1e6:.1f} MB): {summary.created} companies in {total:.1f} s: "
                  f"load {load:.1f} s ({summary.created / load:,.0f} companies/s), index {sum(indexing):.1f} s")
            started = time.perf_counter()
            again = importer.import_snapshot(str(path))
            print(f"second import (matching path): {time.perf_counter() - started:.1f} s, "
                  f"{again.unchanged} unchanged, {again.updated} updated")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else BUNDLED)
