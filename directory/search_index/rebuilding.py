"""Rebuilding the whole index from the database, and telling when it needs one.

A rebuild writes new segments while holding the index's write lock, then lists them in a
new TOC generation in one step: readers keep the previous generation until then, and a
rebuild that fails leaves it as it was. With two or more processes each process loads its
own range of company ids from the database and writes its own segment; the parent only
waits and commits (Whoosh's `MpWriter` would load, pickle and ship every document through
the parent, which then limits the build).
"""
from __future__ import annotations

import multiprocessing
import os
import queue
import traceback

from sqlalchemy import func, select
from whoosh.index import TOC, LockError, clean_files
from whoosh.util.filelock import try_for

from ..extensions import db
from ..models import Company
from .documents import all_documents, company_id_ranges
from .schema import SCHEMA
from .segments import SegmentBuilder
from .state import current_state
from .writing import forget_pending, index_companies, read_pending

REBUILD_LOCK_WAIT = 60.0  # the CLI may wait for a web request's small write to finish
PARALLEL_REBUILD_FROM = 5000  # companies; below this, starting worker processes costs more
REBUILD_PROCESSES = 2


class RebuildError(RuntimeError):
    """A rebuild worker failed; the index is unchanged."""


def rebuild(progress=None, *, processes: int | None = None) -> int:
    """Rewrite the whole index from the database; returns the document count.

    `progress(n)` is called after each batch of n companies (the CLI's progress bar).
    `processes` defaults to two from `PARALLEL_REBUILD_FROM` companies on, one below.
    """
    state = current_state()
    ix = state.index()
    if processes is None:
        total = db.session.scalar(select(func.count(Company.id))) or 0
        parallel = total >= PARALLEL_REBUILD_FROM and (os.cpu_count() or 1) > 1
        processes = REBUILD_PROCESSES if parallel else 1
    pending = read_pending()
    lock = ix.lock("WRITELOCK")
    if not try_for(lock.acquire, timeout=max(state.writer_timeout, REBUILD_LOCK_WAIT), delay=0.1):
        raise LockError("the search index is locked by another writer")
    try:
        count = _rebuild_locked(ix, processes, progress or (lambda n: None))
    finally:
        lock.release()
    if pending:
        forget_pending(pending)
    if read_pending():  # changes web workers queued while the rebuild held the lock
        index_companies(())
    return count


def _rebuild_locked(ix, processes: int, progress) -> int:
    """Write the new segments and commit them as the next generation; on any failure,
    delete whatever was written and keep the current generation."""
    with db.engine.connect() as connection:
        ranges = company_id_ranges(connection, processes)
    try:
        if len(ranges) == 1:
            segments = [_build_segment(ix, db.engine, *ranges[0], progress=progress)]
        else:
            segments = _build_in_processes(ix, ranges, progress)
        segments = [segment for segment in segments if segment.doc_count_all()]
        generation = ix.latest_generation() + 1
        # The current schema goes with the new generation, so a schema change needs no
        # separate (and, for readers, empty) re-creation of the index.
        TOC(SCHEMA, segments, generation).write(ix.storage, ix.indexname)
    except BaseException:
        toc = TOC.read(ix.storage, ix.indexname)
        clean_files(ix.storage, ix.indexname, toc.generation, toc.segments)
        raise
    finally:
        ix.storage.temp_storage(f"{ix.indexname}.tmp").destroy()  # the per-document writers' scratch
    clean_files(ix.storage, ix.indexname, generation, segments)
    return sum(segment.doc_count_all() for segment in segments)


def _build_segment(ix, engine, low, high, *, progress):
    """One segment of the companies with low <= id < high (None: unbounded)."""
    builder = SegmentBuilder(ix.storage, ix.indexname, SCHEMA)
    try:
        with engine.connect() as connection:
            for documents in all_documents(connection, low=low, high=high):
                for document in documents:
                    builder.add(document.whoosh_fields())
                progress(len(documents))
        return builder.finish()
    except BaseException:
        builder.cancel()
        raise


def _build_in_processes(ix, ranges, progress) -> list:
    """Build one segment per id range, each in a forked process; the segments in range
    order, so document numbers follow company ids as in a one-process build."""
    context = multiprocessing.get_context("fork")
    messages = context.Queue()
    workers = [context.Process(target=_worker, args=(ix, db.engine, part, low, high, messages),
                               name=f"index-rebuild-{part}", daemon=True)
               for part, (low, high) in enumerate(ranges)]
    for worker in workers:
        worker.start()
    segments, exited_before = {}, set()
    try:
        while len(segments) < len(workers):
            try:
                kind, part, value = messages.get(timeout=1.0)
            except queue.Empty:
                # A worker's messages are all in the pipe before it exits: one that had
                # exited before this wait and still sent no segment died (killed, out of
                # memory, os._exit).
                exited = {part for part, worker in enumerate(workers)
                          if worker.exitcode is not None and part not in segments}
                for part in exited & exited_before:
                    raise RebuildError(f"{workers[part].name} exited with code {workers[part].exitcode}") from None
                exited_before = exited
                continue
            if kind == "progress":
                progress(value)
            elif kind == "done":
                segments[part] = value
            else:
                raise RebuildError(f"{workers[part].name} failed:\n{value}")
    finally:
        for worker in workers:
            if worker.is_alive() and len(segments) < len(workers):
                worker.terminate()
            worker.join()
        messages.close()
    return [segments[part] for part in range(len(workers))]


def _worker(ix, engine, part, low, high, messages) -> None:
    """A forked rebuild process: its own database connections, its own segment."""
    engine.dispose(close=False)  # the parent's pooled connections stay the parent's
    try:
        segment = _build_segment(ix, engine, low, high,
                                 progress=lambda n: messages.put(("progress", part, n)))
    except Exception:  # noqa: BLE001 - reported to the parent, which fails the rebuild
        messages.put(("failed", part, traceback.format_exc()))
        raise SystemExit(1) from None
    messages.put(("done", part, segment))


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
