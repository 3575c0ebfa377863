"""Companies House (UK): company records, registered offices, directors and secretaries."""
from .bulk import iter_bulk_companies
from .client import CompaniesHouseClient, WindowLimiter, pad_company_number
from .crawl import CompanyBundle, crawl_company, search_companies
from .parse_api import OfficersPage, SearchHit, parse_company, parse_officers, parse_search
from .parse_html import parse_company_page, parse_officers_page

__all__ = [
    "CompaniesHouseClient", "CompanyBundle", "OfficersPage", "SearchHit", "WindowLimiter", "crawl_company",
    "iter_bulk_companies", "pad_company_number", "parse_company", "parse_company_page", "parse_officers",
    "parse_officers_page", "parse_search", "search_companies",
]
