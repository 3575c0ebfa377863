"""`python -m scrapers edgar --cik 320193 [--ticker AAPL] [--lookback-days 730]`
`python -m scrapers companies-house --number 00445790 [--search tesco]`
`python -m scrapers websites --url https://www.example.com/`

Prints what the scrapers parse, as JSON, without touching a database: for checking a parser
against the live service or a mirror. Reads SEC_USER_AGENT, SEC_WWW_URL and SEC_DATA_URL
(and optionally SEC_REQUESTS_PER_SECOND, SCRAPER_CACHE_DIR) from the environment; for
Companies House, COMPANIES_HOUSE_API_KEY (without it, the public pages are read),
COMPANIES_HOUSE_API_URL and COMPANIES_HOUSE_WEB_URL; for websites, SCRAPER_USER_AGENT.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from datetime import date

from . import companies_house, websites
from .errors import ScraperError
from .edgar import EdgarClient, crawl_company, resolve_tickers


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.source == "companies-house":
        return _companies_house(args)
    if args.source == "websites":
        return _websites(args)
    try:
        with _edgar_client(args) as client:
            ciks = list(args.cik)
            if args.ticker:
                found = resolve_tickers(client, args.ticker)
                for ticker in args.ticker:
                    if ticker.upper() not in found:
                        print(f"unknown ticker: {ticker}", file=sys.stderr)
                ciks.extend(found.values())
            if not ciks:
                print("nothing to crawl: give --cik or --ticker", file=sys.stderr)
                return 2
            for cik in ciks:
                bundle = crawl_company(client, cik, lookback_days=args.lookback_days, as_of=args.as_of)
                print(json.dumps(dataclasses.asdict(bundle), default=str, indent=2))
    except ScraperError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scrapers", description=__doc__.split("\n\n")[1])
    sources = parser.add_subparsers(dest="source", required=True)
    edgar = sources.add_parser("edgar", help="SEC EDGAR company records and insiders")
    edgar.add_argument("--cik", action="append", default=[], help="a company CIK (repeatable)")
    edgar.add_argument("--ticker", action="append", default=[], help="a ticker symbol (repeatable)")
    edgar.add_argument("--lookback-days", type=int, default=730, help="how far back to read filings")
    edgar.add_argument("--as-of", type=date.fromisoformat, default=None,
                       help="end of the look-back window (YYYY-MM-DD; default today)")
    house = sources.add_parser("companies-house", help="UK Companies House companies and officers")
    house.add_argument("--number", action="append", default=[], help="a company number (repeatable)")
    house.add_argument("--search", action="append", default=[], help="companies found for a name (needs a key)")
    site = sources.add_parser("websites", help="a company website's contacts and social accounts")
    site.add_argument("--url", action="append", default=[], required=True, help="a home page (repeatable)")
    return parser


def _websites(args) -> int:
    try:
        reader = websites.WebsiteReader(os.environ.get("SCRAPER_USER_AGENT"))
    except ScraperError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with reader:
        readings = [websites.read_website(reader, url) for url in args.url]
    for reading in readings:
        print(json.dumps(dataclasses.asdict(reading), default=str, indent=2))
    return 1 if any(reading.problems for reading in readings) else 0


def _companies_house(args) -> int:
    client = companies_house.CompaniesHouseClient(
        os.environ.get("COMPANIES_HOUSE_API_KEY"),
        api_url=os.environ.get("COMPANIES_HOUSE_API_URL") or companies_house.client.DEFAULT_API_URL,
        web_url=os.environ.get("COMPANIES_HOUSE_WEB_URL") or companies_house.client.DEFAULT_WEB_URL,
        user_agent=os.environ.get("SEC_USER_AGENT"), cache_dir=os.environ.get("SCRAPER_CACHE_DIR") or None,
    )
    try:
        with client:
            numbers = list(args.number)
            for query in args.search:
                numbers += [hit.company_number for hit in companies_house.search_companies(client, query)]
            if not numbers:
                print("nothing to crawl: give --number or --search", file=sys.stderr)
                return 2
            for number in dict.fromkeys(numbers):
                bundle = companies_house.crawl_company(client, number)
                print(json.dumps(dataclasses.asdict(bundle), default=str, indent=2))
    except ScraperError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _edgar_client(args) -> EdgarClient:
    return EdgarClient(
        user_agent=os.environ.get("SEC_USER_AGENT"),
        www_url=os.environ.get("SEC_WWW_URL") or "https://www.sec.gov",
        data_url=os.environ.get("SEC_DATA_URL") or "https://data.sec.gov",
        requests_per_second=float(os.environ.get("SEC_REQUESTS_PER_SECOND") or 8.0),
        cache_dir=os.environ.get("SCRAPER_CACHE_DIR") or None,
    )


if __name__ == "__main__":
    sys.exit(main())
