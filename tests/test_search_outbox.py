"""The search index survives a process that dies at the worst moment.

`pending_reindex` is an outbox written in the same commit as the change, so a worker killed
after its database commit but before its index write loses nothing: the next write, or
`flask index rebuild --check`, indexes what it left. A process killed while holding the
Whoosh lock, or in the middle of committing a segment, leaves an index that still opens.
"""
from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading

import pytest
from sqlalchemy import select

from directory import search_index
from directory.extensions import db
from directory.models import Company, PendingReindex
from tests.conftest import REPO
from tests.factories import make_company


@pytest.fixture
def app_config(app_config):
    app_config["SEARCH_WRITER_TIMEOUT"] = 0.2
    return app_config


@pytest.fixture
def dead_after_commit(monkeypatch):
    """Commits go through, index writes never happen: what a worker SIGKILLed right after
    its database commit leaves behind."""
    monkeypatch.setattr(search_index, "index_companies", lambda ids: None)
    return monkeypatch


def queued(app) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(select(PendingReindex.company_id)))


def test_a_commit_queues_its_companies_in_the_same_transaction(app, dead_after_commit):
    with app.app_context():
        company = make_company("Outbox Looms")
        db.session.commit()
        company_id = company.id
        assert search_index.search("looms").ids == []
    assert queued(app) == {company_id}


def test_a_rolled_back_change_queues_nothing(app, dead_after_commit):
    with app.app_context():
        make_company("Never Committed Looms")
        db.session.flush()
        db.session.rollback()
    assert queued(app) == set()


def test_check_indexes_what_a_dead_worker_left_then_agrees(app, runner, dead_after_commit):
    with app.app_context():
        company = make_company("Orphaned Kilns")
        db.session.commit()
        company_id = company.id
    dead_after_commit.undo()  # the worker that committed is gone; the CLI runs normally

    result = runner.invoke(args=["index", "rebuild", "--check"])
    assert result.exit_code == 0, result.output
    assert "Indexed 1 pending companies" in result.output
    assert "agrees with the database" in result.output
    with app.app_context():
        assert search_index.search("kilns").ids == [company_id]
    assert queued(app) == set()


def test_the_next_write_indexes_what_a_dead_worker_left(app, dead_after_commit):
    with app.app_context():
        make_company("Stranded Foundry")
        db.session.commit()
    dead_after_commit.undo()
    with app.app_context():
        make_company("Rescuing Foundry")
        db.session.commit()
        assert search_index.search("foundry").total == 2
    assert queued(app) == set()


def test_two_commits_queueing_the_same_company_both_succeed(app):
    """The outbox upsert never fails a user's transaction on the queue's primary key."""
    with app.app_context():
        company = make_company("Contested Mills")
        db.session.commit()
        company_id = company.id
        held = app.extensions["search_index"].index().writer()  # every index write is deferred
    errors = []

    def rename(name):
        try:
            with app.app_context():
                db.session.get(Company, company_id).sector = name
                db.session.commit()
        except Exception as error:  # reported by the assertion below
            errors.append(error)

    try:
        threads = [threading.Thread(target=rename, args=(sector,)) for sector in ("Textiles", "Milling")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        held.cancel()
    assert errors == []
    assert queued(app) == {company_id}
    with app.app_context():
        assert search_index.drain_pending() == 1
        assert search_index.check() == []


KILLED_WRITER = textwrap.dedent("""
    import os, signal, sys
    from whoosh import index
    from whoosh.index import TOC

    ix = index.open_dir(sys.argv[1])
    writer = ix.writer()
    for n in range(500):
        writer.add_document(id=str(100000 + n), name="Ghost Works %d" % n)
    if sys.argv[2] == "mid-commit":  # every segment file written, the new table of contents not
        TOC.write = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
        writer.commit()
    os.kill(os.getpid(), signal.SIGKILL)
""")


@pytest.mark.parametrize("moment", ["holding-the-lock", "mid-commit"])
def test_a_writer_killed_by_sigkill_leaves_a_usable_index(app, moment):
    with app.app_context():
        company = make_company("Survivor Works")
        db.session.commit()
        company_id = company.id
        directory = app.extensions["search_index"].directory
    killed = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(directory), moment],
                            check=False, cwd=REPO, timeout=60)
    assert killed.returncode == -signal.SIGKILL
    with app.app_context():
        assert search_index.search("ghost").total == 0
        company = db.session.get(Company, company_id)
        company.name = "Survivor Works Again"  # the lock died with its holder: this write gets it
        db.session.commit()
        assert search_index.search("again").ids == [company_id]
        assert search_index.check() == []
    assert queued(app) == set()
