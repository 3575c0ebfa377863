"""The index schema and the one analyzer every field, document and query goes through."""
from __future__ import annotations

import re

from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

from .nicknames import given_name_variants

WORD = re.compile(r"\w+")
# Legal-form words dropped from the end of a name, so "apple" is an exact hit for "Apple Inc.".
LEGAL_SUFFIXES = frozenset(
    "inc incorporated corp corporation co company ltd limited plc llc lp llp sa ag nv se bv "
    "gmbh holdings".split()
)
NAME_SUFFIXES = frozenset("jr sr ii iii iv".split())


def fold(text: str) -> str:
    """Lowercase and strip accents; ASCII text (nearly every name) skips the accent table."""
    text = text.lower()
    return text if text.isascii() else text.translate(accent_map)


def tokens(text: str | None) -> list[str]:
    """Lowercased, accent-folded words: the only form user input takes into a query."""
    return WORD.findall(fold(text or ""))


class FoldingAnalyzer(Tokenizer):
    """Words, lowercased and accent-folded, in one regex pass over the folded text.

    Behaves like `RegexTokenizer(r"\\w+") | LowercaseFilter() | CharsetFilter(accent_map)`
    but without a Python-level filter chain per token, which was most of the analysis cost
    of a rebuild. Character offsets (for highlighting) are taken from the original text.
    """

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if chars:
            for pos, match in enumerate(WORD.finditer(value)):
                token.text = fold(match.group())
                token.boost = 1.0
                token.startchar, token.endchar = start_char + match.start(), start_char + match.end()
                if positions:
                    token.pos = start_pos + pos
                yield token
            return
        for pos, word in enumerate(tokens(value)):
            token.text = word
            token.boost = 1.0
            if positions:
                token.pos = start_pos + pos
            yield token


ANALYZER = FoldingAnalyzer()


def without_legal_suffix(words: list[str]) -> list[str]:
    words = words[1:] if len(words) > 1 and words[0] == "the" else list(words)
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return words


def name_forms(words: list[str]) -> list[str]:
    """A company name's words as a whole, with and without its legal suffix."""
    forms = [" ".join(words), " ".join(without_legal_suffix(words))]
    return list(dict.fromkeys(f for f in forms if f))


def person_forms(name: str) -> list[str]:
    """Whole-name forms of a person: given name (and its diminutives) + surname, with and
    without middle names/initials, so "tim cook" and "timothy d cook" find "Timothy D. Cook"
    and a nickname only ever pairs with that person's own surname."""
    words = tokens(name)
    while len(words) > 2 and words[-1] in NAME_SUFFIXES:
        words.pop()
    if len(words) < 2:
        return []
    given, middle, surname = words[0], words[1:-1], words[-1]
    forms = []
    for first in (given, *sorted(given_name_variants(given))):
        forms.append(f"{first} {surname}")
        if middle:
            forms.append(" ".join([first, *middle, surname]))
    return forms


def _schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        name=TEXT(analyzer=ANALYZER, stored=True, phrase=False),
        name_exact=KEYWORD(commas=True),  # normalised full name forms
        name_first=ID(),  # first word of the name, for the "name starts with" tier
        former_names=TEXT(analyzer=ANALYZER, phrase=False),
        tickers=KEYWORD(commas=True, lowercase=True),
        about=TEXT(analyzer=ANALYZER, phrase=False),  # city, sector and SIC code: matched, not ranked
        people=TEXT(analyzer=ANALYZER, phrase=False),
        person=KEYWORD(commas=True),  # whole person names with nickname variants
        country=ID(stored=True, sortable=True),
        sector_facet=ID(sortable=True),
        # Sorted prefix tables for suggestions: the term dictionary is sorted, so the first
        # eight terms from a prefix are read without scoring (or expanding) anything.
        suggest_name=KEYWORD(commas=True),
        suggest_word=KEYWORD(commas=True),
        slug=STORED,
        ticker=STORED,
        ceo=STORED,
    )


SCHEMA = _schema()
