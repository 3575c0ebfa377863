"""Upgrading a database that already holds data keeps every row (SQLite copies a table to alter it)."""
from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text

from directory.extensions import db
from tests.old_schema import database_at, insert


def test_upgrading_to_head_keeps_the_rows_that_point_at_altered_tables(app_config, tmp_path):
    """Migration 0010 rebuilds `companies`; with foreign keys on, dropping the old copy
    cascaded and deleted every contact of every company."""
    with database_at("0006", app_config, tmp_path):
        insert("INSERT INTO contacts (company_id, kind, value, tier, status, quality, created_at, updated_at)"
               " VALUES (1, 'phone', '+1 555 0100', 'customer_service', 'ok', 'verified', :t, :t)")
        db.session.commit()
        upgrade()
        assert db.session.execute(text("SELECT value FROM contacts")).scalars().all() == ["+1 555 0100"]
        assert db.session.execute(text("PRAGMA foreign_key_check")).all() == []


def test_names_filed_in_capitals_are_shown_as_written_and_kept_as_legal_names(app_config, tmp_path):
    """0018 renames "MICROSOFT CORP" to "Microsoft Corp", keeps the filed form as a name with
    the register record's source, moves the leaderboard's copy and queues the search update."""
    with database_at("0014", app_config, tmp_path):
        insert("INSERT INTO sources (id, kind, url, retrieved_at) VALUES (7, 'sec_filing', 'https://x/CIK1.json', :t)")
        insert("INSERT INTO companies (id, name, slug, initial, status, contact_policy, created_at, updated_at)"
               " VALUES (2, 'MICROSOFT CORP', 'microsoft-corp', 'M', 'active', 'unknown', :t, :t)")
        insert("INSERT INTO identifiers (company_id, scheme, value, source_id) VALUES (2, 'cik', '0000789019', 7)")
        insert("INSERT INTO company_scores (company_id, name, contact_policy, ratings, average, reports, replies,"
               " unanswered) VALUES (2, 'MICROSOFT CORP', 'unknown', 1, 4.0, 0, 0, 0)")
        db.session.commit()
        upgrade()
        rows = db.session.execute(text("SELECT id, name, slug FROM companies ORDER BY id")).all()
        assert rows == [(1, "Acme Widgets Inc.", "acme-widgets-inc"), (2, "Microsoft Corp", "microsoft-corp")]
        assert db.session.execute(text("SELECT company_id, name, source_id FROM company_names")).all() == [
            (2, "MICROSOFT CORP", 7)]
        assert db.session.execute(text("SELECT name FROM company_scores")).scalars().all() == ["Microsoft Corp"]
        assert db.session.execute(text("SELECT company_id FROM pending_reindex")).scalars().all() == [2]


def test_wikidata_ceos_become_sourced_facts_and_dates_gain_a_precision(app_config, tmp_path):
    """0017: a Wikidata CEO stored at the old 0.5 is no longer "inferred"; a filing's guess is untouched."""
    with database_at("0014", app_config, tmp_path):
        for source_id, kind in ((1, "wikidata"), (2, "sec_filing")):
            insert("INSERT INTO sources (id, kind, retrieved_at) VALUES (:i, :k, :t)",
                   i=source_id, k=kind)
            insert("INSERT INTO people (id, name, slug, created_at, updated_at) VALUES (:i, :n, :n, :t, :t)",
                   i=source_id, n=f"person-{source_id}")
            insert("INSERT INTO positions (company_id, person_id, role, is_ceo, ceo_confidence, confirmed, is_current,"
                   " source_id, created_at, updated_at) VALUES (1, :i, 'ceo', :y, 0.5, :n, :y, :i, :t, :t)",
                   i=source_id, y=True, n=False)
        db.session.commit()
        upgrade()
        rows = db.session.execute(text(
            "SELECT source_id, ceo_confidence, start_precision FROM positions ORDER BY source_id")).all()
        assert [tuple(r) for r in rows] == [(1, 0.9, None), (2, 0.5, None)]


def test_suppressed_phone_numbers_are_re_keyed_in_their_companys_country(app_config, tmp_path):
    """0026: a number removed on request, stored as its last ten digits, stays removed under the
    one channel key (E.164, read in the country of the company the objection was about)."""
    with database_at("0023", app_config, tmp_path):
        insert("INSERT INTO companies (id, name, slug, initial, status, contact_policy, country, created_at,"
               " updated_at) VALUES (2, 'Tesco PLC', 'tesco-plc', 'T', 'active', 'unknown', 'GB', :t, :t)")
        insert("INSERT INTO objections (id, company_id, target_type, target_id, target_value, request, requester,"
               " contact_email, status, created_at) VALUES (5, 2, 'contact', 1, '020 7946 0000', 'remove', 'self',"
               " 'a@tesco.example', 'pending', :t)")
        for key, objection in (("contact:phone:4089961010", None), ("contact:phone:2079460000", 5),
                               ("contact:email:ceo@acme.example", None), ("listing:1:1", None)):
            insert("INSERT INTO suppressions (key, objection_id, created_at) VALUES (:k, :o, :t)", k=key, o=objection)
        db.session.commit()
        upgrade()
        assert sorted(db.session.execute(text("SELECT key FROM suppressions")).scalars()) == [
            "contact:email:ceo@acme.example", "contact:phone:+14089961010", "contact:phone:+442079460000",
            "listing:1:1"]
