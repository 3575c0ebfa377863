"""Rebuilding the whole index from the database, and telling when it needs one."""
from __future__ import annotations

import os

from sqlalchemy import func, select
from whoosh.writing import CLEAR

from ..extensions import db
from ..models import Company
from .documents import all_documents
from .schema import SCHEMA
from .state import current_state
from .writing import _forget_pending, _read_pending, index_companies

REBUILD_LOCK_WAIT = 60.0  # the CLI may wait for a web request's small write to finish
PARALLEL_REBUILD_FROM = 5000  # companies; below this, starting worker processes costs more
REBUILD_LIMIT_MB = 512  # per process: fewer sorted runs to merge when a segment is written


def rebuild(progress=None) -> int:
    """Rewrite the whole index from the database in one writer; returns the document count.

    `progress(n)` is called after each batch of n companies (the CLI's progress bar).
    Readers keep using the previous generation until the commit replaces it.
    """
    state = current_state()
    ix = state.index()
    if ix.schema.names() != SCHEMA.names():
        ix = state.recreate()
    pending = _read_pending()
    total = db.session.scalar(select(func.count(Company.id))) or 0
    options = {"limitmb": REBUILD_LIMIT_MB}
    if total >= PARALLEL_REBUILD_FROM and (os.cpu_count() or 1) > 1:
        # Whoosh indexing is pure Python and CPU-bound: spread it over two processes, and
        # keep each process's segment (multisegment) instead of merging them at the end.
        options.update(procs=2, multisegment=True)
    writer = ix.writer(timeout=max(state.writer_timeout, REBUILD_LOCK_WAIT), **options)
    count = 0
    try:
        with db.engine.connect() as connection:
            for documents in all_documents(connection):
                for document in documents:
                    writer.add_document(**document)
                count += len(documents)
                if progress is not None:
                    progress(len(documents))
        writer.commit(mergetype=CLEAR)  # drop the old segments, keep only what we wrote
    except BaseException:
        writer.cancel()
        raise
    if pending:
        _forget_pending(pending)
    if _read_pending():  # changes web workers queued while the rebuild held the lock
        index_companies(())
    return count


def is_stale() -> bool:
    """True when the index is missing or holds a different number of documents."""
    state = current_state()
    if not state.exists():
        return True
    ix = state.index()
    if ix.schema.names() != SCHEMA.names():
        return True
    companies = db.session.scalar(select(func.count(Company.id))) or 0
    return ix.doc_count() != companies
