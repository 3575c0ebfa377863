"""Every stored code in words: the one place pages, previews, history and the moderation
queue look up what a reader sees for `customer_service`, `principal_office` or role `ceo`.

The labels themselves live beside their codes in the models; this module only says which
list a (row kind, field) pair's values come from, so no page shows a code it forgot to map.
"""
from __future__ import annotations

import pycountry

from .models.company import ADDRESS_KINDS, CONTACT_POLICY_LABELS, IDENTIFIER_LABELS
from .models.contact import KIND_LABELS, QUALITY_LABELS, ROLE_LABELS as CONTACT_ROLE_LABELS, TIER_LABELS
from .models.person import ROLE_LABELS as POSITION_ROLE_LABELS

# What EDGAR's `entityType` and the registers call a company's kind, as people say it.
ENTITY_TYPE_LABELS = {"operating": "Operating company", "other": "Other", "investment": "Investment fund",
                      "non-operating": "Non-operating company"}
CONTACT_STATUS_LABELS = {"ok": "Works", "bounced": "Reported bouncing", "unanswered": "Reported unanswered",
                         "retracted": "Withdrawn"}
COMPANY_STATUS_LABELS = {"active": "Active", "dissolved": "Dissolved", "inactive": "Inactive"}
ROW_LABELS = {"company": "company", "person": "person", "position": "position", "contact": "contact",
              "address": "address", "identifier": "identifier", "company_name": "former name", "brand": "brand"}

# What a reader calls each stored field (history, flags); fields missing here are bookkeeping
# and are not shown.
FIELD_LABELS = {
    "name": "Name", "slug": "Web address", "country": "Country", "region": "State or region", "city": "City",
    "sic_code": "Industry code", "sector": "Industry", "status": "Status", "entity_type": "Kind of entity",
    "incorporated_in": "Incorporated in", "website": "Website", "phone": "Phone", "contact_policy": "Contact policy",
    "leadership_change_on": "Leadership change reported", "title": "Title", "role": "Role",
    "is_ceo": "Chief executive", "is_current": "Current", "start_date": "Start date", "end_date": "End date",
    "kind": "Kind", "value": "Value", "label": "Label", "tier": "Step", "quality": "Quality",
    "person_name": "Person", "organisation": "Organisation", "line1": "Address line 1", "line2": "Address line 2",
    "postal_code": "Postcode", "scheme": "Identifier type", "exchange": "Exchange", "used_from": "Used from",
    "used_until": "Used until", "honorific": "Honorific",
}

FLAG_STATUS_LABELS = {"pending": "Waiting for a moderator", "resolved": "Fixed or checked", "dismissed": "Dismissed"}

# (kind of row, field) -> the labels of its values; a field alone when it means one thing everywhere.
VALUE_LABELS = {
    ("contact", "kind"): KIND_LABELS,
    ("contact", "role"): CONTACT_ROLE_LABELS,
    ("contact", "status"): CONTACT_STATUS_LABELS,
    ("position", "role"): POSITION_ROLE_LABELS,
    ("address", "kind"): ADDRESS_KINDS,
    ("company", "status"): COMPANY_STATUS_LABELS,
    ("flag", "status"): FLAG_STATUS_LABELS,
    ("identifier", "scheme"): IDENTIFIER_LABELS,
    "tier": TIER_LABELS,
    "quality": QUALITY_LABELS,
    "entity_type": ENTITY_TYPE_LABELS,
    "contact_policy": CONTACT_POLICY_LABELS,
}


def country_name(code: str | None) -> str:
    """The name people use for an ISO 3166-1 country code ("KR" -> "South Korea")."""
    if not code:
        return "Unknown country"
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code.upper()
    return getattr(country, "common_name", None) or country.name


def labels_for(row: str, field: str) -> dict[str, str] | None:
    """The labels of `field`'s values on a `row` ("contact", "position", ...), if it has codes."""
    return VALUE_LABELS.get((row, field)) or VALUE_LABELS.get(field)


def value_label(row: str, field: str, value):
    """`value` as a reader sees it: "customer_service" -> "Customer service"; a value
    without a label (a name, a date, a number) is returned as it is."""
    if field == "country" and isinstance(value, str) and len(value) == 2:

        return country_name(value)
    labels = labels_for(row, field)
    if labels is None or not isinstance(value, str):
        return value
    return labels.get(value, value.replace("_", " ").capitalize())


def row_label(row: str) -> str:
    """"company_name" -> "former name": how a sentence names a kind of row."""
    return ROW_LABELS.get(row, row.replace("_", " "))


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())
