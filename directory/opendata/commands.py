"""`flask export [PATH]` and `flask import [--if-empty] PATH`: the open-data snapshot."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from ..extensions import db
from ..models import Company


@click.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True), required=False)
@with_appcontext
def export_command(path):
    """Write every company as JSON Lines to PATH (gzip when PATH ends in .gz); without PATH,
    publish the open-data snapshot that /data serves (OPEN_DATA_PATH)."""
    if path is None:
        _publish()
        return
    from ..snapshot.export import export_snapshot

    count = export_snapshot(path)
    click.echo(f"Exported {count} companies to {path}.")


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has companies.")
@with_appcontext
def import_command(path, if_empty):
    """Load a JSON Lines snapshot from PATH (plain or gzip); importing twice changes nothing.
    The open data (/data) is published afterwards, so a new directory offers its download at
    once; with --if-empty on a loaded database, only when nothing was published yet."""
    from .publishing import published
    from ..snapshot.importer import import_snapshot

    existing = db.session.scalar(select(func.count(Company.id)))
    if if_empty and existing:
        click.echo(f"The database already has {existing} companies; nothing imported.")
        if published() is None:
            _publish()
        return
    summary = import_snapshot(path)
    for problem in summary.problems:
        click.echo(problem, err=True)
    click.echo(f"Companies created: {summary.created}, updated: {summary.updated}, "
               f"unchanged: {summary.unchanged}; problems: {len(summary.problems)}.")
    bundled_into_empty = not existing and not summary.problems and Path(path).resolve() == Path(
        current_app.config["SNAPSHOT_PATH"]).resolve()
    _publish(copy_of=Path(path) if bundled_into_empty else None, records=summary.created)


def _publish(copy_of: Path | None = None, records: int = 0) -> None:
    """Export the directory to /data; or, when it was just loaded from the bundled snapshot into
    an empty database, publish that very file (the database holds exactly its lines, and an
    export writes the same bytes: tests/test_snapshot.py), in a second instead of minutes."""
    from .publishing import publish_file, publish_snapshot

    snapshot = publish_file(copy_of, records) if copy_of is not None else publish_snapshot()
    click.echo(f"Published {snapshot.records} companies to {snapshot.path} ({snapshot.size} bytes).")
