"""The UK Financial Services Register (FCA): client, crawl and pure parsers."""
from .client import DEFAULT_API_URL, FcaClient, crawl_firm, frns_for_company
from .parse import ControlledFunction, FcaFirm, FirmDetails, parse_answer

__all__ = ["DEFAULT_API_URL", "FcaClient", "crawl_firm", "frns_for_company", "ControlledFunction", "FcaFirm",
           "FirmDetails", "parse_answer"]
