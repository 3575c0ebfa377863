"""Writes that record how fresh the directory is: company reads and refresh runs.

They flush, never commit: the import run or the CLI command that read the source commits
them in the same transaction as what it learned, so "read on" never claims a read whose
results were rolled back.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Iterable

from sqlalchemy import and_, insert, or_, select, update

from .. import clock
from ..extensions import db
from ..sources import source_label
from ..models import Company, CompanyRead, Identifier, RefreshRun, Revision, Source

MESSAGE_ERRORS = 5  # errors quoted in a run's message; the count says how many there were


def record_reads(source: str, company_ids: Iterable[int], on: date | None = None) -> None:
    """Mark `company_ids` as read from `source` on `on` (today); a company already marked
    that day is left alone, so a second run the same day writes nothing."""
    on = on or clock.today()
    ids = set(company_ids)
    if not ids:
        return
    held = dict(db.session.execute(select(CompanyRead.company_id, CompanyRead.read_on).where(
        CompanyRead.source == source, CompanyRead.company_id.in_(ids))).all())
    stale = [company_id for company_id, read_on in held.items() if read_on != on]
    if stale:
        db.session.execute(update(CompanyRead).where(
            CompanyRead.source == source, CompanyRead.company_id.in_(stale)).values(read_on=on))
    new = [{"company_id": company_id, "source": source, "read_on": on} for company_id in sorted(ids - held.keys())]
    if new:
        db.session.execute(insert(CompanyRead), new)


def start_run(source: str) -> RefreshRun:
    run = RefreshRun(source=source, started_at=datetime.now(timezone.utc))
    db.session.add(run)
    db.session.flush()
    return run


def finish_run(run: RefreshRun, *, companies: int, errors: list[str], through: date | None = None,
               succeeded: bool | None = None) -> RefreshRun:
    """Close `run`: it succeeded when it had no errors, unless the caller says otherwise."""
    run.finished_at = datetime.now(timezone.utc)
    run.companies = companies
    run.errors = len(errors)
    run.succeeded = not errors if succeeded is None else succeeded
    run.message = "\n".join(errors[:MESSAGE_ERRORS]) or None
    run.through = through
    db.session.flush()
    return run


def last_day_read(source: str) -> date | None:
    """The newest day a day-by-day run of `source` read through (a run that failed later
    still read the days before its failure)."""
    return db.session.scalar(select(RefreshRun.through).where(
        RefreshRun.source == source, RefreshRun.through.is_not(None)).order_by(RefreshRun.through.desc()).limit(1))


def due_for_refresh(source: str, scheme: str, days: int, limit: int, today: date | None = None) -> list[str]:
    """Identifiers (`scheme`, e.g. "ch_number") of companies not read from `source` in `days`
    days, never-read ones first, then the longest unread; at most `limit`."""
    cutoff = (today or clock.today()) - timedelta(days=days)
    read = and_(CompanyRead.company_id == Identifier.company_id, CompanyRead.source == source)
    statement = (select(Identifier.value).join(Company, Company.id == Identifier.company_id)
                 .outerjoin(CompanyRead, read)
                 .where(Identifier.scheme == scheme, or_(CompanyRead.read_on.is_(None), CompanyRead.read_on < cutoff))
                 .order_by(CompanyRead.read_on.is_not(None), CompanyRead.read_on, Identifier.value)
                 .limit(limit))
    return list(db.session.scalars(statement))


# -- what the company page says about freshness ----------------------------------------------

SNAPSHOT_ACTOR = "snapshot import"  # directory/snapshot/importer.py ACTOR


@dataclass(frozen=True)
class SourceRead:
    """One line of "Sources last read": a source, the day it was read, and whether that read
    was made for the bundled snapshot (loaded here, not read by this server's imports)."""

    label: str
    read_on: date
    in_snapshot: bool = False


def sources_last_read(company: Company) -> list[SourceRead]:
    """What "Sources last read" lists: each refresh source's last read of the company; for a
    company no import here has read (loaded from the bundled snapshot), the kinds of source
    behind its facts and when they were read for the snapshot, so the line never says
    "not read" beside a "last verified" date that came from those very reads."""
    reads = db.session.execute(select(CompanyRead.source, CompanyRead.read_on)
                               .where(CompanyRead.company_id == company.id).order_by(CompanyRead.source)).all()
    if reads:
        return [SourceRead(source_label(source), read_on) for source, read_on in reads]
    newest: dict[str, date] = {}
    for source in _fact_sources(company):
        label = SOURCE_KIND_LABELS.get(source.kind, source.label)
        newest[label] = max(newest.get(label, source.retrieved_at.date()), source.retrieved_at.date())
    in_snapshot = _loaded_from_snapshot(company)
    return [SourceRead(label, read_on, in_snapshot) for label, read_on in sorted(newest.items())]


SOURCE_KIND_LABELS = {"sec_filing": "SEC EDGAR", "registry_record": "Companies House",
                      "company_website": "Company website", "wikidata": "Wikidata",
                      "contribution": "Moderated suggestions"}


def _fact_sources(company: Company) -> list[Source]:
    facts = [*company.positions, *company.contacts, *company.addresses, *company.identifiers,
             *company.former_names]
    sources = [fact.source for fact in facts if fact.source is not None and fact.source.retrieved_at]
    if company.website_source is not None and company.website_source.retrieved_at:
        sources.append(company.website_source)
    return sources


def _loaded_from_snapshot(company: Company) -> bool:
    return db.session.scalar(select(Revision.actor).where(
        Revision.entity_type == "company", Revision.entity_id == company.id, Revision.action == "create")
        .order_by(Revision.id).limit(1)) == SNAPSHOT_ACTOR
