"""Wikidata's per-entity JSON (`Special:EntityData/<QID>.json`) read into plain statements.

Why each part exists:
- a merged item is served under its target's id (the old QID appears nowhere in the body),
  so an entity is keyed by the id in the body, and the caller remembers old -> new;
- `somevalue` ("some unknown person") and `novalue` ("none") snaks carry no datavalue: they
  become statements whose value is None, so a caller can tell them from a missing claim;
- times are `+2020-00-00T00:00:00Z` at year precision: month and day are zero, so the string
  is never read as an ISO date; the precision is kept with the date;
- ranks: a deprecated statement is known to be wrong and is dropped here; `best` keeps the
  preferred statements when there are any, as Wikidata's own "truthy" view does.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from ..errors import ParseError

PRECISION_YEAR, PRECISION_MONTH, PRECISION_DAY = 9, 10, 11
ENTITY_PAGE = "https://www.wikidata.org/wiki/{qid}"


@dataclass(frozen=True)
class WikidataDate:
    """A date as precise as Wikidata knows it: a year-precision 2020 is `date(2020, 1, 1)`, 9."""

    value: date
    precision: int

    def isoformat(self) -> str:
        text = self.value.isoformat()
        return text[:4] if self.precision <= PRECISION_YEAR else text[:7] if self.precision == PRECISION_MONTH else text


@dataclass(frozen=True)
class Reference:
    url: str | None = None  # P854 reference URL
    stated_in: str | None = None  # P248 stated in (a QID)
    title: str | None = None  # P1476 title


@dataclass(frozen=True)
class Statement:
    property: str
    value: object  # a QID, a string, a WikidataDate, a (text, language) pair; None for somevalue/novalue
    snaktype: str = "value"
    rank: str = "normal"
    id: str | None = None
    qualifiers: dict = field(default_factory=dict)  # property -> tuple of values
    references: tuple[Reference, ...] = ()

    def qualifier(self, prop: str):
        values = self.qualifiers.get(prop) or ()
        return values[0] if values else None


@dataclass(frozen=True)
class Entity:
    id: str
    labels: dict  # language -> label
    aliases: dict  # language -> tuple of aliases
    claims: dict  # property -> tuple of Statement (deprecated ones already dropped)

    @property
    def url(self) -> str:
        return ENTITY_PAGE.format(qid=self.id)

    def label(self, languages: tuple[str, ...] = ()) -> str | None:
        """English first, then `mul` (the name in every language), then the given languages,
        then any label at all: a person known only in Japanese still has a name."""
        for language in ("en", "mul", *languages):
            if self.labels.get(language):
                return self.labels[language]
        return next(iter(self.labels.values()), None)

    def alias_list(self, languages: tuple[str, ...] = ()) -> list[str]:
        names = [a for language in ("en", "mul", *languages) for a in self.aliases.get(language, ())]
        return list(dict.fromkeys(names))

    def statements(self, prop: str) -> tuple[Statement, ...]:
        return self.claims.get(prop, ())

    def best(self, prop: str) -> list[Statement]:
        """The preferred statements if any, else all: Wikidata's "truthy" statements."""
        statements = self.statements(prop)
        preferred = [s for s in statements if s.rank == "preferred"]
        return preferred or list(statements)

    def first_value(self, prop: str):
        """The first best statement's value that is known (not somevalue/novalue)."""
        return next((s.value for s in self.best(prop) if s.value is not None), None)

    def values(self, prop: str) -> list:
        return [s.value for s in self.best(prop) if s.value is not None]


def parse_entity(data: bytes | str | dict, *, url: str | None = None) -> Entity:
    """The one entity of an EntityData document (the merge target's, for a merged item)."""
    try:
        document = json.loads(data) if isinstance(data, (bytes, str)) else data
        entities = document["entities"]
        (raw,) = entities.values()
    except (ValueError, KeyError, TypeError) as error:
        raise ParseError(url, f"not a Wikidata entity document ({type(error).__name__})") from error
    if not isinstance(raw, dict) or "id" not in raw:
        raise ParseError(url, "entity without an id")
    claims = {}
    for prop, statements in (raw.get("claims") or {}).items():
        kept = tuple(_statement(s) for s in statements if s.get("rank") != "deprecated")
        if kept:
            claims[prop] = kept
    return Entity(
        id=raw["id"],
        labels={lang: v["value"] for lang, v in (raw.get("labels") or {}).items()},
        aliases={lang: tuple(a["value"] for a in values) for lang, values in (raw.get("aliases") or {}).items()},
        claims=claims,
    )


def _statement(raw: dict) -> Statement:
    snak = raw.get("mainsnak") or {}
    qualifiers = {prop: tuple(v for v in (snak_value(q) for q in snaks) if v is not None)
                  for prop, snaks in (raw.get("qualifiers") or {}).items()}
    return Statement(
        property=snak.get("property", ""), value=snak_value(snak), snaktype=snak.get("snaktype", "value"),
        rank=raw.get("rank", "normal"), id=raw.get("id"), qualifiers=qualifiers,
        references=tuple(_reference(r) for r in raw.get("references") or ()),
    )


def _reference(raw: dict) -> Reference:
    snaks = raw.get("snaks") or {}

    def first(prop):
        return next((v for v in (snak_value(s) for s in snaks.get(prop, ())) if v is not None), None)

    title = first("P1476")
    return Reference(url=first("P854"), stated_in=first("P248"), title=title[0] if isinstance(title, tuple) else title)


def snak_value(snak: dict):
    """A snak's value as a plain Python value; None for somevalue, novalue and unknown types."""
    if snak.get("snaktype") != "value":
        return None
    datavalue = snak.get("datavalue") or {}
    value, kind = datavalue.get("value"), datavalue.get("type")
    if kind == "wikibase-entityid":
        return value.get("id") if isinstance(value, dict) else None
    if kind == "string":
        return value
    if kind == "monolingualtext":
        return (value.get("text"), value.get("language"))
    if kind == "time":
        return parse_time(value.get("time"), value.get("precision"))
    if kind == "quantity":
        return value.get("amount")
    return None


def parse_time(text: str | None, precision: int | None) -> WikidataDate | None:
    """`+2020-00-00T00:00:00Z` at precision 9 -> 2020 (January 1st, year precision).

    Dates before year 1 and coarser than a year (decades, centuries) are not dates a page
    can show as a start or end of a term: None.
    """
    if not text or precision is None or precision < PRECISION_YEAR or text.startswith("-"):
        return None
    try:
        year, month, day = (int(part) for part in text.lstrip("+").split("T", 1)[0].split("-"))
        if precision == PRECISION_YEAR:
            month, day = 1, 1
        elif precision == PRECISION_MONTH:
            day = 1
        return WikidataDate(date(year, month or 1, day or 1), min(precision, PRECISION_DAY))
    except ValueError:
        return None
