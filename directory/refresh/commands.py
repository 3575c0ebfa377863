"""`flask refresh`: run every due source's step and say how each went."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from .. import clock
from ..locking import AlreadyRunning, exclusive
from . import steps
from .steps import run_step

ALREADY_RUNNING = 75  # exit status of a run that found another one running (sysexits' EX_TEMPFAIL)


def _limits(values: tuple[str, ...]) -> dict[str, int]:
    limits = {}
    for value in values:
        name, _, number = value.partition("=")
        if name not in {step.name for step in steps.STEPS} or not number.isdigit():
            raise click.BadParameter(f"{value!r}: expected SOURCE=N with SOURCE one of "
                                     f"{', '.join(step.name for step in steps.STEPS)}", param_hint="--limit")
        limits[name] = int(number)
    return limits


@click.command("refresh")
@with_appcontext
@click.option("--only", "only", multiple=True, help="Run only this source (repeatable), e.g. --only edgar.")
@click.option("--limit", "limits", multiple=True, metavar="SOURCE=N",
              help="Refresh at most N companies from SOURCE (repeatable), e.g. --limit companies_house=100.")
@click.option("--today", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Run as if today were this day (YYYY-MM-DD): every step reads through it; default: today.")
def refresh_command(only, limits, day):
    """Refresh every source that is due; exits 1 when a source failed, 75 when another run
    holds the lock."""
    limit_of = _limits(limits)
    unknown = set(only) - {step.name for step in steps.STEPS}
    if unknown:
        raise click.BadParameter(f"unknown source {', '.join(sorted(unknown))}", param_hint="--only")
    try:
        with exclusive("flask refresh"), clock.as_of(day.date() if day else clock.today()):
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
    for step in steps.STEPS:
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
