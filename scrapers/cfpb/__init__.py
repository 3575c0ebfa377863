"""The US consumer complaints database (CFPB): its CSV streamed line by line, counted per
company name over a period, and the company names normalised for matching. Plain Python."""
from .client import DEFAULT_URL, ComplaintsClient
from .complaints import Complaint, CompanyCounts, ComplaintTally, TallyResult, read_complaints
from .names import normalise_company_name, search_url

__all__ = [
    "DEFAULT_URL", "Complaint", "CompanyCounts", "ComplaintTally", "ComplaintsClient", "TallyResult",
    "normalise_company_name", "read_complaints", "search_url",
]
