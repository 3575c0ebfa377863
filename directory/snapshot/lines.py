"""What a snapshot line becomes before it is stored, by either path (the idempotent import
and the bulk load): without what must not be published, and under the name people write."""
from __future__ import annotations

from scrapers.names import company_display_name

from ..rules.policy import never_published
from ..rules.suppression import contact_key
from .fields import MATCHING_SCHEMES


def contact_keys(record: dict):
    """The suppression keys of every contact value a line holds, in its company's country."""
    company = record["company"]
    yield from (contact_key(name, company[name], company.get("country")) for name in ("phone", "website") if company.get(name))
    yield from (contact_key(c["kind"], c["value"], company.get("country")) for c in record["contacts"])


def without_withheld(record: dict, withheld: set[str]) -> dict:
    """The line without what must not be published: contact values on the suppression list
    (removed on request) and executives' personal mailboxes."""
    country = record["company"].get("country")
    company = {name: (None if name in ("phone", "website") and value and contact_key(name, value, country) in withheld
                      else value) for name, value in record["company"].items()}
    contacts = [c for c in record["contacts"] if contact_key(c["kind"], c["value"], country) not in withheld
                and not never_published(c["kind"], c["value"], tier=c.get("tier"), for_person=c.get("position") is not None)]
    return {**record, "company": company, "contacts": contacts}


def as_displayed(record: dict) -> dict:
    """The line under the name people write, as `CompanyRecord.as_displayed` gives importers:
    a snapshot written before names were re-cased still says "MICROSOFT CORP". The filed
    name becomes a former name with the register record's source (the legal name)."""
    filed = record["company"]["name"]
    name = company_display_name(filed)
    if name == filed:
        return record
    former = record["former_names"]
    if all(f["name"] != filed for f in former):
        source = next((i["source"] for i in record["identifiers"] if i["scheme"] in MATCHING_SCHEMES), None)
        former = [*former, {"name": filed, "used_from": None, "used_until": None, "source": source}]
    return {**record, "company": {**record["company"], "name": name}, "former_names": former}
