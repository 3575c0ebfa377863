"""Typo candidates for the search fallback: indexed words one edit away from a query word.

Whoosh's `FuzzyTerm` walks, in Python, every term sharing a fixed two-letter prefix (p95
1.3 s at 1,000,000 companies), and misses typos in those first letters. Here each segment's
words of the fuzzy fields are read once into two sorted lists, forwards and reversed, and
only the words that could be one edit away are compared, by rapidfuzz in C:

* One edit (insertion, deletion, substitution or transposition of neighbours, the optimal
  string alignment distance) at or after position p leaves the first p letters intact, and
  one before p leaves everything from p + 1 on intact. So a candidate starts with the
  query's first p letters (a slice of the forward list) or ends with its letters after p
  (a slice of the reversed list), p being about half the word: two small slices of a
  sorted list, whatever the index size.
* Segments are immutable but for deletions, so their words are cached by segment id and the
  cache is pruned to the live segments: after an update only the small new segment is read
  (one index per process is assumed: two would evict each other's words, correctly but slowly).
  A word whose documents were all deleted stays a candidate until its segment is merged;
  harmless, because candidates are then searched as exact terms.
"""
from __future__ import annotations

import threading
from bisect import bisect_left
from dataclasses import dataclass
from itertools import chain

from rapidfuzz import process
from rapidfuzz.distance import OSA

FIELDS = ("name", "former_names", "people", "brands")
# Letters a typed prefix's variants try: folded words are mostly these, and each one more
# multiplies the variants (about 72 per letter typed) that must be looked up.
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
MAX_CANDIDATES = 10  # per word, most frequent first: enough for real names, bounds the query
_LAST = chr(0x10FFFF)  # sorts after every character a folded word can hold


@dataclass(frozen=True)
class SegmentWords:
    """The distinct words of one segment's fuzzy fields, sorted forwards and reversed."""

    forwards: list[str]
    backwards: list[str]

    @classmethod
    def read(cls, reader) -> SegmentWords:
        """Each field's lexicon is sorted already: sorting their concatenation only merges
        runs, and `dict.fromkeys` drops the words two fields share, both in C."""
        terms = chain.from_iterable(reader.lexicon(field) for field in FIELDS if field in reader.schema)
        forwards = list(dict.fromkeys(sorted(map(bytes.decode, terms))))
        return cls(forwards, sorted(word[::-1] for word in forwards))

    def near(self, word: str) -> set[str]:
        """Words of this segment within one edit of `word` (the word itself included)."""
        split = (len(word) - 1) // 2
        found = _within_one(word, _starting_with(self.forwards, word[:split]))
        reversed_word = word[::-1]
        tail = reversed_word[:len(word) - split - 1]
        found.update(w[::-1] for w in _within_one(reversed_word, _starting_with(self.backwards, tail)))
        return found

    def has_prefix(self, prefix: str) -> bool:
        """Whether some word of this segment starts with `prefix`: the first word not before
        it in sorted order does, if any does."""
        at = bisect_left(self.forwards, prefix)
        return at < len(self.forwards) and self.forwards[at].startswith(prefix)


def one_edit_prefixes(prefix: str) -> list[str]:
    """What a half-typed word with one typo ("micrs") may have been meant to start with: its
    variants one insertion, substitution, transposition or deletion away, longest first, so
    that the more of what was typed a variant keeps, the earlier it is tried ("micros" before
    "micro" and "micr"). A letter added at the end is left out: the prefix itself would match."""
    n = len(prefix)
    inserted = [prefix[:i] + c + prefix[i:] for i in range(n) for c in ALPHABET]
    substituted = [prefix[:i] + c + prefix[i + 1:] for i in range(n) for c in ALPHABET if c != prefix[i]]
    swapped = [prefix[:i] + prefix[i + 1] + prefix[i] + prefix[i + 2:] for i in range(n - 1)
               if prefix[i] != prefix[i + 1]]
    deleted = [prefix[:i] + prefix[i + 1:] for i in range(n)]
    return [v for v in dict.fromkeys(inserted + swapped + substituted + deleted) if v != prefix]


def _starting_with(words: list[str], prefix: str) -> list[str]:
    return words[bisect_left(words, prefix):bisect_left(words, prefix + _LAST)]


def _within_one(word: str, choices: list[str]) -> set[str]:
    return {match for match, _, _ in process.extract(word, choices, scorer=OSA.distance,
                                                      score_cutoff=1, limit=None)}


_CACHE: dict[str, SegmentWords] = {}
_CACHE_LOCK = threading.Lock()


def _segment_words(searcher) -> list[SegmentWords]:
    """Each live segment's words, read on first use; segments no longer live are dropped."""
    readers = [sub.reader() for sub, _ in searcher.leaf_searchers()]
    with _CACHE_LOCK:  # one thread reads a new segment; the others wait for it instead of re-reading
        out, live = [], set()
        for reader in readers:
            segment = reader.segment()
            if segment is None:  # an empty index: nothing to cache
                out.append(SegmentWords.read(reader))
                continue
            key = segment.segment_id()
            live.add(key)
            if key not in _CACHE:
                _CACHE[key] = SegmentWords.read(reader)
            out.append(_CACHE[key])
        for key in set(_CACHE) - live:
            del _CACHE[key]
    return out


def candidates(searcher, words: list[str]) -> dict[str, list[str]]:
    """For each word, the indexed words within one edit of it, most documents first, at
    most MAX_CANDIDATES; a word that is itself indexed comes first, so it is never cut."""
    segments = _segment_words(searcher)
    reader = searcher.reader()
    out = {}
    for word in dict.fromkeys(words):
        near = set().union(*(segment.near(word) for segment in segments))
        others = near - {word}
        frequency = {w: sum(reader.doc_frequency(field, w) for field in FIELDS) for w in others}
        ranked = sorted(others, key=lambda w: (-frequency[w], w))
        out[word] = (([word] if word in near else []) + ranked)[:MAX_CANDIDATES]
    return out


def corrected_prefixes(searcher, prefix: str) -> list[str]:
    """`one_edit_prefixes` that start some indexed word, in their order: one bisection of
    each segment's sorted words per variant, whatever the index size."""
    segments = _segment_words(searcher)
    return [v for v in one_edit_prefixes(prefix) if any(segment.has_prefix(v) for segment in segments)]
