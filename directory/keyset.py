"""Keyset pagination: every page of a listing costs what the first one costs.

`OFFSET 400000` makes the database read and throw away 400,000 rows (seconds at a million
companies, and a cheap way for an anonymous client to tie up every worker). A keyset page
instead starts right after the last row shown: `WHERE (sort key) > (last row's key)` on an
index in that order, so page 20,000 reads 20 rows like page 1.

The cursor (`?after=` or `?before=`) is opaque to clients: URL-safe base64 of a JSON list of the
boundary row's sort key and the number of the page it leads to (so a page can still say
"page 3 of 50"). `?page=` is kept for the first MAX_OFFSET_PAGE pages only.
"""
from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass

from sqlalchemy import tuple_

from .extensions import db

MAX_OFFSET_PAGE = 50  # beyond this, follow the `next` links (the cursor) instead of `?page=`
BIGINT = 2**63 - 1  # the widest integer either database binds; a larger one raises OverflowError
MAX_KEY_CHARS = 1000  # longer than any sort key the site writes (names are at most 300)


class CursorError(ValueError):
    """A cursor this site did not write (or wrote for another listing)."""


def encode(key: tuple, page: int) -> str:
    raw = json.dumps([*key, page], separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, order) -> tuple[tuple, int]:
    """The sort key and page number in `cursor`, checked against the listing's `order`."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError) as error:
        raise CursorError("not a cursor from this listing") from error
    if not isinstance(values, list) or len(values) != len(order) + 1:
        raise CursorError("not a cursor from this listing")
    *key, page = values
    kinds = [column.type.python_type for column in order] + [int]
    if not all(_fits(value, kind) for value, kind in zip(values, kinds)) or page < 1:
        raise CursorError("not a cursor from this listing")
    return tuple(key), page


def _fits(value, kind) -> bool:
    """A value of the column's type that the database can bind: an integer within BIGINT
    (10**30 overflowed the driver into a 500), a string without NUL (PostgreSQL text cannot
    hold one) and of a sort key's length."""
    if type(value) is not kind:
        return False
    if kind is int:
        return -BIGINT <= value <= BIGINT
    if kind is str:
        return "\x00" not in value and len(value) <= MAX_KEY_CHARS
    return True


@dataclass(frozen=True)
class KeysetPage:
    items: list
    page: int
    per_page: int
    total: int
    next_cursor: str | None
    prev_cursor: str | None

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def paginate(stmt, order: tuple, *, per_page: int, total: int, page: int = 1, after: str | None = None,
             before: str | None = None) -> KeysetPage:
    """One page of `stmt` (selecting one entity) in `order`, a unique sort key that an index
    serves: after the cursor `after`, before the cursor `before`, or else page `page` by
    offset (the caller keeps it at most MAX_OFFSET_PAGE). `total` is the listing's size, as
    the counts table knows it. Raises CursorError for a malformed cursor."""
    keyed = stmt.add_columns(*order)
    backwards = after is None and before is not None
    if after is not None or backwards:
        key, page = decode(before if backwards else after, order)
        if backwards:
            keyed = keyed.where(tuple_(*order) < tuple_(*key)).order_by(*(column.desc() for column in order))
        else:
            keyed = keyed.where(tuple_(*order) > tuple_(*key)).order_by(*order)
        if db.session.get_bind().dialect.name == "sqlite":
            # SQLite seeks in an index on an expression (lower(name)) only with a bound on the
            # expression itself; with the row value alone it walks the index from the start of
            # the key. PostgreSQL seeks with the row value, and the redundant bound would halve
            # its row estimate into a plan that sorts.
            keyed = keyed.where(order[0] <= key[0] if backwards else order[0] >= key[0])
    else:
        keyed = keyed.order_by(*order).offset((page - 1) * per_page)
    rows = db.session.execute(keyed.limit(per_page + 1)).all()
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
        has_prev, has_next = more, True
        page = page if more else 1  # back at the start, whatever the cursor said
    else:
        has_prev, has_next = page > 1, more
    return KeysetPage(
        items=[row[0] for row in rows], page=page, per_page=per_page, total=total,
        next_cursor=encode(tuple(rows[-1][1:]), page + 1) if has_next and rows else None,
        prev_cursor=encode(tuple(rows[0][1:]), page - 1) if has_prev and rows else None,
    )
