"""Freshness reads: each source's last runs (for /status) and a company's last reads."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from ..extensions import cache, db
from ..models import RefreshRun
from ..sources import SOURCES


@dataclass(frozen=True)
class SourceStatus:
    """Plain values (the list is cached between requests)."""

    name: str
    label: str
    last_success: datetime | None  # when the newest successful run finished
    last_run: datetime | None  # when the newest run started, whatever its outcome
    last_run_ok: bool | None  # None: still running (or stopped without finishing)
    companies: int = 0  # refreshed by the newest run
    errors: int = 0  # in the newest run
    bundled_on: date | None = None  # never read live: its facts are the bundled snapshot's, of this date


# The kinds of source each refresh step reads, to tell which of them a loaded snapshot carried.
STEP_SOURCE_KINDS = {"edgar": {"sec_filing", "form4_digest"}, "companies_house": {"registry_record"},
                     "websites": {"company_website"}, "wikidata": {"wikidata"}}


@cache.memoize(timeout=60)  # a minute per worker: /status is public and crawled
def source_statuses() -> list[SourceStatus]:
    """One line per refresh source, in `flask refresh` order (two small queries each)."""
    statuses = []
    bundled_on, bundled_kinds = bundled_snapshot()
    for name, label in SOURCES.items():
        run = db.session.scalar(select(RefreshRun).where(RefreshRun.source == name)
                                .order_by(RefreshRun.started_at.desc(), RefreshRun.id.desc()).limit(1))
        last_success = db.session.scalar(select(RefreshRun.finished_at).where(
            RefreshRun.source == name, RefreshRun.succeeded.is_(True))
            .order_by(RefreshRun.finished_at.desc()).limit(1))
        if run is None:
            carried = bool(STEP_SOURCE_KINDS.get(name, set()) & bundled_kinds)
            statuses.append(SourceStatus(name, label, last_success, None, None,
                                         bundled_on=bundled_on if carried else None))
            continue
        statuses.append(SourceStatus(name, label, last_success, run.started_at,
                                     run.succeeded if run.finished_at else None, run.companies, run.errors))
    return statuses


def bundled_snapshot() -> tuple[date | None, set[str]]:
    """(the date of the newest snapshot loaded, the kinds of source it carried), from the
    row `snapshot.importer.record_snapshot` writes; (None, empty) when none was loaded."""
    from ..snapshot.importer import SNAPSHOT_RUN

    run = db.session.scalar(select(RefreshRun).where(RefreshRun.source == SNAPSHOT_RUN)
                            .order_by(RefreshRun.started_at.desc(), RefreshRun.id.desc()).limit(1))
    if run is None:
        return None, set()
    return run.started_at.date(), set((run.message or "").split())
