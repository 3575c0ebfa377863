"""Parse data.sec.gov submissions JSON: the company record and its list of filings.

Pure functions: bytes (or an already-decoded dict) in, plain dataclasses out. Tolerant of
both capture shapes (older files send `cik` without zero padding) and of missing members.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from ..errors import ParseError
from ..records import AddressRecord, CompanyRecord, FormerNameRecord, IdentifierRecord, SourceRef
from .locations import locate
from .urls import pad_cik

ADDRESS_KINDS = (("business", "principal_office"), ("mailing", "mailing"))


@dataclass(frozen=True)
class Filing:
    """One row of `filings.recent` (or of an overflow page)."""

    accession: str
    filed_on: date
    form: str
    items: tuple[str, ...] = ()
    primary_document: str = ""
    report_date: date | None = None


@dataclass(frozen=True)
class OverflowPage:
    """An older page of filings listed in `filings.files`."""

    name: str
    filing_from: date | None = None
    filing_to: date | None = None


@dataclass(frozen=True)
class Submissions:
    cik: str
    company: CompanyRecord
    filings: tuple[Filing, ...]
    overflow_pages: tuple[OverflowPage, ...] = ()


def load_json(data: bytes | str | dict, url: str | None = None):
    if isinstance(data, dict):
        return data
    try:
        return json.loads(data)
    except ValueError as exc:
        raise ParseError(url, f"not JSON: {exc}") from exc


def parse_submissions(data: bytes | str | dict, *, url: str | None = None,
                      retrieved_at: datetime | None = None, with_filings: bool = True) -> Submissions:
    """The company (or person-level filer) record and its recent filings.

    `with_filings=False` leaves `filings` and `overflow_pages` empty: bulk loads of company
    facts skip turning up to a thousand rows of parallel arrays per entity into objects.
    """
    doc = load_json(data, url)
    if not isinstance(doc, dict) or not doc.get("cik") or not doc.get("name"):
        raise ParseError(url, "submissions JSON without cik and name")
    cik = pad_cik(doc["cik"])
    source = SourceRef(kind="sec_filing", url=url or "", document_id=cik, form_type="submissions",
                       retrieved_at=retrieved_at, title="EDGAR company filings record")
    company = _company(doc, cik, source)
    if not with_filings:
        return Submissions(cik=cik, company=company, filings=())
    filings = doc.get("filings") or {}
    return Submissions(
        cik=cik,
        company=company,
        filings=parse_filing_columns(filings.get("recent") or {}, url=url),
        overflow_pages=tuple(
            OverflowPage(page["name"], _date(page.get("filingFrom")), _date(page.get("filingTo")))
            for page in filings.get("files") or () if page.get("name")
        ),
    )


def parse_filings_page(data: bytes | str | dict, *, url: str | None = None) -> tuple[Filing, ...]:
    """An overflow page (`CIK##########-submissions-001.json`): bare column arrays."""
    return parse_filing_columns(load_json(data, url), url=url)


def parse_filing_columns(columns: dict, *, url: str | None = None) -> tuple[Filing, ...]:
    """EDGAR sends filings as parallel arrays; turn them into one Filing per row."""
    if not isinstance(columns, dict):
        raise ParseError(url, "filings are not a table of columns")
    accessions = columns.get("accessionNumber") or []
    count = len(accessions)

    def column(name):
        values = columns.get(name) or []
        return list(values) + [None] * (count - len(values))

    rows = zip(accessions, column("filingDate"), column("form"), column("items"),
               column("primaryDocument"), column("reportDate"))
    filings = []
    for accession, filed, form, items, primary, report in rows:
        filed_on = _date(filed)
        if not accession or not filed_on:
            continue
        filings.append(Filing(
            accession=accession,
            filed_on=filed_on,
            form=(form or "").strip(),
            items=tuple(i.strip() for i in (items or "").split(",") if i.strip()),
            primary_document=primary or "",
            report_date=_date(report),
        ))
    return tuple(filings)


def _company(doc: dict, cik: str, source: SourceRef) -> CompanyRecord:
    addresses = doc.get("addresses") or {}
    main = next((addresses.get(key) for key, _ in ADDRESS_KINDS if _has_place(addresses.get(key))), None)
    country, region = locate(main)
    return CompanyRecord(
        name=doc["name"].strip(),
        source=source,
        identifiers=_identifiers(doc, cik),
        former_names=tuple(
            FormerNameRecord(f["name"].strip(), _date(f.get("from")), _date(f.get("to")))
            for f in doc.get("formerNames") or () if (f.get("name") or "").strip()
        ),
        addresses=tuple(
            record for key, kind in ADDRESS_KINDS if (record := _address(addresses.get(key), kind))
        ),
        country=country,
        region=region,
        city=_clean((main or {}).get("city")),
        sic_code=_clean(doc.get("sic")),
        sector=_clean(doc.get("sicDescription")),
        entity_type=_clean(doc.get("entityType")),
        incorporated_in=_clean(doc.get("stateOfIncorporation")),
        website=_clean(doc.get("website")),
        phone=_clean(doc.get("phone")),
    )


def _identifiers(doc: dict, cik: str) -> tuple[IdentifierRecord, ...]:
    identifiers = [IdentifierRecord("cik", cik)]
    exchanges = list(doc.get("exchanges") or [])
    for index, ticker in enumerate(doc.get("tickers") or []):
        if ticker:
            exchange = exchanges[index] if index < len(exchanges) else None
            identifiers.append(IdentifierRecord("ticker", ticker.strip().upper(), _clean(exchange)))
    ein = _clean(doc.get("ein"))
    if ein and ein.strip("0"):
        identifiers.append(IdentifierRecord("ein", ein))
    lei = _clean(doc.get("lei"))
    if lei:
        identifiers.append(IdentifierRecord("lei", lei))
    return tuple(identifiers)


def _address(raw: dict | None, kind: str) -> AddressRecord | None:
    if not _has_place(raw):
        return None
    country, region = locate(raw)
    return AddressRecord(
        kind=kind,
        line1=_clean(raw.get("street1")),
        line2=_clean(raw.get("street2")),
        city=_clean(raw.get("city")),
        region=region,
        postal_code=_clean(raw.get("zipCode")),
        country=country,
    )


def _has_place(raw: dict | None) -> bool:
    """Person-level filers send a business address whose members are all null."""
    return bool(raw) and bool(raw.get("street1") or raw.get("city"))


def _clean(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _date(value) -> date | None:
    """EDGAR dates: "2023-08-08" or "2007-01-10T00:00:00.000Z"."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
