"""Small builders for test data, so tests read like the situation they set up."""
from __future__ import annotations

from datetime import date

from directory.extensions import db
from directory.models import Address, Company, CompanyName, Contact, Identifier, Person, Position, Source
from directory.slugs import initial_of, slugify


def make_source(**fields) -> Source:
    fields.setdefault("kind", "sec_filing")
    fields.setdefault("url", "https://www.sec.gov/Archives/edgar/data/320193/000032019323000079/")
    fields.setdefault("document_id", "0000320193-23-000079")
    fields.setdefault("form_type", "4")
    fields.setdefault("filed_on", date(2023, 8, 8))
    source = Source(**fields)
    db.session.add(source)
    return source


def make_company(name: str, *, ticker=None, cik=None, former_names=(), ceo=None, ceo_title="Chief Executive Officer",
                 executives=(), city=None, region=None, country="US", sic_code=None, sector=None, **fields) -> Company:
    """A company, optionally with a CEO (a name) and other executives ((name, title, role) tuples)."""
    source = make_source()
    company = Company(name=name, slug=fields.pop("slug", slugify(name)), initial=initial_of(name), country=country,
                      city=city, region=region, sic_code=sic_code, sector=sector, **fields)
    db.session.add(company)
    if ticker:
        company.identifiers.append(Identifier(scheme="ticker", value=ticker, source=source))
    if cik:
        company.identifiers.append(Identifier(scheme="cik", value=cik, source=source))
    for former in former_names:
        company.former_names.append(CompanyName(name=former, source=source))
    if city:
        company.addresses.append(Address(kind="principal_office", line1="1 Main Street", city=city,
                                         region=region, country=country, source=source))
    if ceo:
        make_position(company, ceo, ceo_title, role="ceo", is_ceo=True, source=source)
    for exec_name, title, role in executives:
        make_position(company, exec_name, title, role=role, source=source)
    return company


def make_position(company: Company, person: "Person | str", title: str, *, role="other", is_ceo=False,
                  is_current=True, source=None, **fields) -> Position:
    """A position for `person` (an existing Person, or a name for a new one)."""
    if isinstance(person, str):
        person = Person(name=person, slug=slugify(person))
    fields.setdefault("ceo_confidence", 0.95 if is_ceo else None)
    position = Position(company=company, person=person, title=title, role=role, is_ceo=is_ceo,
                        is_current=is_current, source=source, **fields)
    db.session.add(position)
    return position


def make_contact(company: Company, kind: str, value: str, *, tier="customer_service", label=None, source=None) -> Contact:
    contact = Contact(company=company, kind=kind, value=value, tier=tier, label=label, source=source)
    db.session.add(contact)
    return contact
