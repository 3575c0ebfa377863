"""How full the bundled directory's ladders are: for each step, how many companies show something
on it, computed by the same code the company page uses.

    .venv/bin/python bench/ladder_coverage.py [SNAPSHOT]   (default: the bundled snapshot)

A snapshot is loaded into a throwaway SQLite database first, so the figures are those a new
user meets after `make run`. Printed as a table; the closing notes quote it before and after a
change of the importers or the snapshot.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshot", nargs="?", default="directory/data/snapshot.jsonl.gz")
    args = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from directory import create_app
    from directory.extensions import db
    from directory.models import Company, Position
    from directory.snapshot.importer import import_snapshot

    with tempfile.TemporaryDirectory(prefix="bench-ladder-") as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/directory.sqlite", "SECRET_KEY": "bench",
                          "SEARCH_INDEX_DIR": f"{tmp}/index", "OPEN_DATA_PATH": f"{tmp}/open-data/d.jsonl.gz",
                          "RATELIMIT_ENABLED": False})
        with app.app_context():
            upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
            started = time.perf_counter()
            import_snapshot(args.snapshot)
            loaded = time.perf_counter() - started
            counts, total = _count(db, select, selectinload, Company, Position)
    print(f"snapshot: {args.snapshot} ({Path(args.snapshot).stat().st_size:,} bytes), loaded in {loaded:.1f} s")
    print(f"{'companies':<54}{total:>8}")
    for name, count in counts.items():
        print(f"{name:<54}{count:>8}  {100 * count / max(total, 1):5.1f}%")
    return 0


def _count(db, select, selectinload, Company, Position):
    from directory.escalation.complaints import complaint_figures
    from directory.rules.ladder import escalation_ladder
    from directory.rules.regulators import load

    default_sector = load().default_sector  # the general bodies every company falls back to

    counts = Counter()
    total = 0
    query = select(Company).options(selectinload(Company.contacts), selectinload(Company.addresses),
                                    selectinload(Company.positions).selectinload(Position.person))
    for company in db.session.scalars(query).unique():
        total += 1
        rungs = {rung.tier: rung for rung in escalation_ladder(company)}
        counts["with a CEO"] += company.ceo_position is not None
        counts["with an address"] += company.postal_address is not None
        counts["step 1, customer service: a contact"] += bool(rungs["customer_service"].contacts)
        counts["step 1, customer service: contact or account"] += bool(
            rungs["customer_service"].contacts or rungs["customer_service"].public_accounts)
        counts["step 2, formal complaints: a contact"] += bool(rungs["complaints"].contacts)
        counts["step 2, formal complaints: a named person"] += any(
            c.person_name for c in rungs["complaints"].contacts)
        counts["step 2, formal complaints: CFPB complaint figures"] += complaint_figures(company) is not None
        counts["step 2, formal complaints: CFPB complaint figures"] += complaint_figures(company) is not None
        counts["step 3, executive office: a contact"] += bool(
            rungs["executive_office"].contacts or rungs["executive_office"].head_office_phone)
        counts["step 4, CEO: postal address or email"] += bool(
            rungs["ceo"].postal_address or rungs["ceo"].contacts or rungs["ceo"].likely_email)
        regulators = rungs["regulator"].regulators
        counts["step 5, regulator: a body for its sector or register"] += any(
            default_sector not in r.sectors for r in regulators)
    return counts, total


if __name__ == "__main__":
    raise SystemExit(main())
