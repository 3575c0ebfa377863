"""The public Form 4 digest (../shared/fixtures/real/form4-digest): the group CEO told apart
from division heads, names in reading order, facts dated and linked to EDGAR."""
from __future__ import annotations

from datetime import date

import pytest

from directory.models.person import ceo_rank
from tests.conftest import SHARED
from scrapers.edgar.form4_digest import (
    DigestTransaction,
    by_ticker,
    digest_officers,
    iter_transactions,
    parse_quarter,
)


@pytest.fixture(scope="module")
def digest():
    """Every transaction of the real digest by ticker (read once: 4,424 files)."""
    folder = SHARED / "fixtures" / "real" / "form4-digest" / "data" / "json"
    if not folder.is_dir():
        pytest.skip("the Form 4 digest is not among ../shared/fixtures")
    return by_ticker(iter_transactions(folder))


def officers(digest, ticker: str, cik: str = "1"):
    return {officer.name: officer for officer in digest_officers(digest[ticker], issuer_cik=cik)}


def test_apple_ceo_from_the_digest_in_reading_order_dated_and_linked(digest):
    cook = officers(digest, "AAPL", "320193")["Timothy D. Cook"]

    assert (cook.raw_name, cook.title, cook.is_ceo, cook.role) == (
        "COOK TIMOTHY D", "Chief Executive Officer", True, "ceo")
    assert cook.source.kind == "form4_digest" and cook.source.title == "A public digest of Form 4 filings"
    assert cook.source.url == ("https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany"
                               f"&CIK={cook.external_id}&type=4")
    assert cook.source.filed_on == max(t.on for t in digest["AAPL"]
                                       if t.owner == "COOK TIMOTHY D" and t.title)  # the newest transaction


def test_a_mixed_case_name_filed_last_name_first_is_turned_round(digest):
    michael = officers(digest, "ABBV")["Robert A. Michael"]

    assert michael.raw_name == "Michael Robert A." and michael.is_ceo


@pytest.mark.parametrize("ticker, division_head, title", [
    ("PG", None, "CEO-Fabric Home & Habitat Care"),
    ("AMZN", None, "CEO Worldwide Amazon Stores"),
    ("SBUX", "Brady Brewer", "ceo, International"),
])
def test_division_heads_are_listed_under_their_title_but_are_not_the_ceo(digest, ticker, division_head, title):
    found = officers(digest, ticker)
    head = next(officer for officer in found.values() if officer.title == title)
    if division_head:
        assert head.name == division_head
    ceos = [officer for officer in found.values() if officer.is_ceo]

    assert not head.is_ceo and head.role == "other"
    assert ceos and title not in {ceo.title for ceo in ceos}


def test_the_group_ceos_of_those_companies(digest):
    assert {o.name for o in officers(digest, "AMZN").values() if o.is_ceo} == {"Andrew R. Jassy"}
    assert {o.name for o in officers(digest, "SBUX").values() if o.is_ceo} == {"Brian R. Niccol"}


def _transaction(owner: str, title: str, on: date, cik: str) -> DigestTransaction:
    return DigestTransaction(ticker="X", issuer_name="X Corp", owner=owner, owner_cik=cik, title=title, on=on)


def test_a_succeeded_ceo_is_left_out_and_co_ceos_stay():
    succeeded = [_transaction("OLD ANNA", "Chief Executive Officer", date(2024, 3, 1), "0000000001"),
                 _transaction("NEW BEN", "President", date(2024, 2, 1), "0000000002"),
                 _transaction("NEW BEN", "President and CEO", date(2025, 3, 1), "0000000002")]
    co_ceos = [_transaction("ONE ANNA", "Co-CEO", date(2024, 3, 1), "0000000001"),
               _transaction("TWO BEN", "Co-CEO", date(2024, 2, 1), "0000000002"),
               _transaction("ONE ANNA", "Co-CEO", date(2025, 3, 1), "0000000001"),
               _transaction("TWO BEN", "Co-CEO", date(2025, 2, 1), "0000000002")]  # their trading overlaps

    assert [o.name for o in digest_officers(succeeded, issuer_cik="9")] == ["Ben New"]
    assert sorted(o.name for o in digest_officers(co_ceos, issuer_cik="9")) == ["Anna One", "Ben Two"]


def test_a_file_without_transactions_is_malformed_and_bad_rows_are_skipped():
    from scrapers.errors import ParseError

    with pytest.raises(ParseError):
        parse_quarter(b'{"ticker": "X"}')
    rows = parse_quarter(b'{"ticker": "BRK.B", "transactions": [{"reporting_owner": "A B", "transaction_date": "x"},'
                         b' {"reporting_owner": "", "transaction_date": "2025-01-02"},'
                         b' {"reporting_owner": "BUFFETT WARREN E", "reporting_owner_cik": "315090",'
                         b' "reporting_owner_position": "Chairman and CEO", "transaction_date": "2025-01-02"}]}')
    assert [(r.ticker, r.owner_cik, r.on) for r in rows] == [("BRK-B", "0000315090", date(2025, 1, 2))]


def test_a_filing_read_by_the_edgar_importer_outranks_the_digest_which_outranks_wikidata():
    filing = ceo_rank(False, "sec_filing", 0.6, None)
    digest = ceo_rank(False, "form4_digest", 0.95, date(2026, 1, 1))
    wikidata = ceo_rank(False, "wikidata", 0.95, date(2026, 6, 1))

    assert filing > digest > wikidata
    assert ceo_rank(True, "wikidata", 0.5, None) > filing  # a moderator's confirmation first
