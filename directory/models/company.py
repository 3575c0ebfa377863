"""Companies and the facts that hang off them: slugs, former names, identifiers, addresses."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scrapers.names import company_display_name, place_display_name

from .base import Base, TimestampMixin

CONTACT_POLICIES = ("unknown", "open", "partial", "no_name")
CONTACT_POLICY_LABELS = {"open": "Open", "partial": "Partial", "no_name": "No name", "unknown": "Unknown"}

# Public-record links for each identifier scheme; {value} is the identifier as stored.
IDENTIFIER_URLS = {
    "cik": "https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK={value}",
    "ch_number": "https://find-and-update.company-information.service.gov.uk/company/{value}",
    "lei": "https://search.gleif.org/#/record/{value}",
    "wikidata": "https://www.wikidata.org/wiki/{value}",
    "frn": "https://register.fca.org.uk/s/search?q={value}&type=Companies",
}
IDENTIFIER_LABELS = {
    "cik": "SEC CIK",
    "ch_number": "Companies House number",
    "lei": "LEI",
    "ticker": "Ticker",
    "ein": "EIN",
    "wikidata": "Wikidata",
    "frn": "FCA firm reference number",
}


class Company(TimestampMixin, Base):
    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    # active_history: the old initial, country and SIC code are loaded before a change, so the
    # directory counts can move one company from the old key to the new (aggregates/counts.py).
    initial: Mapped[str] = mapped_column(String(1), active_history=True)  # A-Z or '#', for browsing
    country: Mapped[str | None] = mapped_column(String(2), active_history=True)  # ISO 3166-1 alpha-2
    region: Mapped[str | None] = mapped_column(String(80))  # state, county or province
    city: Mapped[str | None] = mapped_column(String(120))
    sic_code: Mapped[str | None] = mapped_column(String(8), active_history=True)
    sector: Mapped[str | None] = mapped_column(String(200), active_history=True)  # a named sector is counted too
    status: Mapped[str] = mapped_column(String(20), default="active")
    entity_type: Mapped[str | None] = mapped_column(String(40))
    incorporated_in: Mapped[str | None] = mapped_column(String(80))
    website: Mapped[str | None] = mapped_column(String(500))
    # Where the website came from (the websites reader reads those Wikidata supplied).
    website_source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    phone: Mapped[str | None] = mapped_column(String(60))
    contact_policy: Mapped[str] = mapped_column(String(16), default="unknown")
    leadership_change_on: Mapped[date | None] = mapped_column(Date)
    leadership_change_url: Mapped[str | None] = mapped_column(String(500))
    # The filing's item 5.02 sentence naming who leaves or joins: the moderators' queue line.
    leadership_change_summary: Mapped[str | None] = mapped_column(String(320))
    last_reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The group this company belongs to ("part of Volkswagen Group"), when both are listed.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id", ondelete="SET NULL"), index=True)
    # The parent Wikidata names while it is not listed yet: linked when it arrives, even if
    # its own item does not name this company among its subsidiaries.
    parent_wikidata_id: Mapped[str | None] = mapped_column(String(20), index=True)
    # The firm's status on the FCA register ("Authorised", "No longer authorised") and since
    # when: an authorised firm's complaints go to the Financial Ombudsman Service.
    fca_status: Mapped[str | None] = mapped_column(String(60))
    fca_status_since: Mapped[date | None] = mapped_column(Date)

    identifiers: Mapped[list["Identifier"]] = relationship(
        back_populates="company", cascade="all, delete-orphan", order_by="Identifier.id"
    )
    former_names: Mapped[list["CompanyName"]] = relationship(
        back_populates="company", cascade="all, delete-orphan", order_by="CompanyName.id"
    )
    addresses: Mapped[list["Address"]] = relationship(
        back_populates="company", cascade="all, delete-orphan", order_by="Address.id"
    )
    old_slugs: Mapped[list["CompanySlug"]] = relationship(
        back_populates="company", cascade="all, delete-orphan"
    )
    positions: Mapped[list["Position"]] = relationship(  # noqa: F821
        back_populates="company", cascade="all, delete-orphan"
    )
    contacts: Mapped[list["Contact"]] = relationship(  # noqa: F821
        back_populates="company", cascade="all, delete-orphan", order_by="Contact.id"
    )
    brands: Mapped[list["Brand"]] = relationship(
        back_populates="company", cascade="all, delete-orphan", order_by="Brand.name"
    )
    # The CFPB's complaint counts under each of its names matched to this company (any match state).
    complaint_records: Mapped[list["ComplaintRecord"]] = relationship(  # noqa: F821
        back_populates="company", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ComplaintRecord.cfpb_company")
    website_source: Mapped["Source | None"] = relationship()  # noqa: F821
    parent: Mapped["Company | None"] = relationship(remote_side="Company.id", back_populates="subsidiaries")
    subsidiaries: Mapped[list["Company"]] = relationship(back_populates="parent", order_by="Company.name")

    __table_args__ = (
        Index("ix_companies_updated_at", "updated_at"),
        Index("ix_companies_name_id", "name", "id"),  # the API's listing order
    )

    def identifier(self, scheme: str) -> str | None:
        for ident in self.identifiers:
            if ident.scheme == scheme:
                return ident.value
        return None

    @property
    def legal_name(self) -> "CompanyName | None":
        """The name as the register files it when the page shows it re-cased: "MICROSOFT CORP"
        behind "Microsoft Corp". Importers keep it among the former names, so search finds it."""
        return next((n for n in self.former_names
                     if n.name != self.name and company_display_name(n.name) == self.name), None)

    @property
    def earlier_names(self) -> list["CompanyName"]:
        """The names the company went by before, without its legal name, each once: EDGAR
        files one name under several spellings ("APPLE COMPUTER INC", "APPLE COMPUTER INC/ FA"),
        which read the same on the page; the one used last stands for them."""
        legal = self.legal_name
        shown: dict[str, CompanyName] = {}
        for former in self.former_names:
            if former is legal:
                continue
            key = company_display_name(former.name).casefold()
            kept = shown.get(key)
            if kept is None or (former.used_until or date.min) > (kept.used_until or date.min):
                shown[key] = former
        return [n for n in self.former_names if n in shown.values()]

    @property
    def postal_address(self) -> "Address | None":
        """Where a letter to the top reaches the company: its principal executive office
        (SEC filers), else its registered office (UK register)."""
        by_kind = {address.kind: address for address in self.addresses}
        return by_kind.get("principal_office") or by_kind.get("registered_office")

    @property
    def tickers(self) -> list[str]:
        return [i.value for i in self.identifiers if i.scheme == "ticker"]

    @property
    def current_positions(self) -> list["Position"]:  # noqa: F821
        return [p for p in self.positions if p.is_current]

    @property
    def ceo_position(self) -> "Position | None":  # noqa: F821
        """The current CEO, the strongest claim (`ceo_rank`) when sources disagree."""
        ceos = [p for p in self.positions if p.is_current and p.is_ceo]
        if not ceos:
            return None
        return max(ceos, key=lambda p: p.ceo_rank)

    @property
    def last_verified(self) -> date | None:
        """The one meaning of "last verified", for the page, the API and the snapshot: the day a
        source was last read for this company or a moderator last checked it (`last_verified_at`,
        set by both), else the date of the newest source behind any of its facts."""
        if self.last_verified_at is not None:
            return self.last_verified_at.date()
        facts = [*self.positions, *self.contacts, *self.addresses, *self.identifiers]
        dates = [fact.source.as_of for fact in facts if fact.source is not None and fact.source.as_of]
        return max(dates, default=None)

    @property
    def has_unreviewed_leadership_change(self) -> bool:
        """A filing reported a leadership change that nobody has reviewed and that is newer
        than what we know of the current CEO; an older report is already reflected."""
        change = self.leadership_change_on
        if change is None:
            return False
        if self.last_reviewed_at is not None and self.last_reviewed_at.date() >= change:
            return False
        ceo = self.ceo_position
        known_since = ceo.fact_date if ceo is not None else None
        return known_since is None or change > known_since

    def __repr__(self) -> str:
        return f"<Company {self.id} {self.slug}>"


# The browse pages' orders: case-folded name within a letter, country or sector, so each page of
# a listing (keyset, see `keyset.py`) reads exactly its own rows from the index.
Index("ix_companies_initial_name", Company.initial, func.lower(Company.name), Company.id)
Index("ix_companies_country_name", Company.country, func.lower(Company.name), Company.id)
Index("ix_companies_sic_code_name", Company.sic_code, func.lower(Company.name), Company.id)


class Brand(Base):
    """A consumer brand of the company ("PlayStation" of Sony): people name brands, not
    legal entities, so brands and their aliases lead to the company in search."""

    __tablename__ = "brands"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    aliases: Mapped[list] = mapped_column(JSON, default=list)
    wikidata_id: Mapped[str | None] = mapped_column(String(20))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))

    company: Mapped[Company] = relationship(back_populates="brands")
    source: Mapped["Source | None"] = relationship()  # noqa: F821

    __table_args__ = (UniqueConstraint("company_id", "name"),)


class CompanySlug(Base):
    """A slug the company used to have; requests for it redirect to the current one."""

    __tablename__ = "company_slugs"

    slug: Mapped[str] = mapped_column(String(200), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    company: Mapped[Company] = relationship(back_populates="old_slugs")


class CompanyName(Base):
    """A former name, searchable so consumers find a company under the name they remember;
    also the current name as filed ("MICROSOFT CORP"), when it is shown re-cased (`legal_name`)."""

    __tablename__ = "company_names"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    used_from: Mapped[date | None] = mapped_column(Date)
    used_until: Mapped[date | None] = mapped_column(Date)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))

    company: Mapped[Company] = relationship(back_populates="former_names")
    source: Mapped["Source | None"] = relationship()  # noqa: F821

    __table_args__ = (UniqueConstraint("company_id", "name"),)


class Identifier(Base):
    """An external identifier: SEC CIK, Companies House number, LEI, ticker, EIN."""

    __tablename__ = "identifiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    scheme: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(64))
    exchange: Mapped[str | None] = mapped_column(String(32))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))

    company: Mapped[Company] = relationship(back_populates="identifiers")
    source: Mapped["Source | None"] = relationship()  # noqa: F821

    __table_args__ = (UniqueConstraint("scheme", "value"),)

    @property
    def label(self) -> str:
        return IDENTIFIER_LABELS.get(self.scheme, self.scheme)

    @property
    def public_url(self) -> str | None:
        template = IDENTIFIER_URLS.get(self.scheme)
        return template.format(value=self.value) if template else None


ADDRESS_KINDS = {
    "principal_office": "Principal executive office",
    "registered_office": "Registered office",
    "mailing": "Mailing address",
}


class Address(Base):
    __tablename__ = "addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    line1: Mapped[str | None] = mapped_column(String(200))
    line2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(120))
    region: Mapped[str | None] = mapped_column(String(80))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))

    company: Mapped[Company] = relationship(back_populates="addresses")
    source: Mapped["Source | None"] = relationship()  # noqa: F821

    __table_args__ = (UniqueConstraint("company_id", "kind"),)

    @property
    def label(self) -> str:
        return ADDRESS_KINDS.get(self.kind, self.kind.replace("_", " ").capitalize())

    @property
    def lines(self) -> list[str]:
        """The address as it would be written on an envelope."""
        locality = " ".join(p for p in (place_display_name(self.city), self.region, self.postal_code) if p)
        return [p for p in (self.line1, self.line2, locality, self.country) if p]
