"""The company page: who runs it, how to escalate, and the source of every fact."""
from flask import abort, redirect, render_template, url_for

from .. import queries
from ..discovery.jsonld import organization
from ..operations.freshness import sources_last_read
from . import bp
from .presenters import address_of, escalation_ladder, executives, tel_href

bp.add_app_template_filter(tel_href, "tel_href")


@bp.get("/<slug>")
def detail(slug: str):
    company, is_old_slug = queries.company_by_slug(slug)
    if company is None:
        abort(404)
    if is_old_slug:
        return redirect(url_for("companies.detail", slug=company.slug), 301)
    current, former = executives(company)
    ladder = escalation_ladder(company)
    return render_template(
        "companies/detail.html",
        company=company,
        ceo=company.ceo_position,
        ladder=ladder,
        current_executives=current,
        former_executives=former,
        addresses=[a for kind in ("principal_office", "registered_office", "mailing")
                   if (a := address_of(company, kind)) is not None],
        jsonld=organization(company),
        source_reads=sources_last_read(company),
        phone_source=next(r.head_office_phone_source for r in ladder if r.tier == "executive_office"),
    )
