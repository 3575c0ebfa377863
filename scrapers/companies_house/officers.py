"""One officer appointment, from the API's JSON or the register's page, to an OfficerRecord.

Both sources give the same facts (filed name, appointment role, occupation, appointed and
resigned dates, officer id), so the rules live here once: names in reading order with the
honorific apart, corporate officers flagged as not people, the role from the appointment
and an inferred CEO from a director's occupation.
"""
from __future__ import annotations

import re
from datetime import date

from ..names import is_registry_person_name, registry_person_name
from ..records import OfficerRecord, SourceRef
from ..titles import classify_occupation

OFFICER_LINK = re.compile(r"/officers/([^/?#]+)")
ROLE_TITLES = {"director": "Director", "secretary": "Secretary"}


def officer_id_from_link(link: str | None) -> str | None:
    """ "/officers/M0nRpSZPlPTwBusql3sNK6Efzr8/appointments" -> "M0nRpSZPlPTwBusql3sNK6Efzr8"."""
    match = OFFICER_LINK.search(link or "")
    return match.group(1) if match else None


def role_text(officer_role: str | None) -> str:
    """ "corporate-nominee-secretary" -> "Corporate nominee secretary" (the title as filed)."""
    return (officer_role or "officer").replace("-", " ").strip().capitalize()


def build_officer(*, raw_name: str, officer_role: str | None, occupation: str | None, appointed_on: date | None,
                  resigned_on: date | None, officer_id: str | None, source: SourceRef) -> OfficerRecord:
    role_key = (officer_role or "").strip().lower()
    raw_name = " ".join(raw_name.split())
    is_person = not role_key.startswith("corporate") and is_registry_person_name(raw_name)
    if is_person:
        name, honorific = registry_person_name(raw_name)
    else:
        name, honorific = raw_name, None
    kind = classify_occupation(occupation, role_key) if is_person else classify_occupation(None, role_key)
    title = role_text(role_key)
    if kind.is_ceo:
        title = f"{title} (occupation: {' '.join(occupation.split())})"
    return OfficerRecord(
        name=name,
        raw_name=raw_name,
        source=source,
        external_id=officer_id,
        external_scheme="ch_officer_id",
        honorific=honorific,
        is_person=is_person,
        title=title,
        role=kind.role,
        is_ceo=kind.is_ceo,
        ceo_confidence=kind.ceo_confidence,
        is_director=kind.role == "director",
        is_current=resigned_on is None,
        start_date=appointed_on,
        end_date=resigned_on,
    )
