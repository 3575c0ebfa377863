"""One way to run a visitor's search, for the search page and the JSON API alike.

A query is first read for what the person means (`intent.parse`: "expedia customer
service" is Expedia at the customer-service step); the company words are searched, and the
query as typed only when they find nothing ("Support Services Ltd" is a name). When nothing
is found, `close_names` offers companies whose name is actually close to what was typed,
whichever search backend found the candidates: the rule is here, not in a backend.
"""
from __future__ import annotations

from rapidfuzz.distance import OSA

from .. import search_index
from ..search_index.schema import LEGAL_SUFFIXES, tokens
from .intent import SearchIntent
from .intent import parse as intent_of

CLOSE_NAMES_SHOWN = 6
MIN_WORD = 3  # shorter words are too common to say that a name is close


def find(q: str, *, page: int, per_page: int, country: str | None = None,
         sector: str | None = None) -> tuple[search_index.SearchResults, SearchIntent]:
    """The results for what the query means, and the intent they were found for."""
    intent = intent_of(q)
    found = search_index.search(intent.query, page=page, per_page=per_page, country=country, sector=sector)
    if not found.total and intent.query != q:
        found, intent = search_index.search(q, page=page, per_page=per_page, country=country,
                                            sector=sector), SearchIntent(q)
    return found, intent


def allowed_edits(word: str) -> int:
    """Typos forgiven in a word of this length: one in a word of up to six letters, two up
    to ten, three beyond. "kenmore" (7 letters) is three edits from "kenvue": not close."""
    return 1 if len(word) <= 6 else 2 if len(word) <= 10 else 3


def _close_word(typed: str, word: str) -> bool:
    """A name's word is close to a typed word when it starts with it (a half-typed word), or
    when it has the same first letter (people rarely mistype it) and is within
    `allowed_edits`: "kenmore" is not "encore", nor "sears" "ars"."""
    if word.startswith(typed):
        return True
    limit = allowed_edits(typed)
    return word[:1] == typed[:1] and OSA.distance(typed, word, score_cutoff=limit) <= limit


def _all_words_close(typed: list[str], name_words: list[str]) -> bool:
    """Each typed word close to a word of the name of its own: "coca cola" is not "Coda
    Octopus", whose one word "coda" is one typo from both."""
    unused = list(name_words)
    for word in typed:
        match = next((w for w in unused if _close_word(word, w)), None)
        if match is None:
            return False
        unused.remove(match)
    return True


def _words(text: str) -> list[str]:
    """The words of a name or query that say which company: legal forms ("Inc", "Corp")
    do not, unless they are all there is."""
    words = tokens(text)
    return [word for word in words if word not in LEGAL_SUFFIXES] or words


def is_close(query: str, name: str) -> bool:
    """Whether `name` is close enough to `query` to be offered as "a similar name".

    Every word of the query (of MIN_WORD letters or more) must be close to a word of the
    name, or the query's letters, run together, to the name's ("wal mart", "Walmart";
    "acmewidgts", "Acme Widgets").
    Executives, brands and shared first letters do not make a name close: "kenmore" must
    not offer Sony because its CEO is Kenichiro Yoshida."""
    typed = [word for word in _words(query) if len(word) >= MIN_WORD]
    words = _words(name)
    if not typed or not words:
        return False
    if _all_words_close(typed, words):
        return True
    return _close_word("".join(_words(query)), "".join(words))


def close_names(query: str) -> list[dict]:
    """Companies with a name close to `query`, for a search that found nothing.

    The candidates are the backend's suggestions for the query (which correct a typo in its
    last word) and for the first letters of its first word; only the close ones are kept."""
    first_word = next(iter(tokens(query)), "")
    if len(first_word) < MIN_WORD:
        return []
    close: dict[str, dict] = {}
    for prefix in dict.fromkeys((query, first_word, first_word[:MIN_WORD])):
        for item in search_index.suggest(prefix):
            if item["slug"] not in close and is_close(query, item["name"]):
                close[item["slug"]] = item
        if len(close) >= CLOSE_NAMES_SHOWN:
            break
    return list(close.values())[:CLOSE_NAMES_SHOWN]
