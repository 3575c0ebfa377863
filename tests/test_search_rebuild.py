"""The whole-index rebuild: a two-process build finds what a one-process build finds, the
segment builder writes what Whoosh's own writer writes, and a rebuild that fails (an
exception or a killed worker) leaves the previous index exactly as it was."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import select
from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema

from directory import search_index
from directory.extensions import db
from directory.models import Company
from directory.search_index import rebuilding
from directory.search_index.documents import all_documents
from directory.search_index.schema import SCHEMA
from directory.search_index.segments import SegmentBuilder
from directory.search_index.state import current_state
from tests.factories import make_company

QUERIES = ("harbor", "harbor freight", "hf3", "dan stone2", "daniel", "stone7", "boston", "retail",
           "northwind", "nortwind", "acme tools", "kate rivera", "zzz")


def _make_companies(count: int = 24) -> None:
    for n in range(count):
        make_company(f"Harbor Freight {n} Ltd" if n % 3 else f"Northwind Traders {n} Inc.",
                     ticker=f"HF{n}" if n % 2 else None, ceo=f"Daniel Stone{n}",
                     city="Boston" if n % 4 else "Denver", sector="Retail" if n % 2 else "Banking",
                     country="US" if n % 5 else "GB",
                     former_names=["Acme Tools Corp."] if n == 7 else (),
                     executives=[("Katherine Rivera", "Chief Financial Officer", "cfo")] if n == 9 else ())
    db.session.commit()


def _what_users_see() -> dict:
    """Every query's results as a user gets them: ids in order, totals, facets, corrections
    and suggestions."""
    seen = {}
    for query in QUERIES:
        found = search_index.search(query)
        seen[query] = (found.ids, found.total, found.facets, found.did_you_mean,
                       {i: str(h) for i, h in found.highlights.items()})
    for prefix in ("h", "har", "north", "hf1", "d"):
        seen["suggest " + prefix] = search_index.suggest(prefix)
    return seen


def _files(directory) -> set[str]:
    return {name for name in os.listdir(directory) if not name.endswith(".lock")}


def test_two_processes_build_the_index_one_process_builds(app):
    with app.app_context():
        _make_companies()
        progress = []
        assert search_index.rebuild(processes=1) == 24
        one_process = _what_users_see()
        assert search_index.rebuild(progress=progress.append, processes=2) == 24
        two_processes = _what_users_see()
        assert current_state().index().reader().leaf_readers()[1:]  # one segment per process
        assert search_index.check() == []
        assert not search_index.is_stale()
    assert sum(progress) == 24
    assert two_processes == one_process
    assert one_process["hf3"][0] and one_process["nortwind"][3] == "northwind"


def test_segment_builder_writes_what_whoosh_writer_writes(app, tmp_path):
    """The same documents through Whoosh's SegmentWriter and through the builder give the
    same terms, postings, field lengths, stored fields and columns."""
    with app.app_context():
        _make_companies()
        # Terms found twice in one document: in one document only, and in several.
        make_company("Bank of Bank Holdings", ceo="Ana Bank")
        make_company("Bank Bank Ltd", former_names=["Zorro Zorro Zorro Ltd"])
        db.session.commit()
        with db.engine.connect() as connection:
            documents = [document.whoosh_fields() for batch in all_documents(connection) for document in batch]
    theirs_dir, ours_dir = tmp_path / "whoosh", tmp_path / "builder"
    theirs_dir.mkdir(), ours_dir.mkdir()
    theirs = whoosh_index.create_in(str(theirs_dir), SCHEMA)
    with theirs.writer() as writer:
        for document in documents:
            writer.add_document(**document)
    ours = whoosh_index.create_in(str(ours_dir), SCHEMA)
    builder = SegmentBuilder(ours.storage, ours.indexname, SCHEMA)
    for document in documents:
        builder.add(document)
    whoosh_index.TOC(SCHEMA, [builder.finish()], 1).write(ours.storage, ours.indexname)

    def postings(reader, fieldname, term):
        matcher, out = reader.postings(fieldname, term), []
        while matcher.is_active():
            # An inlined Existence posting reads back as "" where a block gives None.
            out.append((matcher.id(), matcher.weight(), matcher.value() or b"",
                        matcher.block_min_length(), matcher.block_max_length()))
            matcher.next()
        return out

    with theirs.reader() as a, whoosh_index.open_dir(str(ours_dir)).reader() as b:
        assert list(a.all_terms()) == list(b.all_terms())
        for fieldname, term in a.all_terms():
            assert postings(a, fieldname, term) == postings(b, fieldname, term), (fieldname, term)
            assert a.frequency(fieldname, term) == b.frequency(fieldname, term)
        assert list(a.all_stored_fields()) == list(b.all_stored_fields())
        assert (b.doc_frequency("name", "bank"), b.frequency("name", "bank")) == (2, 4)
        assert (b.doc_frequency("former_names", "zorro"), b.frequency("former_names", "zorro")) == (1, 3)
        for fieldname in SCHEMA.names():
            assert a.field_length(fieldname) == b.field_length(fieldname)
            assert [a.doc_field_length(n, fieldname) for n in range(len(documents))] == \
                   [b.doc_field_length(n, fieldname) for n in range(len(documents))]
            if a.has_column(fieldname):
                assert list(a.column_reader(fieldname)) == list(b.column_reader(fieldname))


def _failing_documents(fail):
    """`all_documents`, but the range that starts above the first company calls `fail`."""
    def documents(connection, *, low=None, high=None, **kwargs):
        for batch in all_documents(connection, low=low, high=high, **kwargs):
            if low is not None:
                fail()
            yield batch
    return documents


def _raise():
    raise RuntimeError("disk full")


@pytest.mark.parametrize("fail, message", [(_raise, "disk full"), (lambda: os._exit(3), "exited with code 3")])
def test_a_failed_worker_leaves_the_previous_index(app, monkeypatch, fail, message):
    """A worker that raises, or dies outright, fails the rebuild; users keep finding what
    they found before, and nothing the workers wrote is left in the index folder."""
    with app.app_context():
        _make_companies()
        search_index.rebuild(processes=2)
        before = _what_users_see()
        directory = current_state().directory
        files = _files(directory)
        monkeypatch.setattr(rebuilding, "all_documents", _failing_documents(fail))
        with pytest.raises(rebuilding.RebuildError, match=message):
            search_index.rebuild(processes=2)
        assert _what_users_see() == before
        assert _files(directory) == files
        monkeypatch.undo()
        assert search_index.rebuild(processes=2) == 24  # the lock was released
        assert _what_users_see() == before


def test_a_failed_one_process_rebuild_leaves_the_previous_index(app, monkeypatch):
    with app.app_context():
        _make_companies(6)
        search_index.rebuild(processes=1)
        before = _what_users_see()
        files = _files(current_state().directory)

        def documents(connection, **kwargs):
            yield from all_documents(connection, **kwargs)
            raise RuntimeError("disk full")

        monkeypatch.setattr(rebuilding, "all_documents", documents)
        with pytest.raises(RuntimeError, match="disk full"):
            search_index.rebuild(processes=1)
        assert _what_users_see() == before
        assert _files(current_state().directory) == files


def test_rebuild_of_an_empty_database_empties_the_index(app):
    with app.app_context():
        _make_companies(3)
        search_index.rebuild()
        assert search_index.search("harbor").total == 2
        for company in db.session.scalars(select(Company)):
            db.session.delete(company)
        db.session.commit()
        assert search_index.rebuild(processes=2) == 0
        assert search_index.search("harbor").total == 0
        assert search_index.suggest("har") == []
        assert not search_index.is_stale()


def test_rebuild_replaces_an_index_of_an_older_schema(app):
    """An index written by an older release (other fields) is replaced in one commit, with
    no moment where readers see an empty index."""
    with app.app_context():
        _make_companies(3)
        state = current_state()
        state.directory.mkdir(parents=True, exist_ok=True)
        old = whoosh_index.create_in(str(state.directory), Schema(id=ID(stored=True, unique=True),
                                                                 name=TEXT(stored=True)))
        with old.writer() as writer:
            writer.add_document(id="1", name="Harbor Freight 1 Ltd")
        assert search_index.is_stale()
        assert search_index.rebuild() == 3
        assert not search_index.is_stale()
        assert current_state().index().schema.names() == SCHEMA.names()
        assert search_index.search("harbor").total == 2


def test_later_edits_merge_into_a_rebuilt_index(app, caplog):
    """Whoosh merges small segments as edits arrive; the builder's segment must merge like
    any other (its inlined postings once had a str value, and every later index write failed)."""
    with app.app_context():
        for n in range(6):
            make_company(f"Acme Widgets {n}", city="Springfield")
        db.session.commit()
        search_index.rebuild()
        for edit in range(30):  # enough commits for Whoosh to merge the rebuilt segment
            company = db.session.get(Company, 1 + edit % 6)
            company.city = f"Shelbyville {edit}"
            db.session.commit()
        assert "search index update failed" not in caplog.text
        assert len(current_state().index().reader().leaf_readers()) < 30
        found = search_index.search("shelbyville 29")
        assert [db.session.get(Company, i).city for i in found.ids][:1] == ["Shelbyville 29"]
        assert search_index.check() == []
