"""The sources `flask refresh` runs, one `Step` each, and how one step's run is recorded."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable

from flask import current_app

from scrapers.errors import ScraperError

from ..extensions import db
from ..importers.clients import companies_house_client, edgar_client
from ..importers.companies_house import AuthenticationFailed, CompaniesHouseImport
from ..importers.daily import days_between, refresh_days
from ..cases.reminders import send_reminders
from ..importers.edgar import EdgarImport, RunOptions
from ..importers.websites import refresh_websites
from ..importers.wikidata import refresh_wikidata
from ..models import RefreshRun
from ..opendata.publishing import publish_snapshot
from ..operations.freshness import due_for_refresh, finish_run, last_day_read, start_run

STALE_AFTER_DAYS = 30  # a source not read for a company in this many days is read again


@dataclass
class StepResult:
    companies: int = 0  # companies refreshed
    errors: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # details for the operator
    through: date | None = None  # day-by-day sources: the last day read


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    run: Callable[[int], StepResult]
    default_limit: int


def edgar_daily(limit: int | None, since: date | None = None, until: date | None = None) -> StepResult:
    """EDGAR's daily indexes from `since` (default: the day after the last day read, else
    yesterday) to `until` (default today): the known companies that filed are refreshed."""
    until = until or date.today()
    if since is None:
        last = last_day_read("edgar")
        since = last + timedelta(days=1) if last else until - timedelta(days=1)
    days = days_between(since, until)
    if not days:
        return StepResult(lines=[f"  Nothing to read: the daily indexes through {until.isoformat()} were read."])
    config = current_app.config
    with edgar_client() as client:
        run = EdgarImport(client, RunOptions(lookback_days=config["SEC_LOOKBACK_DAYS"], as_of=max(until, date.today())),
                          data_url=config["SEC_DATA_URL"])
        outcome = refresh_days(run, days, limit=limit)
    return StepResult(companies=run.summary.succeeded, through=outcome.through,
                      lines=outcome.lines() + run.summary.lines(), errors=outcome.errors + _failures(run.summary))


def companies_house(limit: int) -> StepResult:
    """UK companies whose register record was not read in STALE_AFTER_DAYS days."""
    numbers = due_for_refresh("companies_house", "ch_number", STALE_AFTER_DAYS, limit)
    if not numbers:
        return StepResult(lines=[f"  Every UK company was read in the last {STALE_AFTER_DAYS} days."])
    client = companies_house_client()
    run = CompaniesHouseImport(client, match_names=False)
    try:
        for number in numbers:
            run.import_number(number)
    except AuthenticationFailed as error:
        run.summary.errors.append(("Companies House", str(error)))
        run.summary.failed += 1
    finally:
        client.close()
    return StepResult(companies=run.summary.succeeded, lines=run.summary.lines(), errors=_failures(run.summary))


def websites(limit: int) -> StepResult:
    """Company websites never read, or last read WEBSITE_REREAD_DAYS ago or more."""
    summary = refresh_websites(limit)
    errors = [f"{where}: {message}" for where, message in summary.failures] if summary.companies_failed else []
    return StepResult(companies=summary.companies_read, lines=["  " + line for line in summary.lines()], errors=errors)


def wikidata(limit: int) -> StepResult:
    """Companies known to Wikidata, the longest unrefreshed first."""
    summary = refresh_wikidata(limit)
    return StepResult(companies=summary.succeeded, lines=["  " + line for line in summary.lines()],
                      errors=_failures(summary))


def case_reminders(limit: int) -> StepResult:
    """Mail the owners of cases whose deadline is today; each reminder once (see directory/cases)."""
    sent, failed = send_reminders(date.today())
    return StepResult(lines=[f"  Case reminders: {sent} sent, {failed} not sent (tried again next run)."],
                      errors=[f"{failed} case reminders could not be sent"] if failed else [])


def open_data(limit: int) -> StepResult:
    """Publish the refreshed directory at /data, last, so the download includes today's changes."""
    published = publish_snapshot()
    return StepResult(companies=published.records,
                      lines=[f"  Open data: {published.records} companies, {published.size:,} bytes."])


def _failures(summary) -> list[str]:
    """A run's errors when a company failed; documents skipped alone do not fail a source."""
    return [f"{where}: {message}" for where, message in summary.errors] if summary.failed else []


STEPS: list[Step] = [
    Step("edgar", "SEC EDGAR", edgar_daily, 2000),
    Step("companies_house", "Companies House", companies_house, 500),
    Step("websites", "Company websites", websites, 500),
    Step("wikidata", "Wikidata", wikidata, 500),
    Step("case_reminders", "Case reminders", case_reminders, 0),
    Step("open_data", "Open data download", open_data, 0),
]


# Sources read by a command of their own, not by a refresh step (`flask scrape cfpb`).
UNSCHEDULED_LABELS = {"cfpb": "CFPB consumer complaints"}


def source_label(name: str) -> str:
    """How pages name a source: its step's label."""
    return next((step.label for step in STEPS if step.name == name), UNSCHEDULED_LABELS.get(name, name))


def run_step(name: str, work: Callable[[], StepResult]) -> tuple[RefreshRun, StepResult]:
    """Run one source's refresh and record it; an exception is that source's failure."""
    run = start_run(name)
    db.session.commit()
    run_id = run.id  # a step may end the session (the website reader commits per company)
    try:
        result = work()
    except (ScraperError, OSError) as error:
        db.session.rollback()
        result = StepResult(errors=[f"{type(error).__name__}: {error}"])
    except Exception as error:  # noqa: BLE001 - one source fails, the others still run
        db.session.rollback()
        current_app.logger.exception("refresh of %s failed", name)
        result = StepResult(errors=[f"{type(error).__name__}: {error}"])
    run = db.session.get(RefreshRun, run_id)
    finish_run(run, companies=result.companies, errors=result.errors, through=result.through)
    db.session.commit()
    return run, result
