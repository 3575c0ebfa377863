"""schema.org descriptions of company and person pages, embedded as JSON-LD.

The page's `<script type="application/ld+json">` is a data block, which browsers never run,
so the strict Content-Security-Policy (`script-src 'self'`) stays as it is; the template
writes it with Jinja's `tojson`, which escapes `<`, `>` and `&` so no value can close the
element. Only what the page itself shows is described: published contacts by rung, never
the inferred email address.
"""
from __future__ import annotations


from ..models import Company, Person, Position
from ..models.contact import TIER_LABELS
from .urls import absolute_url

CONTEXT = "https://schema.org"
CONTACT_PROPERTY = {"phone": "telephone", "email": "email", "url": "url", "web_form": "url"}


def _page(endpoint: str, slug: str) -> str:
    return absolute_url(endpoint, slug=slug)


def _postal_address(address) -> dict:
    street = ", ".join(part for part in (address.line1, address.line2) if part)
    fields = {"streetAddress": street, "addressLocality": address.city, "addressRegion": address.region,
              "postalCode": address.postal_code, "addressCountry": address.country}
    return {"@type": "PostalAddress", **{k: v for k, v in fields.items() if v}}


def _person(position: Position) -> dict:
    return {"@type": "Person", "name": position.person.name, "jobTitle": position.display_title,
            "url": _page("people.detail", position.person.slug)}


def _contact_points(company: Company) -> list[dict]:
    points = []
    for contact in company.contacts:
        prop = CONTACT_PROPERTY.get(contact.kind)
        if prop is None or contact.status == "retracted":
            continue
        points.append({"@type": "ContactPoint", "contactType": TIER_LABELS.get(contact.tier, contact.tier),
                       prop: contact.value, **({"name": contact.label} if contact.label else {})})
    return points


def organization(company: Company) -> dict:
    """The company as a schema.org `Organization`, its CEO a `Person` with a `jobTitle`."""
    page = _page("companies.detail", company.slug)
    data = {"@context": CONTEXT, "@type": "Organization", "@id": f"{page}#organization", "name": company.name,
            "legalName": company.legal_name.name if company.legal_name else company.name, "url": company.website or page, "mainEntityOfPage": page}
    if company.postal_address is not None:
        data["address"] = _postal_address(company.postal_address)
    if company.phone:
        data["telephone"] = company.phone
    points = _contact_points(company)
    if points:
        data["contactPoint"] = points
    same_as = [url for identifier in company.identifiers if (url := identifier.public_url)]
    if company.website and company.website != data["url"]:
        same_as.append(company.website)
    if same_as:
        data["sameAs"] = same_as
    # Current executives, the CEO first (of two, the one `ceo_rank` chooses), then the
    # table's order. Founders are not in our sources.
    ceo = company.ceo_position
    employees = [_person(p) for p in sorted(company.current_positions, key=lambda p: (p is not ceo, p.sort_key))]
    if employees:
        data["employee"] = employees
    return data


def person(person: Person) -> dict:
    """The person as a schema.org `Person` who `worksFor` the companies of their current positions."""
    current = [p for p in person.positions if p.is_current]
    data = {"@context": CONTEXT, "@type": "Person", "name": person.name, "url": _page("people.detail", person.slug)}
    if person.honorific:
        data["honorificPrefix"] = person.honorific
    if current:
        data["jobTitle"] = current[0].display_title
        data["worksFor"] = [{"@type": "Organization", "name": p.company.name,
                             "url": _page("companies.detail", p.company.slug)} for p in current]
    return data
