"""Companies known from SEC's list of listed companies, and executives from the Form 4 digest,
as bundles the EDGAR import run stores (`EdgarImport.import_bundles`).

SEC's `company_tickers_exchange.json` has one row per ticker: a company with several share
classes ("BRK-A", "BRK-B") has several rows under one CIK, so rows are grouped by CIK into one
company with several tickers, each with its exchange.
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from scrapers.edgar.form4_digest import DigestTransaction, digest_officers
from scrapers.records import CompanyRecord, IdentifierRecord, SourceRef

from ..models.source import LISTING_FORM_TYPE
from .edgar import FactsBundle
from .store import pad_cik

LISTING_URL = "https://www.sec.gov/files/company_tickers_exchange.json"
LISTING_TITLE = "SEC list of listed companies and their exchanges (company_tickers_exchange.json)"


def listing_source(retrieved_at: datetime, url: str = LISTING_URL) -> SourceRef:
    return SourceRef(kind="sec_filing", url=url, document_id=LISTING_FORM_TYPE, form_type=LISTING_FORM_TYPE,
                     retrieved_at=retrieved_at, title=LISTING_TITLE)


def listing_bundles(rows: Iterable[tuple[str, str, str, str | None]], *, retrieved_at: datetime,
                    url: str = LISTING_URL) -> list[FactsBundle]:
    """One bundle per CIK, in CIK order: the name of its first row and every ticker in the
    listing's order (the first is the one a company is best known by), with its exchange."""
    source = listing_source(retrieved_at, url)
    by_cik: dict[str, tuple[str, list[IdentifierRecord]]] = {}
    for cik, ticker, name, exchange in rows:
        cik = pad_cik(cik)
        _, tickers = by_cik.setdefault(cik, (name, []))
        if all(t.value != ticker for t in tickers):
            tickers.append(IdentifierRecord("ticker", ticker, exchange))
    return [FactsBundle(cik=cik, company=CompanyRecord(
                name=name, source=source, identifiers=(IdentifierRecord("cik", cik), *tickers)))
            for cik, (name, tickers) in sorted(by_cik.items()) if name]


def ciks_by_ticker(rows: Iterable[tuple[str, str, str, str | None]]) -> dict[str, str]:
    """{ticker: ten-digit CIK} of the listing (the first row wins, as `resolve_tickers` does)."""
    found: dict[str, str] = {}
    for cik, ticker, _name, _exchange in rows:
        found.setdefault(ticker, pad_cik(cik))
    return found


def digest_bundles(grouped: dict[str, list[DigestTransaction]], ciks: dict[str, str]
                   ) -> tuple[list[FactsBundle], list[str]]:
    """(one officers-only bundle per listed company the digest names, the digest's tickers no
    listed company has). A folder naming several tickers ("LEN, LEN-B") counts for the first
    one listed; two folders of one company (share classes) are read together."""
    by_cik: dict[str, list[DigestTransaction]] = {}
    unlisted = []
    for folder, transactions in sorted(grouped.items()):
        cik = next((ciks[t] for t in _spellings(folder) if t in ciks), None)
        if cik is None:
            unlisted.append(folder)
            continue
        by_cik.setdefault(cik, []).extend(transactions)
    bundles = [FactsBundle(cik=cik, company=None, officers=tuple(digest_officers(transactions, issuer_cik=cik)))
               for cik, transactions in sorted(by_cik.items())]
    return [bundle for bundle in bundles if bundle.officers], unlisted


def _spellings(folder: str) -> list[str]:
    """The tickers a digest folder may mean: each one it names, then a share class it ran
    together ("BRKB" for SEC's "BRK-B")."""
    named = [part.strip() for part in folder.split(",") if part.strip()]
    return named + [f"{t[:-1]}-{t[-1]}" for t in named if len(t) > 2 and "-" not in t]
