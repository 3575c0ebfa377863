"""Moderation pages. Every view is moderator-only (admin for roles); contributors get 403."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..auth import admin_required, moderator_required
from ..contribute.forms import check_values
from ..extensions import db
from ..models import (
    AuditEntry,
    Company,
    CompanyReply,
    ComplaintRecord,
    Contribution,
    Flag,
    ProposedChange,
    Rating,
    Revision,
    RoleChange,
    User,
)
from ..operations import accounts, moderation
from ..operations import contributions as contribution_ops
from ..operations import ratings as rating_ops
from ..operations.audit import record
from ..operations.revert import RevertError, consecutive_run, revert
from ..queries import page_arg
from . import bp, review_bp
from .forms import ActionForm, DecisionForm, QueueFilterForm, RevertForm, RoleForm
from .queue import QUEUE_KINDS, flag_subject, other_pending_for, queue_items, recently_decided


@bp.get("/")
@moderator_required
def queue():
    form = QueueFilterForm(request.args)
    kind = form.kind.data if form.validate() and form.kind.data else None
    older = form.older_than.data if not form.older_than.errors else None
    return render_template("moderate/queue.html", form=form, items=queue_items(kind, older), kinds=QUEUE_KINDS,
                           decided=recently_decided())


@review_bp.get("/leadership-changes")
@moderator_required
def leadership_changes():
    """The old review list of leadership changes is the queue's leadership filter."""
    return redirect(url_for("moderate.queue", kind="leadership"), 301)


def _edited_values(contribution: Contribution) -> dict:
    """The moderator's edits (one `edit-<field>` input per proposed field), checked by the
    contributor's own form: a bad value is refused here, never stored for the next moderator."""
    typed = {field: request.form.get(f"edit-{field}", value) for field, value in contribution.proposed.items()}
    target = None
    if contribution.entity_id is not None and contribution.kind != "new_company":
        target = db.session.get(contribution_ops.MODELS[contribution.entity_type], contribution.entity_id)
    values, problems = check_values(contribution.kind, target, typed)
    if problems:
        raise moderation.DecisionError(" ".join(problems))
    return values


@bp.route("/contributions/<int:item_id>", methods=["GET", "POST"])
@moderator_required
def contribution(item_id: int):
    item = db.get_or_404(Contribution, item_id)
    form = DecisionForm(data={"version": item.version} if request.method == "GET" else None)
    if form.validate_on_submit():
        action = request.form.get("action")
        try:
            if action == "reject":
                moderation.reject(item, current_user, seen_version=int(form.version.data), reason=form.reason_message())
                message = "Suggestion rejected; the contributor sees your reason."
            elif action in ("approve", "approve_edit"):
                outcome = moderation.approve(item, current_user, seen_version=int(form.version.data),
                                             values=_edited_values(item) if action == "approve_edit" else None)
                message = {"approved": "Approved and published.",
                           "awaiting_second": "Approved once; a second moderator must approve it before it is published.",
                           "confirmed": "Reviewed; the change stays published."}[outcome]
            else:
                abort(400)
        except moderation.DecisionConflict as conflict:
            db.session.rollback()
            flash(str(conflict))
            return redirect(url_for("moderate.contribution", item_id=item_id)), 303
        except (moderation.DecisionError, contribution_ops.SuggestionError) as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(message)
            return redirect(url_for("moderate.queue"))
    kind = contribution_ops.KINDS[item.kind]
    return render_template(
        "moderate/contribution.html", item=item, form=form, kind=kind,
        diff=contribution_ops.diff_rows(kind, item.current, item.proposed),
        edits=contribution_ops.edit_fields(kind, item.proposed),
        stats=contribution_ops.author_stats(item.author_id),
        others=other_pending_for(item.company_id, exclude=("contribution", item.id)),
    ), 400 if request.method == "POST" else 200


def _decide(decision, done: str):
    """One decision, one unit of work: a lost race (another moderator decided first) or a
    refused decision is rolled back and explained; success is committed."""
    try:
        decision()
    except (moderation.DecisionConflict, moderation.DecisionError) as problem:
        db.session.rollback()
        flash(str(problem))
    else:
        db.session.commit()
        flash(done)
    return redirect(url_for("moderate.queue"), 303)


def _decision_page(item, decide, done: str, template: str, **context):
    """A page with one decision's buttons: a valid post decides (`decide(action)`, see
    `_decide`), anything else shows the item."""
    form = ActionForm()
    if form.validate_on_submit():
        return _decide(lambda: decide(request.form.get("action")), done)
    return render_template(template, item=item, form=form, **context)


@bp.route("/flags/<int:item_id>", methods=["GET", "POST"])
@moderator_required
def flag(item_id: int):
    item = db.get_or_404(Flag, item_id)
    return _decision_page(item, lambda action: moderation.close_flag(item, current_user, resolved=action == "resolve"),
                          "Report closed.", "moderate/flag.html", subject=flag_subject(item),
                          others=other_pending_for(item.company_id, exclude=("flag", item.id)))


@bp.route("/importer/<int:item_id>", methods=["GET", "POST"])
@moderator_required
def proposed_change(item_id: int):
    item = db.get_or_404(ProposedChange, item_id)
    form = ActionForm()
    if form.validate_on_submit():
        return _decide(lambda: moderation.decide_proposed_change(item, current_user,
                                                                 accept=request.form.get("action") == "accept"),
                       "Importer conflict decided.")
    company = db.session.get(Company, item.company_id) if item.company_id else None
    return render_template("moderate/proposed_change.html", item=item, form=form, company=company,
                           subject=moderation.proposed_change_subject(item),
                           others=other_pending_for(item.company_id, exclude=("importer", item.id)))


@bp.route("/leadership/<int:item_id>", methods=["GET", "POST"])
@moderator_required
def leadership(item_id: int):
    company = db.get_or_404(Company, item_id)
    form = ActionForm()
    if form.validate_on_submit():
        return _decide(lambda: moderation.mark_leadership_reviewed(company, current_user), "Marked as reviewed.")
    return render_template("moderate/leadership.html", company=company, form=form,
                           others=other_pending_for(company.id, exclude=("leadership", company.id)))


@bp.route("/comments/<int:item_id>", methods=["GET", "POST"])
@moderator_required
def comment(item_id: int):
    """A rating's comment readers reported: hide it or keep it."""
    item = db.get_or_404(Rating, item_id)
    return _decision_page(item, lambda action: rating_ops.decide_comment(item, current_user, hide=action == "hide"),
                          "Comment decided.", "moderate/comment.html")


@bp.route("/replies/<int:item_id>", methods=["GET", "POST"])
@moderator_required
def reply(item_id: int):
    """A company's right-of-reply text: publish it or reject it."""
    item = db.get_or_404(CompanyReply, item_id)
    return _decision_page(item, lambda action: rating_ops.decide_reply(item, current_user, approve=action == "approve"),
                          "Reply decided.", "moderate/reply.html")


@bp.route("/complaint-records/<int:item_id>", methods=["GET", "POST"])
@moderator_required
def complaint_match(item_id: int):
    """A doubtful match of a CFPB company name to a company: confirm it or reject it."""
    item = db.get_or_404(ComplaintRecord, item_id)
    return _decision_page(
        item, lambda action: moderation.decide_complaint_match(item, current_user, confirm=action == "confirm"),
        "Match decided.", "moderate/complaint_match.html")


@bp.route("/revisions/<int:revision_id>/revert", methods=["GET", "POST"])
@moderator_required
def revert_revision(revision_id: int):
    revision = db.get_or_404(Revision, revision_id)
    run = consecutive_run(revision)
    form = RevertForm()
    if form.validate_on_submit():
        try:
            count = revert(run if form.whole_run.data else [revision], current_user)
        except RevertError as error:
            db.session.rollback()
            flash(str(error))
        else:
            db.session.commit()
            flash(f"Reverted {count} change(s). The revert is itself recorded in the history.")
        if revision.company_id:
            return redirect(url_for("history.company", company_id=revision.company_id))
        return redirect(url_for("history.entity", entity_type=revision.entity_type, entity_id=revision.entity_id))
    return render_template("moderate/revert.html", revision=revision, run=run, form=form)


@bp.get("/users")
@admin_required
def users():
    rows = db.session.scalars(select(User).order_by(User.role.desc(), User.email)).all()
    return render_template("moderate/users.html", users=rows,
                           stats={u.id: contribution_ops.author_stats(u.id) for u in rows})


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user(user_id: int):
    target = db.get_or_404(User, user_id)
    form = RoleForm(obj=target)
    if form.validate_on_submit():
        if target.id == current_user.id and form.role.data != "admin":
            form.role.errors.append("You cannot demote yourself; ask another admin.")
        else:
            accounts.change_role(target, form.role.data, by=current_user)
            if target.trusted != form.trusted.data:
                target.trusted = form.trusted.data
                record(current_user, "trust_change", "user", target.id, {"trusted": target.trusted})
            db.session.commit()
            flash(f"{target.email} is now {target.role}{' and trusted' if target.trusted else ''}.")
            return redirect(url_for("moderate.users"))
    changes = db.session.scalars(select(RoleChange).where(RoleChange.user_id == target.id)
                                 .order_by(RoleChange.created_at.desc())).all()
    return render_template("moderate/user.html", target=target, form=form, changes=changes,
                           stats=contribution_ops.author_stats(target.id))


@bp.post("/users/<int:user_id>/ban")
@moderator_required
def ban(user_id: int):
    """Ban or unban an account (from a suggestion's review page or the users page)."""
    target = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        accounts.set_banned(target, request.form.get("action") == "ban", by=current_user)
    except accounts.AccountError as error:
        db.session.rollback()
        flash(str(error))
        return redirect(url_for("moderate.queue")), 303
    db.session.commit()
    flash(f"{target.name} is {'banned' if not target.is_active else 'no longer banned'}.")
    return redirect(url_for("moderate.queue")), 303


@bp.get("/audit")
@moderator_required
def audit():
    pagination = db.paginate(select(AuditEntry).order_by(AuditEntry.id.desc()),
                             page=page_arg(), per_page=50, error_out=False)
    return render_template("moderate/audit.html", pagination=pagination)
