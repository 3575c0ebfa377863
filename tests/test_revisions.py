"""Every change to a tracked row leaves a revision with who made it and old/new values."""
from sqlalchemy import select

from directory.extensions import db
from directory.models import Revision
from directory.revisions import revision_context
from tests.factories import make_company


def test_create_and_update_write_revisions_with_actor(app):
    with app.app_context():
        with revision_context("test importer"):
            company = make_company("Acme Widgets", ticker="ACME", ceo="Jane Roe")
            db.session.commit()
        company.phone = "555-0100"
        db.session.commit()
        revisions = db.session.scalars(
            select(Revision).where(Revision.entity_type == "company", Revision.entity_id == company.id)
            .order_by(Revision.id)
        ).all()
        assert [r.action for r in revisions] == ["create", "update"]
        assert revisions[0].actor == "test importer"
        assert revisions[0].changes["name"] == [None, "Acme Widgets"]
        assert revisions[1].actor == "system"
        assert revisions[1].changes == {"phone": [None, "555-0100"]}
        kinds = set(db.session.scalars(select(Revision.entity_type).where(Revision.company_id == company.id)))
        assert {"company", "identifier", "position"} <= kinds


def test_rolled_back_changes_leave_no_revision(app):
    with app.app_context():
        make_company("Ghost Corp")
        db.session.flush()
        db.session.rollback()
        assert db.session.scalar(select(Revision).limit(1)) is None
