"""Warm workers: gunicorn's hook loads, before the first request, what the first search would
otherwise load while a visitor waits."""
from __future__ import annotations

import runpy

import pytest

from directory import create_app
from directory.extensions import db
from directory.search_index import fuzzy
from tests.conftest import REPO
from tests.factories import make_company


@pytest.fixture
def indexed(app):
    with app.app_context():
        make_company("Acme Widgets Inc", ceo="Timothy Cook")
        make_company("Bolt Banking Ltd")
        db.session.commit()  # the commit indexes them


def test_the_first_search_of_a_warmed_worker_reads_no_word_list(app_config, indexed, monkeypatch):
    """A fresh app (a new worker) warmed by gunicorn.conf.py's hook, then a misspelt search:
    its typo fallback finds the company from the words the warm-up read."""
    fuzzy._CACHE.clear()
    worker = create_app(app_config)
    try:
        hooks = runpy.run_path(str(REPO / "gunicorn.conf.py"))
        hooks["post_worker_init"](type("Worker", (), {"wsgi": worker})())
        assert fuzzy._CACHE, "the warm-up read the index's words"

        def no_reading(cls, reader):
            raise AssertionError("a search read a segment's words after the warm-up")

        monkeypatch.setattr(fuzzy.SegmentWords, "read", classmethod(no_reading))
        page = worker.test_client().get("/search?q=acme+widgest")
        assert page.status_code == 200 and 'href="/companies/acme-widgets-inc"' in page.get_data(as_text=True)
    finally:
        with worker.app_context():
            db.session.remove()
            db.engine.dispose()


def test_warming_an_app_without_an_index_is_harmless(app):
    hooks = runpy.run_path(str(REPO / "gunicorn.conf.py"))
    hooks["post_worker_init"](type("Worker", (), {"wsgi": app})())
    assert app.test_client().get("/").status_code == 200
