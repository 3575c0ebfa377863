"""Every EDGAR URL, built from the two configurable roots (SEC_WWW_URL, SEC_DATA_URL), so a
local mirror can stand in for www.sec.gov and data.sec.gov."""
from __future__ import annotations

import re
from dataclasses import dataclass

RENDERED_FOLDER = re.compile(r"^xsl[^/]*/")


def pad_cik(cik: str | int) -> str:
    """EDGAR's ten-digit CIK ("320193" -> "0000320193")."""
    return str(int(str(cik).strip())).zfill(10)


@dataclass(frozen=True)
class EdgarUrls:
    www: str = "https://www.sec.gov"
    data: str = "https://data.sec.gov"

    def __post_init__(self):
        object.__setattr__(self, "www", self.www.rstrip("/"))
        object.__setattr__(self, "data", self.data.rstrip("/"))

    @property
    def company_tickers(self) -> str:
        return f"{self.www}/files/company_tickers.json"

    @property
    def company_tickers_exchange(self) -> str:
        return f"{self.www}/files/company_tickers_exchange.json"

    def submissions(self, cik: str | int) -> str:
        return f"{self.data}/submissions/CIK{pad_cik(cik)}.json"

    def submissions_page(self, name: str) -> str:
        """An overflow page named in `filings.files` ("CIK0000320193-submissions-001.json")."""
        return f"{self.data}/submissions/{name}"

    def filing_folder(self, cik: str | int, accession: str) -> str:
        return f"{self.www}/Archives/edgar/data/{int(cik)}/{accession.replace('-', '')}"

    def filing_index(self, cik: str | int, accession: str) -> str:
        """The human-readable filing index page: the URL a reader can follow as a source."""
        return f"{self.filing_folder(cik, accession)}/{accession}-index.htm"

    def document(self, cik: str | int, accession: str, primary_document: str) -> str:
        return f"{self.filing_folder(cik, accession)}/{primary_document}"

    def raw_document(self, cik: str | int, accession: str, primary_document: str) -> str:
        """The raw XML behind a rendered `xslF345X05/form4.xml` primary document."""
        return self.document(cik, accession, RENDERED_FOLDER.sub("", primary_document))
