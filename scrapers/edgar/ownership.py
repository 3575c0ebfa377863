"""Parse SEC ownership documents (Forms 3, 4, 5 and amendments): who reports, in what role.

Pure: text in, dataclasses out. Accepts the raw XML, or the `.txt` SGML submission that wraps
it in `<XML>...</XML>`. Namespaces and whitespace are ignored; booleans may be 1/0,
true/false or absent (= false). A document without `ownershipDocument` or `issuer`, or that
is not well-formed (for example truncated), raises ParseError.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lxml import etree

from ..errors import ParseError
from .urls import pad_cik

OWNERSHIP_FORMS = frozenset({"3", "4", "5", "3/A", "4/A", "5/A"})
SEE_REMARKS = re.compile(r"^\s*see\b.*\bremarks?\b", re.IGNORECASE)
SGML_XML = re.compile(rb"<XML>\s*(.*?)\s*</XML>", re.DOTALL)
MAX_TITLE_LENGTH = 300  # the width of Position.title

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


@dataclass(frozen=True)
class ReportingOwner:
    cik: str
    name: str
    is_director: bool = False
    is_officer: bool = False
    is_ten_percent_owner: bool = False
    is_other: bool = False
    officer_title: str | None = None  # as filed
    other_text: str | None = None
    title: str | None = None  # officer_title, or the remarks when it says "See Remarks"
    title_from_remarks: bool = False

    @property
    def is_executive_or_director(self) -> bool:
        """10% owners (Berkshire at Snowflake) and "other" filers are not executives."""
        return self.is_director or self.is_officer


@dataclass(frozen=True)
class OwnershipDocument:
    document_type: str
    period_of_report: date | None
    issuer_cik: str
    issuer_name: str | None
    issuer_symbol: str | None
    owners: tuple[ReportingOwner, ...]
    remarks: str | None = None


def parse_ownership(content: bytes | str, *, url: str | None = None) -> OwnershipDocument:
    root = _root(content, url)
    issuer = root.find("issuer")
    if issuer is None or not _text(issuer, "issuerCik"):
        raise ParseError(url, "ownership document without an issuer CIK")
    remarks = _collapse(_text(root, "remarks"))
    owners = tuple(_owner(element, remarks) for element in root.findall("reportingOwner"))
    if not owners:
        raise ParseError(url, "ownership document without a reporting owner")
    return OwnershipDocument(
        document_type=_text(root, "documentType") or "",
        period_of_report=_date(_text(root, "periodOfReport")),
        issuer_cik=pad_cik(_text(issuer, "issuerCik")),
        issuer_name=_text(issuer, "issuerName"),
        issuer_symbol=_text(issuer, "issuerTradingSymbol"),
        owners=owners,
        remarks=remarks,
    )


def _root(content: bytes | str, url: str | None):
    raw = content.encode() if isinstance(content, str) else content
    wrapped = SGML_XML.search(raw) if b"<XML>" in raw[:200_000] else None
    if wrapped:
        raw = wrapped.group(1)
    try:
        root = etree.fromstring(raw.strip(), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ParseError(url, f"malformed ownership XML: {exc}") from exc
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = etree.QName(element).localname
    if root.tag != "ownershipDocument":
        raise ParseError(url, f"expected ownershipDocument, found {root.tag}")
    return root


def _owner(element, remarks: str | None) -> ReportingOwner:
    identity = element.find("reportingOwnerId")
    relationship = element.find("reportingOwnerRelationship")
    officer_title = _text(relationship, "officerTitle")
    title, from_remarks = owner_title(officer_title, remarks)
    return ReportingOwner(
        cik=pad_cik(_text(identity, "rptOwnerCik") or 0),
        name=_collapse(_text(identity, "rptOwnerName")) or "",
        is_director=_flag(relationship, "isDirector"),
        is_officer=_flag(relationship, "isOfficer"),
        is_ten_percent_owner=_flag(relationship, "isTenPercentOwner"),
        is_other=_flag(relationship, "isOther"),
        officer_title=officer_title,
        other_text=_text(relationship, "otherText"),
        title=title,
        title_from_remarks=from_remarks,
    )


def owner_title(officer_title: str | None, remarks: str | None) -> tuple[str | None, bool]:
    """(title, taken from the remarks?): a "See Remarks" title means the remarks hold it."""
    if officer_title and SEE_REMARKS.match(officer_title) and remarks:
        return remarks[:MAX_TITLE_LENGTH], True
    return officer_title, False


def _text(parent, tag: str) -> str | None:
    """Stripped text of a child, or None when absent or empty."""
    if parent is None:
        return None
    value = (parent.findtext(tag) or "").strip()
    return value or None


def _flag(parent, tag: str) -> bool:
    return (_text(parent, tag) or "").lower() in ("1", "true")


def _collapse(text: str | None) -> str | None:
    """Remarks and names wrap over lines in the XML; keep them on one."""
    return " ".join((text or "").split()) or None


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
