"""Reading cases: only ever the owner's, so every other account sees a 404, never a 403."""
from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..models import Case, CaseStep


def owned_case_or_404(case_id: int | None) -> Case:
    """The case, when it belongs to the logged-in account; a 404 for anyone else (anonymous,
    another account, a moderator alike), so case ids reveal nothing."""
    case = db.session.get(Case, case_id) if case_id is not None else None
    if case is None or not current_user.is_authenticated or case.user_id != current_user.id:
        abort(404)
    return case


def owned_step_or_404(case: Case, step_id: int) -> CaseStep:
    step = db.session.get(CaseStep, step_id)
    if step is None or step.case_id != case.id:
        abort(404)
    return step


def cases_of(user_id: int) -> list[Case]:
    """The account's cases, open ones first, newest first."""
    return list(db.session.scalars(select(Case).where(Case.user_id == user_id)
                                   .order_by(Case.status.desc(), Case.created_at.desc(), Case.id.desc())))
