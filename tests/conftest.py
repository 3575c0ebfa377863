"""Shared fixtures: a migrated database per test (SQLite by default, PostgreSQL when
DATABASE_URL points at one), a private search index, a client and a CLI runner."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import make_url, text

from directory import create_app
from directory.extensions import db
from tests.edgar_server import EdgarServer

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"  # the fixtures folder beside the checkout, as CI lays it out
POSTGRES_URL = os.environ.get("DATABASE_URL", "") if os.environ.get("DATABASE_URL", "").startswith("postgres") else ""


def _config(tmp_path: Path, database_uri: str, **extra) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
        "SCRAPER_CACHE_DIR": str(tmp_path / "http-cache"),
        "OPEN_DATA_PATH": str(tmp_path / "open-data" / "directory.jsonl.gz"),
        "SEC_USER_AGENT": "CEO Directory tests tests@example.org",
        # Cheap argon2id parameters: hashing stays real, but a login costs a millisecond.
        "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 8, "ARGON2_PARALLELISM": 1,
        # Tests see every change at once; tests/test_caching.py turns the cache on.
        "CACHE_TYPE": "NullCache",
    }
    config.update(extra)
    return config


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> str:
    """Apply the migrations once: to a template SQLite file each test copies, or to the
    PostgreSQL database whose tables each test truncates afterwards."""
    if POSTGRES_URL:
        name = make_url(POSTGRES_URL).database or ""
        if not name.endswith("_test"):
            pytest.exit(f"refusing to drop the schema of PostgreSQL database {name!r}: "
                        "the test database's name must end in _test", returncode=2)
        app = create_app(_config(tmp_path_factory.mktemp("pg"), POSTGRES_URL))
        with app.app_context():
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
            upgrade()
            db.engine.dispose()
        return POSTGRES_URL
    template = tmp_path_factory.mktemp("template") / "template.sqlite"
    app = create_app(_config(template.parent, f"sqlite:///{template}"))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return str(template)


@pytest.fixture
def database_uri(tmp_path, migrated_database) -> str:
    if POSTGRES_URL:
        return POSTGRES_URL
    path = tmp_path / "directory.sqlite"
    shutil.copyfile(migrated_database, path)
    return f"sqlite:///{path}"


@pytest.fixture
def app_config(tmp_path, database_uri) -> dict:
    """Override in a test module to add settings."""
    return _config(tmp_path, database_uri)


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    yield app
    with app.app_context():
        db.session.remove()
        if POSTGRES_URL:
            tables = ", ".join(t.name for t in db.metadata.sorted_tables)
            with db.engine.begin() as connection:
                connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def shared_fixtures() -> Path:
    """../shared/fixtures, or a clean skip when this checkout has no ../shared beside it."""
    path = SHARED / "fixtures"
    if not path.is_dir():
        pytest.skip("../shared/fixtures is not beside this checkout")
    return path


@pytest.fixture
def mirror(shared_fixtures):
    """The EDGAR-shaped mirror of ../shared/fixtures served on 127.0.0.1 (`tests/edgar_server.py`)."""
    with EdgarServer(shared_fixtures / "edgar-mirror") as server:
        yield server



@pytest.fixture(params=["whoosh", "postgres"])
def search_backend(request) -> str:
    """Each search backend in turn; postgres only when the tests run on PostgreSQL."""
    if request.param == "postgres" and not POSTGRES_URL:
        pytest.skip("the postgres search backend needs DATABASE_URL to be a PostgreSQL database")
    return request.param


@pytest.fixture
def whoosh_only(app):
    """For tests of the Whoosh index itself (its lock, its outbox, its files)."""
    if app.config["SEARCH_BACKEND"] != "whoosh":
        pytest.skip("about the embedded Whoosh index")
