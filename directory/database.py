"""Database setup that SQLAlchemy does not do for us: SQLite pragmas."""
from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

# INSERT ... ON CONFLICT for the dialect of a connection: `UPSERTS[connection.dialect.name]`.
UPSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """WAL lets readers work while a writer commits; foreign keys are off by default in
    SQLite; the busy timeout makes concurrent writers wait instead of failing."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def is_sqlite(engine) -> bool:
    return engine.dialect.name == "sqlite"
