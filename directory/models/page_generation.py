"""The generation of the data cached pages show, kept in the database every server shares."""
from __future__ import annotations

import random

from sqlalchemy import BigInteger, SmallInteger
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UPSERTS
from .base import Base

PAGE_GENERATION_SHARDS = 16  # rows at most, each created by its first bump


class PageGeneration(Base):
    """One of PAGE_GENERATION_SHARDS counters; their sum is the generation (`caching.py`).

    A transaction that changes a company adds one to a random row, so two writers rarely wait
    on the same row lock, and the sum still grows with every such commit."""

    __tablename__ = "page_generations"

    shard: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(BigInteger, default=0)


def bump_page_generation(connection) -> None:
    """Move the generation on inside `connection`'s transaction, so a page cached before it
    commits is never served after: by every commit that changes a company (`caching.py`), and
    by a whole search rebuild, which changes what searches find without changing a company."""
    table = PageGeneration.__table__
    bump = UPSERTS[connection.dialect.name](table).values(shard=random.randrange(PAGE_GENERATION_SHARDS), n=1)
    connection.execute(bump.on_conflict_do_update(index_elements=[table.c.shard], set_={"n": table.c.n + 1}))
