"""The commit pipeline: its stages fire in the order `directory.pipeline` lists, and an import
that defers search leaves the index to its final rebuild while pages still go stale."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory import pipeline, search_index
from directory.caching import generation
from directory.extensions import db
from directory.models import Company, PendingReindex
from directory.revisions import mark_changed
from tests.factories import make_company


def test_every_session_listener_fires_in_the_pipelines_order(app):
    """No stage registers itself elsewhere: each event's listeners of our modules, in the
    order SQLAlchemy calls them, are exactly the pipeline's, in its order."""
    ours = {listener for _, listener in pipeline.LISTENERS}
    for name in {name for name, _ in pipeline.LISTENERS}:
        called = [listener for listener in getattr(Session().dispatch, name)
                  if getattr(listener, "__module__", "").startswith("directory")]
        assert called == [listener for event, listener in pipeline.LISTENERS if event == name]
        assert set(called) <= ours


def test_a_deferred_commit_leaves_the_index_to_the_rebuild_and_still_moves_the_generation(app):
    with app.app_context():
        company = make_company("Deferred Tanneries")
        db.session.commit()
        before = generation()

        company.name = "Postponed Tanneries"
        pipeline.defer_search(db.session)
        db.session.commit()

        assert generation() != before  # cached pages go at once
        assert search_index.search("postponed").ids == []  # the index waits for the rebuild
        assert db.session.scalars(select(PendingReindex.company_id)).all() == []
        search_index.rebuild()
        assert search_index.search("postponed").ids == [company.id]


def test_a_core_write_marked_changed_reaches_the_index(app):
    """The bulk loader inserts without a flush: naming its companies indexes them on commit."""
    with app.app_context():
        company = make_company("Core Written Mills")
        db.session.commit()
        db.session.execute(db.update(Company).where(Company.id == company.id).values(name="Statement Mills"))
        mark_changed(db.session, [company.id])
        db.session.commit()
        assert search_index.search("statement").ids == [company.id]
