"""Companies by initial, country and sector, and people holding a current position.

Each number moves with the writes: a flush that adds, deletes or re-keys a company, or makes a
position current or not, adds its differences to `directory_counts` in the same transaction
(an upsert `n = n + delta`, keys in a fixed order so concurrent writers never deadlock). The
bulk loader's Core inserts call `companies_added`. `refresh` recounts everything.

The home page's total is the sum of the letters (every company has one) and its number of
countries the countries with a company, so no single row is written by every import.
"""
from __future__ import annotations

from collections import Counter

from sqlalchemy import String, case, delete, func, inspect, literal, or_, select
from sqlalchemy.orm import Session

from ..database import UPSERTS
from ..extensions import db
from ..models import Company, DirectoryCount, Position
from ..slugs import slugify

LETTER, COUNTRY, SECTOR, EXECUTIVES = "letter", "country", "sector", "executives"


class Deltas:
    """Differences to add to the counts, and sector descriptions seen on the way."""

    def __init__(self):
        self.n: Counter[tuple[str, str]] = Counter()
        self.labels: dict[str, str] = {}

    def company(self, initial: str, country: str | None, sector: str | None, sign: int) -> None:
        """`sector`: the company's sector key (`sector_key`)."""
        self.n[(LETTER, initial)] += sign
        if country:
            self.n[(COUNTRY, country)] += sign
        if sector:
            self.n[(SECTOR, sector)] += sign

    def sector_label(self, sic_code: str | None, sector: str | None) -> None:
        key = sector_key(sic_code, sector)
        if key and sector:
            self.labels[key] = sector


def sector_key(sic_code: str | None, sector: str | None) -> str | None:
    """Where a company is browsed by sector: its SEC industry code, else the slug of the
    sector another source names (Wikidata's "consumer electronics": "consumer-electronics"),
    so a company without a SIC code still appears under a sector. Slugs always hold a letter,
    codes only digits: the two never collide."""
    if sic_code:
        return sic_code
    return slugify(sector) if sector and sector.strip() else None


def is_sic_code(key: str) -> bool:
    return key.isdigit()


def _before(obj, key: str):
    """The value `key` had before this flush (the columns concerned keep active history)."""
    attribute = inspect(obj).attrs[key]
    history = attribute.history
    if history.deleted:
        return history.deleted[0]
    return None if history.added else attribute.value


def _company_change(deltas: Deltas, company: Company) -> None:
    before = (_before(company, "initial"), _before(company, "country"),
              sector_key(_before(company, "sic_code"), _before(company, "sector")))
    after = (company.initial, company.country, sector_key(company.sic_code, company.sector))
    if before != after:
        deltas.company(*before, -1)
        deltas.company(*after, +1)
    if inspect(company).attrs.sector.history.has_changes():
        deltas.sector_label(company.sic_code, company.sector)


def _position_change(people: Counter, position: Position) -> None:
    before = (_before(position, "person_id"), _before(position, "is_current"))
    if before != (position.person_id, position.is_current):
        if before[1]:
            people[before[0]] -= 1
        if position.is_current:
            people[position.person_id] += 1


def _executives_delta(connection, people: Counter) -> int:
    """How many people started or stopped holding any current position, given how many
    current positions each touched person gained (+) or lost (-) in this flush."""
    changed = [person_id for person_id, change in people.items() if change]
    if not changed:
        return 0
    now = dict(connection.execute(
        select(Position.person_id, func.count()).where(Position.person_id.in_(changed), Position.is_current.is_(True))
        .group_by(Position.person_id)).all())
    return sum((now.get(p, 0) > 0) - (now.get(p, 0) - people[p] > 0) for p in changed)


def flush_deltas(session: Session, connection) -> Deltas:
    """What the flush that just ran changed in the counts, read from the session's objects."""
    deltas, people = Deltas(), Counter()
    for obj in session.new:
        if isinstance(obj, Company):
            deltas.company(obj.initial, obj.country, sector_key(obj.sic_code, obj.sector), +1)
            deltas.sector_label(obj.sic_code, obj.sector)
        elif isinstance(obj, Position) and obj.is_current:
            people[obj.person_id] += 1
    for obj in session.deleted:
        if isinstance(obj, Company):
            deltas.company(_before(obj, "initial"), _before(obj, "country"),
                           sector_key(_before(obj, "sic_code"), _before(obj, "sector")), -1)
        elif isinstance(obj, Position) and _before(obj, "is_current"):
            people[_before(obj, "person_id")] -= 1
    for obj in session.dirty:
        if isinstance(obj, Company):
            _company_change(deltas, obj)
        elif isinstance(obj, Position):
            _position_change(people, obj)
    deltas.n[(EXECUTIVES, "")] += _executives_delta(connection, people)
    return deltas


def companies_added(connection, rows: list[dict]) -> None:
    """Count companies inserted with Core (the bulk loader), which no flush sees."""
    deltas = Deltas()
    for row in rows:
        deltas.company(row["initial"], row["country"], sector_key(row["sic_code"], row["sector"]), +1)
        deltas.sector_label(row["sic_code"], row["sector"])
    apply(connection, deltas)


def apply(connection, deltas: Deltas) -> None:
    keys = {key for key, change in deltas.n.items() if change} | {(SECTOR, code) for code in deltas.labels}
    if not keys:
        return
    table = DirectoryCount.__table__
    statement = UPSERTS[connection.dialect.name](table).values([
        {"kind": kind, "key": key, "n": deltas.n[(kind, key)], "label": deltas.labels.get(key) if kind == SECTOR else None}
        for kind, key in sorted(keys)])
    new_label = statement.excluded.label
    connection.execute(statement.on_conflict_do_update(
        index_elements=[table.c.kind, table.c.key],
        set_={"n": table.c.n + statement.excluded.n,
              # The greatest description seen, as `refresh` takes max(sector): the same label either way.
              "label": case((or_(table.c.label.is_(None), new_label > table.c.label), new_label),
                            else_=table.c.label)}))


def refresh(connection) -> None:
    """Recount everything from the companies and positions (full scans: a CLI step)."""
    table = DirectoryCount.__table__
    columns = [table.c.kind, table.c.key, table.c.n, table.c.label]
    no_label = literal(None, String)
    connection.execute(delete(table))
    for statement in (
        select(literal(LETTER), Company.initial, func.count(), no_label).group_by(Company.initial),
        select(literal(COUNTRY), Company.country, func.count(), no_label)
        .where(Company.country.is_not(None)).group_by(Company.country),
        select(literal(SECTOR), Company.sic_code, func.count(), func.max(Company.sector))
        .where(Company.sic_code.is_not(None)).group_by(Company.sic_code),
        select(literal(EXECUTIVES), literal(""), func.count(func.distinct(Position.person_id)), no_label)
        .where(Position.is_current.is_(True)),
    ):
        connection.execute(table.insert().from_select(columns, statement))
    _refresh_named_sectors(connection)


def _refresh_named_sectors(connection) -> None:
    """Companies without a SIC code, counted under their named sector's slug (computed here,
    as `sector_key` does, so a recount and the writes agree)."""
    named = Deltas()
    for sector, n in connection.execute(select(Company.sector, func.count()).where(
            Company.sic_code.is_(None), Company.sector.is_not(None)).group_by(Company.sector)):
        key = sector_key(None, sector)
        if key:
            named.n[(SECTOR, key)] += n
            named.labels[key] = max(named.labels.get(key, sector), sector)
    apply(connection, named)


# --- reading -------------------------------------------------------------------------------------

def _rows(kind: str) -> list[DirectoryCount]:
    return list(db.session.scalars(select(DirectoryCount).where(DirectoryCount.kind == kind, DirectoryCount.n > 0)
                                   .order_by(DirectoryCount.key)))


def count_of(kind: str, key: str) -> int:
    return db.session.scalar(select(DirectoryCount.n).where(DirectoryCount.kind == kind, DirectoryCount.key == key)) or 0


def letter_counts() -> dict[str, int]:
    return {row.key: row.n for row in _rows(LETTER)}


def country_counts() -> list[tuple[str, int]]:
    """(ISO code, number of companies) for every country with at least one company."""
    return [(row.key, row.n) for row in _rows(COUNTRY)]


def sector_counts() -> list[tuple[str, str | None, int]]:
    """(sector key, description, number of companies): SIC codes by code, then the sectors
    other sources name, by name."""
    rows = _rows(SECTOR)
    return ([(row.key, row.label, row.n) for row in rows if is_sic_code(row.key)]
            + sorted(((row.key, row.label, row.n) for row in rows if not is_sic_code(row.key)),
                     key=lambda item: (item[1] or item[0]).lower()))


def sector_description(sic_code: str) -> str | None:
    return db.session.scalar(select(DirectoryCount.label).where(DirectoryCount.kind == SECTOR,
                                                                DirectoryCount.key == sic_code))


def total_companies() -> int:
    return sum(letter_counts().values())


def headline() -> dict[str, int]:
    """The home page's numbers: companies, people in a current position, countries."""
    return {
        "companies": total_companies(),
        "executives": count_of(EXECUTIVES, ""),
        "countries": len(country_counts()),
    }
