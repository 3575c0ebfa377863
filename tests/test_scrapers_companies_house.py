"""Companies House parsers, names, occupations, bulk file and rate-limit window (no network)."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest

from scrapers.companies_house import (
    WindowLimiter,
    iter_bulk_companies,
    pad_company_number,
    parse_company,
    parse_company_page,
    parse_officers,
    parse_officers_page,
    parse_search,
)
from scrapers.errors import ParseError
from scrapers.names import registry_person_name
from scrapers.records import SourceRef
from scrapers.titles import classify_occupation

FIXTURES = Path(__file__).parent / "fixtures" / "companies_house"
SOURCE = SourceRef(kind="registry_record", url="https://find-and-update.company-information.service.gov.uk/x")
BULK_HEADER = (
    "CompanyName, CompanyNumber,RegAddress.CareOf,RegAddress.POBox,RegAddress.AddressLine1, RegAddress.AddressLine2,"
    "RegAddress.PostTown,RegAddress.County,RegAddress.Country,RegAddress.PostCode,CompanyCategory,CompanyStatus,"
    "CountryOfOrigin,IncorporationDate,SICCode.SicText_1,SICCode.SicText_2,PreviousName_1.CONDATE,"
    " PreviousName_1.CompanyName"
).split(",")


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def by_name(officers):
    return {(o.name, o.role, o.start_date): o for o in officers}


# -- real documents (../shared) ------------------------------------------------------------

def test_real_officer_list_of_you_limited(shared_fixtures):
    data = (shared_fixtures / "real" / "companies_house" / "officers_04475590_you-limited.json").read_bytes()
    page = parse_officers(data, source=SOURCE)
    assert page.total_results == 7 and len(page.officers) == 7 and page.problems == ()
    officers = by_name(page.officers)
    secretary = officers[("Elizabeth Mary Stevenson", "secretary", date(2002, 7, 2))]
    director = officers[("Elizabeth Mary Stevenson", "director", date(2002, 7, 2))]
    assert secretary.is_current and director.is_current
    assert secretary.external_id == director.external_id == "M0nRpSZPlPTwBusql3sNK6Efzr8"
    assert secretary.external_scheme == "ch_officer_id"
    current = officers[("Benjamin Thomas Stevenson", "director", date(2017, 9, 2))]
    former = officers[("Benjamin Thomas Stevenson", "director", date(2012, 11, 9))]
    assert current.is_current and current.external_id == "5SU_9GfEsP_Z_H7rb1fNFmEZvKs"
    assert not former.is_current and former.end_date == date(2017, 9, 1)
    leslie = officers[("Leslie Alan Stevenson", "director", date(2002, 7, 2))]
    assert (leslie.is_current, leslie.end_date) == (False, date(2012, 8, 28))
    corporate = [o for o in page.officers if not o.is_person]
    assert {o.name for o in corporate} == {"LONDON LAW SECRETARIAL LIMITED", "LONDON LAW SERVICES LIMITED"}
    assert {o.title for o in corporate} == {"Corporate nominee secretary", "Nominee director"}
    assert all(not o.is_current and o.end_date == date(2002, 7, 2) for o in corporate)
    assert not any(o.is_ceo for o in page.officers)  # "Director" and "Company Director" say nothing more


def test_real_search_results(shared_fixtures):
    data = (shared_fixtures / "real" / "companies_house" / "search-companies_q-you.json").read_bytes()
    hits = parse_search(data)
    assert len(hits) == 15
    assert (hits[0].company_number, hits[0].title, hits[0].company_status) == ("04475590", "YOU LIMITED", "active")


# -- our own fixtures: API JSON --------------------------------------------------------------

def test_company_profile():
    company = parse_company(fixture("company_00445790.json"), source=SOURCE)
    assert company.name == "TESCO PLC"
    assert [(i.scheme, i.value) for i in company.identifiers] == [("ch_number", "00445790")]
    office = company.addresses[0]
    assert (office.kind, office.line1, office.line2, office.city, office.postal_code, office.country) == (
        "registered_office", "Tesco House, Shire Park", "Kestrel Way", "Welwyn Garden City", "AL7 1GA", "GB")
    assert (company.country, company.city, company.status, company.entity_type) == (
        "GB", "Welwyn Garden City", "active", "plc")
    assert company.sic_code == "47110" and company.sector.startswith("Retail sale in non-specialised stores")
    assert company.incorporated_in == "England and Wales"
    assert company.former_names[0].name == "TESCO STORES (HOLDINGS) PUBLIC LIMITED COMPANY"
    assert company.former_names[0].used_until == date(1983, 10, 27)


def test_profile_with_reordered_unknown_and_missing_members():
    doc = {"something_new": {"x": 1}, "company_name": "SMALL LTD", "company_number": "123456",
           "sic_codes": ["12345"], "company_status": "voluntary-arrangement"}
    company = parse_company(json.dumps(doc).encode(), source=SOURCE)
    assert company.identifiers[0].value == "00123456"
    assert company.addresses == () and company.former_names == ()
    assert (company.sic_code, company.sector) == ("12345", None)  # not in the table: the code alone
    assert company.status == "arrangement"


@pytest.mark.parametrize("doc", [{"company_number": "00445790"}, {"company_name": "NO NUMBER LTD"}])
def test_profile_without_required_members_is_refused(doc):
    with pytest.raises(ParseError):
        parse_company(json.dumps(doc), url="https://api.example/company/x", source=SOURCE)


def test_officers_page_with_ceo_occupation_honorific_and_a_nameless_item():
    page = parse_officers(fixture("officers_00445790.json"), source=SOURCE)
    assert page.problems == ("officer #8 without a name",)
    officers = {o.name: o for o in page.officers}
    murphy = officers["Kenneth Andrew Murphy"]
    assert (murphy.role, murphy.is_ceo, murphy.is_current) == ("director", True, True)
    assert 0 < murphy.ceo_confidence < 0.9
    assert murphy.title == "Director (occupation: Chief Executive)"
    allan = officers["John Murray Allan"]
    assert (allan.honorific, allan.is_current, allan.end_date) == ("Sir", False, date(2024, 10, 4))
    assert not officers["Imran Nawaz Stewart"].is_ceo  # a CFO
    assert not officers["Gerard Nicholas Golsby"].is_ceo  # a non-executive
    assert officers["Christopher Edward Welch"].role == "secretary"
    assert not officers["LONDON LAW SERVICES LIMITED"].is_person


# -- our own fixtures: the public register's pages --------------------------------------------

def test_company_page():
    company = parse_company_page(fixture("company_00445790.html"), source=SOURCE)
    assert (company.name, company.identifiers[0].value, company.status) == ("TESCO PLC", "00445790", "active")
    office = company.addresses[0]
    assert (office.line1, office.line2, office.city, office.postal_code, office.country) == (
        "Tesco House", "Shire Park, Kestrel Way", "Welwyn Garden City", "AL7 1GA", "GB")
    assert company.sic_code == "47110" and company.sector.startswith("Retail sale")
    assert company.former_names[0].used_from == date(1947, 11, 27)
    assert company.former_names[0].used_until == date(1983, 10, 27)


def test_officers_pages_read_like_the_api():
    url = "https://find-and-update.company-information.service.gov.uk/company/00445790/officers"
    first = parse_officers_page(fixture("officers_00445790_page1.html"), url=url, source=SOURCE)
    assert first.next_page == 2
    assert first.total_results == 5
    officers = {o.name: o for o in first.officers}
    murphy = officers["Kenneth Andrew Murphy"]
    assert (murphy.is_ceo, murphy.start_date, murphy.external_id) == (True, date(2020, 10, 1),
                                                                      "kQ1uRphy0aBcDeFgHiJkLmNoPqR")
    allan = officers["John Murray Allan"]
    assert (allan.honorific, allan.is_current, allan.end_date) == ("Sir", False, date(2024, 10, 4))
    corporate = officers["LONDON LAW SERVICES LIMITED"]
    assert (corporate.is_person, corporate.title) == (False, "Corporate director")

    second = parse_officers_page(fixture("officers_00445790_page2.html"), url=url + "?page=2", source=SOURCE)
    assert second.next_page is None
    assert [(o.name, o.role) for o in second.officers] == [("Christopher Edward Welch", "secretary")]
    assert len(second.problems) == 1 and "without a name" in second.problems[0]


def test_page_without_company_number_is_refused():
    with pytest.raises(ParseError):
        parse_company_page(b"<html><body><h1>Page not found</h1></body></html>", source=SOURCE)


# -- names, occupations, numbers ----------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("MURPHY, Kenneth Andrew", ("Kenneth Andrew Murphy", None)),
    ("STEVENSON, Elizabeth Mary", ("Elizabeth Mary Stevenson", None)),
    ("ALLAN, John Murray, Sir", ("John Murray Allan", "Sir")),
    ("SMITH, Dr Jane", ("Jane Smith", "Dr")),
    ("WEBB, Stephen, Professor", ("Stephen Webb", "Professor")),
    ("MCDONALD, Ian, OBE", ("Ian McDonald", None)),
    ("O'BRIEN, Mary", ("Mary O'Brien", None)),
    ("SMITH-JONES, Anne, Dame", ("Anne Smith-Jones", "Dame")),
])
def test_registry_names_in_reading_order(raw, expected):
    assert registry_person_name(raw) == expected


@pytest.mark.parametrize("occupation, role, is_ceo", [
    ("Chief Executive", "director", True),
    ("CEO", "director", True),
    ("Group Chief Executive", "director", True),
    ("Managing Director", "director", True),
    ("Deputy Chief Executive", "director", False),
    ("Chief Executive", "secretary", False),
    ("Chief Executive Of Another Plc", "director", False),
    ("Former Chief Executive", "director", False),
    ("Company Director", "director", False),
    (None, "director", False),
])
def test_ceo_inferred_from_a_directors_occupation(occupation, role, is_ceo):
    result = classify_occupation(occupation, role)
    assert result.is_ceo is is_ceo
    assert result.role == role
    assert result.ceo_confidence < 0.9


def test_company_numbers_are_eight_characters():
    assert pad_company_number("445790") == "00445790"
    assert pad_company_number(" sc123456 ") == "SC123456"


# -- bulk file ---------------------------------------------------------------------------------------

def write_bulk(path: Path, rows: list[list[str]]) -> Path:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(BULK_HEADER)
    writer.writerows(rows)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("BasicCompanyDataAsOneFile-2026-11-01.csv", text.getvalue())
    return path


BULK_ROWS = [
    ["TESCO PLC", "00445790", "", "", "Tesco House", "Shire Park", "WELWYN GARDEN CITY", "", "UNITED KINGDOM",
     "AL7 1GA", "Public Limited Company", "Active", "United Kingdom", "27/11/1947",
     "47110 - Retail sale in non-specialised stores with food, beverages or tobacco predominating", "",
     "27/10/1983", "TESCO STORES (HOLDINGS) PUBLIC LIMITED COMPANY"],
    ["", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["YOU LIMITED", "4475590", "", "", "74 Lairgate", "", "BEVERLEY", "EAST YORKSHIRE", "ENGLAND", "HU17 8EU",
     "Private Limited Company", "Active - Proposal to Strike off", "United Kingdom", "02/07/2002",
     "None Supplied", "", "", ""],
]


def test_bulk_file_streams_company_records(tmp_path):
    path = write_bulk(tmp_path / "BasicCompanyDataAsOneFile-2026-11-01.zip", BULK_ROWS)
    rows = list(iter_bulk_companies(path))
    assert [(number, problem is None) for number, _, problem in rows] == [
        ("00445790", True), ("line 3", False), ("04475590", True)]
    tesco = rows[0][1]
    assert (tesco.name, tesco.sic_code, tesco.city, tesco.country) == (
        "TESCO PLC", "47110", "WELWYN GARDEN CITY", "GB")
    assert tesco.former_names[0].used_until == date(1983, 10, 27)
    assert tesco.source.url.endswith("/BasicCompanyDataAsOneFile-2026-11-01.zip")
    assert tesco.source.filed_on == date(2026, 11, 1)
    you = rows[2][1]
    assert (you.sic_code, you.sector, you.status, you.region) == (None, None, "active", "EAST YORKSHIRE")


# -- the rate-limit window ----------------------------------------------------------------------------

class FakeTime:
    def __init__(self):
        self.now = 1000.0
        self.wall = 1_800_000_000.0
        self.slept: list[float] = []

    def clock(self):
        return self.now

    def wall_clock(self):
        return self.wall

    def sleep(self, seconds):
        self.slept.append(round(seconds, 3))
        self.now += seconds
        self.wall += seconds


def limiter(fake: FakeTime) -> WindowLimiter:
    return WindowLimiter(2.0, clock=fake.clock, wall_clock=fake.wall_clock, sleep=fake.sleep)


def test_a_429_holds_every_request_until_the_window_resets():
    fake = FakeTime()
    window = limiter(fake)
    window.acquire()
    window.observe(429, {"X-Ratelimit-Remain": "0", "X-Ratelimit-Reset": str(int(fake.wall) + 40)})
    window.acquire()
    assert sum(fake.slept) >= 40


def test_few_remaining_requests_are_spread_over_the_rest_of_the_window():
    fake = FakeTime()
    window = limiter(fake)
    window.observe(200, {"X-Ratelimit-Remain": "5", "X-Ratelimit-Reset": str(int(fake.wall) + 100)})
    for _ in range(3):
        window.acquire()
    assert fake.slept.count(20.0) >= 2  # 100 seconds left for 5 requests: one every 20 seconds


def test_plenty_remaining_keeps_the_normal_pace():
    fake = FakeTime()
    window = limiter(fake)
    window.observe(200, {"X-Ratelimit-Remain": "590", "X-Ratelimit-Reset": str(int(fake.wall) + 290)})
    for _ in range(3):
        window.acquire()
    assert max(fake.slept, default=0) <= 0.5
