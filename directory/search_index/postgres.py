"""The PostgreSQL search backend (`SEARCH_BACKEND=postgres`): every app server searches the
same database, so two servers can never hold two different indexes.

Why it is shaped this way:

* One row per company in `search_documents` (migration 0015), written by `write_documents`
  in the SAME transaction as the change (the `before_commit` hook): a committed change is
  searchable at once, a rolled-back one never was, and no outbox is needed. Deleted and
  merged companies leave with their row (ON DELETE CASCADE).
* Documents are made by `documents.build_document`, the code the Whoosh backend indexes
  (so who is CEO, the words and the whole-name forms are decided in one place), read a batch
  of companies at a time with one query per related table, and upserted as rows
  (`document_row`). Words are `schema.tokens`: lowercased, accent-folded `\\w+` runs.
* The ranking tiers, the 200-match bound, facets, nicknames and "did you mean" follow the
  Whoosh backend (`searching.py`): exact name or ticker, brand, name starting with the
  first word, words in the name, in former names, in people. GIN indexes answer "holds
  every word"; trigram (pg_trgm) indexes answer prefixes and the typo candidates, which
  `search_words` (every word ever indexed) provides and rapidfuzz confirms as one edit away.
* Statements are assembled from this module's constants, column names and `_Match.param`
  placeholders: every value a user typed is a bound parameter. That is why bandit's B608
  ("SQL built from strings") is silenced on those lines (`# nosec B608`).
"""
from __future__ import annotations

import json
from collections import Counter

from rapidfuzz.distance import OSA
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from ..extensions import db
from ..models.page_generation import bump_page_generation
from .documents import BATCH, SearchDocument, all_documents, documents_for_ids
from .fuzzy import MAX_CANDIDATES, one_edit_prefixes
from .nicknames import given_name_variants
from .schema import tokens, without_legal_suffix
from .state import current_state
from . import searching
from .searching import (MAX_QUERY_TOKENS, SUGGEST_MAX, TIER_BRAND, TIER_EXACT, TIER_FORMER,
                        TIER_NAME, TIER_PEOPLE, TIER_PREFIX, SearchResults, _fuzzy_distance, highlight,
                        matched_brand)

TRIGRAM_THRESHOLD = 0.2  # one edit in a four-letter word leaves a trigram similarity of 0.25
TRIGRAM_CANDIDATES = 200  # words read per typo before the exact edit distance is checked
FREQUENCY_CAP = 1000  # a candidate's documents are counted up to this, to rank candidates


# `search_documents` (migration 0015): the columns `document_row` gives, with their types.
_COLUMNS_WRITTEN = {
    "company_id": "integer", "name": "text", "slug": "text", "ticker": "text", "country": "text", "sector": "text",
    "ceo": "text", "brand_names": "jsonb", "name_text": "text", "name_core": "text", "name_exact": "text[]",
    "name_words": "text[]", "former_words": "text[]", "people_words": "text[]", "people_text": "text",
    "person": "text[]", "brand_words": "text[]", "brand_text": "text", "all_words": "text[]",
}
# A batch of rows is one JSON parameter read back as records: json.dumps and PostgreSQL's JSON
# parser cost a fraction of binding every array element in Python (psycopg's list dumper).
_UPSERT = f"""
INSERT INTO search_documents ({", ".join(_COLUMNS_WRITTEN)})
SELECT {", ".join(_COLUMNS_WRITTEN)}
FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r({", ".join(f"{c} {t}" for c, t in _COLUMNS_WRITTEN.items())})
ORDER BY company_id
ON CONFLICT (company_id) DO UPDATE SET
    {", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS_WRITTEN if c != "company_id")}
"""  # nosec B608


def document_row(document: SearchDocument) -> dict:
    """The company's `search_documents` row: `documents.build_document`'s values, joined
    into the shapes the statements below read (`name_text` for prefixes, `people_text` and
    `brand_text` for trigram lookups, `all_words` for "holds every word")."""
    return {
        "company_id": document.id, "name": document.name, "slug": document.slug, "ticker": document.ticker,
        "country": document.country, "sector": document.sector, "ceo": document.ceo,
        "brand_names": document.brand_names,
        "name_text": " ".join(document.name_words), "name_core": " ".join(document.core_words),
        "name_exact": document.exact, "name_words": document.name_words, "former_words": document.former_words,
        "people_words": document.people_words, "people_text": " " + " ".join(document.people_words),
        "person": document.person_names, "brand_words": document.brand_words,
        "brand_text": "|" + "|".join(document.brand_forms) + "|",
        "all_words": (document.name_words + document.former_words + document.people_words + document.about_words
                      + document.brand_words),
    }


# The words a typo may be corrected to: those of the fields Whoosh's fallback reads (fuzzy.FIELDS).
_WORDS = """
INSERT INTO search_words (word)
SELECT DISTINCT w FROM search_documents d,
    unnest(d.name_words || d.former_words || d.people_words || d.brand_words) w
WHERE {condition} ORDER BY 1
ON CONFLICT DO NOTHING
"""


def _upsert(connection, documents: list[SearchDocument]) -> None:
    """Insert or replace these documents' rows, in company order."""
    if documents:
        connection.execute(text(_UPSERT), {"rows": json.dumps([document_row(document) for document in documents])})


def _without_jit(connection) -> None:
    """PostgreSQL would compile the rebuild's statements over every row (JIT) for seconds
    before running them."""
    connection.execute(text("SELECT set_config('jit', 'off', true)"))


def write_documents(connection, ids) -> None:
    """Write these companies' documents inside the caller's transaction.

    The companies' rows are locked first, in id order: two transactions changing one
    company then write its document one after the other, the second from statements that
    see the first's commit (READ COMMITTED takes a snapshot per statement), so neither
    overwrites the other's change with an older document.
    """
    ids = sorted(ids)
    if not ids:
        return
    connection.execute(text("SELECT id FROM companies WHERE id = ANY(:ids) ORDER BY id FOR NO KEY UPDATE"),
                       {"ids": ids})
    for start in range(0, len(ids), BATCH):
        _upsert(connection, list(documents_for_ids(connection, ids[start:start + BATCH]).values()))
    connection.execute(text(_WORDS.format(condition="d.company_id = ANY(:ids)")), {"ids": ids})


def rebuild(progress=None, *, processes: int | None = None) -> int:
    """Rewrite every company's document and the word list; returns the document count.
    (`processes` is the Whoosh backend's: here one connection reads and writes.)

    The table is locked against writers first, and the lock waits for those under way:
    the batches read after it see every committed change, and no commit can write a
    document that this rebuild's older reading would overwrite. Commits changing companies
    wait for the rebuild, which is needed once, when switching backends.
    """
    with db.engine.begin() as connection:
        connection.execute(text("LOCK TABLE search_documents IN SHARE ROW EXCLUSIVE MODE"))
        _without_jit(connection)
        for documents in all_documents(connection):
            _upsert(connection, documents)
            if progress:
                progress(len(documents))
        # commits add words and never take them away (another company may still use one):
        # the rebuild starts the list again, so a renamed or deleted company's words go
        connection.execute(text("DELETE FROM search_words"))
        connection.execute(text(_WORDS.format(condition="true")))
        # what the GIN indexes still hold in their pending lists, merged now rather than read
        # through by every search until the next vacuum
        connection.execute(text("SELECT gin_clean_pending_list(indexrelid) FROM pg_index JOIN pg_class i "
                                "ON i.oid = indexrelid JOIN pg_am a ON a.oid = i.relam WHERE a.amname = 'gin' "
                                "AND indrelid IN ('search_documents'::regclass, 'search_words'::regclass)"))
        count = connection.execute(text("SELECT count(*) FROM search_documents")).scalar_one()
        bump_page_generation(connection)
    return count


def drain_pending() -> int:
    """Nothing is ever queued: documents are written in the changing transaction."""
    return 0


def is_stale() -> bool:
    """True when some company has no document (written before this backend was chosen)."""
    return bool(db.session.execute(text(
        "SELECT EXISTS (SELECT 1 FROM companies c WHERE NOT EXISTS "
        "(SELECT 1 FROM search_documents d WHERE d.company_id = c.id))")).scalar())


def check() -> list[str]:
    """Companies without a document or with a document under another name, as sentences."""
    rows = db.session.execute(text(
        "SELECT c.id, c.name, d.name FROM companies c LEFT JOIN search_documents d ON d.company_id = c.id "
        "WHERE d.company_id IS NULL OR d.name <> c.name ORDER BY c.id")).all()
    return [f"company {cid} ({name}) is missing from the index" if indexed is None
            else f"company {cid} is indexed as {indexed!r}, named {name!r}" for cid, name, indexed in rows]


def generation() -> str:
    """Always the same: the documents are written in the transaction that changes a company,
    which also moves the database's page generation on (`caching.generation`), so that one
    number already says when cached search pages are stale."""
    return "postgres"


def warm() -> None:
    """Nothing is loaded per process; one query opens this worker's database connection."""
    db.session.execute(text("SELECT 1 FROM search_documents LIMIT 1"))


class _Match:
    """A WHERE condition over `search_documents d` built from words, with its parameters."""

    def __init__(self):
        self.params: dict = {}

    def param(self, value) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"CAST(:{name} AS text[])" if isinstance(value, list) else f":{name}"


def _person_forms(words: list[str]) -> list[str]:
    """The query as a person's whole name under each form of its given name ("tim cook"
    also as "timothy cook"): documents hold each person as "given surname" and in full."""
    rest = words[1:]
    return [" ".join([first, *rest]) for first in [words[0], *sorted(given_name_variants(words[0]))]]


def _exact_condition(match: _Match, words: list[str]) -> str:
    """`searching._exact_query`'s matches: every word but a trailing legal suffix in some
    field (a word alone may also be a ticker), or the words are one person's whole name."""
    required = without_legal_suffix(words)
    parts = [f"d.all_words @> {match.param(required)}"]
    if len(required) == 1:
        parts.append(f"d.name_exact && {match.param(required)}")
    if len(words) > 1:
        parts.append(f"d.person && {match.param(_person_forms(words))}")
    return "(" + " OR ".join(parts) + ")"


def _exact_score(match: _Match, words: list[str]) -> str:
    """`searching._exact_query`'s tiers as one SQL expression."""
    phrase = " ".join(words)
    exact = match.param([phrase, " ".join(without_legal_suffix(words))])
    each = match.param(words)
    share = 1.0 / len(words)

    def count_in(column):
        return f"(SELECT count(*) FROM unnest({each}) w WHERE w = ANY(d.{column}))"  # nosec B608

    score = (f"CASE WHEN d.name_exact && {exact} THEN {TIER_EXACT} ELSE 0 END"
             f" + CASE WHEN strpos(d.brand_text, {match.param('|' + phrase + '|')}) > 0 THEN {TIER_BRAND} ELSE 0 END"
             f" + CASE WHEN d.name_words[1] = {match.param(words[0])} THEN {TIER_PREFIX - TIER_NAME} ELSE 0 END"
             f" + {share} * ({TIER_NAME} * {count_in('name_words')} + {TIER_FORMER} * {count_in('former_words')}"
             f" + {TIER_PEOPLE} * {count_in('people_words')})")
    if len(words) > 1:
        score += f" + CASE WHEN d.person && {match.param(_person_forms(words))} THEN {TIER_PEOPLE} ELSE 0 END"
    return score


def _fuzzy_condition(match: _Match, words: list[str], candidates: dict[str, list[str]]) -> str:
    """`searching._fuzzy_query`: unknown words replaced by their candidates, or, when every
    word is indexed, any one of them taken as the typo."""
    required = without_legal_suffix(words)

    def all_of(fuzzed) -> str:
        return " AND ".join(f"d.all_words && {match.param(candidates[w] if w in fuzzed else [w])}"
                            for w in required)

    unknown = {w for w in required if w in candidates and w not in candidates[w]}
    if unknown:
        return f"({all_of(unknown)})"
    branches = [f"({all_of({typo})})" for typo in required if typo in candidates]
    return "(" + (" OR ".join(branches) or "false") + ")"


def _fuzzy_score(match: _Match, forms: list[str]) -> str:
    each = match.param(forms)
    return " + ".join(f"{tier} * (SELECT count(*) FROM unnest({each}) w WHERE w = ANY(d.{column}))"  # nosec B608
                      for column, tier in (("name_words", TIER_NAME), ("former_words", TIER_FORMER),
                                           ("people_words", TIER_PEOPLE)))


def _filters(match: _Match, country: str | None, sector: str | None) -> str:
    parts = []
    if country:
        parts.append(f"d.country = {match.param(country.upper())}")
    if sector:
        parts.append(f"d.sector = {match.param(sector)}")
    return "".join(f" AND {part}" for part in parts)


_COLUMNS = "d.company_id, d.name, d.country, d.sector, d.brand_names"


def _run(condition: str, score: str, match: _Match, filters: str):
    """At most MATCH_LIMIT matching rows, best first: (rows, more matched than that)."""
    limit = searching.MATCH_LIMIT
    rows = db.session.execute(text(
        f"SELECT {_COLUMNS}, {score} AS score FROM "  # nosec B608
        f"(SELECT * FROM search_documents d WHERE {condition}{filters} LIMIT {limit + 1}) d "
        f"ORDER BY score DESC, cardinality(d.name_words), d.name_text, d.company_id"), match.params).all()
    return rows[:limit], len(rows) > limit


def _exact_hits(words: list[str], country, sector, seen: set[int]) -> list:
    """Companies named exactly as the query (or with it as ticker) that the bound left out."""
    match = _Match()
    forms = match.param([" ".join(words), " ".join(without_legal_suffix(words))])
    filters = _filters(match, country, sector)
    rows = db.session.execute(text(f"SELECT {_COLUMNS} FROM search_documents d WHERE d.name_exact && {forms}"  # nosec B608
                                   f"{filters} ORDER BY d.company_id"), match.params).all()
    return [row for row in rows if row.company_id not in seen]


def candidates(words: list[str]) -> dict[str, list[str]]:
    """For each word, the indexed words within one edit of it, in most documents first (at
    most MAX_CANDIDATES); a word that is itself indexed comes first (`fuzzy.candidates`)."""
    out = {}
    if not words:
        return out
    db.session.execute(text("SELECT set_config('pg_trgm.similarity_threshold', :t, true)"),
                       {"t": str(TRIGRAM_THRESHOLD)})
    for word in dict.fromkeys(words):
        similar = db.session.execute(text(
            f"SELECT word FROM search_words WHERE word % :w ORDER BY similarity(word, :w) DESC "  # nosec B608
            f"LIMIT {TRIGRAM_CANDIDATES}"), {"w": word}).scalars().all()
        near = [w for w in similar if OSA.distance(word, w, score_cutoff=1) <= 1]
        counted = db.session.execute(text(
            "SELECT w, (SELECT count(*) FROM (SELECT 1 FROM search_documents d WHERE d.all_words @> ARRAY[w] "  # nosec B608
            f"LIMIT {FREQUENCY_CAP}) s) AS n FROM unnest(CAST(:words AS text[])) w"), {"words": near}).all()
        frequency = {w: n for w, n in counted if n}
        ranked = sorted((w for w in frequency if w != word), key=lambda w: (-frequency[w], w))
        out[word] = (([word] if word in frequency else []) + ranked)[:MAX_CANDIDATES]
    return out


def _correction(words: list[str], found: dict[str, list[str]]) -> str | None:
    """`searching._correction`: each unknown word replaced by its most frequent candidate,
    offered only when the corrected query finds something."""
    corrected = [w if w in (found.get(w) or [w]) else found[w][0] for w in words]
    if corrected == words:
        return None
    match = _Match()
    condition = _exact_condition(match, corrected)
    if not db.session.execute(text(f"SELECT EXISTS (SELECT 1 FROM search_documents d WHERE {condition})"),  # nosec B608
                              match.params).scalar():
        return None
    return " ".join(corrected)


def search(query: str, *, page: int = 1, per_page: int = 20, country: str | None = None,
           sector: str | None = None) -> SearchResults:
    """Ranked company ids for a free-text query, one page of them, with facets
    (`searching.search`, over `search_documents`)."""
    page, per_page = max(1, page), max(1, per_page)
    found = SearchResults(page=page, per_page=per_page)
    words = tokens(query)[:MAX_QUERY_TOKENS]
    state = current_state()
    if not words or not state.enabled:
        return found
    found.timed_out = _within(state.time_limit, lambda: _search(found, words, country, sector))
    return found


_QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout


def _within(seconds: float, run) -> bool:
    """Run a search's or a suggestion's statements each under `seconds` (SEARCH_TIME_LIMIT),
    as Whoosh's collector bounds a search; True when one was cancelled. A savepoint scopes
    the setting and, rolled back, clears the aborted state a cancelled statement leaves, so
    the request's transaction goes on (a search writes nothing, so nothing else is undone)."""
    savepoint = db.session.begin_nested()
    try:
        db.session.execute(text("SELECT set_config('statement_timeout', :ms, true)"),
                           {"ms": f"{max(1, round(seconds * 1000))}ms"})
        run()
    except OperationalError as error:
        if getattr(error.orig, "sqlstate", None) != _QUERY_CANCELED:
            raise
        return True
    finally:
        savepoint.rollback()
    return False


def _search(found: SearchResults, words: list[str], country: str | None, sector: str | None) -> None:
    """`search`'s statements, filling `found`."""
    page, per_page = found.page, found.per_page
    match = _Match()
    filters = _filters(match, country, sector)
    rows, truncated = _run(_exact_condition(match, words), _exact_score(match, words), match, filters)
    marked = set(words)
    if not rows:
        near = candidates([w for w in words if _fuzzy_distance(w)])
        found.did_you_mean = _correction(words, near)
        forms = sorted({form for forms in near.values() for form in forms})
        marked.update(forms)
        match = _Match()
        filters = _filters(match, country, sector)
        rows, truncated = _run(_fuzzy_condition(match, words, near), _fuzzy_score(match, forms or words),
                               match, filters)
    found.total = len(rows)
    ranked = list(rows)
    if truncated:
        missed = _exact_hits(words, country, sector, {row.company_id for row in rows})
        ranked = missed + ranked
        found.total += len(missed)
    for row in ranked[(page - 1) * per_page:page * per_page]:
        found.ids.append(row.company_id)
        found.highlights[row.company_id] = highlight(row.name, marked)
        brand = matched_brand(row.brand_names, row.name, words, marked)
        if brand:
            found.reasons[row.company_id] = f"brand: {brand}"
    found.facets = {name: sorted(Counter(getattr(row, name) for row in rows if getattr(row, name)).items(),
                                 key=lambda kv: (-kv[1], kv[0]))
                    for name in ("country", "sector")}
    found.truncated = truncated


def _like(text_value: str) -> str:
    """Text matched literally by LIKE (query words hold `_`, a LIKE wildcard)."""
    return text_value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_SUGGESTION = "d.company_id, d.name, d.slug, d.ticker, d.country, d.ceo"


def suggest(prefix: str, limit: int = SUGGEST_MAX) -> list[dict]:
    """`searching.suggest` over `search_documents`: names (or tickers) starting with the
    prefix, then (for one word) any word of a name, then brands, then executives' names,
    then, when nothing matched a longer word, the names starting with a prefix one edit
    away from the last word typed ("micrs": "micros...")."""
    key = " ".join(tokens(prefix))
    limit = max(0, min(limit, SUGGEST_MAX))
    state = current_state()
    if not key or not limit or not state.enabled:
        return []
    out: dict[int, dict] = {}
    _within(state.time_limit, lambda: _suggest(key, out, limit))  # out of time: what was found so far
    return list(out.values())


def _suggest(key: str, out: dict[int, dict], limit: int) -> None:
    """`suggest`'s statements, filling `out`."""
    _add_starting_with(key, None, out, limit)
    *whole, partial = key.split()
    if not out and _fuzzy_distance(partial):
        for corrected in _corrected_prefixes(partial):
            if len(out) >= limit:
                break
            _add_starting_with(" ".join([*whole, corrected]), "typo", out, limit)


def _corrected_prefixes(prefix: str) -> list[str]:
    """`fuzzy.corrected_prefixes` over `search_words`: each variant is one range read of its
    byte-ordered index (a trigram index would read every word sharing a trigram)."""
    return db.session.execute(text(
        "SELECT t.v FROM unnest(CAST(:variants AS text[])) WITH ORDINALITY AS t(v, n) WHERE EXISTS "
        '(SELECT 1 FROM search_words w WHERE w.word COLLATE "C" >= t.v AND w.word COLLATE "C" < t.v || chr(1114111)) '
        "ORDER BY t.n"), {"variants": one_edit_prefixes(prefix)}).scalars().all()


def _add_starting_with(key: str, typo: str | None, out: dict[int, dict], limit: int) -> None:
    """Companies whose name, ticker, a word of their name (one word typed), brand (not for
    a typo, as in Whoosh) or executive's name starts with `key`; `typo` overrides `matched`."""
    one_word = " " not in key
    *whole, partial = key.split()
    lookups = [  # (matched, condition, order), each reading `limit` rows at most
        # the name without its legal suffix first: "apple" (Apple Inc.) before "apple hospitality reit"
        ("name", 'd.name_core COLLATE "C" LIKE :start', 'd.name_core COLLATE "C"'),
        ("name", 'd.name_text COLLATE "C" LIKE :start', 'd.name_text COLLATE "C"'),  # "the ..."
        ("name", "d.name_exact && ARRAY[:key]", "d.name_core"),  # any of its tickers, whole
        ("name", '(lower(d.ticker)) COLLATE "C" LIKE :start', '(lower(d.ticker)) COLLATE "C"'),  # "aap": AAPL
        # words inside, through trigram indexes, in no order: sorting every company with an
        # executive whose name starts "ba" cost 30 ms at 100,000 companies, taking eight none
        ("name", "d.name_text LIKE :inside" if one_word else "false", None),
        ("brand", "d.brand_text LIKE :brand" if not typo else "false", None),
        ("person", "d.people_words @> CAST(:whole AS text[]) AND d.people_text LIKE :person", None),
    ]
    params = {"key": key, "start": _like(key) + "%", "inside": "% " + _like(key) + "%",
              "brand": "%|" + _like(key) + "%", "whole": whole, "person": "% " + _like(partial) + "%"}
    for matched, condition, order in lookups:
        _add_suggestions(condition, order, params, typo or matched, out, limit)


def _add_suggestions(condition: str, order: str | None, params: dict, matched: str, out: dict[int, dict],
                     limit: int) -> None:
    if len(out) >= limit:
        return
    order_by = f"ORDER BY {order}, d.company_id " if order else ""
    rows = db.session.execute(text(f"SELECT {_SUGGESTION} FROM search_documents d WHERE {condition} "  # nosec B608
                                   f"{order_by}LIMIT {limit + len(out)}"), params).all()
    for row in rows:
        if len(out) >= limit:
            return
        out.setdefault(row.company_id, {"name": row.name, "slug": row.slug, "ticker": row.ticker,
                                        "country": row.country, "ceo": row.ceo, "matched": matched})
