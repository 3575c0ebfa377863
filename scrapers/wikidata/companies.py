"""A company's Wikidata item, with the items its claims point to, read into plain records.

Pure: `referenced_ids` says which items to fetch, `parse_company` reads the company from its
entity and those items (a missing one is None). The store decides what the directory keeps.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..records import CompanyRecord, IdentifierRecord, SourceRef
from .entities import Entity, Statement, WikidataDate

CEO, CHAIR = "P169", "P488"
BRAND, PARENT, SUBSIDIARY = "P1716", "P749", "P355"
HEADQUARTERS, COUNTRY, INDUSTRY, STOCK_EXCHANGE = "P159", "P17", "P452", "P414"
WEBSITE, TICKER, ISO_COUNTRY, STREET_ADDRESS = "P856", "P249", "P297", "P6375"
IDENTIFIER_PROPERTIES = {"P5531": "cik", "P2622": "ch_number", "P1278": "lei"}
# Public social accounts: property -> (platform, profile URL).
SOCIAL_PROPERTIES = {
    "P2002": ("X", "https://x.com/{}"),
    "P2013": ("Facebook", "https://www.facebook.com/{}"),
    "P2003": ("Instagram", "https://www.instagram.com/{}/"),
    "P4264": ("LinkedIn", "https://www.linkedin.com/company/{}/"),
}
ROLE_PROPERTIES = {CEO: "ceo", CHAIR: "chair"}
ROLE_WORDS = {"ceo": "chief executive", "chair": "chairperson"}
RELATED_PROPERTIES = (CEO, CHAIR, BRAND, PARENT, SUBSIDIARY, HEADQUARTERS, COUNTRY, INDUSTRY, STOCK_EXCHANGE)
# Country items carry their ISO code (P297); these are the common ones, for items that lack it.
COUNTRY_CODES = {
    "Q30": "US", "Q145": "GB", "Q17": "JP", "Q183": "DE", "Q142": "FR", "Q38": "IT", "Q29": "ES", "Q16": "CA",
    "Q408": "AU", "Q884": "KR", "Q148": "CN", "Q39": "CH", "Q55": "NL", "Q34": "SE", "Q20": "NO", "Q35": "DK",
    "Q33": "FI", "Q31": "BE", "Q27": "IE", "Q40": "AT", "Q45": "PT", "Q668": "IN", "Q155": "BR", "Q96": "MX",
    "Q334": "SG", "Q865": "TW", "Q8646": "HK", "Q159": "RU", "Q43": "TR", "Q664": "NZ", "Q258": "ZA",
}
# The language a company's own name is written in, after English, by country.
COUNTRY_LANGUAGES = {"JP": "ja", "DE": "de", "AT": "de", "CH": "de", "FR": "fr", "KR": "ko", "CN": "zh",
                     "TW": "zh", "IT": "it", "ES": "es", "MX": "es", "NL": "nl", "SE": "sv", "NO": "nb",
                     "DK": "da", "FI": "fi", "BR": "pt", "PT": "pt", "RU": "ru", "TR": "tr"}


@dataclass(frozen=True)
class ExecutiveRecord:
    """One P169 (CEO) or P488 (chairperson) statement naming a known person."""

    qid: str
    name: str
    role: str  # ceo | chair
    source: SourceRef
    aliases: tuple[str, ...] = ()
    start: WikidataDate | None = None
    end: WikidataDate | None = None
    rank: str = "normal"

    @property
    def is_current(self) -> bool:
        return self.end is None


@dataclass(frozen=True)
class BrandRecord:
    qid: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class SocialAccount:
    platform: str  # X | Facebook | Instagram | LinkedIn
    handle: str
    url: str


@dataclass(frozen=True)
class WikidataCompany:
    qid: str
    company: CompanyRecord
    aliases: tuple[str, ...] = ()
    executives: tuple[ExecutiveRecord, ...] = ()
    brands: tuple[BrandRecord, ...] = ()
    socials: tuple[SocialAccount, ...] = ()
    parent_qids: tuple[str, ...] = ()
    subsidiary_qids: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # what was skipped, for the run's log

    def current(self, role: str) -> ExecutiveRecord | None:
        """The role's current holder: no end date, preferred rank first, then the latest start."""
        holders = [e for e in self.executives if e.role == role and e.is_current]
        return max(holders, key=lambda e: (e.rank == "preferred", e.start.value.toordinal() if e.start else 0),
                   default=None)


def referenced_ids(entity: Entity) -> list[str]:
    """Items the company's claims point to, in claim order, each once: the fetch list."""
    wanted = []
    for prop in RELATED_PROPERTIES:
        for statement in entity.statements(prop):
            if isinstance(statement.value, str):
                wanted.append(statement.value)
            wanted += [r.stated_in for r in statement.references if r.stated_in]
    return list(dict.fromkeys(q for q in wanted if q != entity.id))


def parse_company(entity: Entity, related: dict[str, Entity | None], *, retrieved_at: datetime) -> WikidataCompany:
    """The company in `entity`; `related` maps each referenced id to its entity (None: missing)."""
    problems: list[str] = []

    def item(qid: str | None) -> Entity | None:
        if qid and related.get(qid) is None:
            problems.append(f"{qid}: item not found")
        return related.get(qid) if qid else None

    country = _country(item(entity.first_value(COUNTRY)))
    languages = (COUNTRY_LANGUAGES[country],) if country in COUNTRY_LANGUAGES else ()
    name = entity.label(languages) or entity.id
    source = SourceRef(kind="wikidata", url=entity.url, document_id=entity.id, title=f"Wikidata item {entity.id}",
                       retrieved_at=retrieved_at)
    headquarters = item(entity.first_value(HEADQUARTERS))
    if country is None and headquarters is not None:
        country = _country(related.get(headquarters.first_value(COUNTRY)))
    industry = item(entity.first_value(INDUSTRY))
    company = CompanyRecord(
        name=name, source=source, identifiers=_identifiers(entity, related), country=country,
        city=headquarters.label(languages) if headquarters else None,
        sector=industry.label() if industry else None, website=entity.first_value(WEBSITE),
    )
    executives = []
    for prop, role in ROLE_PROPERTIES.items():
        for statement in entity.statements(prop):
            record = _executive(entity, statement, role, item, related, languages, retrieved_at, problems)
            if record is not None:
                executives.append(record)
    brands = []
    for qid in dict.fromkeys(entity.values(BRAND)):
        brand = item(qid)
        if brand is not None and brand.label(languages):
            brands.append(BrandRecord(brand.id, brand.label(languages), tuple(brand.alias_list(languages))))
    return WikidataCompany(
        qid=entity.id, company=company, aliases=tuple(a for a in entity.alias_list(languages) if a != name),
        executives=tuple(executives), brands=tuple(brands), socials=_socials(entity),
        parent_qids=tuple(_resolved(entity.values(PARENT), related)),
        subsidiary_qids=tuple(_resolved(entity.values(SUBSIDIARY), related)), problems=tuple(problems),
    )


def _executive(entity, statement: Statement, role, item, related, languages, retrieved_at, problems):
    where = f"{entity.id} {statement.property}"
    if statement.value is None:
        problems.append(f"{where}: {statement.snaktype} (no named person): skipped")
        return None
    person = item(statement.value)
    if person is None:
        return None
    name = person.label(languages)
    if not name:
        problems.append(f"{where}: {person.id} has no label: skipped")
        return None
    start, end = statement.qualifier("P580"), statement.qualifier("P582")
    period = "".join(f" {word} {when.isoformat()}" for word, when in (("from", start), ("to", end)) if when)
    return ExecutiveRecord(
        qid=person.id, name=name, role=role, aliases=tuple(person.alias_list(languages)), rank=statement.rank,
        start=start, end=end,
        source=statement_source(entity, statement, related, retrieved_at, about=f"{name}, {ROLE_WORDS[role]}{period}"),
    )


def statement_source(entity: Entity, statement: Statement, related: dict, retrieved_at: datetime, *,
                     about: str) -> SourceRef:
    """A statement's own evidence: its reference URL when it has one, else the item's page;
    what it says (`about`), the reference's title and "stated in" go in the source's title."""
    reference = next((r for r in statement.references if r.url), None) or next(iter(statement.references), None)
    parts = [f"Wikidata {entity.id}: {about}"]
    if reference is not None and reference.title:
        parts.append(f"citing “{reference.title}”")
    if reference is not None and reference.stated_in:
        stated_in = related.get(reference.stated_in)
        parts.append(f"stated in {stated_in.label() if stated_in else reference.stated_in}")
    return SourceRef(kind="wikidata", url=(reference.url if reference and reference.url else entity.url),
                     document_id=statement.id, title=", ".join(parts)[:300], retrieved_at=retrieved_at)


def _identifiers(entity: Entity, related: dict) -> tuple[IdentifierRecord, ...]:
    found = [IdentifierRecord("wikidata", entity.id)]
    for prop, scheme in IDENTIFIER_PROPERTIES.items():
        for value in entity.values(prop):
            found.append(IdentifierRecord(scheme, value.strip().upper()))
    for statement in entity.best(STOCK_EXCHANGE):  # tickers are qualifiers of the listing
        exchange = related.get(statement.value) if isinstance(statement.value, str) else None
        for ticker in statement.qualifiers.get(TICKER, ()):
            found.append(IdentifierRecord("ticker", ticker, exchange.label()[:32] if exchange else None))
    return tuple(dict.fromkeys(found))


def _socials(entity: Entity) -> tuple[SocialAccount, ...]:
    accounts = []
    for prop, (platform, template) in SOCIAL_PROPERTIES.items():
        for handle in entity.values(prop):
            accounts.append(SocialAccount(platform, handle, template.format(handle)))
    return tuple(accounts)


def _country(country: Entity | None) -> str | None:
    if country is None:
        return None
    code = country.first_value(ISO_COUNTRY)
    return code.upper() if isinstance(code, str) and len(code) == 2 else COUNTRY_CODES.get(country.id)


def _resolved(qids: list[str], related: dict) -> list[str]:
    """Ids as their items now know themselves (a merged item answers as its target)."""
    return list(dict.fromkeys((related[q].id if related.get(q) is not None else q) for q in qids))
