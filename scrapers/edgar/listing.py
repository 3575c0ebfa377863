"""EDGAR's lists of listed companies: every ticker with its CIK (and exchange)."""
from __future__ import annotations

from typing import Iterable, Iterator

from ..errors import FetchError, ParseError
from .submissions import load_json
from .urls import pad_cik

Listing = tuple[str, str, str, "str | None"]  # (cik, ticker, name, exchange)


def parse_company_tickers(data: bytes | str | dict, *, url: str | None = None) -> list[Listing]:
    """`company_tickers.json`: {"0": {"cik_str": 320193, "ticker": "AAPL", "title": ...}}."""
    doc = load_json(data, url)
    if not isinstance(doc, dict):
        raise ParseError(url, "company_tickers.json is not an object")
    rows = []
    for row in doc.values():
        if isinstance(row, dict) and row.get("cik_str") is not None and row.get("ticker"):
            rows.append((pad_cik(row["cik_str"]), row["ticker"].strip().upper(),
                         (row.get("title") or "").strip(), None))
    return rows


def parse_company_tickers_exchange(data: bytes | str | dict, *, url: str | None = None) -> list[Listing]:
    """`company_tickers_exchange.json`: {"fields": [...], "data": [[cik, name, ticker, exchange]]}."""
    doc = load_json(data, url)
    fields = doc.get("fields") if isinstance(doc, dict) else None
    if not fields or "cik" not in fields or "ticker" not in fields:
        raise ParseError(url, "company_tickers_exchange.json without cik and ticker fields")
    rows = []
    for row in doc.get("data") or ():
        values = dict(zip(fields, row))
        if values.get("cik") is None or not values.get("ticker"):
            continue
        rows.append((pad_cik(values["cik"]), values["ticker"].strip().upper(),
                     (values.get("name") or "").strip(),
                     values.get("exchange") or None))
    return rows


def iter_listed_companies(client) -> Iterator[Listing]:
    """Every (cik, ticker, name, exchange); the exchange file first, the plain one if absent."""
    try:
        result = client.fetch_listing(client.urls.company_tickers_exchange)
        rows = parse_company_tickers_exchange(result.content, url=result.url)
    except FetchError as exc:
        if not exc.not_found:
            raise
        result = client.fetch_listing(client.urls.company_tickers)
        rows = parse_company_tickers(result.content, url=result.url)
    yield from rows


def resolve_tickers(client, tickers: Iterable[str]) -> dict[str, str]:
    """{"AAPL": "0000320193", ...} for the tickers EDGAR knows; unknown ones are left out."""
    wanted = {ticker.strip().upper() for ticker in tickers if ticker.strip()}
    found = {}
    for cik, ticker, _name, _exchange in iter_listed_companies(client):
        if ticker in wanted and ticker not in found:
            found[ticker] = cik
    return found
