"""Opening the search index from several processes at once, as gunicorn workers do."""
from __future__ import annotations

import multiprocessing
from types import SimpleNamespace

from directory.search_index.state import SearchState

WORKERS = 8
ROUNDS = 20


def _open_at_the_barrier(directory, barrier, results) -> None:
    app = SimpleNamespace(config={"SEARCH_INDEX_DIR": str(directory), "SEARCH_TIME_LIMIT": 1.0,
                                  "SEARCH_WRITER_TIMEOUT": 1.0})
    state = SearchState(app)
    barrier.wait()
    try:
        state.index()
        results.put("opened")
    except Exception as error:  # the failure a visitor would have seen as a 500
        results.put(f"{type(error).__name__}: {error}")


def test_workers_meeting_a_missing_index_all_open_it(tmp_path):
    """Before the lock, two workers creating the empty index at once collided on its table of
    contents and one first search answered 500."""
    context = multiprocessing.get_context("fork")
    outcomes = []
    for round_number in range(ROUNDS):
        directory = tmp_path / f"index-{round_number}"
        barrier, results = context.Barrier(WORKERS), context.Queue()
        workers = [context.Process(target=_open_at_the_barrier, args=(directory, barrier, results))
                   for _ in range(WORKERS)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        outcomes += [results.get(timeout=10) for _ in workers]
    assert [o for o in outcomes if o != "opened"] == []
