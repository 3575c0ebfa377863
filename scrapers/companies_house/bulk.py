"""Read the monthly "Basic Company Data" file (BasicCompanyDataAsOneFile-YYYY-MM-01.zip) in place.

One CSV of about five million rows inside a zip: rows are streamed through a text wrapper
over the zip member and never held all at once. Header names carry leading spaces in the
real file (" CompanyNumber"), so they are stripped. No officers: the file has none.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Iterator

from ..records import CompanyRecord, FormerNameRecord, SourceRef
from .addresses import from_columns
from .client import pad_company_number
from .parse_api import clean, company_status, parse_date, uk_company_record
from .sic import split_sic_text

DOWNLOAD_URL = "https://download.companieshouse.gov.uk"
FILE_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
MAX_PREVIOUS_NAMES = 10


def bulk_source(path) -> SourceRef:
    """One Source for the whole file: where it is published, and the date in its name."""
    name = Path(path).name
    match = FILE_DATE.search(name)
    published = date(*map(int, match.groups())) if match else None
    return SourceRef(kind="registry_record", url=f"{DOWNLOAD_URL}/{name}", document_id=name,
                     form_type="basic company data", filed_on=published,
                     title="Companies House basic company data")


def iter_bulk_companies(path) -> Iterator[tuple[str, CompanyRecord | None, str | None]]:
    """(company number, record, problem) per row; a row without number or name has a problem."""
    source = bulk_source(path)
    with zipfile.ZipFile(path) as archive:
        member = next(i for i in archive.infolist() if i.filename.lower().endswith(".csv"))
        with archive.open(member) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            reader = csv.reader(text)
            header = [name.strip() for name in next(reader, [])]
            for line, values in enumerate(reader, start=2):
                row = dict(zip(header, values))
                number, name = clean(row.get("CompanyNumber")), clean(row.get("CompanyName"))
                if not number or not name:
                    yield number or f"line {line}", None, f"line {line}: no company number or name"
                    continue
                yield pad_company_number(number), company_from_row(row, source), None


def company_from_row(row: dict, source: SourceRef) -> CompanyRecord:
    office = from_columns(row.get("RegAddress.AddressLine1"), row.get("RegAddress.AddressLine2"),
                          row.get("RegAddress.PostTown"), row.get("RegAddress.County"),
                          row.get("RegAddress.Country"), row.get("RegAddress.PostCode"),
                          row.get("RegAddress.POBox"))
    sic_code, sector = split_sic_text(row.get("SICCode.SicText_1"))
    former = []
    for index in range(1, MAX_PREVIOUS_NAMES + 1):
        name = clean(row.get(f"PreviousName_{index}.CompanyName"))
        if name:
            former.append(FormerNameRecord(name, None, parse_date(row.get(f"PreviousName_{index}.CONDATE"))))
    return uk_company_record(
        clean(row["CompanyName"]), row["CompanyNumber"], source, office,
        former_names=tuple(former),
        sic_code=sic_code,
        sector=sector,
        entity_type=clean(row.get("CompanyCategory")),
        status=company_status(row.get("CompanyStatus")),
    )
