"""Backups as docs/deploy.md describes them: `pg_dump --format=custom`, then `pg_restore` into a
fresh database, and the app serves the restored directory. PostgreSQL only (CI's PostgreSQL
stage); the commands are Debian's, from the same server version as the database."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import make_url

from directory import create_app
from directory.extensions import db
from tests.conftest import POSTGRES_URL
from tests.factories import make_company
from tests.servers import flask, scratch_database, server_env

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="backups are PostgreSQL's pg_dump (make test-postgres)")


def pg_tool(name: str) -> str:
    """`name` from the server's own bin folder (with-postgres.sh exports PG_BIN), else PATH."""
    folder = os.environ.get("PG_BIN")
    tool = str(Path(folder) / name) if folder else shutil.which(name)
    if not tool or not Path(tool).exists():
        pytest.skip(f"{name} not installed (apt-get install postgresql-client)")
    return tool


def libpq_url(url: str) -> str:
    """The URL as pg_dump and pg_restore read it (no SQLAlchemy driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def test_a_custom_format_dump_restored_into_a_fresh_database_is_served(tmp_path):
    dump = tmp_path / "directory.dump"
    with scratch_database(POSTGRES_URL, "backup_source") as source:
        env = server_env(DATABASE_URL=source, SECRET_KEY="backup-test-key-not-a-secret-at-all")
        flask(env, "db", "upgrade")
        app = create_app({"SQLALCHEMY_DATABASE_URI": source, "SECRET_KEY": "seeding", "SEARCH_ENABLED": False})
        with app.app_context():
            make_company("Acme Widgets Inc.", ceo="Wile E. Coyote")
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
        subprocess.run([pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", libpq_url(source)],
                       check=True, capture_output=True, timeout=300)

    with scratch_database(POSTGRES_URL, "backup_restored") as restored:
        subprocess.run([pg_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={libpq_url(restored)}",
                        str(dump)], check=True, capture_output=True, timeout=300)
        env = server_env(DATABASE_URL=restored, SECRET_KEY="backup-test-key-not-a-secret-at-all",
                         SEARCH_INDEX_DIR=str(tmp_path / "search-index"))
        flask(env, "db", "upgrade")  # nothing to do: the restore brought the schema's version
        flask(env, "index", "rebuild")  # the Whoosh folder is not in the dump
        app = create_app({"SQLALCHEMY_DATABASE_URI": restored, "SECRET_KEY": "reading",
                          "SEARCH_INDEX_DIR": str(tmp_path / "search-index"), "CACHE_TYPE": "NullCache"})
        client = app.test_client()
        assert "CEO: Wile E. Coyote" in client.get("/search?q=acme").get_data(as_text=True)
        page = client.get("/companies/acme-widgets-inc")
        assert page.status_code == 200 and "Wile E. Coyote" in page.get_data(as_text=True)
        with app.app_context():
            db.engine.dispose()
