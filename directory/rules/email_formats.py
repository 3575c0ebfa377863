"""Infer a company's email address format from the addresses we know, and apply it.

Pure functions, no database: the company page passes in the known addresses and the
executives' names. The result is a guess with its evidence (how many addresses support it)
and a confidence; an ambiguous or conflicting set gives a low confidence and no format,
because a wrong address presented as likely is worse than none.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

# name -> how the local part is built from (first, last) in lower case ASCII letters.
FORMATS = {
    "first.last": lambda f, l: f"{f}.{l}",
    "first_last": lambda f, l: f"{f}_{l}",
    "first-last": lambda f, l: f"{f}-{l}",
    "firstlast": lambda f, l: f"{f}{l}",
    "f.last": lambda f, l: f"{f[0]}.{l}",
    "flast": lambda f, l: f"{f[0]}{l}",
    "f_last": lambda f, l: f"{f[0]}_{l}",
    "firstl": lambda f, l: f"{f}{l[0]}",
    "first.l": lambda f, l: f"{f}.{l[0]}",
    "first": lambda f, l: f,
    "last": lambda f, l: l,
    "last.first": lambda f, l: f"{l}.{f}",
    "last_first": lambda f, l: f"{l}_{f}",
    "lastfirst": lambda f, l: f"{l}{f}",
    "lastf": lambda f, l: f"{l}{f[0]}",
    "last.f": lambda f, l: f"{l}.{f[0]}",
}
# A bare first or last name is also what generic mailboxes look like ("john@", "support@"),
# so one such address alone proves nothing.
WEAK_FORMATS = {"first", "last"}
NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "phd", "md", "cpa", "esq"}
HONORIFICS = {"dr", "mr", "mrs", "ms", "prof"}
HIGH, MEDIUM = 0.8, 0.5


@dataclass(frozen=True)
class FormatGuess:
    format: str | None  # None when the evidence is ambiguous or conflicting
    domain: str
    supporting: int  # known addresses that fit `format`
    matched: int  # known addresses that fit any format for one of the executives
    confidence: float  # 0..1
    candidates: tuple[str, ...] = ()  # the formats that tied or conflicted

    @property
    def is_agreed(self) -> bool:
        """At least two addresses agree on the format and none points to another: only then
        is an address in it worth showing."""
        return self.format is not None and self.supporting >= 2 and not self.candidates

    def fits(self, address: str, name: str) -> bool:
        return self.format in formats_fitting(address.rpartition("@")[0], [name])

    @property
    def level(self) -> str:
        if self.confidence >= HIGH:
            return "high"
        return "medium" if self.confidence >= MEDIUM else "low"

    def address_for(self, name: str) -> str | None:
        """The likely address of `name`, only when there is a format to apply."""
        if self.format is None:
            return None
        parts = name_parts(name)
        return f"{FORMATS[self.format](*parts)}@{self.domain}" if parts else None

    def after_bounces(self, bounces: int) -> "FormatGuess":
        """Each reported bounce halves the confidence."""
        if not bounces:
            return self
        return FormatGuess(self.format, self.domain, self.supporting, self.matched,
                           self.confidence * 0.5 ** bounces, self.candidates)


def _ascii_letters(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalpha()).lower()


def name_parts(name: str) -> tuple[str, str] | None:
    """(first, last) of a person's name as an email would spell them: "Timothy D. Cook, Jr." ->
    ("timothy", "cook"). Middle names and initials, suffixes and accents are dropped."""
    words = [_ascii_letters(w) for w in name.replace(",", " ").split()]
    words = [w for w in words if w and w not in NAME_SUFFIXES]
    if words and words[0] in HONORIFICS:
        words = words[1:]
    if len(words) < 2 or len(words[0]) < 2:
        return None
    return words[0], words[-1]


def formats_fitting(local_part: str, names: list[str]) -> set[str]:
    """Every format that turns one of `names` into `local_part`."""
    local = local_part.lower()
    fitting = set()
    for name in names:
        parts = name_parts(name)
        if parts:
            fitting |= {fmt for fmt, build in FORMATS.items() if build(*parts) == local}
    return fitting


def infer_format(addresses: list[str], names: list[str], named: list[tuple[str, str]] = ()) -> FormatGuess | None:
    """The company's format from known addresses and its executives' names, or None when no
    address looks like an executive's. `named` are (address, name of its owner) pairs, as a
    press release gives them: each is matched against its owner's name only."""
    fits_by_domain: dict[str, list[set[str]]] = {}
    evidence = [(address, names) for address in addresses] + [(address, [name]) for address, name in named]
    for address, candidates in evidence:
        local, _, domain = address.strip().rpartition("@")
        fitting = formats_fitting(local, candidates) if local and domain else set()
        if fitting:
            fits_by_domain.setdefault(domain.lower(), []).append(fitting)
    if not fits_by_domain:
        return None
    domain, fits = max(fits_by_domain.items(), key=lambda item: len(item[1]))
    support = Counter(fmt for fitting in fits for fmt in fitting)
    best = max(support.values())
    leaders = sorted(fmt for fmt, count in support.items() if count == best)
    matched = len(fits)
    share = best / matched
    if len(leaders) > 1 or share <= 0.5 or (leaders[0] in WEAK_FORMATS and best < 2):
        candidates = tuple(sorted(support))
        return FormatGuess(None, domain, best, matched, round(0.2 * share, 3), candidates)
    conflicting = tuple(sorted(fmt for fmt in support if fmt != leaders[0]))
    confidence = share * (1 - 0.5 ** best)  # one address 0.5, two 0.75, three 0.875
    return FormatGuess(leaders[0], domain, best, matched, round(confidence, 3), conflicting)
