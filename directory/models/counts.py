"""The numbers beside the home and browse links, kept in a small table instead of counted.

Counting a million companies by letter, country or sector is seconds of scanning; each row here
is one number, moved by the writes that change it (`directory/aggregates/counts.py`), so a page
reads a handful of rows.
"""
from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class DirectoryCount(Base):
    """How many companies have one initial, country or sector; or how many people hold a
    current position (kind "executives", key "")."""

    __tablename__ = "directory_counts"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # letter, country, sector, executives
    key: Mapped[str] = mapped_column(String(80), primary_key=True)  # A-Z or "#", ISO code, SIC code or a named sector's slug, ""
    n: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str | None] = mapped_column(String(200))  # a sector's description
