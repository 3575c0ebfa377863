"""The published snapshot: the export written to OPEN_DATA_PATH with a small description beside it.

The description (`<path>.meta.json`: record count, bytes, SHA-256, when, and the newest
suppression the file accounts for) is written after the file is in place, so /data can state
size, count and date, and answer `ETag` from the digest, without reading a large file on
every request.

A value removed on request leaves the published file too, without waiting for the next
export (which takes minutes on a large directory): `served()` notices suppressions newer than
the file and rewrites it once through the suppression list (`refilter`, seconds: no database
read but the list itself), so the next download, and its ETag, no longer hold the value.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from ..extensions import db
from ..models import Company, Objection, Person, Suppression
from ..rules.suppression import contact_key
from ..snapshot.export import export_snapshot


@dataclass(frozen=True)
class Published:
    path: Path
    records: int
    size: int
    sha256: str
    exported_at: datetime
    suppressions_through: int = 0  # the newest Suppression.id the file accounts for


def _meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".meta.json")


def _newest_suppression() -> int:
    return db.session.scalar(select(func.coalesce(func.max(Suppression.id), 0))) or 0


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _describe(path: Path, records: int, suppressions_through: int) -> Published:
    meta = {"records": records, "size": path.stat().st_size, "sha256": _digest(path),
            "exported_at": datetime.now(timezone.utc).isoformat(), "suppressions_through": suppressions_through}
    partial = _meta_path(path).with_suffix(f".{os.getpid()}.partial")
    partial.write_text(json.dumps(meta))
    os.replace(partial, _meta_path(path))
    return published()


def publish_snapshot() -> Published:
    path = Path(current_app.config["OPEN_DATA_PATH"])
    path.parent.mkdir(parents=True, exist_ok=True)
    through = _newest_suppression()  # read first: a removal during the export is filtered later
    records = export_snapshot(str(path))
    return _describe(path, records, through)


def publish_file(source: Path, records: int) -> Published:
    """Publish a snapshot file the database was loaded from, as it is (see `flask import`)."""
    path = Path(current_app.config["OPEN_DATA_PATH"])
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    shutil.copyfile(source, partial)
    os.replace(partial, path)
    return _describe(path, records, _newest_suppression())


def published() -> Published | None:
    """The current published snapshot, or None before the first `flask export`."""
    path = Path(current_app.config["OPEN_DATA_PATH"])
    try:
        meta = json.loads(_meta_path(path).read_text())
    except (FileNotFoundError, ValueError):
        return None
    if not path.is_file():
        return None
    return Published(path=path, records=meta["records"], size=meta["size"], sha256=meta["sha256"],
                     exported_at=datetime.fromisoformat(meta["exported_at"]),
                     suppressions_through=meta.get("suppressions_through", 0))


def served() -> Published | None:
    """The published snapshot as /data serves it: rewritten through the suppression list
    first when a value was removed on request since it was written."""
    snapshot = published()
    if snapshot is None:
        return None
    newest = _newest_suppression()
    return refilter(snapshot, newest) if newest > snapshot.suppressions_through else snapshot


SLUG_IN_LINE = re.compile(rb'"slug":"([^"]*)"')  # the company's, and its people's (a false match costs a parse)


@dataclass(frozen=True)
class Removed:
    """What the suppression list removes from the snapshot, and where to look for it."""

    contact_keys: set[str]
    listings: set[tuple[str, str]]  # (company slug, person slug)
    companies: set[str] | None  # slugs of the companies concerned; None: any line may hold a value

    def concerns(self, line: bytes) -> bool:
        """Whether a line may hold a removed value: only those lines are read and rewritten,
        the others are copied as they are (a JSON parse per line would take minutes)."""
        return self.companies is None or any(slug.decode() in self.companies for slug in SLUG_IN_LINE.findall(line))


def _removed() -> Removed:
    rows = db.session.execute(select(Suppression.key, Company.slug)
                              .outerjoin(Objection, Suppression.objection_id == Objection.id)
                              .outerjoin(Company, Objection.company_id == Company.id)).all()
    listings, companies = set(), set()
    for key, company_slug in rows:
        companies.add(company_slug)
        if key.startswith("listing:"):
            _, person_id, company_id = key.split(":")
            person, company = db.session.get(Person, int(person_id)), db.session.get(Company, int(company_id))
            if person is not None and company is not None:
                listings.add((company.slug, person.slug))
                companies.add(company.slug)
    return Removed({key for key, _ in rows if key.startswith("contact:")}, listings,
                   None if None in companies else companies)


def without_suppressed(record: dict, contact_keys: set[str], listings: set[tuple[str, str]]) -> dict:
    """One snapshot line without the listings and contacts removed on request; contacts keep
    pointing at their positions (an index into the shortened list)."""
    kept = [index for index, position in enumerate(record.get("positions", []))
            if (record["slug"], position["person"]["slug"]) not in listings]
    new_index = {old: new for new, old in enumerate(kept)}
    positions = [record["positions"][index] for index in kept]
    contacts = [{**contact, "position": new_index.get(contact.get("position"))}
                for contact in record.get("contacts", [])
                if contact_key(contact["kind"], contact["value"]) not in contact_keys]
    return {**record, "positions": positions, "contacts": contacts}


def refilter(snapshot: Published, through: int) -> Published:
    """Rewrite the published file through the suppression list (same format, same order).
    Bytes in, bytes out, written in large blocks at gzip level 6: seconds for a dump of a
    hundred thousand companies, where line-by-line text writes at level 9 took minutes."""
    removed = _removed()
    partial = snapshot.path.with_name(f"{snapshot.path.name}.{os.getpid()}.partial")
    records, block = 0, []
    try:
        with gzip.open(snapshot.path, "rb") as source, partial.open("wb") as raw, \
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as target:
            for line in source:
                if removed.concerns(line):
                    record = without_suppressed(json.loads(line), removed.contact_keys, removed.listings)
                    line = (json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
                            + "\n").encode()
                block.append(line)
                records += 1
                if len(block) >= 2000:
                    target.write(b"".join(block))
                    block.clear()
            target.write(b"".join(block))
        os.replace(partial, snapshot.path)
    finally:
        if partial.exists():
            partial.unlink()
    return _describe(snapshot.path, records, through)
