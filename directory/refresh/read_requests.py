""""Read this company now": a visitor queues an on-demand EDGAR import of one company.

Why it is shaped this way:

* At most one request a day per company: a unique (company, day) row, so a second click,
  a second visitor or a second app server finds the first request instead of queueing again.
* Within SEC's limit (10 requests a second for everyone on this server): requests are run
  one at a time across every worker and host (the `exclusive` lock `flask refresh` uses,
  under its own name), by a client paced at SEC_REQUESTS_PER_SECOND; how many visitors may
  queue is limited per visitor and for all of them together in the view.
* A worker thread in the web process runs the queue. Each request is claimed with a
  conditional UPDATE (`WHERE status = 'queued'`), so with two gunicorn workers (or two
  hosts on PostgreSQL) only one runs it; a claim left by a worker that died is taken again
  after STALE_CLAIM. A queued request is picked up again when its page is viewed (it
  reloads itself while queued), so a restart never strands it.
"""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..extensions import db
from ..importers.clients import edgar_client
from ..importers.edgar import EdgarImport, RunOptions
from ..locking import AlreadyRunning, exclusive
from ..models import Company, CompanyReadRequest

STALE_CLAIM = timedelta(minutes=15)  # far longer than one company's import takes
LOCK_NAME = "sec on-demand reads"
PENDING = ("queued", "running")


def can_read_live() -> bool:
    """Whether this server reads SEC itself: an identity to declare (SEC_USER_AGENT) and
    on-demand reads not switched off (SEC_READ_ON_DEMAND=0 for an offline or demo server)."""
    config = current_app.config
    return bool((config.get("SEC_USER_AGENT") or "").strip()) and bool(config.get("SEC_READ_ON_DEMAND"))


def todays_request(company: Company) -> CompanyReadRequest | None:
    return db.session.scalar(select(CompanyReadRequest).where(
        CompanyReadRequest.company_id == company.id, CompanyReadRequest.requested_on == clock.today()))


def request_read(company: Company) -> tuple[CompanyReadRequest, bool]:
    """Today's request for the company, queued now unless it already was (then False)."""
    existing = todays_request(company)
    if existing is not None:
        return existing, False
    request = CompanyReadRequest(company_id=company.id, requested_on=clock.today(), status="queued")
    try:
        with db.session.begin_nested():
            db.session.add(request)
    except IntegrityError:  # another worker queued it between our read and our insert
        return todays_request(company), False
    db.session.commit()
    return request, True


def _claimable(now: datetime):
    return or_(CompanyReadRequest.status == "queued",
               (CompanyReadRequest.status == "running") & (CompanyReadRequest.claimed_at < now - STALE_CLAIM))


def claim_next() -> int | None:
    """Claim the oldest request waiting (or abandoned): the id, or None when none is left.
    The UPDATE repeats the condition, so of two workers reaching for one row one wins."""
    while True:
        now = datetime.now(timezone.utc)
        request_id = db.session.scalar(select(CompanyReadRequest.id).where(_claimable(now))
                                       .order_by(CompanyReadRequest.requested_at, CompanyReadRequest.id).limit(1))
        if request_id is None:
            return None
        claimed = db.session.execute(update(CompanyReadRequest).where(
            CompanyReadRequest.id == request_id, _claimable(now)).values(status="running", claimed_at=now))
        db.session.commit()
        if claimed.rowcount == 1:
            return request_id


def run_request(request_id: int) -> None:
    """Import the company of a claimed request from EDGAR, and record how it went."""
    request = db.session.get(CompanyReadRequest, request_id)
    company = db.session.get(Company, request.company_id)
    cik = company.identifier("cik") if company is not None else None
    error = None
    if cik is None:
        error = "no SEC CIK"
    else:
        try:
            summary = _import(cik).summary
            # Documents skipped alone do not fail the read: the company itself was read.
            if not summary.succeeded:
                error = "; ".join(f"{what}: {why}" for what, why in summary.errors[:3]) or "not found on SEC EDGAR"
        except Exception as exc:  # a failed read is recorded for the page, never lost in a thread
            db.session.rollback()
            current_app.logger.exception("on-demand EDGAR read of CIK %s failed", cik)
            error = str(exc) or type(exc).__name__
    request = db.session.get(CompanyReadRequest, request_id)
    request.status = "failed" if error else "done"
    request.error = error[:300] if error else None
    request.finished_at = datetime.now(timezone.utc)
    db.session.commit()


def _import(cik: str) -> EdgarImport:
    """`flask scrape edgar --cik CIK`, with the configured window and press releases."""
    config = current_app.config
    options = RunOptions(lookback_days=config["SEC_LOOKBACK_DAYS"], as_of=clock.today(),
                         press_releases=config["SEC_PRESS_RELEASES"])
    client = edgar_client()
    run = EdgarImport(client, options, data_url=config["SEC_DATA_URL"])
    try:
        run.import_cik(cik)
        run.finish()
    finally:
        client.close()
    return run


def drain() -> int:
    """Run every waiting request, one at a time across all workers; how many this ran.
    Another worker already draining means nothing to do here: it will reach ours too, as
    it looks again after letting go of the lock."""
    ran = 0
    while True:
        try:
            with exclusive(LOCK_NAME):
                while (request_id := claim_next()) is not None:
                    run_request(request_id)
                    ran += 1
        except AlreadyRunning:
            return ran
        finally:
            db.session.remove()
        if not _waiting():  # a request queued while we held the lock, by a worker turned away
            return ran


def _waiting() -> bool:
    now = datetime.now(timezone.utc)
    return db.session.scalar(select(CompanyReadRequest.id).where(_claimable(now)).limit(1)) is not None


_worker: threading.Thread | None = None
_worker_lock = threading.Lock()


def start_worker() -> None:
    """Drain the queue in a background thread of this process, unless one already is
    (SEC_READ_IN_BACKGROUND=0 leaves it to `drain()`, as tests and one-off scripts do)."""
    global _worker
    app = current_app._get_current_object()
    if not app.config.get("SEC_READ_IN_BACKGROUND"):
        return
    with _worker_lock:
        if _worker is not None and _worker.is_alive():
            return
        _worker = threading.Thread(target=_drain_in, args=(app,), name="sec-on-demand", daemon=True)
        _worker.start()


def _drain_in(app) -> None:
    with app.app_context():
        try:
            drain()
        except Exception:  # the thread has nobody to report to but the log
            app.logger.exception("on-demand EDGAR worker stopped")
