"""`flask refresh`: the one command a scheduler runs daily to keep every source fresh.

Each source is a `Step`: a name (as recorded in `refresh_runs` and shown on /status), a label,
a callable that takes a limit (how many companies at most) and returns a `StepResult`, and
its default limit. Adding a source is one line in `STEPS`. Every step's run is recorded
(last success, companies refreshed, errors) whether it worked or not, and one failing step
does not stop the others; the command exits non-zero when any step failed, so the
scheduler's own alerting sees it.

The whole run holds a lock every host shares (`locking.py`): with the scheduler installed on
two hosts by mistake, or a run that outlasts its interval, a second run exits at once with
ALREADY_RUNNING instead of reading every source twice.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable

import click
from flask import current_app
from flask.cli import with_appcontext

from scrapers.errors import ScraperError

from .extensions import db
from .importers.clients import companies_house_client, edgar_client
from .importers.companies_house import AuthenticationFailed, CompaniesHouseImport
from .importers.daily import days_between, refresh_days
from .cases.reminders import send_reminders
from .importers.edgar import EdgarImport, RunOptions
from .importers.websites import refresh_websites
from .importers.wikidata import refresh_wikidata
from .locking import AlreadyRunning, exclusive
from .models import RefreshRun
from .opendata.publishing import publish_snapshot
from .operations.freshness import due_for_refresh, finish_run, last_day_read, start_run

STALE_AFTER_DAYS = 30  # a source not read for a company in this many days is read again
ALREADY_RUNNING = 75  # exit status of a run that found another one running (sysexits' EX_TEMPFAIL)


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


def source_label(name: str) -> str:
    """How pages name a source: its step's label."""
    return next((step.label for step in STEPS if step.name == name), name)


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


def _limits(values: tuple[str, ...]) -> dict[str, int]:
    limits = {}
    for value in values:
        name, _, number = value.partition("=")
        if name not in {step.name for step in STEPS} or not number.isdigit():
            raise click.BadParameter(f"{value!r}: expected SOURCE=N with SOURCE one of "
                                     f"{', '.join(step.name for step in STEPS)}", param_hint="--limit")
        limits[name] = int(number)
    return limits


@click.command("refresh")
@with_appcontext
@click.option("--only", "only", multiple=True, help="Run only this source (repeatable), e.g. --only edgar.")
@click.option("--limit", "limits", multiple=True, metavar="SOURCE=N",
              help="Refresh at most N companies from SOURCE (repeatable), e.g. --limit companies_house=100.")
def refresh_command(only, limits):
    """Refresh every source that is due; exits 1 when a source failed, 75 when another run
    holds the lock."""
    limit_of = _limits(limits)
    unknown = set(only) - {step.name for step in STEPS}
    if unknown:
        raise click.BadParameter(f"unknown source {', '.join(sorted(unknown))}", param_hint="--only")
    try:
        with exclusive("flask refresh"):
            failed = _run_steps(only, limit_of)
    except AlreadyRunning:
        click.echo("Another `flask refresh` is running against this database (it holds the lock); "
                   "this one did nothing.", err=True)
        raise click.exceptions.Exit(ALREADY_RUNNING) from None
    if failed:
        click.echo(f"Failed: {', '.join(failed)}.", err=True)
        raise click.exceptions.Exit(1)


def _run_steps(only: tuple[str, ...], limit_of: dict[str, int]) -> list[str]:
    """Run every selected step, printing its outcome; the labels of those that failed."""
    failed = []
    for step in STEPS:
        if only and step.name not in only:
            continue
        limit = limit_of.get(step.name, step.default_limit)
        run, result = run_step(step.name, lambda: step.run(limit))
        state = "ok" if run.succeeded else "FAILED"
        click.echo(f"{step.label}: {state}: {run.companies} companies refreshed, {run.errors} errors.")
        for line in result.lines:
            click.echo(line)
        for error in result.errors[:10]:
            click.echo(f"  error: {error}")
        if not run.succeeded:
            failed.append(step.label)
    return failed
