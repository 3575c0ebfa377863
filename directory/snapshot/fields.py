"""The snapshot format, shared by the exporter and the importer so both read one list.

One JSON object a line, one company a line. Facts that carry provenance embed their
source inline (`source`: kind, url, document_id, form_type, title, filed_on,
retrieved_at). Dates are ISO strings; datetimes are UTC ISO strings.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

COMPANY_FIELDS = (
    "name", "country", "region", "city", "sic_code", "sector", "status", "entity_type",
    "incorporated_in", "website", "phone", "contact_policy", "leadership_change_on",
    "leadership_change_url", "leadership_change_summary", "last_reviewed_at", "last_verified_at",
    "fca_status", "fca_status_since",
)
SOURCE_FIELDS = ("kind", "url", "document_id", "form_type", "title", "filed_on", "retrieved_at")
IDENTIFIER_FIELDS = ("scheme", "value", "exchange")
FORMER_NAME_FIELDS = ("name", "used_from", "used_until")
ADDRESS_FIELDS = ("kind", "line1", "line2", "city", "region", "postal_code", "country")
PERSON_FIELDS = ("name", "slug", "honorific", "sec_cik", "ch_officer_id", "wikidata_id")
BRAND_FIELDS = ("name", "aliases", "wikidata_id")
POSITION_FIELDS = (
    "title", "role", "is_ceo", "ceo_confidence", "confirmed", "is_current", "start_date",
    "start_precision", "end_date", "end_precision", "last_seen_on",
)
CONTACT_FIELDS = ("kind", "value", "label", "tier", "status", "as_of", "quality", "role", "person_name", "organisation",
                  "tested_on")
# The CFPB's complaint counts under one of its company names (`ComplaintRecord`; only matches
# that count: certain by name, or confirmed by a moderator).
COMPLAINT_RECORD_FIELDS = ("cfpb_company", "match", "period_start", "period_end", "received", "timely", "relief")
# Identifiers that name one company anywhere; tickers and EINs can be reused or shared.
MATCHING_SCHEMES = ("cik", "ch_number", "lei", "wikidata", "frn")


def to_json(value):
    """A column value as it appears in the file."""
    if isinstance(value, datetime):
        if value.tzinfo is None:  # SQLite drops the zone; everything is stored in UTC
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def from_json(value, kind: str):
    """A value from the file as the column type `kind` ("date", "datetime" or other)."""
    if value is None or kind not in ("date", "datetime"):
        return value
    if kind == "date":
        return date.fromisoformat(value)
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


# The type of every field that is not a plain string, for reading the file back.
FIELD_TYPES = {
    "leadership_change_on": "date", "last_reviewed_at": "datetime", "last_verified_at": "datetime",
    "fca_status_since": "date",
    "filed_on": "date", "retrieved_at": "datetime", "used_from": "date", "used_until": "date",
    "is_ceo": "bool", "confirmed": "bool", "is_current": "bool", "ceo_confidence": "float",
    "start_date": "date", "end_date": "date", "last_seen_on": "date", "as_of": "date", "tested_on": "date", "aliases": "strings",
    "period_start": "date", "period_end": "date", "received": "int", "timely": "int", "relief": "int",
}
# Fields a fact cannot exist without (the columns are NOT NULL or they are the match key).
REQUIRED = {"name", "slug", "kind", "scheme", "value", "cfpb_company", "period_start", "period_end", "received",
            "timely", "relief"}
# NOT NULL columns with a model default: a missing value in the file means the default.
DEFAULTS = {"status": "active", "contact_policy": "unknown", "role": "other", "is_ceo": False,
            "confirmed": False, "is_current": True, "tier": "customer_service", "match": "name"}
# A contact's own defaults where its field names mean something else on a position or company.
CONTACT_DEFAULTS = {**DEFAULTS, "status": "ok", "role": None, "quality": "filed"}
