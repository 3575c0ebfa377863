"""Writing the index: the pending queue (an outbox), after-commit updates and consistency checks.

The `pending_reindex` table is a transactional outbox: every transaction that changes a
company's search document also upserts that company's row there, in the same commit
(`enqueue`). After the commit the documents are written and exactly the rows that were read
are deleted. So a process that dies between its database commit and its index write (a
killed gunicorn worker) leaves the row behind, and the next write, `flask index rebuild
--pending` or `--check` indexes it: the index cannot silently miss a committed change.

One writer at a time, across threads and gunicorn workers: a writer waits at most
`SEARCH_WRITER_TIMEOUT`; when the lock stays busy the rows simply stay queued.
"""
from __future__ import annotations

from sqlalchemy import and_, delete, or_, select
from whoosh import index as whoosh_index

from ..database import UPSERTS
from ..extensions import db
from ..models import Company, PendingReindex
from ..models.base import utcnow
from .documents import documents_for_ids
from .state import current_state


def _chunks(values: list, size: int):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def enqueue(connection, ids) -> None:
    """Queue these companies inside the caller's transaction (the outbox write).

    An upsert, not delete-then-insert: on PostgreSQL two transactions queueing the same
    company would otherwise fail one of them on the primary key; with ON CONFLICT the second
    waits for the first and then moves `queued_at` on, which keeps the row queued for a
    drainer that read the older value. Ids are sorted so concurrent upserts lock rows in the
    same order.
    """
    table = PendingReindex.__table__
    now = utcnow()
    upsert = UPSERTS[connection.dialect.name]
    for chunk in _chunks(sorted(ids), 500):
        statement = upsert(table).values([{"company_id": i, "queued_at": now} for i in chunk])
        connection.execute(statement.on_conflict_do_update(
            index_elements=[table.c.company_id], set_={"queued_at": statement.excluded.queued_at}))


def read_pending() -> list[tuple[int, object]]:
    with db.engine.connect() as connection:
        table = PendingReindex.__table__
        return [tuple(row) for row in connection.execute(select(table.c.company_id, table.c.queued_at))]


def forget_pending(rows: list[tuple[int, object]]) -> None:
    """Delete exactly the rows we indexed: a company queued again meanwhile stays queued.

    The rows are locked in company order first (PostgreSQL; SQLite has one writer anyway),
    the order `enqueue` upserts them in, so a commit queueing two of these companies and
    this delete cannot deadlock.
    """
    table = PendingReindex.__table__
    with db.engine.begin() as connection:
        for chunk in _chunks(sorted({cid for cid, _ in rows}), 400):
            connection.execute(select(table.c.company_id).where(table.c.company_id.in_(chunk))
                               .order_by(table.c.company_id).with_for_update())
        for chunk in _chunks(rows, 400):
            connection.execute(delete(table).where(
                or_(*(and_(table.c.company_id == cid, table.c.queued_at == queued) for cid, queued in chunk))))


def _write_documents(writer, ids: set[int]) -> None:
    with db.engine.connect() as connection:
        documents = documents_for_ids(connection, sorted(ids))
    for company_id in sorted(ids):
        if company_id in documents:
            writer.update_document(**documents[company_id].whoosh_fields())
        else:
            writer.delete_by_term("id", str(company_id))


def index_companies(ids) -> bool:
    """Re-index these companies (and any pending ones); False when the lock stayed busy.

    The ids are already queued (the commit that changed them wrote the outbox rows), so a
    busy lock, an error or a killed process leaves them for the next writer. Companies that
    no longer exist are removed.
    """
    state = current_state()
    ids = set(ids)
    for _round in range(3):  # ids queued by another worker while we wrote are drained too
        try:
            writer = state.index().writer(timeout=state.writer_timeout)
        except whoosh_index.LockError:
            return False
        try:
            pending = read_pending()
            _write_documents(writer, ids | {cid for cid, _ in pending})
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        if pending:
            forget_pending(pending)
        ids = set()
        if not read_pending():
            return True
    return True


def drain_pending() -> int:
    """Index every queued company; the number drained (0 when the lock stayed busy)."""
    count = len(read_pending())
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
    pending = len(read_pending())
    if pending:
        problems.append(f"{pending} companies are waiting in pending_reindex")
    return problems
