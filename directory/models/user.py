"""Accounts: contributors, moderators and admins (login, roles, pauses, trust)."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Boolean, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, TimestampMixin, utcnow

USER_ROLES = ("contributor", "moderator", "admin")


class User(TimestampMixin, Base):
    """A registered person. `session_version` is part of the login cookie, so bumping it
    (password change or reset) logs out every other browser that held the old cookie."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="contributor")
    display_name: Mapped[str | None] = mapped_column(String(80))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    email_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    paused_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    trusted: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    case_reminders: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")  # all cases
    # Set when the owner deleted the account: the row stays, emptied of personal data, so
    # ratings and history that pointed at it keep their shape (directory/privacy/accounts.py).
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # Flask-Login protocol (without UserMixin, whose is_active would shadow the column).
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def name(self) -> str:
        """What public pages show: the chosen display name, else a pseudonym from the account
        number. Never anything from the email address (whose local part is often a real name)."""
        return self.display_name or f"Contributor {self.id}"

    @property
    def is_moderator(self) -> bool:
        return self.role in ("moderator", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def is_paused(self, now: datetime | None = None) -> bool:
        if self.paused_until is None:
            return False
        until = self.paused_until
        if until.tzinfo is None:  # SQLite returns naive datetimes
            until = until.replace(tzinfo=UTC)
        return until > (now or utcnow())
