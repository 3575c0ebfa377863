"""EDGAR's daily indexes: what was filed on one day, by whom.

`daily-index/<YYYY>/QTR<n>/form.<YYYYMMDD>.idx` lists every filing of the day in fixed-width
columns (form type, company name, CIK, date filed, file name); `company.<YYYYMMDD>.idx` has
the same columns with the company name first, and its header wraps onto a second line;
`master.<YYYYMMDD>.idx` is pipe-delimited (CIK|Company Name|Form Type|Date Filed|File Name).
All three start with a free-text preamble and a line of dashes. A day with no filings has the
header and no rows.

Fixed-width rows are read from the right (file name, date, CIK are single words) and the
rest is split where the header puts the second column, because form types ("1-A POS",
"SC 13D/A") and company names both contain spaces.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..errors import FetchError, ParseError
from .urls import EdgarUrls, pad_cik

FIXED_ROW = re.compile(r"^(?P<head>.*?)\s+(?P<cik>\d{1,10})\s+(?P<date>\d{4}-?\d{2}-?\d{2})\s+(?P<path>edgar/\S+)\s*$")
ACCESSION = re.compile(r"(\d{10}-\d{2}-\d{6})")
RULE = re.compile(r"^-{20,}\s*$")


@dataclass(frozen=True)
class IndexEntry:
    form: str
    company_name: str
    cik: str  # ten digits
    filed_on: date
    path: str  # edgar/data/<cik>/<accession>.txt
    accession: str | None


def daily_index_url(urls: EdgarUrls, day: date, kind: str = "form") -> str:
    """`kind` is "form" (the fixed-width file by form type) or "master" (pipe-delimited)."""
    quarter = (day.month - 1) // 3 + 1
    return f"{urls.www}/Archives/edgar/daily-index/{day.year}/QTR{quarter}/{kind}.{day:%Y%m%d}.idx"


def parse_daily_index(content: bytes | str, *, url: str | None = None) -> list[IndexEntry]:
    """Every row of a form, company or master index; an empty day gives []."""
    text = content.decode("latin-1") if isinstance(content, bytes) else content
    lines = text.splitlines()
    rule = next((number for number, line in enumerate(lines) if RULE.match(line)), None)
    if rule is None:
        raise ParseError(url, "no header rule: not an EDGAR index")
    header = [line for line in lines[:rule] if line.strip()]
    if not header:
        raise ParseError(url, "no column header above the rule")
    rows = [line for line in lines[rule + 1:] if line.strip()]
    if "|" in header[-1]:
        return [entry for line in rows if (entry := _pipe_row(line, header[-1]))]
    first, second = _first_columns(header, url)
    return [entry for line in rows if (entry := _fixed_row(line, first, second))]


def _first_columns(header: list[str], url: str | None) -> tuple[str, int]:
    """(the first column's name, where the second column starts) from the header line that
    names them: "Form Type   Company Name ..." or "Company Name   Form Type ..."."""
    for line in header:
        for first, second in (("Form Type", "Company Name"), ("Company Name", "Form Type")):
            if line.lstrip().startswith(first) and second in line:
                return first, line.index(second)
    raise ParseError(url, "header names neither form type nor company name first")


def _fixed_row(line: str, first: str, second_at: int) -> IndexEntry | None:
    match = FIXED_ROW.match(line)
    if match is None:
        return None
    head = match["head"]
    left, right = " ".join(head[:second_at].split()), " ".join(head[second_at:].split())
    form, name = (left, right) if first == "Form Type" else (right, left)
    return _entry(form, name, match["cik"], match["date"], match["path"])


def _pipe_row(line: str, header: str) -> IndexEntry | None:
    """A master-index row; column names are compared without spaces or case ("Filename" in
    older files, "File Name" in newer ones)."""
    names = ["".join(column.split()).lower() for column in header.split("|")]
    values = dict(zip(names, [value.strip() for value in line.split("|")]))
    if not values.get("cik", "").isdigit():
        return None
    return _entry(values.get("formtype", ""), values.get("companyname", ""), values["cik"],
                  values.get("datefiled", ""), values.get("filename", ""))


def _entry(form: str, name: str, cik: str, filed: str, path: str) -> IndexEntry | None:
    digits = filed.replace("-", "")
    try:
        filed_on = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None
    accession = ACCESSION.search(path)
    return IndexEntry(form=form.strip().upper(), company_name=name, cik=pad_cik(cik), filed_on=filed_on, path=path,
                      accession=accession.group(1) if accession else None)


NO_INDEX_STATUSES = (403, 404)  # EDGAR answers 403 for a daily index that does not exist


def fetch_daily_index(client, day: date) -> list[IndexEntry] | None:
    """The day's filings from form.<YYYYMMDD>.idx, or master.<YYYYMMDD>.idx when the form
    index is missing or unreadable; None when the day has no index (weekend, holiday, not
    yet published). Other failures raise FetchError or ParseError."""
    problem: Exception | None = None
    for kind in ("form", "master"):
        url = daily_index_url(client.urls, day, kind)
        try:
            return parse_daily_index(client.fetch_listing(url).content, url=url)
        except FetchError as error:
            if error.status not in NO_INDEX_STATUSES:
                raise
        except ParseError as error:
            problem = error
    if problem is not None:
        raise problem
    return None
