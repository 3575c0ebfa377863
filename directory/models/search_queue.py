"""Companies whose search document must be rewritten (the index lock was busy)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class PendingReindex(Base):
    __tablename__ = "pending_reindex"

    company_id: Mapped[int] = mapped_column(primary_key=True)
    queued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
