"""Reads behind the moderators' review lists."""
from sqlalchemy import select

from ..models import Company


def leadership_changes_stmt():
    """Companies with an unreviewed leadership-change signal, newest report first."""
    return (select(Company)
            .where(Company.leadership_change_on.is_not(None))
            .order_by(Company.leadership_change_on.desc(), Company.name))
