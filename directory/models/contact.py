"""Contacts: the rungs of the escalation ladder and the channels on each rung."""
from __future__ import annotations

from datetime import date
from urllib.parse import quote

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin

CONTACT_KINDS = ("postal", "phone", "email", "email_format", "web_form", "url")
# The ladder, bottom to top. The regulator rung is curated separately (escalation issue).
TIERS = ("customer_service", "complaints", "executive_office", "ceo", "regulator")
TIER_LABELS = {
    "customer_service": "Customer service",
    "complaints": "Formal complaints",
    "executive_office": "Executive office",
    "ceo": "Chief executive",
    "regulator": "Regulator or ombudsman",
}
# How much to trust a contact, weakest first: read from the company's own website, from a
# filing or register, checked by a moderator, or reported to have worked by someone who used it.
QUALITIES = ("scraped", "filed", "verified", "tested")
DECIDED_BY_A_PERSON = ("verified", "tested")  # no importer overwrites these: a person checked it or used it
QUALITY_LABELS = {"scraped": "From the company's website", "filed": "From a filing or register",
                  "verified": "Checked by a moderator", "tested": "Reported to work"}
# The badge beside a contact: its words, and what it means (what checked it, and what its
# date is). A reader's suggestion accepted by one moderator is a "moderated suggestion": it
# must not read stronger than what the company itself filed or publishes.
TRUST_BADGES = {
    "scraped": ("scraped", "Read by our importer from the company's own website. The date is the day the page was read."),
    "filed": ("filed", "From a filing or register entry the company made (SEC EDGAR, Companies House, the FCA "
                       "register). The date is the filing's."),
    "moderated_suggestion": ("moderated suggestion", "Sent by a reader with evidence and accepted by a moderator, "
                             "who checked that evidence. The company has not confirmed it. The date is the day it "
                             "was accepted."),
    "verified": ("checked by a moderator", "A moderator checked it against the company's own website or "
                 "correspondence. The date is the day of that check."),
    "tested": ("tested", "Someone who used it reported getting a reply through it. The date is that reply's."),
}
# Whose channel it is: press office, investor relations, customer service, complaints, the board.
ROLES = ("press", "investor_relations", "customer_service", "complaints", "board", "social", "other")
ROLE_LABELS = {"press": "Press office", "investor_relations": "Investor relations",
               "customer_service": "Customer service", "complaints": "Complaints", "board": "Board of directors",
               "social": "Public social account", "other": "Other"}
KIND_LABELS = {
    "postal": "Post",
    "phone": "Phone",
    "email": "Email",
    "email_format": "Email format",
    "web_form": "Web form",
    "url": "Web page",
}


class Contact(TimestampMixin, Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    position_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(500))
    label: Mapped[str | None] = mapped_column(String(200))
    tier: Mapped[str] = mapped_column(String(20), default="customer_service")
    status: Mapped[str] = mapped_column(String(16), default="ok")  # ok | bounced | unanswered
    as_of: Mapped[date | None] = mapped_column(Date)
    quality: Mapped[str] = mapped_column(String(12), default="filed")
    role: Mapped[str | None] = mapped_column(String(32))
    person_name: Mapped[str | None] = mapped_column(String(200))
    # Set when the channel belongs to someone else (an outside IR agency, the other party to a
    # merger): such a contact is shown with that name and never counts as the company's own.
    organisation: Mapped[str | None] = mapped_column(String(300))
    # When the reply came that made it `tested` (see operations/ratings.py `mark_tested`), and
    # the quality it had before, given back when no report says so any more.
    tested_on: Mapped[date | None] = mapped_column(Date)
    untested_quality: Mapped[str | None] = mapped_column(String(12))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))

    company: Mapped["Company"] = relationship(back_populates="contacts")  # noqa: F821
    position: Mapped["Position | None"] = relationship(back_populates="contacts")  # noqa: F821
    source: Mapped["Source | None"] = relationship()  # noqa: F821

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def quality_label(self) -> str:
        return QUALITY_LABELS.get(self.quality, self.quality)

    @property
    def trust(self) -> str:
        """The key of its badge in TRUST_BADGES: its quality, except that a moderator's
        acceptance of a reader's suggestion is named as such."""
        if self.quality == "verified" and self.source is not None and self.source.kind == "contribution":
            return "moderated_suggestion"
        return self.quality

    @property
    def trust_badge(self) -> tuple[str, str]:
        """(words on the badge, what it means)."""
        return TRUST_BADGES.get(self.trust, (self.quality, self.quality_label))

    @property
    def quality_date(self) -> date | None:
        """The date beside the quality badge: the reported reply for a tested contact, else
        when its source last named it."""
        return self.tested_on if self.quality == "tested" and self.tested_on else self.as_of

    @property
    def role_label(self) -> str | None:
        return ROLE_LABELS.get(self.role, self.role) if self.role else None

    @property
    def tier_label(self) -> str:
        return TIER_LABELS.get(self.tier, self.tier)

    @property
    def href(self) -> str | None:
        """A link a browser can follow, only for schemes that are safe to link."""
        if self.kind == "email":  # percent-encoded: `?` or `&` in a value cannot add headers
            return "mailto:" + quote(self.value.strip(), safe="@")
        if self.kind == "phone":
            return "tel:" + "".join(ch for ch in self.value if ch.isdigit() or ch == "+")
        if self.kind in ("url", "web_form") and self.value.startswith(("http://", "https://")):
            return self.value
        return None
