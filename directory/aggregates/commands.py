"""`flask counts refresh`: recompute the directory counts and the leaderboards' scores."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..extensions import db
from . import refresh


@click.group("counts", help="The home and browse counts and the leaderboards' scores.")
def counts_cli():
    pass


@counts_cli.command("refresh")
@with_appcontext
def refresh_command() -> None:
    """Recount everything from the rows, in one transaction (full scans: seconds at a million
    companies). Run it daily: it also counts ratings of accounts that have since become old
    enough to count."""
    with db.engine.begin() as connection:
        refresh(connection)
    click.echo("Counts and leaderboard scores recomputed.")
