"""SEC's quarterly Insider Transactions Data Sets: every Form 3/4/5 of a quarter in a few tables.

`<YYYY>q<N>_form345.zip` holds tab-separated tables that `FORM_345_metadata.json` describes;
two of them say who is an insider of which issuer: `SUBMISSION.tsv` (one row per filing:
accession, `FILING_DATE` like `31-JUL-2024`, `DOCUMENT_TYPE`, issuer CIK, name, symbol,
remarks) and `REPORTINGOWNER.tsv` (one row per reporting owner of a filing: owner CIK and name,
`RPTOWNER_RELATIONSHIP` such as `Director,Officer`, `RPTOWNER_TITLE` as filed). The other
tables (transactions, holdings, footnotes) are not read.

A market-wide year of filings is a few hundred thousand rows, so members are streamed line
by line; what is kept between quarters is one newest row per (issuer, owner) and each
issuer's accession numbers, not the rows themselves. The result is one `CompanyBundle` per
issuer, decided by the same rules as the per-filing crawl: each owner's newest filing in the
window decides, and only officers and directors get a record (`crawl.officer_record`).
"""
from __future__ import annotations

import codecs
import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import PurePosixPath
from typing import IO, Callable, Iterable, Iterator

from ..errors import ConfigurationError, ParseError
from ..records import CompanyRecord, IdentifierRecord, SourceRef
from .crawl import CompanyBundle, officer_record
from .ownership import OWNERSHIP_FORMS, ReportingOwner, owner_title
from .urls import EdgarUrls, pad_cik

SUBMISSION = "SUBMISSION.tsv"
REPORTING_OWNER = "REPORTINGOWNER.tsv"
MONTHS = {name: number for number, name in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1)}
QUARTER = re.compile(r"^\d{4}[qQ][1-4]$")
NO_SYMBOL = frozenset({"", "NONE", "N/A", "NA", "NULL", "-"})  # what filers type when there is no ticker


@dataclass(frozen=True)
class DatasetFiling:
    """One row of SUBMISSION.tsv."""

    accession: str
    filed_on: date
    form: str
    issuer_cik: str
    issuer_name: str
    issuer_symbol: str | None = None
    remarks: str | None = None


@dataclass(frozen=True)
class DatasetOwner:
    """One row of REPORTINGOWNER.tsv."""

    accession: str
    cik: str
    name: str
    relationships: frozenset[str] = frozenset()  # lower case: director, officer, tenpercentowner, other
    title: str | None = None
    other_text: str | None = None


def parse_dataset_date(text: str | None) -> date | None:
    """`31-JUL-2024` (the data sets' DD-MON-YYYY), or None when empty or malformed."""
    parts = (text or "").strip().split("-")
    if len(parts) != 3 or parts[1].upper() not in MONTHS:
        return None
    try:
        return date(int(parts[2]), MONTHS[parts[1].upper()], int(parts[0]))
    except ValueError:
        return None


def iter_tsv(stream: IO[bytes], *, name: str, bad_row: Callable[[str], None] | None = None
             ) -> Iterator[dict[str, str]]:
    """Rows of a data-set table as {column: stripped text}. The tables have no quoting, so a
    stray tab or line break in a free-text field shifts the columns of its row: such a row is
    handed to `bad_row` (a message) and skipped, or raises ParseError without one."""
    lines = codecs.getreader("utf-8")(stream, errors="replace")
    header = lines.readline().rstrip("\r\n").split("\t")
    if len(header) < 2:
        raise ParseError(name, "not a tab-separated table with a header row")
    width = len(header)
    for number, line in enumerate(lines, start=2):
        line = line.rstrip("\r\n")
        if not line:
            continue
        values = line.split("\t")
        if len(values) != width:
            message = f"{name} line {number}: {len(values)} fields, the header has {width}"
            if bad_row is None:
                raise ParseError(name, message)
            bad_row(message)
            continue
        yield {column: value.strip() for column, value in zip(header, values)}


def parse_submission_rows(rows: Iterable[dict[str, str]]) -> Iterator[DatasetFiling]:
    """Form 3/4/5 filings (and amendments) with an accession, a filing date and an issuer."""
    for row in rows:
        filed_on = parse_dataset_date(row.get("FILING_DATE"))
        form = row.get("DOCUMENT_TYPE", "").upper()
        if not row.get("ACCESSION_NUMBER") or filed_on is None or form not in OWNERSHIP_FORMS:
            continue
        try:
            issuer_cik = pad_cik(row.get("ISSUERCIK") or "")
        except ValueError:
            continue
        symbol = (row.get("ISSUERTRADINGSYMBOL") or "").upper()
        yield DatasetFiling(
            accession=row["ACCESSION_NUMBER"], filed_on=filed_on, form=form, issuer_cik=issuer_cik,
            issuer_name=" ".join((row.get("ISSUERNAME") or "").split()),
            issuer_symbol=None if symbol in NO_SYMBOL else symbol,
            remarks=" ".join((row.get("REMARKS") or "").split()) or None,
        )


def parse_owner_rows(rows: Iterable[dict[str, str]]) -> Iterator[DatasetOwner]:
    for row in rows:
        try:
            cik = pad_cik(row.get("RPTOWNERCIK") or "")
        except ValueError:
            continue
        relationships = frozenset(part.strip().lower() for part in (row.get("RPTOWNER_RELATIONSHIP") or "").split(",")
                                  if part.strip())
        yield DatasetOwner(
            accession=row.get("ACCESSION_NUMBER", ""), cik=cik, name=" ".join((row.get("RPTOWNERNAME") or "").split()),
            relationships=relationships, title=_unescaped(row.get("RPTOWNER_TITLE")),
            other_text=_unescaped(row.get("RPTOWNER_TXT")),
        )


def _unescaped(text: str | None) -> str | None:
    """The data sets keep the filings' XML entities in their text columns ("Chairman &amp;
    CEO"); the parsed XML of the same filing gives "Chairman & CEO", so the two agree."""
    return html.unescape(text) if text else None


def reporting_owner(owner: DatasetOwner, filing: DatasetFiling) -> ReportingOwner:
    """A data-set row as the ownership parser would have read it from the filing itself."""
    title, from_remarks = owner_title(owner.title, filing.remarks)
    return ReportingOwner(
        cik=owner.cik, name=owner.name, is_director="director" in owner.relationships,
        is_officer="officer" in owner.relationships, is_ten_percent_owner="tenpercentowner" in owner.relationships,
        is_other="other" in owner.relationships, officer_title=owner.title, other_text=owner.other_text,
        title=title, title_from_remarks=from_remarks,
    )


def _member(archive: zipfile.ZipFile, wanted: str, path) -> zipfile.ZipInfo:
    for info in archive.infolist():
        if PurePosixPath(info.filename).name.upper() == wanted.upper():
            return info
    raise ParseError(str(path), f"no {wanted} in the archive")


@dataclass
class _Issuer:
    name: str
    symbol: str | None
    newest: tuple[date, str]  # (filed on, accession) of the newest filing naming it
    accessions: set[str] = field(default_factory=set)


class InsiderDatasets:
    """Accumulates quarters (any order), then hands out one bundle per issuer.

    Only filings in the window (as_of - lookback_days, as_of] are kept, as in the crawl.
    """

    def __init__(self, *, as_of: date, lookback_days: int, urls: EdgarUrls | None = None,
                 retrieved_at: datetime | None = None):
        self.since = as_of - timedelta(days=lookback_days)
        self.as_of = as_of
        self.urls = urls or EdgarUrls()
        self.retrieved_at = retrieved_at
        self.issuers: dict[str, _Issuer] = {}
        self.newest: dict[tuple[str, str], tuple[DatasetFiling, DatasetOwner]] = {}  # (issuer, owner) -> row
        self.filings_read = 0
        self.owner_rows_read = 0
        self._quarter: dict[str, DatasetFiling] = {}  # the quarter being read, by accession
        self.bad_rows: list[str] = []  # rows skipped because their columns were shifted

    def add_zip(self, path) -> None:
        """Read one quarter's zip (a path or a binary file): SUBMISSION.tsv first (kept for
        the quarter), then its owners."""
        with zipfile.ZipFile(path) as archive:
            with archive.open(_member(archive, SUBMISSION, path)) as stream:
                self.add_submissions(stream, name=f"{path}:{SUBMISSION}")
            with archive.open(_member(archive, REPORTING_OWNER, path)) as stream:
                self.add_owners(stream, name=f"{path}:{REPORTING_OWNER}")
        self._quarter = {}

    def add_submissions(self, stream: IO[bytes], *, name: str = SUBMISSION) -> None:
        self._quarter = {}
        for filing in parse_submission_rows(iter_tsv(stream, name=name, bad_row=self.bad_rows.append)):
            self.filings_read += 1
            if not (self.since < filing.filed_on <= self.as_of):
                continue
            self._quarter[filing.accession] = filing
            issuer = self.issuers.get(filing.issuer_cik)
            key = (filing.filed_on, filing.accession)
            if issuer is None:
                issuer = self.issuers[filing.issuer_cik] = _Issuer(filing.issuer_name, filing.issuer_symbol, key)
            elif key > issuer.newest:
                issuer.name, issuer.symbol, issuer.newest = filing.issuer_name, filing.issuer_symbol, key
            issuer.accessions.add(filing.accession)

    def add_owners(self, stream: IO[bytes], *, name: str = REPORTING_OWNER) -> None:
        """Owner rows of the quarter whose submissions were just added; each (issuer, owner)
        keeps its newest filing, wherever in the quarters it is."""
        for owner in parse_owner_rows(iter_tsv(stream, name=name, bad_row=self.bad_rows.append)):
            self.owner_rows_read += 1
            filing = self._quarter.get(owner.accession)
            if filing is None:
                continue  # outside the window, or not a Form 3/4/5
            key = (filing.issuer_cik, owner.cik)
            held = self.newest.get(key)
            if held is None or (filing.filed_on, filing.accession) > (held[0].filed_on, held[0].accession):
                self.newest[key] = (filing, owner)

    def bundles(self) -> Iterator[CompanyBundle]:
        """One bundle per issuer, in CIK order; the company record names what the data sets
        know (name, CIK, ticker), the officers are the owners whose newest filing calls them
        an officer or a director."""
        by_issuer: dict[str, list[tuple[DatasetFiling, DatasetOwner]]] = {}
        for (issuer_cik, _), row in self.newest.items():
            by_issuer.setdefault(issuer_cik, []).append(row)
        for cik in sorted(self.issuers):
            issuer = self.issuers[cik]
            officers, last_filed = [], {}
            for filing, owner in sorted(by_issuer.get(cik, ()), key=lambda row: row[1].cik):
                reported = reporting_owner(owner, filing)
                if reported.is_executive_or_director:
                    officers.append(officer_record(reported, self.source(filing)))
                    last_filed[owner.cik] = filing.filed_on
            yield CompanyBundle(
                cik=cik, company=self._company(cik, issuer), officers=tuple(officers), officer_last_filed=last_filed,
                filings_read=tuple(sorted(issuer.accessions)),
            )

    def _company(self, cik: str, issuer: _Issuer) -> CompanyRecord:
        filed_on, accession = issuer.newest
        identifiers = [IdentifierRecord("cik", cik)]
        if issuer.symbol:
            identifiers.append(IdentifierRecord("ticker", issuer.symbol))
        source = SourceRef(kind="sec_filing", url=self._folder(cik, accession), document_id=accession,
                           filed_on=filed_on, retrieved_at=self.retrieved_at,
                           title=f"SEC insider transactions data set, filing of {filed_on.isoformat()}")
        return CompanyRecord(name=issuer.name or f"CIK {cik}", source=source, identifiers=tuple(identifiers))

    def source(self, filing: DatasetFiling) -> SourceRef:
        return SourceRef(
            kind="sec_filing", url=self._folder(filing.issuer_cik, filing.accession), document_id=filing.accession,
            form_type=filing.form, filed_on=filing.filed_on, retrieved_at=self.retrieved_at,
            title=f"Form {filing.form} filed {filing.filed_on.isoformat()}",
        )

    def _folder(self, cik: str, accession: str) -> str:
        """The filing's folder: the data sets name no primary document to link to."""
        return self.urls.filing_folder(cik, accession) + "/"


def quarter_zip_url(urls: EdgarUrls, quarter: str) -> str:
    """`2024q3` -> {SEC_WWW_URL}/files/structureddata/data/insider-transactions-data-sets/2024q3_form345.zip"""
    text = quarter.strip().lower()
    if not QUARTER.match(text):
        raise ValueError(f"not a quarter like 2024q3: {quarter!r}")
    return f"{urls.www}/files/structureddata/data/insider-transactions-data-sets/{text}_form345.zip"


def read_datasets(datasets: InsiderDatasets, sources: Iterable[str], client=None) -> None:
    """Add each source to `datasets`: a local zip, a URL or a quarter ("2024q3"); URLs and
    quarters are downloaded through `client` (cached forever: published data sets do not
    change). Raises FetchError or ParseError for a source that cannot be had."""
    for source in sources:
        if QUARTER.match(source.strip()):
            source = quarter_zip_url(client.urls, source)
        if source.startswith(("http://", "https://")):
            if client is None:
                raise ConfigurationError("downloading insider data sets needs an EDGAR client")
            datasets.add_zip(io.BytesIO(client.fetch_dataset(source).content))
        else:
            datasets.add_zip(source)
