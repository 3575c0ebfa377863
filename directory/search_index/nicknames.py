"""Common English given-name diminutives, so "tim cook" finds "Timothy D. Cook".

Each line is one group of interchangeable given names; a name in several groups (Jon is a
Jonathan and a John) gets the union. Variants are added at index time only, to a field of
whole person names, so a query stays a handful of exact term lookups and a nickname can
only pair with the surname of the same person.
"""
from __future__ import annotations

GROUPS = """
timothy tim
william bill will billy
robert bob rob bobby
elizabeth liz beth betty
katherine catherine kate kathy cathy
michael mike
richard rick dick
james jim jimmy
jonathan john jon jack
thomas tom
christopher chris
matthew matt
daniel dan
david dave
joseph joe
charles charlie chuck
edward ed ted
anthony tony
steven stephen steve
andrew andy
alexander alex
benjamin ben
samuel sam
patricia pat
jennifer jen
margaret maggie peggy
susan sue
deborah debbie
kenneth ken
douglas doug
gregory greg
nicholas nick
peter pete
ronald ron
donald don
lawrence larry
frederick fred
gerald jerry
raymond ray
"""


def _variants() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for line in GROUPS.split("\n"):
        group = set(line.split())
        for name in group:
            table.setdefault(name, set()).update(group)
    return {name: frozenset(group - {name}) for name, group in table.items()}


VARIANTS = _variants()


def given_name_variants(given: str) -> frozenset[str]:
    """Other forms of a lowercased given name ("tim" for "timothy" and back); empty if none."""
    return VARIANTS.get(given, frozenset())
