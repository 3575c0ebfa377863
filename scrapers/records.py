"""Plain records: the only contract between the scrapers and the app.

Parsers return these; `directory.importers` stores them. Frozen dataclasses of plain
values (str, int, float, bool, date, tuples), so `dataclasses.asdict` turns them into JSON.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from .names import company_display_name


@dataclass(frozen=True)
class SourceRef:
    """Where a record came from: kind is "sec_filing" or "registry_record"."""

    kind: str
    url: str
    document_id: str | None = None  # accession number, or company number / resource
    form_type: str | None = None  # "4", "8-K", "submissions", "officers", ...
    filed_on: date | None = None
    retrieved_at: datetime | None = None
    title: str | None = None


@dataclass(frozen=True)
class AddressRecord:
    kind: str  # principal_office | mailing | registered_office
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2


@dataclass(frozen=True)
class IdentifierRecord:
    scheme: str  # cik | ch_number | lei | ticker | ein
    value: str
    exchange: str | None = None


@dataclass(frozen=True)
class FormerNameRecord:
    name: str
    used_from: date | None = None
    used_until: date | None = None


@dataclass(frozen=True)
class CompanyRecord:
    name: str
    source: SourceRef
    identifiers: tuple[IdentifierRecord, ...] = ()
    former_names: tuple[FormerNameRecord, ...] = ()
    addresses: tuple[AddressRecord, ...] = ()
    country: str | None = None
    region: str | None = None
    city: str | None = None
    sic_code: str | None = None
    sector: str | None = None
    entity_type: str | None = None
    incorporated_in: str | None = None
    website: str | None = None
    phone: str | None = None
    status: str = "active"

    def as_displayed(self) -> CompanyRecord:
        """The record under the name people write ("Microsoft Corp" for "MICROSOFT CORP").

        The filed name joins the former names, so a search for it still finds the company
        and the page shows it, with this record's source, as the legal name."""
        name = company_display_name(self.name)
        if name == self.name:
            return self
        return replace(self, name=name, former_names=(*self.former_names, FormerNameRecord(self.name)))


@dataclass(frozen=True)
class OfficerRecord:
    """One person (or corporate officer) in one role at one company, as one source says."""

    name: str  # display form: "Timothy D. Cook"
    raw_name: str  # as filed: "COOK TIMOTHY D"
    source: SourceRef
    external_id: str | None = None  # SEC reporting-owner CIK or Companies House officer id
    external_scheme: str | None = None  # "sec_cik" | "ch_officer_id"
    honorific: str | None = None
    is_person: bool = True  # False for corporate directors and secretaries
    title: str | None = None  # raw title as filed
    role: str = "other"  # ceo | chair | president | cfo | coo | director | secretary | other
    is_ceo: bool = False
    ceo_confidence: float = 0.0
    is_director: bool = False
    is_current: bool = True
    start_date: date | None = None
    end_date: date | None = None


@dataclass(frozen=True)
class LeadershipChangeRecord:
    """An 8-K reporting item 5.02: an officer departed or was appointed."""

    filed_on: date
    source: SourceRef
    items: tuple[str, ...] = field(default_factory=tuple)
    summary: str | None = None  # item 5.02's sentence naming who leaves or joins, when the 8-K was read


@dataclass(frozen=True)
class ContactRecord:
    """One channel to a company (an email, phone, postal address or web form) and whose it is.

    `organisation` is set only when the channel belongs to someone else (an outside IR agency,
    the other party to a merger), so it never counts as the company's own.
    """

    kind: str  # postal | phone | email | web_form | url
    value: str
    tier: str  # the escalation rung: customer_service | complaints | executive_office | ceo
    role: str  # press | investor_relations | customer_service | complaints | board | social | other
    source: SourceRef
    person_name: str | None = None
    organisation: str | None = None
    label: str | None = None

