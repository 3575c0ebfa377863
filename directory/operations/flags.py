"""'Report outdated' flags from visitors."""
from __future__ import annotations

from ..extensions import db
from ..models import Company, Flag, User


def report_outdated(company: Company, entity_type: str, entity_id: int, *, field: str | None, note: str | None,
                    author: User | None, author_ip: str) -> Flag:
    flag = Flag(company_id=company.id, entity_type=entity_type, entity_id=entity_id, field=(field or None) and field[:64],
                note=(note or "").strip() or None, author_id=author.id if author else None, author_ip=author_ip)
    db.session.add(flag)
    db.session.flush()
    return flag
