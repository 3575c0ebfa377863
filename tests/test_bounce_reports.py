"""A bounce report counts once per visitor, company and format, even when two arrive at once;
an upgrade collapses the duplicates the old check-then-insert let through."""
from __future__ import annotations

import threading

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from directory.extensions import db
from directory.models import BounceReport, Company
from directory.operations import bounces
from tests.factories import make_company
from tests.old_schema import database_at, insert


@pytest.fixture
def apple(app):
    with app.app_context():
        company = make_company("Apple Inc.")
        db.session.commit()
        return company.id


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(BounceReport))


def test_two_reports_sent_at_once_store_one_row(app, apple, monkeypatch):
    """Both requests look for an earlier report before either inserts; the database keeps one."""
    both_looked = threading.Barrier(2, timeout=20)
    looked = bounces.already_reported

    def look_then_wait(*args):
        found = looked(*args)
        both_looked.wait()
        return found

    monkeypatch.setattr(bounces, "already_reported", look_then_wait)
    results, errors = [], []

    def report():
        try:
            with app.app_context():
                results.append(bounces.report_bounce(db.session.get(Company, apple), "first.last", "a" * 32))
                db.session.commit()
        except Exception as error:  # noqa: BLE001 (any error fails the assertion below)
            errors.append(error)

    threads = [threading.Thread(target=report) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(results) == [False, True]
    with app.app_context():
        assert _count() == 1


def test_the_database_refuses_a_second_report_of_a_visitor(app, apple):
    with app.app_context():
        for ip_hash in ("a" * 32, "b" * 32):  # two visitors: two reports
            db.session.add(BounceReport(company_id=apple, format="first.last", ip_hash=ip_hash))
        db.session.commit()
        db.session.add(BounceReport(company_id=apple, format="first.last", ip_hash="a" * 32))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        assert _count() == 2


def test_upgrading_collapses_duplicate_reports_into_the_first(app_config, tmp_path):
    with database_at("0014", app_config, tmp_path):
        for ip_hash in ("a", "a", "b", "a"):
            insert("INSERT INTO bounce_reports (company_id, format, created_at, ip_hash)"
                   " VALUES (1, 'first.last', :t, :ip)", ip=ip_hash)
        db.session.commit()
        upgrade()
        rows = db.session.execute(text("SELECT id, ip_hash FROM bounce_reports ORDER BY id")).all()
        assert [tuple(row) for row in rows] == [(1, "a"), (3, "b")]
