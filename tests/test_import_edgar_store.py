"""Storing EDGAR records: facts, people, provenance, idempotence, human edits, departures."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timezone

from sqlalchemy import event, func, select

from directory.extensions import db
from directory.importers.store import SourceCache, find_company_by_cik, store_bundle
from directory.models import Company, Person, Position, ProposedChange, Revision, Source
from directory.revisions import revision_context
from scrapers.records import (
    AddressRecord,
    CompanyRecord,
    FormerNameRecord,
    IdentifierRecord,
    LeadershipChangeRecord,
    OfficerRecord,
    SourceRef,
)

from .community import log_in, make_user

RETRIEVED = datetime(2023, 12, 31, 12, 0, tzinfo=timezone.utc)
SUBMISSIONS = SourceRef(kind="sec_filing", url="https://data.sec.gov/submissions/CIK0000320193.json",
                        form_type="submissions", retrieved_at=RETRIEVED, title="EDGAR submissions")
FORM4_URL = "https://www.sec.gov/Archives/edgar/data/320193/000032019323000079/0000320193-23-000079-index.htm"
FORM4 = SourceRef(kind="sec_filing", url=FORM4_URL, document_id="0000320193-23-000079", form_type="4",
                  filed_on=date(2023, 8, 8), retrieved_at=RETRIEVED, title="Form 4 filed 2023-08-08")


@dataclass(frozen=True)
class Bundle:
    """The fields of `scrapers.edgar.CompanyBundle` the store reads."""

    cik: str
    company: CompanyRecord | None
    officers: tuple = ()
    leadership_changes: tuple = ()
    departed: tuple = ()
    contacts: tuple = ()


def apple_record(**changes) -> CompanyRecord:
    record = CompanyRecord(
        name="Apple Inc.", source=SUBMISSIONS,
        identifiers=(IdentifierRecord("cik", "320193"), IdentifierRecord("ticker", "AAPL", "Nasdaq"),
                     IdentifierRecord("ein", "942404110")),
        former_names=(FormerNameRecord("APPLE COMPUTER INC", date(1994, 1, 26), date(2007, 1, 4)),),
        addresses=(AddressRecord("principal_office", "ONE APPLE PARK WAY", None, "CUPERTINO", "CA", "95014", "US"),),
        country="US", region="CA", city="CUPERTINO", sic_code="3571", sector="Electronic Computers",
        entity_type="operating", incorporated_in="CA", phone="(408) 996-1010",
    )
    return replace(record, **changes)


def cook(**changes) -> OfficerRecord:
    officer = OfficerRecord(name="Timothy D. Cook", raw_name="COOK TIMOTHY D", source=FORM4, external_id="0001214156",
                            external_scheme="sec_cik", title="Chief Executive Officer", role="ceo", is_ceo=True,
                            ceo_confidence=0.95)
    return replace(officer, **changes)


def store(bundle, window_start=date(2022, 1, 1)):
    outcome = store_bundle(bundle, window_start=window_start, sources=SourceCache())
    db.session.commit()
    return outcome


def counts():
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Company, Person, Position, Revision, Source, ProposedChange)}


def test_first_import_stores_company_ceo_and_provenance(app):
    with app.app_context():
        outcome = store(Bundle("0000320193", apple_record(), officers=(cook(),)))
        assert (outcome.status, outcome.people_added, outcome.positions_added) == ("created", 1, 1)
        company = find_company_by_cik("320193")
        assert company.slug == "apple-inc"
        assert company.identifier("cik") == "0000320193"
        assert company.identifier("ein") == "942404110"
        assert [(i.value, i.exchange) for i in company.identifiers if i.scheme == "ticker"] == [("AAPL", "Nasdaq")]
        assert [n.name for n in company.former_names] == ["APPLE COMPUTER INC"]
        assert company.addresses[0].lines[0] == "ONE APPLE PARK WAY"
        assert (company.phone, company.city, company.region, company.sic_code) == (
            "(408) 996-1010", "CUPERTINO", "CA", "3571")
        assert company.last_verified_at is not None
        ceo = company.ceo_position
        assert ceo.person.name == "Timothy D. Cook" and ceo.person.sec_cik == "0001214156"
        assert (ceo.source.url, ceo.source.document_id, ceo.source.form_type, ceo.source.filed_on) == (
            FORM4_URL, "0000320193-23-000079", "4", date(2023, 8, 8))
        assert ceo.last_seen_on == date(2023, 8, 8)
        actors = set(db.session.scalars(select(Revision.actor)))
        assert actors == {"sec_edgar importer"}


def test_same_bundle_twice_writes_nothing(app):
    bundle = Bundle("0000320193", apple_record(), officers=(cook(),))
    with app.app_context():
        store(bundle)
        before = counts()
        statements = []

        def record(conn, cursor, statement, *args):
            if statement.split()[0].upper() in ("INSERT", "UPDATE", "DELETE"):
                statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            outcome = store(bundle)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        assert outcome.status == "unchanged"
        assert statements == []
        assert counts() == before


def test_renamed_company_keeps_old_slug_and_name(app):
    with app.app_context():
        store(Bundle("0000320193", apple_record(name="Apple Computer, Inc.")))
        store(Bundle("0000320193", apple_record()))
        company = find_company_by_cik("320193")
        assert company.name == "Apple Inc." and company.slug == "apple-inc"
        assert "apple-computer-inc" in [s.slug for s in company.old_slugs]
        assert "Apple Computer, Inc." in [n.name for n in company.former_names]


def test_human_edited_phone_becomes_a_proposed_change(app):
    with app.app_context():
        store(Bundle("0000320193", apple_record()))
        company = find_company_by_cik("320193")
        with revision_context("user:7", user_id=None):
            company.phone = "+1 408 555 0100"
            db.session.commit()
        outcome = store(Bundle("0000320193", apple_record(phone="(408) 996-2020")))
        assert outcome.proposals == 1
        company = find_company_by_cik("320193")
        assert company.phone == "+1 408 555 0100"
        proposal = db.session.scalars(select(ProposedChange)).one()
        assert (proposal.entity_type, proposal.entity_id, proposal.field) == ("company", company.id, "phone")
        assert (proposal.current_value, proposal.proposed_value, proposal.status) == (
            "+1 408 555 0100", "(408) 996-2020", "pending")
        assert proposal.source.url == SUBMISSIONS.url
        store(Bundle("0000320193", apple_record(phone="(408) 996-2020")))
        assert db.session.scalar(select(func.count()).select_from(ProposedChange)) == 1  # not proposed twice


def test_officer_not_seen_in_window_becomes_former_never_deleted(app):
    with app.app_context():
        store(Bundle("0000320193", apple_record(), officers=(cook(),)))
        later = SourceRef(kind="sec_filing", url=FORM4_URL.replace("79", "99"), document_id="0000320193-25-000099",
                          form_type="4", filed_on=date(2025, 6, 1), retrieved_at=RETRIEVED)
        successor = cook(name="Jane Q. Successor", raw_name="SUCCESSOR JANE Q", external_id="0009999999",
                         source=later)
        outcome = store(Bundle("0000320193", apple_record(), officers=(successor,)), window_start=date(2024, 1, 1))
        assert outcome.positions_ended == 1
        company = find_company_by_cik("320193")
        tim = next(p for p in company.positions if p.person.name == "Timothy D. Cook")
        assert (tim.is_current, tim.end_date) == (False, date(2023, 8, 8))
        assert company.ceo_position.person.name == "Jane Q. Successor"


def test_departed_officer_is_ended_at_the_8k_date(app):
    eight_k = SourceRef(kind="sec_filing", url="https://www.sec.gov/Archives/edgar/data/320193/x-index.htm",
                        document_id="0000320193-24-000001", form_type="8-K", filed_on=date(2024, 2, 1))
    with app.app_context():
        store(Bundle("0000320193", apple_record(), officers=(cook(),)))
        store(Bundle("0000320193", apple_record(), departed=("0001214156",),
                     leadership_changes=(LeadershipChangeRecord(date(2024, 2, 1), eight_k, ("5.02",)),)))
        company = find_company_by_cik("320193")
        position = company.positions[0]
        assert (position.is_current, position.end_date) == (False, date(2024, 2, 1))
        assert (company.leadership_change_on, company.leadership_change_url) == (date(2024, 2, 1), eight_k.url)


def test_leadership_change_before_last_review_is_ignored(app):
    eight_k = SourceRef(kind="sec_filing", url="https://www.sec.gov/8k-index.htm", document_id="a", form_type="8-K",
                        filed_on=date(2024, 2, 1))
    with app.app_context():
        store(Bundle("0000320193", apple_record()))
        company = find_company_by_cik("320193")
        company.last_reviewed_at = datetime(2024, 3, 1, tzinfo=timezone.utc)
        db.session.commit()
        store(Bundle("0000320193", apple_record(),
                     leadership_changes=(LeadershipChangeRecord(date(2024, 2, 1), eight_k, ("5.02",)),)))
        assert find_company_by_cik("320193").leadership_change_on is None


def test_leadership_changes_are_listed_for_moderators_oldest_first_with_the_filing(app, client):
    def eight_k(day):
        return SourceRef(kind="sec_filing", url=f"https://www.sec.gov/Archives/8k-{day.isoformat()}-index.htm",
                         document_id=day.isoformat(), form_type="8-K", filed_on=day)

    microsoft = apple_record(name="Microsoft Corp", identifiers=(IdentifierRecord("cik", "789019"),),
                             source=replace(SUBMISSIONS, url="https://data.sec.gov/submissions/CIK0000789019.json"))
    with app.app_context():
        store(Bundle("0000320193", apple_record(),
                     leadership_changes=(LeadershipChangeRecord(
                         date(2024, 2, 1), eight_k(date(2024, 2, 1)), ("5.02",),
                         summary="On February 1, 2024, Jane Roe was appointed Chief Financial Officer."),)))
        store(Bundle("0000789019", microsoft,
                     leadership_changes=(LeadershipChangeRecord(date(2024, 5, 6), eight_k(date(2024, 5, 6)),
                                                                ("5.02", "9.01")),)))
        make_user("moderator@example.org", role="moderator")  # the review list is for moderators
    log_in(client, "moderator@example.org")
    response = client.get("/moderate/?kind=leadership")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.index("Apple Inc.") < page.index("Microsoft Corp")  # oldest report first
    assert "On February 1, 2024, Jane Roe was appointed Chief Financial Officer." in page  # what it is about
    assert "Filing reports a leadership change" in page  # Microsoft's 8-K was not read: no sentence
    assert "https://www.sec.gov/Archives/8k-2024-02-01-index.htm" in page
    assert 'datetime="2024-05-06T' in page


def test_a_flag_raised_without_its_sentence_gets_it_when_the_8k_is_read_later(app):
    """A run that could not fetch the 8-K flags the company without a sentence; the next run
    reads it and the queue line fills in, while a different, older filing changes nothing."""
    eight_k = SourceRef(kind="sec_filing", url="https://www.sec.gov/Archives/8k-index.htm", document_id="a",
                        form_type="8-K", filed_on=date(2024, 2, 1))
    older = replace(eight_k, url="https://www.sec.gov/Archives/older-index.htm", document_id="b",
                    filed_on=date(2024, 1, 2))
    sentence = "On February 1, 2024, Jane Roe was appointed Chief Financial Officer."
    with app.app_context():
        store(Bundle("0000320193", apple_record(),
                     leadership_changes=(LeadershipChangeRecord(date(2024, 2, 1), eight_k, ("5.02",)),)))
        assert find_company_by_cik("320193").leadership_change_summary is None
        store(Bundle("0000320193", apple_record(), leadership_changes=(
            LeadershipChangeRecord(date(2024, 2, 1), eight_k, ("5.02",), summary=sentence),)))
        store(Bundle("0000320193", apple_record(), leadership_changes=(
            LeadershipChangeRecord(date(2024, 1, 2), older, ("5.02",), summary="Someone else was named."),)))
        company = find_company_by_cik("320193")
        assert (company.leadership_change_on, company.leadership_change_url, company.leadership_change_summary) == (
            date(2024, 2, 1), eight_k.url, sentence)
