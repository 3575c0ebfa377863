"""Revisions: every change to a company, person, position or contact, kept forever."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow


class Revision(Base):
    """One change to one row: old and new values per field, who or what made it, and why.

    Written automatically at flush (see `directory.revisions`), so no code path can change
    data without leaving a revision. Reverts are revisions too (`reverts_id`).
    """

    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column()
    company_id: Mapped[int | None] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(16))  # create | update | delete
    changes: Mapped[dict] = mapped_column(JSON)  # {field: [old, new]}
    actor: Mapped[str] = mapped_column(String(120))  # "sec_edgar importer", "user:12", ...
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    reverts_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    source: Mapped["Source | None"] = relationship()  # noqa: F821

    __table_args__ = (Index("ix_revisions_entity", "entity_type", "entity_id"),)
