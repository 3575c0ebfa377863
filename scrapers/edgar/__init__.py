"""SEC EDGAR: company records, insiders from ownership filings, 8-K leadership changes."""
from ..errors import ConfigurationError, FetchError, ParseError
from .bulk import iter_bulk_submissions
from .client import EdgarClient
from .crawl import CompanyBundle, FetchProblem, crawl_company
from .listing import iter_listed_companies, parse_company_tickers, parse_company_tickers_exchange, resolve_tickers
from .ownership import OwnershipDocument, ReportingOwner, parse_ownership
from .submissions import Filing, Submissions, parse_filings_page, parse_submissions
from .urls import EdgarUrls, pad_cik

__all__ = [
    "CompanyBundle", "ConfigurationError", "EdgarClient", "EdgarUrls", "FetchError", "FetchProblem",
    "Filing", "OwnershipDocument", "ParseError", "ReportingOwner", "Submissions", "crawl_company",
    "iter_bulk_submissions", "iter_listed_companies", "pad_cik", "parse_company_tickers",
    "parse_company_tickers_exchange", "parse_filings_page", "parse_ownership", "parse_submissions",
    "resolve_tickers",
]
