"""One key per contact channel: when two written values are the same phone, email or address.

Every comparison of channels uses this module: the parsers (a page or a press release lists
each channel once), the app's writer (a channel seen again is the same row) and the
suppression list (a value removed on request stays removed however it is written again).
A phone is its E.164 number in the company's country, so "+1 408 996 1010", "(408) 996-1010",
"408.996.1010" and "tel:+14089961010" are one number, and "020 7946 0000" at a British company
is "+44 20 7946 0000". Emails are compared without case or "mailto:", web addresses without
scheme, "www." or a trailing slash, anything else without case or repeated spaces.
"""
from __future__ import annotations

import re
from urllib.parse import unquote

import phonenumbers

# A company whose country we do not know is most likely an SEC filer: its numbers are read
# as written in the United States (a number written with its country code never needs it).
DEFAULT_COUNTRY = "US"
# Contact kinds that name the same channel: a web form is the page it lives on.
KIND_FAMILY = {"email": "email", "email_format": "email", "phone": "phone", "url": "url", "web_form": "url",
               "website": "url", "postal": "postal"}


def family(kind: str) -> str:
    """The kind of channel a contact kind is: "web_form" and "website" are "url"s."""
    return KIND_FAMILY.get(kind, kind)


def channel_key(kind: str, value: str, country: str | None = None) -> str:
    """The comparable form of one channel's value; `country` (ISO 3166 alpha-2) is the
    company's, for phones written without a country code."""
    kind = family(kind)
    if kind == "phone":
        return phone_key(value, country)
    text = " ".join(str(value).split()).lower()
    if kind == "email":
        return unquote(text.removeprefix("mailto:").split("?", 1)[0]).strip()
    if kind == "url":
        return re.sub(r"^[a-z][a-z0-9+.-]*://", "", text).removeprefix("www.").rstrip("/")
    return text


def phone_key(value: str, country: str | None = None) -> str:
    """E.164 ("+14089961010") when the value is a possible number in `country` (or carries its
    own country code); otherwise its digits, so two unreadable values still compare."""
    text = str(value).strip()
    text = re.sub(r"^tel:", "", text, flags=re.IGNORECASE)
    region = (country or DEFAULT_COUNTRY).upper()
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_possible_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return re.sub(r"\D", "", text)


def same_phone(first: str, second: str, country: str | None = None) -> bool:
    """Whether two written numbers are one line. Without the company's country, a number
    written nationally is read in the country of the other when that one carries its code
    ("0333 014 0000" beside "+44 333 014 0000")."""
    if phone_key(first, country) == phone_key(second, country):
        return True
    if country is not None:
        return False
    for written, other in ((first, second), (second, first)):
        region = _region_of(written)
        if region and phone_key(other, region) == phone_key(written, region):
            return True
    return False


def _region_of(value: str) -> str | None:
    """The country a number written with its country code belongs to."""
    text = re.sub(r"^tel:", "", str(value).strip(), flags=re.IGNORECASE)
    if not text.startswith("+"):
        return None
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(text, None))
    except phonenumbers.NumberParseException:
        return None
