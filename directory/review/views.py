"""Review lists for moderators: what the filings say may need a human look."""
from flask import current_app, render_template

from ..auth import moderator_required
from ..extensions import db
from ..queries import page_arg
from . import bp
from .queries import leadership_changes_stmt


@bp.get("/leadership-changes")
@moderator_required
def leadership_changes():
    """Companies whose filings (8-K item 5.02) report an officer change since the last review."""
    pagination = db.paginate(
        leadership_changes_stmt(),
        page=page_arg(),
        per_page=current_app.config["PER_PAGE"],
        max_per_page=current_app.config["MAX_PER_PAGE"],
        error_out=False,
    )
    return render_template("review/leadership_changes.html", pagination=pagination)
