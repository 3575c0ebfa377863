"""Storing contacts read from filings: one row per channel and rung, dated by the newest filing
that names it, nothing written when nothing is new."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import func, select

from directory.extensions import db
from directory.importers.store import SourceCache, store_bundle
from directory.models import Contact, Revision
from scrapers.records import CompanyRecord, ContactRecord, SourceRef

from .test_import_edgar_store import Bundle

RETRIEVED = datetime(2024, 2, 2, tzinfo=timezone.utc)
SUBMISSIONS = SourceRef(kind="sec_filing", url="https://data.sec.gov/submissions/CIK0000320193.json",
                        form_type="submissions", retrieved_at=RETRIEVED)


def release(filed_on: date) -> SourceRef:
    return SourceRef(kind="sec_filing", url=f"https://www.sec.gov/Archives/edgar/data/320193/{filed_on:%Y%m%d}/ex99.htm",
                     document_id=f"acc-{filed_on}", form_type="8-K", filed_on=filed_on, retrieved_at=RETRIEVED)


def paxton(filed_on: date, phone: str = "(408) 974-5420") -> ContactRecord:
    return ContactRecord(kind="phone", value=phone, tier="executive_office", role="investor_relations",
                         source=release(filed_on), person_name="Nancy Paxton")


def store(*contacts) -> None:
    store_bundle(Bundle("0000320193", CompanyRecord(name="Apple Inc.", source=SUBMISSIONS), contacts=contacts),
                 window_start=None, sources=SourceCache())
    db.session.commit()


def test_a_channel_seen_again_moves_forward_never_back(app):
    with app.app_context():
        store(paxton(date(2004, 7, 14)), paxton(date(2011, 1, 18), phone="408.974.5420"))
        rows = db.session.scalars(select(Contact)).all()
        assert [(c.value, c.as_of, c.quality, c.source.filed_on) for c in rows] == [
            ("(408) 974-5420", date(2011, 1, 18), "filed", date(2011, 1, 18))]
        store(paxton(date(2004, 7, 14)))  # an older filing read later changes nothing
        assert db.session.scalar(select(Contact)).as_of == date(2011, 1, 18)


def test_storing_the_same_filing_twice_writes_nothing(app):
    with app.app_context():
        store(paxton(date(2011, 1, 18)))
        revisions = db.session.scalar(select(func.count(Revision.id)))
        store(paxton(date(2011, 1, 18)))
        assert db.session.scalar(select(func.count(Revision.id))) == revisions


def test_a_release_contact_naming_the_ceo_links_to_the_executive(app):
    from directory.models import Position

    from .test_import_edgar_store import cook

    def contact(name, organisation=None, value="tcook@apple.example"):
        return ContactRecord(kind="email", value=value, tier="executive_office", role="press",
                             source=release(date(2024, 2, 1)), person_name=name, organisation=organisation,
                             label="Chairman & CEO")

    with app.app_context():
        store_bundle(Bundle("0000320193", CompanyRecord(name="Apple Inc.", source=SUBMISSIONS), officers=(cook(),),
                            contacts=(contact("Timothy Cook"), contact("Tim Cook", value="tim@apple.example"),
                                      contact("Timothy Cook", "Other PR LLC", "tc@pr.example"))),
                     window_start=None, sources=SourceCache())
        db.session.commit()
        ceo = db.session.scalar(select(Position).where(Position.is_ceo))
        linked = {c.value: c.position_id for c in db.session.scalars(select(Contact).where(Contact.kind == "email"))}
        # The names agree (middle initial aside); a different given name or another firm's person is not linked.
        assert linked == {"tcook@apple.example": ceo.id, "tim@apple.example": None, "tc@pr.example": None}
