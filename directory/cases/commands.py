"""`flask cases remind`: run daily (by `flask refresh` or cron)."""
from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from ..clock import today
from .reminders import send_reminders

cases_cli = AppGroup("cases", help="Consumers' complaint cases.")


@cases_cli.command("remind")
@click.option("--today", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Act as if today were this date (YYYY-MM-DD); default: today in UTC.")
def remind_command(on):
    """Email owners whose case deadline is reached, once per deadline."""
    day: date = on.date() if on else today()
    sent, failed = send_reminders(day)
    failures = f", {failed} failed (retried next run)." if failed else "."
    click.echo(f"{sent} reminder(s) sent for {day.isoformat()}{failures}")
    if failed:
        raise SystemExit(1)
