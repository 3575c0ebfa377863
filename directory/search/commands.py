"""`flask index rebuild [--if-stale | --pending | --check]`."""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select
from whoosh.index import LockError

from .. import search_index
from ..extensions import db
from ..models import Company
from ..search_index.rebuilding import RebuildError


@click.group("index", help="Build and check the search index.")
def index_cli():
    pass


@index_cli.command("rebuild")
@click.option("--if-stale", is_flag=True, help="Only when the index is missing or its size differs.")
@click.option("--pending", is_flag=True, help="Only index the companies queued in pending_reindex.")
@click.option("--check", is_flag=True,
              help="Index the queued companies, then report index/database disagreements; exit 1 if any.")
@with_appcontext
def rebuild_command(if_stale: bool, pending: bool, check: bool) -> None:
    """Rebuild the whole search index from the database (or one of the lighter modes)."""
    if check:
        # The queue holds committed changes whose index write has not happened yet (a busy
        # lock, a killed worker): writing them is the queue's job, not a disagreement.
        drained = search_index.drain_pending()
        if drained:
            click.echo(f"Indexed {drained} pending companies.")
        problems = search_index.check()
        for problem in problems:
            click.echo(problem)
        if problems:
            raise SystemExit(1)
        click.echo("Search index agrees with the database.")
        return
    if pending:
        count = search_index.drain_pending()
        click.echo(f"Indexed {count} pending companies.")
        return
    if if_stale and not search_index.is_stale():
        click.echo("Search index is up to date.")
        return
    total = db.session.scalar(select(func.count(Company.id))) or 0
    try:
        with click.progressbar(length=total, label="Indexing companies") as bar:
            count = search_index.rebuild(progress=bar.update)
    except LockError:
        raise click.ClickException("another process is writing the index; try again when it has finished") from None
    except RebuildError as error:  # the worker's traceback is in the message
        raise click.ClickException(f"rebuild failed, the previous index is unchanged: {error}") from None
    click.echo(f"Indexed {count} companies.")
