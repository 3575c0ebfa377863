"""Upgrading a database that already holds data keeps every row (SQLite copies a table to alter it)."""
from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text

from directory.extensions import db
from tests.old_schema import database_at, insert


def test_upgrading_to_head_keeps_the_rows_that_point_at_altered_tables(app_config, tmp_path):
    """Migration 0010 rebuilds `companies`; with foreign keys on, dropping the old copy
    cascaded and deleted every contact of every company."""
    with database_at("0006", app_config, tmp_path):
        insert("INSERT INTO contacts (company_id, kind, value, tier, status, quality, created_at, updated_at)"
               " VALUES (1, 'phone', '+1 555 0100', 'customer_service', 'ok', 'verified', :t, :t)")
        db.session.commit()
        upgrade()
        assert db.session.execute(text("SELECT value FROM contacts")).scalars().all() == ["+1 555 0100"]
        assert db.session.execute(text("PRAGMA foreign_key_check")).all() == []
