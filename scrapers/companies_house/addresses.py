"""Registered office addresses in the three shapes Companies House sends them.

The API sends members (premises, address_line_1, locality, region, postal_code, country),
the bulk file sends columns, and the public pages one comma-separated line. All become an
`AddressRecord` of kind "registered_office", country as ISO code ("England" -> "GB").
"""
from __future__ import annotations

import re

from ..edgar.locations import country_code_from_name
from ..records import AddressRecord

UK_NAMES = frozenset({"united kingdom", "uk", "england", "wales", "scotland", "northern ireland",
                      "great britain", "england and wales", "gb", "u.k.", "englandandwales"})
POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$", re.IGNORECASE)
# Words that make the last part of a one-line address a county rather than a town.
COUNTY_HINTS = re.compile(r"shire\b|^(?:east|west|north|south|greater|county)\b|^(?:middlesex|essex|kent|surrey|"
                          r"sussex|norfolk|suffolk|cornwall|devon|dorset|somerset|cumbria|merseyside|"
                          r"tyne and wear|isle of \w+)$", re.IGNORECASE)


def country_code(name: str | None) -> str | None:
    key = " ".join((name or "").lower().split())
    if not key:
        return None
    if key in UK_NAMES:
        return "GB"
    return country_code_from_name(key)


def _clean(value) -> str | None:
    text = " ".join(str(value or "").split())
    return text or None


def _first_line(premises: str | None, line: str | None) -> str | None:
    """ "74" + "Lairgate" -> "74 Lairgate"; "Flat 19" + "1 Harewood Street" -> "Flat 19, 1 Harewood Street"."""
    premises, line = _clean(premises), _clean(line)
    if premises and line:
        joiner = " " if premises[0].isdigit() and len(premises) <= 5 else ", "
        return f"{premises}{joiner}{line}"
    return premises or line


def from_members(raw: dict | None) -> AddressRecord | None:
    """The API's registered_office_address object."""
    if not isinstance(raw, dict):
        return None
    line1 = _first_line(raw.get("premises"), raw.get("address_line_1"))
    if not line1 and raw.get("po_box"):
        line1 = f"PO Box {_clean(raw['po_box'])}"
    record = AddressRecord(
        kind="registered_office", line1=line1, line2=_clean(raw.get("address_line_2")),
        city=_clean(raw.get("locality")), region=_clean(raw.get("region")),
        postal_code=_clean(raw.get("postal_code")), country=country_code(raw.get("country")) or "GB",
    )
    return record if record.line1 or record.postal_code else None


def from_columns(line1, line2, post_town, county, country, postal_code, po_box=None) -> AddressRecord | None:
    """The bulk file's RegAddress.* columns."""
    first = _clean(line1) or (f"PO Box {_clean(po_box)}" if _clean(po_box) else None)
    record = AddressRecord(kind="registered_office", line1=first, line2=_clean(line2), city=_clean(post_town),
                           region=_clean(county), postal_code=_clean(postal_code),
                           country=country_code(country) or "GB")
    return record if record.line1 or record.postal_code else None


def from_one_line(text: str | None) -> AddressRecord | None:
    """ "74 Lairgate, Beverley, East Yorkshire, United Kingdom, HU17 8EU" as shown on the pages."""
    parts = [p for p in (_clean(p) for p in (text or "").split(",")) if p]
    postal_code = parts.pop() if parts and POSTCODE.match(parts[-1]) else None
    country = "GB"
    if parts and country_code(parts[-1]):
        country = country_code(parts.pop())
    region = parts.pop() if len(parts) >= 3 and COUNTY_HINTS.search(parts[-1]) else None
    city = parts.pop() if len(parts) >= 2 else None
    if not parts and not postal_code:
        return None
    return AddressRecord(kind="registered_office", line1=parts[0] if parts else None,
                         line2=", ".join(parts[1:]) or None, city=city, region=region,
                         postal_code=postal_code, country=country)
