"""Creating and renaming companies while keeping their URLs stable."""
from __future__ import annotations

from ..extensions import db
from ..models import Company, CompanyName, CompanySlug
from ..slugs import initial_of, slugify, unique_slug


def new_company(name: str, **fields) -> Company:
    """A company with a unique slug and its browsing initial, added to the session."""
    company = Company(name=name, slug=unique_slug(db.session, Company, name, taken_in=CompanySlug),
                      initial=initial_of(name), **fields)
    db.session.add(company)
    return company


def rename_company(company: Company, new_name: str, *, keep_former_name: bool = True) -> None:
    """Rename; the old slug keeps redirecting and the old name stays searchable."""
    if new_name == company.name:
        return
    old_name = company.name
    company.name = new_name
    company.initial = initial_of(new_name)
    desired = slugify(new_name)
    if desired != company.slug:
        old_slug = company.slug
        for alias in list(company.old_slugs):
            if alias.slug == desired:  # renamed back to an earlier name: reclaim its slug
                company.old_slugs.remove(alias)
        db.session.flush()
        company.slug = unique_slug(db.session, Company, new_name, taken_in=CompanySlug)
        company.old_slugs.append(CompanySlug(slug=old_slug))
    if keep_former_name and all(n.name != old_name for n in company.former_names):
        company.former_names.append(CompanyName(name=old_name))
    db.session.flush()
