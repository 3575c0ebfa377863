"""A database left at an older migration, holding rows written in that schema's own columns
(today's models have more), for tests that upgrade it and check nothing was lost."""
from __future__ import annotations

from contextlib import contextmanager

from flask_migrate import upgrade
from sqlalchemy import text

from directory import create_app
from directory.extensions import db
from directory.models import utcnow


@contextmanager
def database_at(revision: str, app_config: dict, tmp_path):
    """An app context on a new SQLite file migrated to `revision`, with company 1 in it."""
    old = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite'}"})
    with old.app_context():
        upgrade(revision=revision)
        insert(
            "INSERT INTO companies (id, name, slug, initial, status, contact_policy, created_at, updated_at)"
            " VALUES (1, 'Acme Widgets Inc.', 'acme-widgets-inc', 'A', 'active', 'unknown', :t, :t)")
        try:
            yield
        finally:
            db.session.remove()
            db.engine.dispose()


def insert(sql: str, **values) -> None:
    """One row, `:t` standing for now."""
    db.session.execute(text(sql), {"t": utcnow(), **values})
