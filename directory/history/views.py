"""History pages, public: what changed, when, from which source, and who accepted it."""
from __future__ import annotations

from flask import abort, current_app, render_template

from ..extensions import db
from ..models import Company, Contact, Person
from ..queries import page_arg
from . import bp
from .queries import (
    ENTITY_LABELS,
    company_revisions_stmt,
    entity_revisions_stmt,
    present,
)

ENTITIES = {"person": Person, "contact": Contact}


def _page(stmt):
    return db.paginate(stmt, page=page_arg(), per_page=current_app.config["PER_PAGE"],
                       max_per_page=current_app.config["MAX_PER_PAGE"], error_out=False)


@bp.get("/company/<int:company_id>")
def company(company_id: int):
    record = db.get_or_404(Company, company_id)
    pagination = _page(company_revisions_stmt(company_id))
    return render_template("history/history.html", subject=record.name, company=record, pagination=pagination,
                           rows=present(pagination.items), labels=ENTITY_LABELS,
                           endpoint="history.company", args={"company_id": company_id})


@bp.get("/<entity_type>/<int:entity_id>")
def entity(entity_type: str, entity_id: int):
    model = ENTITIES.get(entity_type)
    if model is None:
        abort(404)
    record = db.get_or_404(model, entity_id)
    subject = record.name if isinstance(record, Person) else f"{record.kind_label} contact of {record.company.name}"
    pagination = _page(entity_revisions_stmt(entity_type, entity_id))
    return render_template("history/history.html", subject=subject, company=getattr(record, "company", None),
                           pagination=pagination, rows=present(pagination.items), labels=ENTITY_LABELS,
                           endpoint="history.entity", args={"entity_type": entity_type, "entity_id": entity_id})
