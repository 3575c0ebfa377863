"""Searching: ranking tiers, typo-tolerant fallback, facets, highlighting and suggestions.

Searchers are reused per thread and refreshed when the index changed; results are copied
into plain lists inside the searcher block; every search is time-bounded. User input never
reaches Whoosh's query parser: queries are built from analysed tokens.
"""
from __future__ import annotations

import time
import weakref
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from whoosh import sorting
from whoosh.collectors import TimeLimit, WrappingCollector
from whoosh.query import And, AndMaybe, ConstantScoreQuery, Or, Require, Term

from . import fuzzy
from .schema import ANALYZER, tokens, without_legal_suffix
from .state import current_state

MAX_QUERY_TOKENS = 10
# Matches ranked, counted and faceted per query; beyond it the page says "more than".
MATCH_LIMIT = 200
SUGGEST_MAX = 8

# Ranking tiers: constant scores so "exact beats prefix beats people" holds whatever BM25 says
# (`_exact_query` shares a tier's score among the query's words).
TIER_EXACT = 1000.0
TIER_BRAND = 200.0  # the whole query is a brand's name ("playstation"): the company behind it
TIER_PREFIX = 100.0
TIER_NAME = 50.0
TIER_FORMER = 30.0
TIER_PEOPLE = 10.0
TIEBREAK_BOOST = 0.01  # BM25 across all fields only orders results inside a tier

TEXT_FIELDS = ("name", "former_names", "people", "about", "brands")
FUZZY_FIELDS = fuzzy.FIELDS


@dataclass
class SearchResults:
    ids: list[int] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 20
    highlights: dict[int, Markup] = field(default_factory=dict)
    reasons: dict[int, str] = field(default_factory=dict)  # why a result matched, when not by its name
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=lambda: {"country": [], "sector": []})
    did_you_mean: str | None = None
    truncated: bool = False  # more than `total` match: collecting stopped at MATCH_LIMIT
    timed_out: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _any_field(word: str, *, alone: bool):
    """The word in any text field; a word typed alone may also be a ticker or a one-word name
    (`name_exact`), which a word among others never is worth a fifth posting list for."""
    return Or([Term(name, word) for name in TEXT_FIELDS + (("name_exact",) if alone else ())])


def _exact_tier(words: list[str]):
    """The whole query as a name (with or without its legal suffix) or a ticker."""
    return Or([Term("name_exact", " ".join(words)), Term("name_exact", " ".join(without_legal_suffix(words)))])


def _exact_query(words: list[str]):
    """Every word but a trailing legal suffix must match some field, or the words are one
    person's whole name (which also matches its nickname forms); constant scores order the
    matches: the exact name first, then names starting with the first word, then words in the
    name, in former names, in people.

    A suffix ("Inc", "Holdings") is not required: people misremember it, and intersecting
    with a word found in a tenth of all names was most of the cost of a name query. It still
    counts in the scores, so the company named exactly so comes first.

    Each word in a field earns that field's share of its tier, summed, rather than one And
    per tier: an And builds its matcher by intersecting its words' postings to a first common
    document, a scan of whole posting lists whenever (as usual) there is none, for every tier
    of every query. Terms are only looked up at the documents that match."""
    phrase = " ".join(words)
    required = without_legal_suffix(words)
    share = 1.0 / len(words)
    scores = [
        ConstantScoreQuery(_exact_tier(words), TIER_EXACT),
        ConstantScoreQuery(Term("brand", phrase), TIER_BRAND),
        ConstantScoreQuery(Term("name_first", words[0]), TIER_PREFIX - TIER_NAME),
    ]
    for fieldname, tier in (("name", TIER_NAME), ("former_names", TIER_FORMER), ("people", TIER_PEOPLE)):
        scores += [ConstantScoreQuery(Term(fieldname, w), tier * share) for w in words]
    matches = And([_any_field(w, alone=len(required) == 1) for w in required], boost=TIEBREAK_BOOST)
    if len(words) > 1:  # (a ticker is one of the exact forms: a one-word query needs no more)
        person = Term("person", phrase)
        scores.append(ConstantScoreQuery(person, TIER_PEOPLE))
        matches = Or([matches, ConstantScoreQuery(person, TIEBREAK_BOOST)])
    return AndMaybe(matches, Or(scores))


def _fuzzy_query(words: list[str], candidates: dict[str, list[str]]):
    """Every word but a trailing legal suffix (as in `_exact_query`) matches, a typo through
    its candidates searched as exact terms: nothing is expanded at search time.

    A typo usually makes a word the index does not hold: then only those words are replaced
    and the others kept as typed, which keeps the query selective (two frequent words each
    widened to ten candidates took seconds at 1,000,000 companies). When every word is
    indexed, any one of them may be a typo that made another word: one branch per word."""
    required = without_legal_suffix(words)

    def forms(word, fuzzed):
        return Or([Term(name, form) for form in (candidates[word] if fuzzed else [word]) for name in FUZZY_FIELDS])

    unknown = {w for w in required if w in candidates and w not in candidates[w]}
    if unknown:
        return And([forms(w, w in unknown) for w in required])
    return Or([And([forms(w, w == typo) for w in required]) for typo in required if typo in candidates])


def _filter_query(country: str | None, sector: str | None):
    parts = []
    if country:
        parts.append(Term("country", country.upper()))
    if sector:
        parts.append(Term("sector_facet", sector))
    return And(parts) if parts else None


def _fuzzy_distance(word: str) -> int:
    """Edits allowed for a word: none for short words, where one edit is another word; one
    otherwise (two would multiply the candidates for little gain; `fuzzy.py` finds one)."""
    return 0 if len(word) < 4 else 1


def _has_hits(searcher, query) -> bool:
    """Whether anything matches, from the first match of each segment: no collecting."""
    # needs_current: otherwise every ConstantScoreQuery tier reads all its document numbers
    # first (70 ms for "corporation" at 1,000,000 companies).
    return any(query.matcher(sub, searcher.context(needs_current=True)).is_active()
               for sub, _ in searcher.leaf_searchers())


def _correction(searcher, words: list[str], candidates: dict[str, list[str]]) -> str | None:
    """The query with each unknown word replaced by its most frequent candidate, offered
    only when the corrected query finds something."""
    corrected = []
    for word in words:
        forms = candidates.get(word) or [word]
        corrected.append(word if word in forms else forms[0])
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


def matched_brand(brand_names, name: str, words: list[str], marked: set[str]) -> str | None:
    """The brand a result was found by, when its own name does not hold every query word:
    a brand one of whose names holds them all (or, after a typo, a corrected word)."""
    if not brand_names or set(words) <= set(tokens(name)):
        return None
    for names in brand_names:
        for brand_name in names:
            found = set(tokens(brand_name))
            if set(words) <= found:
                return names[0]
    for names in brand_names:
        if any(marked & set(tokens(brand_name)) for brand_name in names):
            return names[0]
    return None


def _facet_counts(results, name: str) -> list[tuple[str, int]]:
    counts = results.groups(name)
    return sorted(((key, n) for key, n in counts.items() if key), key=lambda kv: (-kv[1], kv[0]))


# Facet column readers by segment reader. Whoosh opens a column reader per segment for every
# query, reading arrays as long as the segment (2.5 ms each at 500,000 documents); segment
# readers live as long as this thread's reused searcher, so their column readers can too.
_FACET_COLUMNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class _CachedColumnCategorizer(sorting.ColumnCategorizer):
    def set_searcher(self, segment_searcher, docoffset):
        reader = segment_searcher.reader()
        columns = _FACET_COLUMNS.setdefault(reader, {})
        if self._fieldname not in columns:
            columns[self._fieldname] = reader.column_reader(self._fieldname, translate=False)
        self._creader = columns[self._fieldname]


class _FacetField(sorting.FieldFacet):
    def categorizer(self, global_searcher):
        if not global_searcher.reader().has_column(self.fieldname):  # an empty index
            return super().categorizer(global_searcher)
        return _CachedColumnCategorizer(global_searcher, self.fieldname)


class _EnoughMatches(Exception):
    """Raised once a `_BoundedCollector` has its quota of matches."""


class _BoundedCollector(WrappingCollector):
    """Collects at most `max_matches` matches, and none after `deadline`.

    Ranking, counting and faceting cost Python work per match: a word found in a tenth of a
    million names would take a second. The quota bounds that work; the exact-name tier is
    looked up separately (`_exact_hits`), so the company named exactly so is never lost.
    Checking a deadline per match replaces Whoosh's TimeLimitCollector, which starts a timer
    thread for every search.
    """

    def __init__(self, child, *, max_matches: int, deadline: float):
        super().__init__(child)
        self.max_matches = max_matches
        self.deadline = deadline
        self.collected = 0

    def collect_matches(self):
        child = self.child
        for sub_docnum in child.matches():
            if self.collected >= self.max_matches:
                raise _EnoughMatches
            child.collect(sub_docnum)
            self.collected += 1
            if time.monotonic() > self.deadline:
                raise TimeLimit


def _run(searcher, query, *, page, per_page, filter_query, time_limit):
    """Collect up to MATCH_LIMIT matches: (results, stopped early at the quota, timed out)."""
    facets = {
        "country": _FacetField("country", maptype=sorting.Count),
        "sector": _FacetField("sector_facet", maptype=sorting.Count),
    }
    if filter_query is not None:  # in the query: a wrapping collector would bypass a filter collector
        query = Require(query, filter_query)
    collector = searcher.collector(limit=page * per_page, groupedby=facets)
    bounded = _BoundedCollector(collector, max_matches=MATCH_LIMIT, deadline=time.monotonic() + time_limit)
    truncated = timed_out = False
    try:
        # Step through matches: whoosh's default intersects full sets of document numbers,
        # which is slow when one word ("corporation") is in a tenth of all names.
        searcher.search_with_collector(query, bounded, context=searcher.context(needs_current=True))
    except _EnoughMatches:
        truncated = True
    except TimeLimit:
        timed_out = True
    return bounded.results(), truncated, timed_out


def _exact_hits(searcher, words: list[str], filter_query) -> list[int]:
    """Documents named exactly as the query (or with it as ticker): first in any results,
    even when collecting stopped at the quota before reaching them."""
    query = _exact_tier(words)
    if filter_query is not None:
        query = Require(query, filter_query)
    return sorted(searcher.docs_for_query(query))


def generation() -> int:
    """The generation of the index this thread searches: it changes with every commit to
    the index, so it keys caches of search results."""
    state = current_state()
    return state.searcher().reader().generation() if state.enabled else 0


def search(query: str, *, page: int = 1, per_page: int = 20, country: str | None = None,
           sector: str | None = None) -> SearchResults:
    """Ranked company ids for a free-text query, one page of them, with facets.

    Exact words first; only when they find nothing, a typo-tolerant pass whose corrected
    query is offered as "did you mean".
    """
    page, per_page = max(1, page), max(1, per_page)
    found = SearchResults(page=page, per_page=per_page)
    words = tokens(query)[:MAX_QUERY_TOKENS]
    state = current_state()
    if not words or not state.enabled:
        return found
    filter_query = _filter_query(country, sector)
    searcher = state.searcher()
    results, truncated, timed_out = _run(searcher, _exact_query(words), page=page, per_page=per_page,
                                         filter_query=filter_query, time_limit=state.time_limit)
    marked = set(words)
    if results.is_empty() and not timed_out:
        candidates = fuzzy.candidates(searcher, [w for w in words if _fuzzy_distance(w)])
        found.did_you_mean = _correction(searcher, words, candidates)
        marked.update(form for forms in candidates.values() for form in forms)
        results, truncated, timed_out = _run(searcher, _fuzzy_query(words, candidates), page=page,
                                             per_page=per_page, filter_query=filter_query,
                                             time_limit=state.time_limit)
    # Copy everything out while the results are alive (pitfall W3).
    ranked = [results.docnum(n) for n in range(results.scored_length())]
    found.total = len(results)
    if truncated:
        missed = [d for d in _exact_hits(searcher, words, filter_query) if d not in ranked]
        ranked = missed + ranked
        found.total += len(missed)
    for docnum in ranked[(page - 1) * per_page:page * per_page]:
        fields = searcher.stored_fields(docnum)
        company_id = int(fields["id"])
        found.ids.append(company_id)
        found.highlights[company_id] = highlight(fields["name"], marked)
        brand = matched_brand(fields.get("brand_names"), fields["name"], words, marked)
        if brand:
            found.reasons[company_id] = f"brand: {brand}"
    found.facets = {"country": _facet_counts(results, "country"),
                    "sector": _facet_counts(results, "sector")}
    found.truncated = truncated
    found.timed_out = timed_out
    return found


def suggest(prefix: str, limit: int = SUGGEST_MAX) -> list[dict]:
    """Suggestions as a visitor types: companies whose name (or ticker) starts with the
    prefix, then (for one word) any word of the name, then a brand ("playst"), then companies
    whose executives' names start with it ("tim", "satya"), then, when nothing starts with a
    longer word, the names a typo was probably meant for: those starting with a prefix one
    edit away from the last word typed ("micrs": "micros..."). Read from sorted term
    tables, so the cost does not grow with the number of companies matching a short prefix."""
    key = " ".join(tokens(prefix))
    limit = max(0, min(limit, SUGGEST_MAX))
    state = current_state()
    if not key or not limit or not state.enabled:
        return []
    reader = state.searcher().reader()
    one_word = " " not in key
    out: dict[int, dict] = {}
    _collect(reader, "name_exact", reader.expand_prefix("name_exact", key), "name", out, limit)
    if one_word:
        _collect(reader, "name", reader.expand_prefix("name", key), "name", out, limit)
    _collect(reader, "brand", reader.expand_prefix("brand", key), "brand", out, limit)
    _collect_people(reader, key.split(), out, limit)
    *whole, partial = key.split()
    if not out and _fuzzy_distance(partial):
        for corrected in fuzzy.corrected_prefixes(state.searcher(), partial):
            if len(out) >= limit:
                break
            typed = " ".join([*whole, corrected])
            _collect(reader, "name_exact", reader.expand_prefix("name_exact", typed), "typo", out, limit)
            if one_word:
                _collect(reader, "name", reader.expand_prefix("name", corrected), "typo", out, limit)
            _collect_people(reader, [*whole, corrected], out, limit, matched="typo")
    return list(out.values())


def _collect_people(reader, words: list[str], out: dict[int, dict], limit: int, matched: str = "person") -> None:
    """Companies with an executive named by every word, the last one as typed so far
    ("tim co" finds Tim Cook's company)."""
    *whole, partial = words
    if any(not reader.frequency("people", word) for word in whole):
        return
    required = [set(reader.postings("people", word).all_ids()) for word in whole]
    for term in reader.expand_prefix("people", partial):
        if len(out) >= limit:
            return
        docnums = [d for d in reader.postings("people", term).all_ids() if all(d in r for r in required)]
        _add_companies(reader, docnums, matched, out, limit)


def _collect(reader, fieldname: str, terms, matched: str, out: dict[int, dict], limit: int) -> None:
    """Add the companies posted under each term, in order, until `out` holds `limit`."""
    for term in terms:
        if not reader.frequency(fieldname, term):
            continue
        _add_companies(reader, reader.postings(fieldname, term).all_ids(), matched, out, limit)
        if len(out) >= limit:
            return


def _add_companies(reader, docnums, matched: str, out: dict[int, dict], limit: int) -> None:
    for docnum in docnums:
        if len(out) >= limit:
            return
        if docnum not in out:
            fields = reader.stored_fields(docnum)
            out[docnum] = {"name": fields["name"], "slug": fields["slug"], "ticker": fields.get("ticker"),
                           "country": fields.get("country"), "ceo": fields.get("ceo"), "matched": matched}


def warm() -> None:
    """Do once what a process's first searches would otherwise do while a visitor waits
    (seconds at a million companies): open the index and this thread's searcher, read every
    segment's words for the typo fallback, and load the facet columns and the suggestion
    term tables, by running a search, a misspelt search and a suggestion for an indexed word."""
    state = current_state()
    if not state.enabled or not state.exists():
        return
    word = next(iter(state.searcher().reader().lexicon("name")), b"").decode()
    if word:
        search(word)
        search(word + "q")  # finds nothing exactly: the typo fallback reads the word lists
        suggest(word[:2])
