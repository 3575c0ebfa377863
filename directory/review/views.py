"""Review lists for moderators: what the filings say may need a human look."""
from flask import current_app, render_template, request

from ..auth import moderator_required
from ..extensions import db
from . import bp
from .queries import leadership_changes_stmt


@bp.get("/leadership-changes")
@moderator_required
def leadership_changes():
    """Companies whose filings (8-K item 5.02) report an officer change since the last review."""
    pagination = db.paginate(
        leadership_changes_stmt(),
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PER_PAGE"],
        max_per_page=current_app.config["MAX_PER_PAGE"],
        error_out=False,
    )
    return render_template("review/leadership_changes.html", pagination=pagination)
