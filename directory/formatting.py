"""Values as people read them: dates, sentences and phone numbers written for the reader.
Pure functions, used by templates (as filters, registered in `templating.init_app`), mail and
history alike."""
from __future__ import annotations

from datetime import date, datetime

import phonenumbers


def phone_number(filed: str | None, country: str | None = None) -> str:
    """A phone number as people of the company's country write it: "9194075300" and
    "919.407.5300" both read "(919) 407-5300" for a US company; a number of another country
    keeps its international form (+44 20 7946 0000). What does not parse stays as filed (the
    API always gives the filed form)."""
    if not filed:
        return ""
    region = (country or "").upper() or None
    try:
        number = phonenumbers.parse(filed, region)
    except phonenumbers.NumberParseException:
        return filed
    if not phonenumbers.is_valid_number(number):
        return filed
    home = region is not None and phonenumbers.region_code_for_number(number) == region
    style = phonenumbers.PhoneNumberFormat.NATIONAL if home else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)


def sentence(text: str | None) -> str:
    """"consumer electronics" -> "Consumer electronics": a label from a source that writes it
    in lower case, as a heading or a link; the rest is left as written ("AI", "iPhone")."""
    return (text[:1].upper() + text[1:]) if text else ""


def human_date(value, precision: str | None = None) -> str:
    """5 March 2026: unambiguous on both sides of the Atlantic. A date known only to the
    month or the year (`Position.start_date_precision`) reads "March 2026" or "2026", never
    as the first day of the period it is stored as."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.date()
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return f"{value:%B %Y}"
    return f"{value.day} {value:%B %Y}"


def iso_date(value: date | str, precision: str | None = None) -> str:
    """2026-03-05, 2026-03 or 2026: as much of the ISO date as is known (valid in <time>)."""
    text = value if isinstance(value, str) else value.isoformat()
    return text[:4] if precision == "year" else text[:7] if precision == "month" else text
