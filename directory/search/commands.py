"""`flask index rebuild [--if-stale | --pending | --check]`."""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from .. import search_index
from ..extensions import db
from ..models import Company


@click.group("index", help="Build and check the search index.")
def index_cli():
    pass


@index_cli.command("rebuild")
@click.option("--if-stale", is_flag=True, help="Only when the index is missing or its size differs.")
@click.option("--pending", is_flag=True, help="Only index the companies queued in pending_reindex.")
@click.option("--check", is_flag=True, help="Report index/database disagreements; exit 1 if any.")
@with_appcontext
def rebuild_command(if_stale: bool, pending: bool, check: bool) -> None:
    """Rebuild the whole search index from the database (or one of the lighter modes)."""
    if check:
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
    with click.progressbar(length=total, label="Indexing companies") as bar:
        count = search_index.rebuild(progress=bar.update)
    click.echo(f"Indexed {count} companies.")
