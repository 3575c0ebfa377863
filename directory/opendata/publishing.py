"""The published snapshot: the export written to OPEN_DATA_PATH with a small description beside it.

The description (`<path>.meta.json`: record count, bytes, SHA-256, when) is written after the
file is in place, so /data can state size, count and date, and answer `ETag` from the digest,
without reading a large file on every request.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from flask import current_app

from ..snapshot.export import export_snapshot


@dataclass(frozen=True)
class Published:
    path: Path
    records: int
    size: int
    sha256: str
    exported_at: datetime


def _meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".meta.json")


def publish_snapshot() -> Published:
    path = Path(current_app.config["OPEN_DATA_PATH"])
    path.parent.mkdir(parents=True, exist_ok=True)
    records = export_snapshot(str(path))
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    meta = {"records": records, "size": path.stat().st_size, "sha256": digest.hexdigest(),
            "exported_at": datetime.now(timezone.utc).isoformat()}
    partial = _meta_path(path).with_suffix(".partial")
    partial.write_text(json.dumps(meta))
    os.replace(partial, _meta_path(path))
    return published()


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
                     exported_at=datetime.fromisoformat(meta["exported_at"]))
