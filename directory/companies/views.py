"""The company page: who runs it, how to escalate, and the source of every fact."""
from flask import abort, redirect, render_template, url_for

from .. import queries
from ..discovery.jsonld import organization
from ..status.queries import company_reads
from . import bp
from .presenters import address_of, escalation_ladder, executives


@bp.get("/<slug>")
def detail(slug: str):
    company, is_old_slug = queries.company_by_slug(slug)
    if company is None:
        abort(404)
    if is_old_slug:
        return redirect(url_for("companies.detail", slug=company.slug), 301)
    current, former = executives(company)
    return render_template(
        "companies/detail.html",
        company=company,
        ceo=company.ceo_position,
        ladder=escalation_ladder(company),
        current_executives=current,
        former_executives=former,
        addresses=[a for kind in ("principal_office", "registered_office", "mailing")
                   if (a := address_of(company, kind)) is not None],
        jsonld=organization(company),
        source_reads=company_reads(company),
    )
