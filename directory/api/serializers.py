"""Plain functions that turn loaded rows into the API's JSON shapes.

They only walk relationships the query helpers eager-load (`queries.company_by_slug`,
`queries.person_by_slug`, `queries.companies_in_order`), so serializing never issues
one query per row.
"""
from __future__ import annotations

from datetime import date, datetime

from flask import url_for

from ..models import Address, Company, Contact, Person, Position, Source
from ..escalation.complaints import complaint_figures
from ..ratings.queries import phone_figures
from ..ratings.queries import summary as rating_summary

NO_PHONE_REPORTS = {"median_hold_minutes": None, "reports": 0, "way_to_person": None, "way_to_person_reports": 0,
                    "best_hours": []}


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def company_url(company: Company) -> str:
    """The absolute address of the company's HTML page."""
    return url_for("companies.detail", slug=company.slug, _external=True)


def company_link(company: Company) -> dict:
    return {"name": company.name, "slug": company.slug, "url": company_url(company)}


def person_url(person: Person) -> str:
    return url_for("people.detail", slug=person.slug, _external=True)


def source_ref(source: Source | None) -> dict | None:
    if source is None:
        return None
    return {"url": source.url, "kind": source.kind, "as_of": _iso(source.as_of)}


def ceo_summary(company: Company) -> dict | None:
    position = company.ceo_position
    if position is None:
        return None
    return {"name": position.person.name, "title": position.display_title}


def company_summary(company: Company) -> dict:
    """One row of the company list."""
    return {
        "name": company.name,
        "slug": company.slug,
        "url": company_url(company),
        "country": company.country,
        "ceo": ceo_summary(company),
    }


def executive(position: Position) -> dict:
    return {
        "name": position.person.name,
        "title": position.display_title,
        "role": position.role,
        "is_ceo": position.is_ceo,
        "is_current": position.is_current,
        "start_date": _iso(position.start_date),
        "start_date_precision": position.start_date_precision,
        "end_date": _iso(position.end_date),
        "end_date_precision": position.end_date_precision,
        "person_url": person_url(position.person),
        "source": source_ref(position.source),
    }


def contact(item: Contact, phones: dict | None = None) -> dict:
    """`phones`: what callers reported, per phone contact (`ratings.queries.phone_figures`)."""
    figures = (phones or {}).get(item.id)
    return {
        "kind": item.kind,
        "value": item.value,
        "label": item.label,
        "tier": item.tier,
        "status": item.status,
        "as_of": _iso(item.as_of or (item.source.as_of if item.source else None)),
        "quality": item.quality,
        "tested_on": _iso(item.tested_on),
        "role": item.role,
        "person_name": item.person_name,
        "organisation": item.organisation,
        "phone_reports": (figures.as_json() if figures else NO_PHONE_REPORTS) if item.kind == "phone" else None,
        "source": source_ref(item.source),
    }


def address(item: Address) -> dict:
    return {
        "kind": item.kind,
        "lines": item.lines,
        "city": item.city,
        "region": item.region,
        "postal_code": item.postal_code,
        "country": item.country,
        "source": source_ref(item.source),
    }


def company_detail(company: Company) -> dict:
    """The whole public record of one company."""
    executives = sorted(company.positions, key=lambda p: p.sort_key)
    phones = phone_figures(company.id)  # one statement whatever the contacts: the API's count stays fixed
    ceo = company.ceo_position
    leadership_change = None
    if company.has_unreviewed_leadership_change:
        leadership_change = {
            "reported_on": _iso(company.leadership_change_on),
            "url": company.leadership_change_url,
            "summary": company.leadership_change_summary,
        }
    return {
        **company_summary(company),
        "region": company.region,
        "city": company.city,
        "sector": company.sector,
        "sic_code": company.sic_code,
        "status": company.status,
        "fca_status": company.fca_status,
        "fca_status_since": _iso(company.fca_status_since),
        "website": company.website,
        "phone": company.phone,
        "contact_policy": company.contact_policy,
        "legal_name": company.legal_name.name if company.legal_name else None,
        "former_names": [name.name for name in company.earlier_names],
        "last_verified": _iso(company.last_verified),
        "leadership_change": leadership_change,
        "ceo": executive(ceo) if ceo else None,
        "executives": [executive(p) for p in executives],
        "contacts": [contact(c, phones) for c in company.contacts],
        "identifiers": [
            {"scheme": i.scheme, "value": i.value, "exchange": i.exchange, "url": i.public_url}
            for i in company.identifiers
        ],
        "addresses": [address(a) for a in company.addresses],
        "brands": [{"name": b.name, "aliases": list(b.aliases or []), "source": source_ref(b.source)}
                   for b in company.brands],
        "parent": company_link(company.parent) if company.parent else None,
        "subsidiaries": [company_link(child) for child in company.subsidiaries],
        "ratings": rating_summary(company.id, with_comments=False).as_json(),
        "cfpb_complaints": figures.as_json() if (figures := complaint_figures(company)) else None,
    }


def person_detail(person: Person) -> dict:
    positions = sorted(
        person.positions,
        key=lambda p: (not p.is_current, not p.is_ceo, -(p.start_date or date.min).toordinal(), p.company.name),
    )
    return {
        "name": person.name,
        "slug": person.slug,
        "url": person_url(person),
        "positions": [
            {
                "company": {
                    "name": p.company.name,
                    "slug": p.company.slug,
                    "url": company_url(p.company),
                },
                "title": p.display_title,
                "role": p.role,
                "is_ceo": p.is_ceo,
                "is_current": p.is_current,
                "start_date": _iso(p.start_date),
                "start_date_precision": p.start_date_precision,
                "end_date": _iso(p.end_date),
                "end_date_precision": p.end_date_precision,
                "source": source_ref(p.source),
            }
            for p in positions
        ],
    }
