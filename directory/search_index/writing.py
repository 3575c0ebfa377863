"""Writing the index: after-commit updates, the pending queue and consistency checks.

One writer at a time, across threads and gunicorn workers: a writer waits at most
`SEARCH_WRITER_TIMEOUT`; when the lock stays busy the ids go to the `pending_reindex` table,
drained by the next successful write or by `flask index rebuild --pending`.
"""
from __future__ import annotations

from sqlalchemy import and_, delete, insert, or_, select
from sqlalchemy.exc import IntegrityError
from whoosh import index as whoosh_index

from ..extensions import db
from ..models import Company, PendingReindex
from ..models.base import utcnow
from .documents import documents_for_ids
from .state import current_state


def _chunks(values: list, size: int):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def queue_pending(ids: set[int]) -> None:
    """Remember ids whose document could not be written now; retried on conflicts because
    two workers may queue the same company at the same moment."""
    for _attempt in range(3):
        try:
            with db.engine.begin() as connection:
                connection.execute(delete(PendingReindex.__table__).where(
                    PendingReindex.__table__.c.company_id.in_(ids)))
                now = utcnow()
                connection.execute(insert(PendingReindex.__table__),
                                   [{"company_id": i, "queued_at": now} for i in sorted(ids)])
            return
        except IntegrityError:
            continue
    raise RuntimeError(f"could not queue companies {sorted(ids)} for re-indexing")


def _read_pending() -> list[tuple[int, object]]:
    with db.engine.connect() as connection:
        table = PendingReindex.__table__
        return [tuple(row) for row in connection.execute(select(table.c.company_id, table.c.queued_at))]


def _forget_pending(rows: list[tuple[int, object]]) -> None:
    """Delete exactly the rows we indexed: a company queued again meanwhile stays queued."""
    table = PendingReindex.__table__
    with db.engine.begin() as connection:
        for chunk in _chunks(rows, 400):
            connection.execute(delete(table).where(
                or_(*(and_(table.c.company_id == cid, table.c.queued_at == queued) for cid, queued in chunk))))


def _write_documents(writer, ids: set[int]) -> None:
    with db.engine.connect() as connection:
        documents = documents_for_ids(connection, sorted(ids))
    for company_id in sorted(ids):
        if company_id in documents:
            writer.update_document(**documents[company_id])
        else:
            writer.delete_by_term("id", str(company_id))


def index_companies(ids) -> bool:
    """Re-index these companies (and any pending ones); False when the lock stayed busy and
    the ids were queued instead. Companies that no longer exist are removed."""
    state = current_state()
    ids = set(ids)
    for _round in range(3):  # ids queued by another worker while we wrote are drained too
        try:
            writer = state.index().writer(timeout=state.writer_timeout)
        except whoosh_index.LockError:
            if ids:
                queue_pending(ids)
            return False
        try:
            pending = _read_pending()
            _write_documents(writer, ids | {cid for cid, _ in pending})
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        if pending:
            _forget_pending(pending)
        ids = set()
        if not _read_pending():
            return True
    return True


def drain_pending() -> int:
    """Index every queued company; the number drained (0 when the lock stayed busy)."""
    count = len(_read_pending())
    return count if index_companies(()) else 0


def check() -> list[str]:
    """Disagreements between the index and the database, as sentences for the CLI."""
    problems = []
    with current_state().searcher(fresh=True) as searcher:
        indexed = {int(fields["id"]): fields.get("name") for fields in searcher.all_stored_fields()}
    database = dict(db.session.execute(select(Company.id, Company.name)).all())
    for company_id in sorted(database.keys() - indexed.keys()):
        problems.append(f"company {company_id} ({database[company_id]}) is missing from the index")
    for company_id in sorted(indexed.keys() - database.keys()):
        problems.append(f"index document {company_id} ({indexed[company_id]}) has no company")
    for company_id in sorted(database.keys() & indexed.keys()):
        if database[company_id] != indexed[company_id]:
            problems.append(f"company {company_id} is indexed as {indexed[company_id]!r}, "
                            f"named {database[company_id]!r}")
    pending = len(_read_pending())
    if pending:
        problems.append(f"{pending} companies are waiting in pending_reindex")
    return problems
