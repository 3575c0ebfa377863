"""Linking a UK register record to the SEC company it describes (a moderator's decision).

The Companies House importer creates a UK-only company when it cannot tell which SEC company a
number belongs to; `likely_matches` proposes SEC companies with the same name. A moderator
compares them side by side and links one: `link_company` moves the UK record's facts into the
SEC company and its old URL redirects there. Nothing is merged automatically because two
companies with the same name in two countries are often unrelated.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..auth import moderator_required
from ..extensions import db
from ..importers.companies_house import likely_matches, link_company
from ..models import Company
from ..operations.audit import record
from ..queries import company_by_slug
from ..revisions import revision_context
from . import bp
from .forms import ActionForm


def is_uk_only(company: Company) -> bool:
    """Imported from Companies House alone: a UK number and no SEC CIK."""
    return company.identifier("ch_number") is not None and company.identifier("cik") is None


def candidates_for(company: Company) -> list[Company]:
    """The SEC companies that may be the same as the UK-only `company`, best first."""
    slugs = likely_matches(company.name)
    found = {c.slug: c for c in db.session.scalars(select(Company).where(Company.slug.in_(slugs)))}
    return [found[slug] for slug in slugs if slug in found]


def link_candidates(company: Company) -> list[Company]:
    """For the company page: candidates shown to moderators only, and only on UK-only records.

    A template global so the public company view needs no change and visitors cost no query.
    """
    if not (current_user.is_authenticated and current_user.is_moderator and is_uk_only(company)):
        return []
    return candidates_for(company)


@bp.route("/link/<slug>", methods=["GET", "POST"])
@moderator_required
def link(slug: str):
    company, is_old_slug = company_by_slug(slug)
    if company is None:
        abort(404)
    if is_old_slug or not is_uk_only(company):
        flash(f"{company.name} is not a UK-only record: there is nothing to link.")
        return redirect(url_for("companies.detail", slug=company.slug))
    candidates = candidates_for(company)
    form = ActionForm()
    if form.validate_on_submit():
        target = next((c for c in candidates if c.slug == request.form.get("target")), None)
        if target is None:
            flash("That company is no longer a likely match; nothing was linked.")
            return redirect(url_for("moderate.link", slug=slug))
        return _link(company, target)
    return render_template("moderate/link.html", company=company, candidates=candidates)


def _link(uk_record: Company, target: Company):
    number = uk_record.identifier("ch_number")
    try:
        with revision_context(f"user:{current_user.id}", user_id=current_user.id, approved_by_id=current_user.id):
            merged = link_company(number, target)
    except ValueError as error:
        db.session.rollback()
        flash(str(error))
        return redirect(url_for("moderate.link", slug=uk_record.slug))
    record(current_user, "company_linked", "company", target.id,
           {"ch_number": number, "merged_slug": merged, "into_slug": target.slug})
    db.session.commit()
    flash(f"Companies House number {number} linked to {target.name}"
          + (f"; the UK record {merged} now redirects here." if merged else "."))
    return redirect(url_for("companies.detail", slug=target.slug))
