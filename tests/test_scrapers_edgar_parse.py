"""EDGAR parsers against every real captured document (expected values from
../shared/fixtures/real/MANIFEST.md) and a few hand-written ones for cases those lack."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from scrapers.edgar import (
    ParseError,
    parse_company_tickers,
    parse_company_tickers_exchange,
    parse_filings_page,
    parse_ownership,
    parse_submissions,
)
from scrapers.edgar.eightk import departed_people, leadership_sentence
from scrapers.edgar.urls import EdgarUrls

OWN = Path(__file__).parent / "fixtures" / "edgar"

# file: (documentType, periodOfReport, issuer CIK, issuer name, symbol,
#        [(owner name, owner CIK, director, officer, 10% owner, other, officerTitle)])
OWNERSHIP = {
    "form4_apple_maestri-luca.xml": ("4", "2020-10-09", "0000320193", "Apple Inc.", "AAPL", [
        ("Maestri Luca", "0001513362", False, True, False, False, "Senior Vice President, CFO")]),
    "form4_apple_adams-katherine_0000320193-22-000061.txt": ("4", "2022-05-04", "0000320193", "Apple Inc.", "AAPL", [
        ("Adams Katherine L.", "0001462356", False, True, False, False, "SVP, GC and Secretary")]),
    "form3_snowflake_garrett-mark.xml": ("3", "2020-09-15", "0001640147", "Snowflake Inc.", "SNOW", [
        ("GARRETT MARK", "0001246215", True, False, False, False, None)]),
    "form3_snowflake_berkshire-hathaway_buffett-warren.xml": ("3", "2020-09-18", "0001640147", "Snowflake Inc.", "SNOW", [
        ("BERKSHIRE HATHAWAY INC", "0001067983", False, False, True, False, None),
        ("BUFFETT WARREN E", "0000315090", False, False, True, False, None)]),
    "form4_snowflake_scarpelli-michael.xml": ("4", "2022-12-13", "0001640147", "Snowflake Inc.", "SNOW", [
        ("Scarpelli Michael", "0001402349", False, True, False, False, "Chief Financial Officer")]),
    "form5_snowflake_mcmahon-john.xml": ("5", "2022-01-31", "0001640147", "Snowflake Inc.", "SNOW", [
        ("McMahon John Dennis", "0001397798", True, False, False, False, None)]),
    "form4_telos_schaufeld-fredrick.xml": ("4", "2023-05-12", "0000320121", "TELOS CORP", "TLS", [
        ("Schaufeld Fredrick", "0001831624", True, False, False, False, None)]),
    "form4_10x-genomics_mammen-mathai.xml": ("4", "2023-05-11", "0001770787", "10x Genomics, Inc.", "TXG", [
        ("Mammen Mathai", "0001421050", True, False, False, False, None)]),
    "form4_vaccinex_stecyk-chrystyna.xml": ("4", "2023-05-11", "0001205922", "VACCINEX, INC.", "VCNX", [
        ("Stecyk Chrystyna Bedrij", "0001811625", True, False, False, False, None)]),
}

# file: (cik, name, entityType, tickers, exchanges, phone, business city, region, country,
#        former names, recent filings, overflow pages)
SUBMISSIONS = {
    "CIK0000320193_apple.json": ("0000320193", "Apple Inc.", "operating", ["AAPL"], ["Nasdaq"], "(408) 996-1010",
                                 "CUPERTINO", "CA", "US", ["APPLE INC", "APPLE COMPUTER INC", "APPLE COMPUTER INC/ FA"],
                                 1000, ["CIK0000320193-submissions-001.json"]),
    "CIK0000789019_microsoft.json": ("0000789019", "MICROSOFT CORP", "operating", ["MSFT"], ["Nasdaq"], "425-882-8080",
                                     "REDMOND", "WA", "US", [], 1006,
                                     ["CIK0000789019-submissions-001.json", "CIK0000789019-submissions-002.json"]),
    "CIK0001318605_tesla.json": ("0001318605", "Tesla, Inc.", "operating", ["TSLA"], ["Nasdaq"], "512-516-8177",
                                 "AUSTIN", "TX", "US", ["TESLA MOTORS INC"], 1000, ["CIK0001318605-submissions-001.json"]),
    "CIK0001771340_taneja-vaibhav_person.json": ("0001771340", "Taneja Vaibhav", "other", [], [], None,
                                                 "AUSTIN", "TX", "US", [], 91, []),
    "CIK0001462356_adams-katherine_person.json": ("0001462356", "Adams Katherine L.", "other", [], [], None,
                                                  "CUPERTINO", "CA", "US", [], 268, []),
    "CIK0000315090_buffett-warren_person.json": ("0000315090", "BUFFETT WARREN E", "other", [], [], "402-346-1400",
                                                 "OMAHA", "NE", "US", [], 523, []),
    "CIK0001677077_alzamend-neuro.json": ("0001677077", "Alzamend Neuro, Inc.", "operating", ["ALZN"], ["Nasdaq"],
                                          "844-722-6333", "ATLANTA", "GA", "US", [], 370, []),
    "CIK0001800903_vest-domestic-fund-ii.json": ("0001800903", "&VEST Domestic Fund II LP", "other", [], [],
                                                 "201-956-1969", "NEW YORK", "NY", "US", [], 1, []),
    "CIK0000310522_fannie-mae.json": ("0000310522", "FEDERAL NATIONAL MORTGAGE ASSOCIATION FANNIE MAE", "operating",
                                      ["FNMA", "FNMAS", "FNMAJ", "FNMAH", "FNMFN", "FNMAM", "FNMAN", "FNMAI", "FNMAT",
                                       "FNMAK", "FNMAL", "FNMFM", "FNMAO", "FNMAG", "FNMFO", "FNMAP"], ["OTC"] * 16,
                                      "800-232-6643", "WASHINGTON", "DC", "US", ["FEDERAL NATIONAL MORTGAGE ASSOCIATION"],
                                      1140, [f"CIK0000310522-submissions-00{n}.json" for n in (1, 2, 3)]),
    "CIK0001009672_carbo-ceramics.json": ("0001009672", "CARBO CERAMICS INC", "operating", [], [], "2819216400",
                                          "HOUSTON", "TX", "US", [], 1000, ["CIK0001009672-submissions-001.json"]),
    "CIK0000940418_siemens-ag.json": ("0000940418", "SIEMENS AG", "other", [], [], "49 (89) 7805 32474",
                                      "MUNICH", None, "DE", [], 31, []),
    "CIK0001830056_siemens-energy-adr.json": ("0001830056", "Siemens Energy AG/ADR", "other", ["SMEGF"], ["OTC"],
                                              "212-816-6638", "MUNICH", None, "DE", [], 6, []),
    "CIK0001911716_cool-japan-fund.json": ("0001911716", "Cool Japan Fund Inc.", "other", [], [], "81364067500",
                                           "TOKYO", None, "JP", [], 2, []),
    "CIK0001324424_expedia.json": ("0001324424", "Expedia Group, Inc.", "operating", ["EXPE"], ["Nasdaq"],
                                   "(206) 481-7200", "SEATTLE", "WA", "US", ["Expedia, Inc."], 1002,
                                   ["CIK0001324424-submissions-001.json"]),
    "CIK0001465740_two-harbors.json": ("0001465740", "TWO HARBORS INVESTMENT CORP.", "operating",
                                       ["TWO", "TWO-PC", "TWO-PB", "TWO-PA", "TWOD"], ["NYSE"] * 5, "612.453.4100",
                                       "ST. LOUIS PARK", "MN", "US", [], 1000, ["CIK0001465740-submissions-001.json"]),
    "CIK0001835632_marvell.json": ("0001835632", "Marvell Technology, Inc.", "operating", ["MRVL"], ["Nasdaq"],
                                   "(302) 295-4840", "WILMINGTON", "DE", "US", [], 787, []),
    "CIK0000895419_wolfspeed.json": ("0000895419", "WOLFSPEED, INC.", "operating", ["WOLF"], ["NYSE"], "9194075300",
                                     "DURHAM", "NC", "US", ["CREE, INC.", "CREE INC", "CREE RESEARCH INC /NC/"], 1001,
                                     ["CIK0000895419-submissions-001.json"]),
    "CIK0001881551_solidion.json": ("0001881551", "Solidion Technology Inc.", "operating", ["STI"], ["Nasdaq"],
                                    "(972) 918-5120", "DALLAS", "TX", "US", ["Nubia Brand International Corp."], 211, []),
    "CIK0000749647_imunon.json": ("0000749647", "Imunon, Inc.", "operating", ["IMNN"], ["Nasdaq"], "(609) 896-9100",
                                  "LAWRENCEVILLE", "NJ", "US", ["CELSION CORP", "Celsion CORP", "CHEUNG LABORATORIES INC"],
                                  1000, ["CIK0000749647-submissions-001.json"]),
}

# overflow page: (filings, first filingDate, last filingDate)
OVERFLOW_PAGES = {
    "CIK0000320193-submissions-001_apple.json": (988, "1994-01-26", "2013-02-07"),
    "CIK0001318605-submissions-001_tesla.json": (720, "2005-02-17", "2018-02-12"),
    "CIK0001009672-submissions-001_carbo-ceramics.json": (205, "1996-06-03", "2003-12-08"),
}


def real(shared_fixtures: Path, *parts: str) -> Path:
    return shared_fixtures.joinpath("real", "edgar", *parts)


def test_every_real_ownership_and_submissions_document_is_covered(shared_fixtures):
    ownership = {p.name for p in real(shared_fixtures, "ownership").iterdir()}
    submissions = {p.name for p in real(shared_fixtures, "submissions").glob("*.json")}
    assert ownership == set(OWNERSHIP)
    assert submissions == set(SUBMISSIONS) | set(OVERFLOW_PAGES)


@pytest.mark.parametrize("name", sorted(OWNERSHIP))
def test_real_ownership_document(shared_fixtures, name):
    doc_type, period, issuer_cik, issuer_name, symbol, owners = OWNERSHIP[name]
    document = parse_ownership(real(shared_fixtures, "ownership", name).read_bytes(), url=name)
    assert (document.document_type, document.period_of_report) == (doc_type, date.fromisoformat(period))
    assert (document.issuer_cik, document.issuer_name, document.issuer_symbol) == (issuer_cik, issuer_name, symbol)
    assert [(o.name, o.cik, o.is_director, o.is_officer, o.is_ten_percent_owner, o.is_other, o.officer_title)
            for o in document.owners] == owners


@pytest.mark.parametrize("name", sorted(SUBMISSIONS))
def test_real_submissions_record(shared_fixtures, name):
    (cik, company_name, entity_type, tickers, exchanges, phone, city, region, country, former, recent,
     pages) = SUBMISSIONS[name]
    parsed = parse_submissions(real(shared_fixtures, "submissions", name).read_bytes(), url=name)
    company = parsed.company
    assert parsed.cik == cik
    assert (company.name, company.entity_type, company.phone) == (company_name, entity_type, phone)
    assert [(i.value, i.exchange) for i in company.identifiers if i.scheme == "ticker"] == list(zip(tickers, exchanges))
    assert company.identifiers[0].scheme == "cik" and company.identifiers[0].value == cik
    assert (company.city, company.region, company.country) == (city, region, country)
    assert [f.name for f in company.former_names] == former
    assert len(parsed.filings) == recent
    assert [p.name for p in parsed.overflow_pages] == pages
    assert company.source.form_type == "submissions" and company.source.document_id == cik


def test_submissions_details_apple(shared_fixtures):
    company = parse_submissions(real(shared_fixtures, "submissions", "CIK0000320193_apple.json").read_bytes()).company
    assert company.sic_code == "3571" and company.sector == "Electronic Computers"
    assert company.incorporated_in == "CA"
    assert [(a.kind, a.line1, a.city, a.region, a.postal_code, a.country) for a in company.addresses] == [
        ("principal_office", "ONE APPLE PARK WAY", "CUPERTINO", "CA", "95014", "US"),
        ("mailing", "ONE APPLE PARK WAY", "CUPERTINO", "CA", "95014", "US"),
    ]
    assert company.former_names[0].used_from == date(2007, 1, 10)
    assert company.former_names[0].used_until == date(2019, 8, 5)
    assert ("ein", "942404110") in [(i.scheme, i.value) for i in company.identifiers]


def test_submissions_filings_are_rows(shared_fixtures):
    filings = parse_submissions(real(shared_fixtures, "submissions", "CIK0000320193_apple.json").read_bytes()).filings
    cook = next(f for f in filings if f.accession == "0000320193-23-000079")
    assert (cook.form, cook.filed_on, cook.primary_document) == ("4", date(2023, 8, 8), "xslF345X05/wk-form4_1691533817.xml")
    assert any(f.form == "8-K" and "5.02" in f.items for f in filings)


def test_foreign_filer_mailing_address_in_new_york(shared_fixtures):
    company = parse_submissions(real(shared_fixtures, "submissions", "CIK0001830056_siemens-energy-adr.json").read_bytes()).company
    assert [(a.kind, a.country) for a in company.addresses] == [("principal_office", "DE"), ("mailing", "US")]


def test_placeholder_ein_is_not_an_identifier(shared_fixtures):
    company = parse_submissions(real(shared_fixtures, "submissions", "CIK0001800903_vest-domestic-fund-ii.json").read_bytes()).company
    assert [i.scheme for i in company.identifiers] == ["cik"]


@pytest.mark.parametrize("name", sorted(OVERFLOW_PAGES))
def test_real_overflow_page(shared_fixtures, name):
    count, first, last = OVERFLOW_PAGES[name]
    filings = parse_filings_page(real(shared_fixtures, "submissions", name).read_bytes(), url=name)
    assert len(filings) == count
    assert min(f.filed_on for f in filings) == date.fromisoformat(first)
    assert max(f.filed_on for f in filings) == date.fromisoformat(last)


def test_not_found_xml_body_is_not_a_submissions_record(shared_fixtures):
    with pytest.raises(ParseError):
        parse_submissions(real(shared_fixtures, "submissions", "CIK-000000001_not-found_404.xml").read_bytes())


def test_real_company_tickers(shared_fixtures):
    rows = parse_company_tickers(real(shared_fixtures, "tickers", "company_tickers.json").read_bytes())
    assert len(rows) == 9610
    assert ("0000320193", "AAPL", "Apple Inc.", None) in rows
    assert ("0000789019", "MSFT", "MICROSOFT CORP", None) in rows


def test_company_tickers_exchange_shape():
    data = b'{"fields": ["cik", "name", "ticker", "exchange"], "data": [[320193, "Apple Inc.", "AAPL", "Nasdaq"], [1, "x", null, null]]}'
    assert parse_company_tickers_exchange(data) == [("0000320193", "AAPL", "Apple Inc.", "Nasdaq")]


def test_see_remarks_amendment_with_namespace_and_corporate_ten_percent_owner():
    document = parse_ownership((OWN / "form4a_see_remarks_ceo.xml").read_bytes())
    assert document.document_type == "4/A"
    person, fund = document.owners
    assert person.officer_title == "See Remarks"
    assert person.title == "President and Chief Executive Officer" and person.title_from_remarks
    assert person.is_director and person.is_officer
    assert fund.is_ten_percent_owner and not fund.is_executive_or_director


def test_truncated_ownership_xml_is_a_parse_error():
    with pytest.raises(ParseError, match="malformed"):
        parse_ownership((OWN / "form4_truncated.xml").read_bytes(), url="form4_truncated.xml")


@pytest.mark.parametrize("content, message", [
    (b"<ownershipDocument><documentType>4</documentType></ownershipDocument>", "issuer"),
    (b"<ownershipDocument><issuer><issuerCik>1</issuerCik></issuer></ownershipDocument>", "reporting owner"),
    (b"<html><body>Form 4</body></html>", "ownershipDocument"),
])
def test_ownership_without_required_parts(content, message):
    with pytest.raises(ParseError, match=message):
        parse_ownership(content)


def test_rendered_primary_document_maps_to_raw_xml():
    urls = EdgarUrls("https://www.sec.gov/", "https://data.sec.gov")
    assert urls.raw_document("0000320193", "0000320193-23-000079", "xslF345X05/wk-form4_1691533817.xml") == (
        "https://www.sec.gov/Archives/edgar/data/320193/000032019323000079/wk-form4_1691533817.xml")
    assert urls.filing_index(320193, "0000320193-23-000079") == (
        "https://www.sec.gov/Archives/edgar/data/320193/000032019323000079/0000320193-23-000079-index.htm")
    assert urls.submissions("320193") == "https://data.sec.gov/submissions/CIK0000320193.json"


PEOPLE = {"mccormick": "Powell McCormick Dina", "shedlin": "Shedlin Gary S", "small": "Small Martin",
          "erik": "Nordstrom Erik B", "kelly": "Kelly Katherine R."}


@pytest.mark.parametrize("name, departed", [
    ("8k_meta_2025-12-19_item502.htm", ("mccormick",)),  # "will resign as a member of the Board"
    ("8k_blackrock_2023-02-24_item502.htm", ()),  # CFO moves to Vice Chairman: still there
    ("8k_nordstrom_2023-03-01_item502.htm", ()),  # 5.02(e) pay table only
    ("8k_adobe_2023-03-15_item202.htm", ()),  # no item 5.02
])
def test_real_8k_departures_are_detected_conservatively(shared_fixtures, name, departed):
    assert departed_people(real(shared_fixtures, "8k", name).read_bytes(), PEOPLE) == departed


@pytest.mark.parametrize("sentence, departed", [
    ("Item 5.02 On May 1, Timothy D. Cook informed the Board that he will retire. Signatures", ("cook",)),
    ("Item 5.02 Jane Roe was appointed to succeed Timothy Cook, who is retiring. Signatures", ("cook",)),
    ("Item 5.02 Timothy Cook retired and Jane Roe was appointed Chief Executive Officer. Signatures", ("cook",)),
    ("Item 5.02 The Board appointed Jane Roe as Chief Executive Officer. Signatures", ()),
])
def test_departure_sentences(sentence, departed):
    people = {"cook": "COOK TIMOTHY D", "roe": "ROE JANE"}
    assert departed_people(f"<html><body><p>{sentence}</p></body></html>", people) == departed


# Every real 8-K document: the sentence a moderator should read, or None. Nordstrom's item
# 5.02(e) is a pay table for the "Named Executive Officers": nobody leaves or joins.
REAL_8K_SENTENCES = {
    "8k/8k_meta_2025-12-19_item502.htm":
        'On December 19, 2025, Dina Powell McCormick notified Meta Platforms, Inc. (the "Company") that she will '
        "resign as a member of the Board of Directors of the Company, effective immediately.",
    "8k/8k_blackrock_2023-02-24_item502.htm":
        "…Gary S. Shedlin transitioned from the role of Chief Financial Officer to Vice Chairman and (ii) Martin "
        "Small became Chief Financial Officer of the Company.",
    "8k/8k_nordstrom_2023-03-01_item502.htm": None,
    "8k/8k_adobe_2023-03-15_item202.htm": None,  # no item 5.02
}


def test_each_real_8k_gives_the_sentence_naming_who_leaves_or_joins_or_none(shared_fixtures):
    """Every captured 8-K, item 5.02 or not; the press-release 8-Ks (8k_ex99/) have no 5.02."""
    documents = [*real(shared_fixtures, "8k").iterdir(), *real(shared_fixtures, "8k_ex99").glob("8k_*")]
    assert len(documents) >= 10
    for document in documents:
        sentence = leadership_sentence(document.read_bytes())
        assert sentence == REAL_8K_SENTENCES.get(f"{document.parent.name}/{document.name}"), document.name
        assert sentence is None or len(sentence) <= 300


@pytest.mark.parametrize("item, sentence", [
    # a pay decision for "Named Executive Officers" is passed over for the appointment
    ("The Committee approved 2024 bonuses for the Named Executive Officers. On May 1, 2024, the Board appointed "
     "Jane Roe as Chief Financial Officer.", "On May 1, 2024, the Board appointed Jane Roe as Chief Financial Officer."),
    # a sentence naming the person and the role wins over an earlier one naming neither
    ("The Board accepted the resignation described below. Timothy D. Cook will retire as Chief Executive Officer "
     "on June 30.", "Timothy D. Cook will retire as Chief Executive Officer on June 30."),
    # "Ms." does not end a sentence; a salary tied to a named appointee is still about the move
    ("In connection with her appointment as Chief Financial Officer, Ms. Roe will receive a base salary of $600,000.",
     "In connection with her appointment as Chief Financial Officer, Ms. Roe will receive a base salary of $600,000."),
    # "department", "electronic" and "joint" are not moves
    ("The Department of Justice closed its review. Reports are filed electronically under the joint plan.", None),
    # pay only: no one is named
    ("On May 1, 2024, the Committee approved the salaries of the officers elected at the Annual Meeting.", None),
])
def test_the_sentence_prefers_a_named_person_and_role_and_skips_pay_only(item, sentence):
    assert leadership_sentence(f"<html><body><p>Item 5.02 {item}</p><p>Signatures</p></body></html>") == sentence
