"""The generation of the data cached pages show, kept in the database every server shares."""
from __future__ import annotations

from sqlalchemy import BigInteger, SmallInteger
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

PAGE_GENERATION_SHARDS = 16  # rows at most, each created by its first bump


class PageGeneration(Base):
    """One of PAGE_GENERATION_SHARDS counters; their sum is the generation (`caching.py`).

    A transaction that changes a company adds one to a random row, so two writers rarely wait
    on the same row lock, and the sum still grows with every such commit."""

    __tablename__ = "page_generations"

    shard: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(BigInteger, default=0)
