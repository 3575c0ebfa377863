"""Full-text search over companies, with Whoosh kept behind this one module.

Why it is shaped this way (STYLE pitfalls W1-W10):

* The index is written AFTER COMMIT, from the company ids `revisions.py` collects at flush,
  so a rolled-back transaction never reaches the index.
* One writer at a time, across threads and gunicorn workers: a writer waits at most
  `SEARCH_WRITER_TIMEOUT`; when the lock stays busy the ids go to the `pending_reindex`
  table, drained by the next successful write or by `flask index rebuild --pending`.
* Searchers are reused per thread and refreshed when the index changed; results are copied
  into plain lists inside the searcher block; every search is time-bounded.
* User input never reaches Whoosh's query parser: queries are built from analysed tokens.
* Nothing is opened before first use, so gunicorn can fork safely.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape
from sqlalchemy import and_, delete, event, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from whoosh import index as whoosh_index
from whoosh import sorting
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer
from whoosh.collectors import TimeLimit, TimeLimitCollector
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.query import And, AndMaybe, ConstantScoreQuery, FuzzyTerm, Or, Require, Term
from whoosh.searching import ResultsPage
from whoosh.support.charset import accent_map
from whoosh.writing import CLEAR

from .extensions import db
from .models import Company, PendingReindex, Position
from .models.base import utcnow
from .revisions import CHANGED_COMPANIES_KEY

ANALYZER = RegexTokenizer(r"\w+") | LowercaseFilter() | CharsetFilter(accent_map)
# Legal-form words dropped from the end of a name, so "apple" is an exact hit for "Apple Inc.".
LEGAL_SUFFIXES = frozenset(
    "inc incorporated corp corporation co company ltd limited plc llc lp llp sa ag nv se bv "
    "gmbh holdings".split()
)
MAX_QUERY_TOKENS = 10
SUGGEST_MAX = 8
REBUILD_BATCH = 1000
REBUILD_LOCK_WAIT = 60.0
PARALLEL_REBUILD_FROM = 5000  # companies; below this, starting worker processes costs more  # the CLI may wait for a web request's small write to finish

# Ranking tiers: constant scores so "exact beats prefix beats people" holds whatever BM25 says.
TIER_EXACT = 1000.0
TIER_PREFIX = 100.0
TIER_NAME = 50.0
TIER_FORMER = 30.0
TIER_PEOPLE = 10.0
TIEBREAK_BOOST = 0.01  # BM25 across all fields only orders results inside a tier

TEXT_FIELDS = ("name", "former_names", "people", "city", "sector")
FUZZY_FIELDS = ("name", "former_names", "people")
# Typos are looked for after the first two letters: most typos are later in the word, and
# each letter of fixed prefix divides the terms the fuzzy matcher must scan.
FUZZY_PREFIX = 2


def _schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        name=TEXT(analyzer=ANALYZER, stored=True, phrase=False),
        name_exact=KEYWORD(commas=True),  # normalised full name forms
        name_first=ID(),  # first word of the name, for the "name starts with" tier
        former_names=TEXT(analyzer=ANALYZER, phrase=False),
        tickers=KEYWORD(commas=True, lowercase=True),
        city=TEXT(analyzer=ANALYZER, phrase=False),
        sector=TEXT(analyzer=ANALYZER, phrase=False),
        sic=ID(),
        people=TEXT(analyzer=ANALYZER, phrase=False),
        country=ID(stored=True, sortable=True),
        sector_facet=ID(stored=True, sortable=True),
        # Sorted prefix tables for suggestions: the term dictionary is sorted, so the first
        # eight terms from a prefix are read without scoring (or expanding) anything.
        suggest_name=KEYWORD(commas=True),
        suggest_word=KEYWORD(commas=True),
        slug=STORED,
        ticker=STORED,
        ceo=STORED,
    )


SCHEMA = _schema()


def tokens(text: str | None) -> list[str]:
    """Lowercased, accent-folded words: the only form user input takes into a query."""
    return [t.text for t in ANALYZER(text or "")]


def _without_legal_suffix(words: list[str]) -> list[str]:
    words = words[1:] if len(words) > 1 and words[0] == "the" else list(words)
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return words


def _name_forms(name: str) -> list[str]:
    words = tokens(name)
    forms = [" ".join(words), " ".join(_without_legal_suffix(words))]
    return list(dict.fromkeys(f for f in forms if f))


# ---------------------------------------------------------------- documents


def document_for(company: Company) -> dict:
    """The search document of a company (relationships should be eager-loaded)."""
    current = [p for p in company.positions if p.is_current]
    ceo = company.ceo_position
    tickers = [t.lower() for t in company.tickers]
    forms = _name_forms(company.name)
    words = tokens(company.name)
    word_suffixes = [" ".join(words[i:]) for i in range(1, len(words))]
    doc = {
        "id": str(company.id),
        "name": company.name,
        "name_exact": ",".join(forms),
        "name_first": words[0] if words else None,
        "former_names": "\n".join(n.name for n in company.former_names),
        "tickers": ",".join(tickers),
        "city": company.city,
        "sector": company.sector,
        "sic": company.sic_code,
        "people": "\n".join(p.person.name for p in current),
        "country": (company.country or "").upper() or None,
        "sector_facet": company.sector,
        "suggest_name": ",".join(forms + tickers),
        "suggest_word": ",".join(word_suffixes),
        "slug": company.slug,
        "ticker": company.tickers[0] if company.tickers else None,
        "ceo": ceo.person.name if ceo else None,
    }
    return {key: value for key, value in doc.items() if value not in (None, "")}


def _companies_stmt():
    return select(Company).options(
        selectinload(Company.identifiers),
        selectinload(Company.former_names),
        selectinload(Company.positions).selectinload(Position.person),
    )


def _chunks(values: list, size: int):
    for start in range(0, len(values), size):
        yield values[start:start + size]


# ---------------------------------------------------------------- state


class SearchState:
    """Per-app search state in `app.extensions["search_index"]`, opened lazily per process."""

    def __init__(self, app):
        self.directory = Path(app.config["SEARCH_INDEX_DIR"])
        self.enabled = app.config.get("SEARCH_ENABLED", True)
        self.time_limit = float(app.config["SEARCH_TIME_LIMIT"])
        self.writer_timeout = float(app.config["SEARCH_WRITER_TIMEOUT"])
        self._index = None
        self._pid = None
        self._open_lock = threading.Lock()
        self._local = threading.local()

    def exists(self) -> bool:
        return whoosh_index.exists_in(str(self.directory))

    def index(self):
        """The Index object, opened (or created empty) on first use in this process."""
        with self._open_lock:
            if self._index is None or self._pid != os.getpid():
                self.directory.mkdir(parents=True, exist_ok=True)
                if self.exists():
                    self._index = whoosh_index.open_dir(str(self.directory))
                else:
                    try:
                        self._index = whoosh_index.create_in(str(self.directory), SCHEMA)
                    except NameError:  # whoosh's "file exists": another worker created it first
                        self._index = whoosh_index.open_dir(str(self.directory))
                self._pid = os.getpid()
                self._local = threading.local()
            return self._index

    def recreate(self):
        """A fresh empty index with the current schema (used when the schema changed)."""
        with self._open_lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._index = whoosh_index.create_in(str(self.directory), SCHEMA)
            self._pid = os.getpid()
            self._local = threading.local()
            return self._index

    def searcher(self, *, fresh: bool = False):
        """This thread's searcher, reopened when a writer committed since (pitfall W5).

        `fresh=True` opens a separate one for the caller to close (one-off full scans).
        """
        ix = self.index()
        if fresh:
            return ix.searcher()
        current = getattr(self._local, "searcher", None)
        if current is not None and not current.up_to_date():
            # Not `refresh()`: in whoosh-reloaded 2.7.5 it reuses segment readers whose
            # deletions changed, so a renamed company is still found under its old name.
            current.close()
            current = None
        if current is None:
            current = ix.searcher()
        self._local.searcher = current
        return current

    def close(self) -> None:
        current = getattr(self._local, "searcher", None)
        if current is not None:
            current.close()
            self._local.searcher = None


def _state() -> SearchState:
    from flask import current_app

    return current_app.extensions["search_index"]


# ---------------------------------------------------------------- writing


def _queue_pending(ids: set[int]) -> None:
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
    with Session(db.engine) as session:
        for chunk in _chunks(sorted(ids), 500):
            found = set()
            for company in session.scalars(_companies_stmt().where(Company.id.in_(chunk))):
                writer.update_document(**document_for(company))
                found.add(company.id)
            for gone in set(chunk) - found:
                writer.delete_by_term("id", str(gone))


def index_companies(ids) -> bool:
    """Re-index these companies (and any pending ones); False when the lock stayed busy and
    the ids were queued instead. Companies that no longer exist are removed."""
    state = _state()
    ids = set(ids)
    for _round in range(3):  # ids queued by another worker while we wrote are drained too
        try:
            writer = state.index().writer(timeout=state.writer_timeout)
        except whoosh_index.LockError:
            if ids:
                _queue_pending(ids)
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


def rebuild(progress=None) -> int:
    """Rewrite the whole index from the database in one writer; returns the document count.

    `progress(n)` is called after each batch of n companies (the CLI's progress bar).
    Readers keep using the previous generation until the commit replaces it.
    """
    state = _state()
    ix = state.index()
    if ix.schema.names() != SCHEMA.names():
        ix = state.recreate()
    pending = _read_pending()
    total = db.session.scalar(select(func.count(Company.id))) or 0
    options = {"limitmb": 256}
    if total >= PARALLEL_REBUILD_FROM and (os.cpu_count() or 1) > 1:
        # Whoosh indexing is pure Python and CPU-bound: spread it over two processes.
        options.update(procs=2, multisegment=True)
    writer = ix.writer(timeout=max(state.writer_timeout, REBUILD_LOCK_WAIT), **options)
    count = 0
    try:
        with Session(db.engine) as session:
            stmt = _companies_stmt().order_by(Company.id).execution_options(yield_per=REBUILD_BATCH)
            for partition in session.scalars(stmt).partitions():
                for company in partition:
                    writer.add_document(**document_for(company))
                count += len(partition)
                if progress is not None:
                    progress(len(partition))
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
    state = _state()
    if not state.exists():
        return True
    ix = state.index()
    if ix.schema.names() != SCHEMA.names():
        return True
    companies = db.session.scalar(select(func.count(Company.id))) or 0
    return ix.doc_count() != companies


def check() -> list[str]:
    """Disagreements between the index and the database, as sentences for the CLI."""
    problems = []
    with _state().searcher(fresh=True) as searcher:
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


# ---------------------------------------------------------------- searching


@dataclass
class SearchResults:
    ids: list[int] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 20
    highlights: dict[int, Markup] = field(default_factory=dict)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=lambda: {"country": [], "sector": []})
    did_you_mean: str | None = None
    timed_out: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _any_field(word: str):
    return Or([Term(name, word) for name in TEXT_FIELDS + ("tickers", "sic")])


def _exact_query(words: list[str]):
    """Every word must match some field; constant-score tiers order the matches."""
    phrase = " ".join(words)
    stripped = " ".join(_without_legal_suffix(words))
    tiers = [
        ConstantScoreQuery(Or([Term("name_exact", phrase), Term("name_exact", stripped)]), TIER_EXACT),
        ConstantScoreQuery(And([Term("name_first", words[0])] + [Term("name", w) for w in words]), TIER_PREFIX),
        ConstantScoreQuery(And([Term("name", w) for w in words]), TIER_NAME),
        ConstantScoreQuery(And([Term("former_names", w) for w in words]), TIER_FORMER),
        ConstantScoreQuery(And([Term("people", w) for w in words]), TIER_PEOPLE),
    ]
    if len(words) == 1:
        tiers.append(ConstantScoreQuery(Term("tickers", words[0]), TIER_EXACT))
    matches = And([_any_field(w) for w in words], boost=TIEBREAK_BOOST)
    return AndMaybe(matches, Or(tiers))


def _fuzzy_query(words: list[str]):
    def word_query(word):
        distance = _fuzzy_distance(word)
        if not distance:
            return Or([Term(name, word) for name in FUZZY_FIELDS])
        return Or([FuzzyTerm(name, word, maxdist=distance, prefixlength=FUZZY_PREFIX) for name in FUZZY_FIELDS])

    return And([word_query(w) for w in words])


def _filter_query(country: str | None, sector: str | None):
    parts = []
    if country:
        parts.append(Term("country", country.upper()))
    if sector:
        parts.append(Term("sector_facet", sector))
    return And(parts) if parts else None


def _fuzzy_distance(word: str) -> int:
    """Edits allowed for a word: none for short words, where one edit is another word; one
    otherwise (two would multiply the terms to expand for little gain)."""
    return 0 if len(word) < 4 else 1


def _has_hits(searcher, query) -> bool:
    """Whether anything matches, from the first match of each segment: no collecting."""
    return any(query.matcher(sub, searcher.context()).is_active() for sub, _ in searcher.leaf_searchers())


def _correction(searcher, words: list[str]) -> str | None:
    """The query with each unknown word replaced by the closest indexed word, offered only
    when the corrected query finds something."""
    reader = searcher.reader()
    corrected = []
    for word in words:
        distance = _fuzzy_distance(word)
        best = None
        if distance and not any(reader.frequency(name, word) for name in FUZZY_FIELDS):
            for name in FUZZY_FIELDS:
                found = searcher.suggest(name, word, limit=1, maxdist=distance, prefix=FUZZY_PREFIX)
                if found:
                    best = found[0]
                    break
        corrected.append(best or word)
    if corrected == words or not _has_hits(searcher, _exact_query(corrected)):
        return None
    return " ".join(corrected)


def highlight(text: str, words: set[str]) -> Markup:
    """Escape the whole text, then wrap the words that matched in <mark>."""
    out, position = [], 0
    for token in ANALYZER(text, chars=True):
        if token.text in words:
            out.append(escape(text[position:token.startchar]))
            out.append(Markup("<mark>%s</mark>") % text[token.startchar:token.endchar])
            position = token.endchar
    out.append(escape(text[position:]))
    return Markup("").join(out)


def _facet_counts(results, name: str) -> list[tuple[str, int]]:
    counts = results.groups(name)
    return sorted(((key, n) for key, n in counts.items() if key), key=lambda kv: (-kv[1], kv[0]))


def _run(searcher, query, *, page, per_page, filter_query, time_limit):
    facets = {
        "country": sorting.FieldFacet("country", maptype=sorting.Count),
        "sector": sorting.FieldFacet("sector_facet", maptype=sorting.Count),
    }
    if filter_query is not None:  # in the query: TimeLimitCollector would bypass a filter collector
        query = Require(query, filter_query)
    collector = searcher.collector(limit=page * per_page, groupedby=facets)
    timed = TimeLimitCollector(collector, timelimit=time_limit, use_alarm=False)
    timed_out = False
    try:
        # Step through matches: whoosh's default intersects full sets of document numbers,
        # which is slow when one word ("corporation") is in a tenth of all names.
        searcher.search_with_collector(query, timed, context=searcher.context(needs_current=True))
    except TimeLimit:
        timed_out = True
    return timed.results(), timed_out


def search(query: str, *, page: int = 1, per_page: int = 20, country: str | None = None,
           sector: str | None = None) -> SearchResults:
    """Ranked company ids for a free-text query, one page of them, with facets.

    Exact words first; only when they find nothing, a typo-tolerant pass whose corrected
    query is offered as "did you mean".
    """
    page, per_page = max(1, page), max(1, per_page)
    found = SearchResults(page=page, per_page=per_page)
    words = tokens(query)[:MAX_QUERY_TOKENS]
    state = _state()
    if not words or not state.enabled:
        return found
    filter_query = _filter_query(country, sector)
    searcher = state.searcher()
    results, timed_out = _run(searcher, _exact_query(words), page=page, per_page=per_page,
                              filter_query=filter_query, time_limit=state.time_limit)
    marked = set(words)
    if results.is_empty() and not timed_out:
        found.did_you_mean = _correction(searcher, words)
        if found.did_you_mean:
            marked = set(found.did_you_mean.split())
        results, timed_out = _run(searcher, _fuzzy_query(words), page=page, per_page=per_page,
                                  filter_query=filter_query, time_limit=state.time_limit)
    # Copy everything out while the results are alive (pitfall W3).
    found.total = len(results)
    hits = ResultsPage(results, page, per_page) if page <= found.pages else []
    for hit in hits:
        company_id = int(hit["id"])
        found.ids.append(company_id)
        found.highlights[company_id] = highlight(hit["name"], marked)
    found.facets = {"country": _facet_counts(results, "country"),
                    "sector": _facet_counts(results, "sector")}
    found.timed_out = timed_out
    return found


def suggest(prefix: str, limit: int = SUGGEST_MAX) -> list[dict]:
    """Companies whose name (or ticker), then any later word of the name, starts with the
    prefix, alphabetically: read from sorted term tables, so the cost does not grow with
    the number of companies matching a short prefix."""
    key = " ".join(tokens(prefix))
    limit = max(0, min(limit, SUGGEST_MAX))
    state = _state()
    if not key or not limit or not state.enabled:
        return []
    searcher = state.searcher()
    reader = searcher.reader()
    seen, out = set(), []
    for fieldname in ("suggest_name", "suggest_word"):
        for term in reader.expand_prefix(fieldname, key):
            for docnum in reader.postings(fieldname, term).all_ids():
                if docnum in seen:
                    continue
                seen.add(docnum)
                fields = reader.stored_fields(docnum)
                out.append({
                    "name": fields["name"],
                    "slug": fields["slug"],
                    "ticker": fields.get("ticker"),
                    "country": fields.get("country"),
                    "ceo": fields.get("ceo"),
                })
                if len(out) >= limit:
                    return out
    return out


# ---------------------------------------------------------------- wiring


def _after_commit(session) -> None:
    """Index the companies this transaction changed, now that they are committed."""
    from flask import current_app, has_app_context

    ids = session.info.pop(CHANGED_COMPANIES_KEY, None)
    if not ids or not has_app_context():
        return
    state = current_app.extensions.get("search_index")
    if state is None or not state.enabled:
        return
    try:
        index_companies(ids)
    except Exception:  # the data is committed; a broken index must not fail the request
        current_app.logger.exception("search index update failed; companies queued")
        _queue_pending(set(ids))


def init_app(app) -> None:
    app.extensions["search_index"] = SearchState(app)
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
