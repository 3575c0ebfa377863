"""Upgrading a database that already holds data keeps every row (SQLite copies a table to alter it)."""
from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text

from directory import create_app
from directory.extensions import db
from directory.models import utcnow


def test_upgrading_to_head_keeps_the_rows_that_point_at_altered_tables(app_config, tmp_path):
    """Migration 0010 rebuilds `companies`; with foreign keys on, dropping the old copy
    cascaded and deleted every contact of every company."""
    old = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite'}"})
    with old.app_context():
        upgrade(revision="0006")
        now = {"t": utcnow()}
        db.session.execute(text("INSERT INTO companies (id, name, slug, initial, status, contact_policy, created_at,"
                                " updated_at) VALUES (1, 'Acme Widgets Inc.', 'acme-widgets-inc', 'A', 'active',"
                                " 'unknown', :t, :t)"), now)
        db.session.execute(text("INSERT INTO contacts (company_id, kind, value, tier, status, quality, created_at,"
                                " updated_at) VALUES (1, 'phone', '+1 555 0100', 'customer_service', 'ok',"
                                " 'verified', :t, :t)"), now)
        db.session.commit()
        upgrade()
        assert db.session.execute(text("SELECT value FROM contacts")).scalars().all() == ["+1 555 0100"]
        assert db.session.execute(text("PRAGMA foreign_key_check")).all() == []
        db.session.remove()
        db.engine.dispose()
