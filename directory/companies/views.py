"""The company page: who runs it, how to escalate, and the source of every fact."""
from flask import abort, flash, redirect, render_template, url_for

from .. import queries
from ..discovery.jsonld import organization
from ..operations.freshness import sources_last_read
from ..ratelimit import configured, limiter
from ..refresh import read_requests
from . import bp
from ..rules.ladder import escalation_ladder
from .presenters import address_of, exchanges, executives, known_only_from_listing


def _company_or_404(slug: str):
    company, is_old_slug = queries.company_by_slug(slug)
    if company is None:
        abort(404)
    return company, is_old_slug


@bp.get("/<slug>")
def detail(slug: str):
    company, is_old_slug = _company_or_404(slug)
    if is_old_slug:
        return redirect(url_for("companies.detail", slug=company.slug), 301)
    current, former = executives(company)
    ladder = escalation_ladder(company)
    read_request = read_requests.todays_request(company) if company.identifier("cik") else None
    live = read_requests.can_read_live()
    if live and read_request is not None and read_request.status in read_requests.PENDING:
        read_requests.start_worker()  # picks it up again if the worker that had it is gone
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
        listing_only=known_only_from_listing(company),
        exchanges=exchanges(company),
        read_request=read_request,
        reads_sec=live,
        can_read_live=live and company.identifier("cik") is not None,
    )


@bp.post("/<slug>/read-now")
@limiter.limit(configured("RATELIMIT_READ_NOW"))
@limiter.limit(configured("RATELIMIT_READ_NOW_ALL"), key_func=lambda: "every visitor")
def read_now(slug: str):
    """Queue an on-demand EDGAR import of this company (once a day), then show its page."""
    company, _ = _company_or_404(slug)
    if not read_requests.can_read_live() or company.identifier("cik") is None:
        abort(404)
    _, queued = read_requests.request_read(company)
    if not queued:
        flash("This company was already asked for today: its page shows how that read went.", "info")
    read_requests.start_worker()
    return redirect(url_for("companies.detail", slug=company.slug, _anchor="live-read"), 303)
