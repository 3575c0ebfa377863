"""Renaming keeps old URLs working and the old name searchable."""
from directory.extensions import db
from directory.operations.companies import new_company, rename_company
from directory.queries import company_by_slug


def test_rename_keeps_old_slug_as_redirect_and_former_name(app):
    with app.app_context():
        company = new_company("Cree, Inc.", country="US")
        db.session.commit()
        rename_company(company, "Wolfspeed, Inc.")
        db.session.commit()
        assert company.slug == "wolfspeed-inc"
        found, is_old = company_by_slug("cree-inc")
        assert found.id == company.id and is_old
        assert [n.name for n in company.former_names] == ["Cree, Inc."]


def test_renaming_back_reclaims_the_original_slug(app):
    with app.app_context():
        company = new_company("Facebook, Inc.")
        db.session.commit()
        rename_company(company, "Meta Platforms, Inc.")
        rename_company(company, "Facebook, Inc.")
        db.session.commit()
        assert company.slug == "facebook-inc"
        assert company_by_slug("meta-platforms-inc") == (company, True)


def test_new_company_slug_is_unique(app):
    with app.app_context():
        first = new_company("Acme")
        db.session.flush()
        second = new_company("ACME")
        assert (first.slug, second.slug) == ("acme", "acme-2")
