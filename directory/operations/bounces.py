"""A visitor's report that an address in an inferred email format bounced.

One report per visitor (their salted address hash), company and format: the database's unique
index decides, so two reports sent at once store one row. The insert runs in a savepoint; the
loser of a race finds the winner's row and the report counts once. Flushes; the view commits.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import BounceReport, Company


def already_reported(company: Company, format_name: str, ip_hash: str) -> bool:
    return db.session.scalar(select(BounceReport.id).filter_by(
        company_id=company.id, format=format_name, ip_hash=ip_hash)) is not None


def report_bounce(company: Company, format_name: str, ip_hash: str) -> bool:
    """Record the report; False when this visitor already reported this company's format."""
    if already_reported(company, format_name, ip_hash):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(BounceReport(company_id=company.id, format=format_name, ip_hash=ip_hash))
    except IntegrityError:  # the same visitor's other request got there first
        return False
    return True
