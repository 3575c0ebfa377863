"""EDGAR location codes -> ISO 3166-1 country codes.

EDGAR's `stateOrCountry` holds a US state's postal code, or an EDGAR-specific code for other
countries ("2M" Germany, "M0" Japan, "X0" United Kingdom). Only common, well-known codes are
mapped; a country written out is looked up in ISO 3166 (pycountry); anything unknown gives None
rather than a guess.
"""
from __future__ import annotations

import pycountry

US_STATES = frozenset(
    """AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH
    NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR VI GU AS MP""".split()
)
CANADIAN_PROVINCES = {
    "A0": "AB", "A1": "BC", "A2": "MB", "A3": "NB", "A4": "NL", "A5": "NS", "A6": "ON",
    "A7": "PE", "A8": "QC", "A9": "SK", "B0": "YT",
}
EDGAR_COUNTRIES = {
    "X0": "GB", "2M": "DE", "M0": "JP", "I0": "FR", "F4": "CN", "K3": "HK", "L3": "IL",
    "L2": "IE", "V8": "CH", "C3": "AU", "D0": "BM", "E9": "KY", "Z4": "CA",
    **{code: "CA" for code in CANADIAN_PROVINCES},
}


def country_code_from_name(name: str | None) -> str | None:
    """ISO code of a country written out ("Cayman Islands" -> "KY"), None when unknown."""
    key = " ".join((name or "").split())
    if not key:
        return None
    try:
        return pycountry.countries.lookup(key).alpha_2
    except LookupError:
        return None


def locate(address: dict | None) -> tuple[str | None, str | None]:
    """(ISO country, region) of one submissions address; region is a US state or province."""
    if not address:
        return None, None
    code = (address.get("stateOrCountry") or "").strip().upper()
    if code in US_STATES:
        return "US", code
    if code in CANADIAN_PROVINCES:
        return "CA", CANADIAN_PROVINCES[code]
    if code in EDGAR_COUNTRIES:
        return EDGAR_COUNTRIES[code], None
    country_code = (address.get("countryCode") or "").strip().upper()
    if country_code in EDGAR_COUNTRIES:
        return EDGAR_COUNTRIES[country_code], None
    return country_code_from_name(address.get("country")), None
