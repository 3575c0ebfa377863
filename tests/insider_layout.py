"""SEC's insider-transaction data sets as written files, in the layout FORM_345_metadata.json
documents: for the tests' small quarters and bench/insider_datasets.py's market-sized ones."""
from __future__ import annotations

import zipfile

SUBMISSION_COLUMNS = ["ACCESSION_NUMBER", "FILING_DATE", "PERIOD_OF_REPORT", "DATE_OF_ORIG_SUB", "NO_SECURITIES_OWNED",
                      "NOT_SUBJECT_SEC16", "FORM3_HOLDINGS_REPORTED", "FORM4_TRANS_REPORTED", "DOCUMENT_TYPE",
                      "ISSUERCIK", "ISSUERNAME", "ISSUERTRADINGSYMBOL", "REMARKS"]  # as in the real 2024q3 file
OWNER_COLUMNS = ["ACCESSION_NUMBER", "RPTOWNERCIK", "RPTOWNERNAME", "RPTOWNER_RELATIONSHIP", "RPTOWNER_TITLE",
                 "RPTOWNER_TXT", "RPTOWNER_STREET1", "RPTOWNER_STREET2", "RPTOWNER_CITY", "RPTOWNER_STATE",
                 "RPTOWNER_ZIPCODE", "RPTOWNER_STATE_DESC", "FILE_NUMBER"]


def tsv(columns: list[str], rows: list[dict]) -> str:
    """A table as SEC writes them: a header row, tab-separated values, no quoting."""
    lines = ["\t".join(columns)] + ["\t".join(row.get(column, "") for column in columns) for row in rows]
    return "\n".join(lines) + "\n"


def write_quarter(path, submissions: list[dict], owners: list[dict]) -> None:
    """A quarter's zip: the two tables the importer reads, and one it ignores."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("SUBMISSION.tsv", tsv(SUBMISSION_COLUMNS, submissions))
        archive.writestr("REPORTINGOWNER.tsv", tsv(OWNER_COLUMNS, owners))
        archive.writestr("NONDERIV_TRANS.tsv", "ACCESSION_NUMBER\tNONDERIV_TRANS_SK\n")
