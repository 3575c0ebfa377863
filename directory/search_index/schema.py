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
NAME_SUFFIXES = frozenset(("jr", "sr", "ii", "iii", "iv"))


# Whoosh's accent table, but "ß" as "ss" (the table gives "s", so "strasse" missed "Straße")
# and the ligatures "æ" and "œ" as two letters, as they are spelled out in ASCII.
_FOLDS = {**accent_map, ord("ß"): "ss", ord("æ"): "ae", ord("œ"): "oe"}


def fold(text: str) -> str:
    """Lowercase and strip accents; ASCII text (nearly every name) skips the accent table."""
    text = text.lower()
    return text if text.isascii() else text.translate(_FOLDS)


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


def brand_forms(names: list[str]) -> list[str]:
    """A brand's name and aliases as whole phrases: "hotels.com" -> "hotels com"."""
    return list(dict.fromkeys(form for name in names if (form := " ".join(tokens(name)))))


def _person_words(name: str) -> list[str]:
    """A person's name words without trailing "Jr", "III" and the like (two words stay)."""
    words = tokens(name)
    while len(words) > 2 and words[-1] in NAME_SUFFIXES:
        words.pop()
    return words


def person_forms(name: str) -> list[str]:
    """A person's whole name as "given surname" and in full ("timothy cook", "timothy d
    cook"); none for a one-word name. The postgres backend matches these against the query
    under each form of its given name, where Whoosh indexes `nickname_forms` instead."""
    words = _person_words(name)
    if len(words) < 2:
        return []
    return list(dict.fromkeys((f"{words[0]} {words[-1]}", " ".join(words))))


def nickname_forms(name: str) -> list[str]:
    """Whole-name forms of a person under the other forms of their given name ("tim cook",
    "tim d cook" for "Timothy D. Cook"), so a diminutive only ever pairs with that person's
    own surname. The formal name needs no form: its words are in the people field, where a
    middle initial does not block a match."""
    words = _person_words(name)
    if len(words) < 2:
        return []
    given, middle, surname = words[0], words[1:-1], words[-1]
    forms = []
    for first in sorted(given_name_variants(given)):
        forms.append(f"{first} {surname}")
        if middle:
            forms.append(" ".join([first, *middle, surname]))
    return forms


def _schema() -> Schema:
    """Documents give every indexed field as a list of analysed terms (`documents.py`), so the
    field types only decide what is stored, scored and sortable."""
    return Schema(
        id=ID(stored=True, unique=True),
        name=TEXT(analyzer=ANALYZER, stored=True, phrase=False),
        # Whole-name forms (with and without the legal suffix) and tickers: the exact tier,
        # and a sorted prefix table for suggestions (the first eight terms from a prefix are
        # read without scoring or expanding anything).
        name_exact=KEYWORD(commas=True, scorable=True),
        name_first=ID(),  # first word of the name, for the "name starts with" tier
        # Word fields are scorable even where only the tiers rank: writing a posting looks up
        # the document's field length, and for a field without lengths that is a file stat.
        former_names=KEYWORD(scorable=True),
        about=KEYWORD(scorable=True),  # city, sector and SIC code
        people=KEYWORD(scorable=True),
        person=KEYWORD(commas=True, scorable=True),  # whole person names under their given-name diminutives
        brands=KEYWORD(scorable=True),  # words of brand names and their aliases ("playstation")
        brand=KEYWORD(commas=True, scorable=True),  # whole brand names and aliases, the brand tier
        brand_names=STORED,  # [name, *aliases] of each brand: why a result matched
        country=ID(stored=True, sortable=True),
        sector_facet=ID(sortable=True),
        slug=STORED,
        ticker=STORED,
        ceo=STORED,
    )


SCHEMA = _schema()
