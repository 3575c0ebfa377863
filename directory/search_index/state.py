"""Per-process index handle and per-thread searchers (opened lazily, so gunicorn can fork)."""
from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

from whoosh import index as whoosh_index

from ..config import ConfigurationError
from .schema import SCHEMA


class SearchState:
    """Per-app search state in `app.extensions["search_index"]`, opened lazily per process."""

    def __init__(self, app):
        self.backend = app.config.get("SEARCH_BACKEND", "whoosh")
        if self.backend not in ("whoosh", "postgres"):
            raise ConfigurationError(f"SEARCH_BACKEND is {self.backend!r}: choose whoosh or postgres")
        if self.backend == "postgres" and not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgres"):
            raise ConfigurationError("SEARCH_BACKEND=postgres needs DATABASE_URL to be a PostgreSQL database")
        self.directory = Path(app.config["SEARCH_INDEX_DIR"])
        self.enabled = app.config.get("SEARCH_ENABLED", True)
        self.time_limit = float(app.config["SEARCH_TIME_LIMIT"])
        self.writer_timeout = float(app.config["SEARCH_WRITER_TIMEOUT"])
        self._index = None
        self._pid = None
        self._open_lock = threading.Lock()
        self._local = threading.local()

    def exists(self) -> bool:
        return whoosh_index.exists_in(str(self.directory))

    def index(self):
        """The Index object, opened (or created empty) on first use in this process."""
        with self._open_lock:
            if self._index is None or self._pid != os.getpid():
                self._index = self._open_or_create()
                self._pid = os.getpid()
                self._local = threading.local()
            return self._index

    def _open_or_create(self):
        """Open the index, creating an empty one if there is none yet.

        Both gunicorn workers meet a missing index on their first search; two creators write
        the same table-of-contents file name and one of them fails (a 500 to a visitor). An
        exclusive file lock makes the second wait and then open what the first created.
        """
        self.directory.mkdir(parents=True, exist_ok=True)
        if self.exists():
            return whoosh_index.open_dir(str(self.directory))
        with open(self.directory / "create.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if self.exists():
                return whoosh_index.open_dir(str(self.directory))
            return whoosh_index.create_in(str(self.directory), SCHEMA)

    def searcher(self, *, fresh: bool = False):
        """This thread's searcher, reopened when a writer committed since (pitfall W5).

        `fresh=True` opens a separate one for the caller to close (one-off full scans).
        """
        ix = self.index()
        if fresh:
            return ix.searcher()
        current = getattr(self._local, "searcher", None)
        if current is not None and not current.up_to_date():
            # Not `refresh()`: in whoosh-reloaded 2.7.5 it reuses segment readers whose
            # deletions changed, so a renamed company is still found under its old name.
            current.close()
            current = None
        if current is None:
            current = ix.searcher()
        self._local.searcher = current
        return current

    def close(self) -> None:
        current = getattr(self._local, "searcher", None)
        if current is not None:
            current.close()
            self._local.searcher = None


def current_state() -> SearchState:
    from flask import current_app

    return current_app.extensions["search_index"]
