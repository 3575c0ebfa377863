"""One run at a time across every host: `flask refresh` from two schedulers must not overlap.

Two refreshes at once would read every source twice, race each other's `refresh_runs` rows and
double the load on SEC and Companies House, whose politeness budgets are per client. The lock
lives where every host can see it:

* PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) on a connection held for
  the whole run. The server drops it when that connection ends, so a killed run never leaves
  it behind. The connection's transaction is committed at once: an open transaction held for
  an hour would keep VACUUM from cleaning up after everyone else.
* SQLite (one host by nature): an exclusive `flock` on a file beside the database, which the
  kernel releases when the process ends.
"""
from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from sqlalchemy import text

from .extensions import db


class AlreadyRunning(RuntimeError):
    """Another process holds the lock: this one must do nothing."""


def _advisory_key(name: str) -> int:
    """A stable signed 64-bit key per name (advisory locks are numbered, not named)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def _lock_file(name: str) -> Path:
    """Beside the SQLite file, so every app using that database shares it; in the instance
    folder for an in-memory database."""
    database = db.engine.url.database
    folder = Path(database).parent if database and database != ":memory:" else Path(current_app.instance_path)
    return folder / f"{name.replace(' ', '-')}.lock"


@contextmanager
def exclusive(name: str) -> Iterator[None]:
    """Hold the lock called `name` for the block; AlreadyRunning at once when it is taken."""
    if db.engine.dialect.name == "postgresql":
        key = _advisory_key(name)
        with db.engine.connect() as connection:
            taken = connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key})
            connection.commit()
            if not taken:
                raise AlreadyRunning(name)
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                connection.commit()
        return
    with _lock_file(name).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(name) from None
        yield
