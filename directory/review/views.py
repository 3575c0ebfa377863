"""Review lists for moderators: what the filings say may need a human look."""
from flask import current_app, render_template

from ..auth import moderator_required
from ..moderate.queue import unreviewed_leadership_changes
from ..queries import ListPage, page_arg
from . import bp


@bp.get("/leadership-changes")
@moderator_required
def leadership_changes():
    """Companies whose filings (8-K item 5.02) report an officer change since the last review
    and newer than the CEO on record: the same list as the queue's leadership filter."""
    pagination = ListPage(unreviewed_leadership_changes(), page=page_arg(), per_page=current_app.config["PER_PAGE"])
    return render_template("review/leadership_changes.html", pagination=pagination)
