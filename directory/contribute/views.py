"""Suggest an edit (form, preview, send) and report a fact as outdated."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Company, Contact, Person, Position
from ..operations import contributions as ops
from ..operations.flags import report_outdated
from ..ratelimit import (
    account_key,
    client_address,
    configured,
    hashed_address,
    limiter,
    only_when_sending,
)
from . import bp
from .forms import FORMS, ReportForm

TARGETS = {"company": Company, "position": Position, "contact": Contact, "person": Person}
# Which model each kind of suggestion is about ("new_ceo" and "contact_add" hang off a company).
TARGET_OF_KIND = {"company": "company", "new_ceo": "company", "contact_add": "company",
                  "position": "position", "contact": "contact", "person": "person", "contact_policy": "company"}

suggest_limits = [
    limiter.limit(configured("RATELIMIT_SUGGEST"), key_func=account_key, methods=["POST"], exempt_when=only_when_sending),
    limiter.limit(configured("RATELIMIT_SUGGEST"), key_func=client_address, methods=["POST"], exempt_when=only_when_sending),
]


def _with_limits(view):
    for decorate in suggest_limits:
        view = decorate(view)
    return view


def _company_of(target) -> Company | None:
    if target is None:
        return None
    if isinstance(target, Company):
        return target
    if isinstance(target, Person):
        return next((p.company for p in target.positions if p.is_current), None)
    return target.company


def _suggest(kind_name: str, target):
    """Form → preview (diff) → send. Errors re-render with everything the user typed."""
    kind = ops.KINDS[kind_name]
    form_class = FORMS[kind_name]
    current = ops.current_values(kind, target)
    if request.method == "GET":
        # "Propose this company" from an empty search carries the name the visitor typed.
        form = (form_class(data={"name": request.args.get("name", "")[:300]}) if kind.creates
                else form_class(obj=target))  # typed values (a date stays a date)
    else:
        form = form_class()
    form.target = target
    action = request.form.get("action", "preview")
    context = {"form": form, "kind": kind, "target": target, "company": _company_of(target)}
    if request.method == "POST" and action != "edit" and form.validate():
        if form.homepage.data:  # a bot filled the hidden field: say thanks, store nothing
            flash("Thank you. Your suggestion was sent to the moderators.")
            return redirect(url_for("main.home"))
        proposed = ops.changed_fields(kind, current, form.proposed())
        if not proposed:
            form.form_errors.append("Nothing would change: the values you sent are the ones we already show.")
        elif action == "send":
            try:
                contribution = ops.suggest(kind_name, target, form.proposed(), author=current_user,
                                           author_ip=hashed_address(), evidence_url=form.evidence_url.data,
                                           note=form.note.data)
            except ops.SuggestionError as error:
                form.form_errors.append(str(error))
            else:
                db.session.commit()
                if contribution.applied_early:
                    flash("Thank you. As a trusted contributor your change is live now; a moderator will review it.")
                else:
                    flash("Thank you. A moderator will review your suggestion; you can follow it on this page.")
                return redirect(url_for("accounts.mine"))
        else:
            diff = ops.diff_rows(kind, current, proposed)
            return render_template("contribute/preview.html", diff=diff, **context)
    return render_template("contribute/suggest.html", **context)


def _paused_guard():
    if current_user.is_paused():
        flash("Your account is paused from suggesting changes for a few days after several suggestions were rejected.")
        return redirect(url_for("accounts.mine"))
    return None


@bp.route("/suggest/<kind_name>/<int:target_id>", methods=["GET", "POST"])
@login_required
@_with_limits
def suggest(kind_name: str, target_id: int):
    if kind_name not in TARGET_OF_KIND:
        abort(404)
    target = db.get_or_404(TARGETS[TARGET_OF_KIND[kind_name]], target_id)
    return _paused_guard() or _suggest(kind_name, target)


@bp.route("/new-company", methods=["GET", "POST"])
@login_required
@_with_limits
def new_company():
    return _paused_guard() or _suggest("new_company", None)


@bp.get("/company/<int:company_id>")
def menu(company_id: int):
    """Everything one can suggest or report about a company, in one place."""
    company = db.get_or_404(Company, company_id)
    return render_template("contribute/menu.html", company=company, report_form=ReportForm())


@bp.route("/report/<entity_type>/<int:entity_id>", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_REPORT"), methods=["POST"])
def report(entity_type: str, entity_id: int):
    """'Report outdated': open to visitors; the form asks what is out of date."""
    if entity_type not in TARGETS:
        abort(404)
    target = db.get_or_404(TARGETS[entity_type], entity_id)
    company = _company_of(target)
    if company is None:
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        if not form.homepage.data:
            report_outdated(company, entity_type, entity_id, field=request.args.get("field"), note=form.note.data,
                            author=current_user if current_user.is_authenticated else None,
                            author_ip=hashed_address())
            db.session.commit()
        flash("Thank you. A moderator will check this.")
        return redirect(url_for("companies.detail", slug=company.slug))
    return render_template("contribute/report.html", form=form, company=company, target=target,
                           entity_type=entity_type), 400 if request.method == "POST" else 200
