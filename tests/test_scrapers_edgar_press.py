"""Contacts in press releases (EX-99 of 8-K and 6-K): every real release in
../shared/fixtures/real/edgar/8k_ex99 yields exactly the people its MANIFEST lists, and
written releases cover the shapes the real ones do not (wire-service lines, two-column
tables, HTML entities, generic mailboxes, bad input)."""
from __future__ import annotations

import pytest

from scrapers.edgar.press import (carries_press_release, filing_document_types, parse_press_contacts,
                                 parse_submission_file)
from scrapers.errors import ParseError

from .press_expected import DOCUMENTS, PROXY, contact_key

# (file, company name as EDGAR has it): the name decides which contacts are the company's own.
REAL = {
    "8k_apple_2024-02-01_0000320193-24-000005.txt": "Apple Inc.",
    "8k_apple_2011-01-18_0001193125-11-009392.txt": "Apple Inc.",
    "8k_apple-computer_2004-07-14_0001104659-04-019574.txt": "Apple Computer, Inc.",
    "8k_apple-computer_2000-01-24_0000912057-00-002128.txt": "Apple Computer, Inc.",
    "8k_apple-computer_1996-12-24_0000320193-96-000027.txt": "Apple Computer, Inc.",
    "8k_abvc-biopharma_2025-04-15_0001213900-25-032135.txt": "ABVC BioPharma, Inc.",
    "ex99-1_buckle_2024-11-22.html": "Buckle Inc",
    "ex99-1_beyond-air_beyond-cancer.html": "Beyond Air, Inc.",
    "6k_royal-philips_2023-01-30.html": "Koninklijke Philips N.V.",
}
P, IR, OTHER = "press", "investor_relations", "other"
# The MANIFEST's facts: person -> (role, organisation when not the company's own, emails, phones).
EXPECTED_PEOPLE = {
    "8k_apple_2024-02-01_0000320193-24-000005.txt": {
        "Josh Rosenstock": (P, None, {"jrosenstock@apple.com"}, {"(408) 862-1142"}),
        "Suhasini Chandramouli": (IR, None, {"suhasini@apple.com"}, {"(408) 974-3123"}),
    },
    "8k_apple_2011-01-18_0001193125-11-009392.txt": {
        "Steve Dowling": (P, None, {"dowling@apple.com"}, {"(408) 974-1896"}),
        "Nancy Paxton": (IR, None, {"paxton1@apple.com"}, {"(408) 974-5420"}),
        "Joan Hoover": (IR, None, {"hoover1@apple.com"}, {"(408) 974-4570"}),
    },
    "8k_apple-computer_2004-07-14_0001104659-04-019574.txt": {
        "Steve Dowling": (P, None, {"sdowling@apple.com"}, {"(408) 974-1896"}),
        "Nancy Paxton": (IR, None, {"paxton1@apple.com"}, {"(408) 974-5420"}),
        "Joan Hoover": (IR, None, {"hoover1@apple.com"}, {"(408) 974-4570"}),
    },
    "8k_apple-computer_2000-01-24_0000912057-00-002128.txt": {
        "Rhona Hamilton": (P, None, {"hamilton@apple.com"}, {"(408) 974-6439"}),
        "Katie Cotton": (P, None, {"katiec@apple.com"}, {"(408) 974-7269"}),
    },
    "8k_apple-computer_1996-12-24_0000320193-96-000027.txt": {
        "Katie Cotton": (P, None, {"katiec@apple.com"}, {"(408) 974-7269"}),
        "Russell Brady": (P, None, {"brady2@apple.com"}, {"(408) 974-6877"}),
        "Nicole Overson": (P, "NeXT Software Inc.", {"nicole@next.com"}, {"(415) 780-3731"}),
    },
    "8k_abvc-biopharma_2025-04-15_0001213900-25-032135.txt": {
        "Dr. Uttam Patil": (OTHER, None, {"uttam@ambrivis.com"}, set()),
    },
    "ex99-1_buckle_2024-11-22.html": {
        "Thomas B. Heacock": (OTHER, None, set(), {"(308) 236-8491"}),
    },
    "ex99-1_beyond-air_beyond-cancer.html": {
        "Corey Davis, PhD": (OTHER, "LifeSci Advisors, LLC", {"Cdavis@lifesciadvisors.com"}, {"(212) 915-2577"}),
        "Matt Johnson": (OTHER, None, {"Mjohnson@beyondcancer.com"}, set()),  # Beyond Cancer: a Beyond Air company
    },
    "6k_royal-philips_2023-01-30.html": {
        "Ben Zwirs": (P, None, {"ben.zwirs@philips.com"}, {"+31 6 15213446"}),
        "Derya Guzel": (IR, None, {"derya.guzel@philips.com"}, {"+31 20 59 77055"}),
    },
}
# Apple's "NOTE TO EDITORS ... call Apple's Media Helpline at ...": the press office's own line,
# never a person. (The MANIFEST lists it for the 2000 release only; it is the same line in each.)
EXPECTED_OFFICE_LINES = {
    "8k_apple_2024-02-01_0000320193-24-000005.txt": {("email", "media.help@apple.com")},
    "8k_apple_2011-01-18_0001193125-11-009392.txt": {("phone", "(408) 974-2042")},
    "8k_apple-computer_2004-07-14_0001104659-04-019574.txt": {("phone", "(408) 974-2042")},
    "8k_apple-computer_2000-01-24_0000912057-00-002128.txt": {("phone", "(408) 974-2042")},
}


def contacts_of(shared_fixtures, name: str):
    data = (shared_fixtures / "real" / "edgar" / "8k_ex99" / name).read_bytes()
    if b"<DOCUMENT>" in data:
        releases = [d.content for d in parse_submission_file(data).press_releases]
    else:
        releases = [data]
    return [c for release in releases for c in parse_press_contacts(release, company_name=REAL[name])]


@pytest.mark.parametrize("name", sorted(REAL))
def test_each_real_release_yields_exactly_the_manifest_contacts(shared_fixtures, name):
    contacts = contacts_of(shared_fixtures, name)
    people: dict[str, tuple] = {}
    for contact in contacts:
        if contact.person_name is None:
            continue
        role, organisation, emails, phones = people.setdefault(
            contact.person_name, (contact.role, contact.organisation, set(), set()))
        assert (contact.role, contact.organisation) == (role, organisation), contact
        (emails if contact.kind == "email" else phones).add(contact.value)
    assert people == EXPECTED_PEOPLE[name]
    offices = {(c.kind, c.value) for c in contacts if c.person_name is None}
    assert offices == EXPECTED_OFFICE_LINES.get(name, set())
    assert all(c.label == "Media Helpline" and c.role == "press" for c in contacts if c.person_name is None)


def test_titles_are_kept_as_labels(shared_fixtures):
    buckle = contacts_of(shared_fixtures, "ex99-1_buckle_2024-11-22.html")
    assert [c.label for c in buckle] == ["Chief Financial Officer"]
    beyond = {c.person_name: c.label for c in contacts_of(shared_fixtures, "ex99-1_beyond-air_beyond-cancer.html")}
    assert beyond["Matt Johnson"] == "Head of Corporate Development & Strategy"


def test_the_submission_file_gives_its_exhibits_and_the_filer(shared_fixtures):
    data = (shared_fixtures / "real" / "edgar" / "8k_ex99" / "8k_apple_2011-01-18_0001193125-11-009392.txt").read_bytes()
    submission = parse_submission_file(data)
    assert submission.company_name == "APPLE INC"
    assert [(d.type, d.filename) for d in submission.press_releases] == [("EX-99.1", "dex991.htm"),
                                                                        ("EX-99.2", "dex992.htm")]
    assert submission.documents[0].type == "8-K"


def test_a_6k_without_exhibits_is_its_own_press_release(shared_fixtures):
    data = (shared_fixtures / "real" / "edgar" / "8k_ex99" / "6k_royal-philips_2023-01-30.html").read_bytes()
    assert [(d.type, d.filename) for d in parse_submission_file(data).press_releases] == [("6-K", "phg-20230130.htm")]


# -- written releases -------------------------------------------------------------------------

def release(body: str) -> bytes:
    return f"<html><body>{body}</body></html>".encode()


def test_wire_service_contact_line():
    text = (b"ACME REPORTS RESULTS\nSAN JOSE, Calif., March 3 /PRNewswire/ -- Acme Corp. today said sales rose.\n"
            b"/CONTACT: Jane Roe of Acme Corp., +1-408-555-0100, jane.roe@acme.example/\n")
    contacts = parse_press_contacts(text, company_name="Acme Corp")
    assert {(c.kind, c.value, c.person_name, c.organisation) for c in contacts} == {
        ("phone", "+1-408-555-0100", "Jane Roe", None), ("email", "jane.roe@acme.example", "Jane Roe", None)}


def test_two_column_table_is_read_one_person_per_column():
    table = ("<p>Contacts:</p><table>"
             "<tr><td>Media Relations</td><td>Investor Relations</td></tr>"
             "<tr><td>Ann Lee</td><td>Raj Patel</td></tr>"
             "<tr><td>+44 20 7946 0018</td><td>(212) 555-0147</td></tr>"
             "<tr><td>ann.lee&#64;acme.example</td><td>raj.patel&#64;acme.example</td></tr>"
             "</table><p>About Acme</p>")
    contacts = parse_press_contacts(release(table), company_name="Acme plc")
    people = {(c.person_name, c.role, c.kind, c.value) for c in contacts}
    assert people == {
        ("Ann Lee", "press", "phone", "+44 20 7946 0018"), ("Ann Lee", "press", "email", "ann.lee@acme.example"),
        ("Raj Patel", "investor_relations", "phone", "(212) 555-0147"),
        ("Raj Patel", "investor_relations", "email", "raj.patel@acme.example"),
    }


def test_a_generic_mailbox_is_the_press_office_not_the_person():
    block = ("<p>Media Contact:</p><p>Sam Hill</p><p>Acme Corp.</p><p>press@acme.example</p>"
             "<p>Investor Relations Contact:</p><p>ir@acme.example</p>")
    contacts = parse_press_contacts(release(block), company_name="Acme Corp")
    assert {(c.kind, c.value, c.person_name, c.role) for c in contacts} == {
        ("email", "press@acme.example", None, "press"), ("email", "ir@acme.example", None, "investor_relations")}


def test_an_agency_contact_keeps_its_organisation():
    block = "<p>Investor Contact:</p><p>Kim Doe</p><p>Outside IR Partners, LLC</p><p>kdoe@oirp.example</p>"
    contacts = parse_press_contacts(release(block), company_name="Acme Corp")
    assert [(c.person_name, c.organisation, c.role) for c in contacts] == [
        ("Kim Doe", "Outside IR Partners, LLC", "investor_relations")]


def test_a_release_without_a_contact_block_yields_nothing():
    text = release("<p>Acme Corp. (NASDAQ: ACME) today reported revenue of $1.2 billion. "
                   "Call 1-800-555-0199 for the replay, or write to info@acme.example.</p>")
    assert parse_press_contacts(text, company_name="Acme Corp") == ()


def test_an_html_page_in_windows_1252_is_read():
    body = "<p>Press Contact:</p><p>Zo\u00eb O\u2019Neill</p><p>(408) 555-0101</p>".encode("cp1252")
    contacts = parse_press_contacts(b"<html><body>" + body + b"</body></html>", company_name="Acme Corp")
    assert [c.value for c in contacts] == ["(408) 555-0101"]


def test_a_malformed_submission_file_is_a_parse_error():
    with pytest.raises(ParseError):
        parse_submission_file(b"<SEC-DOCUMENT>truncated before any document", url="https://example/x.txt")


def test_a_title_is_not_mistaken_for_another_organisation():
    block = "<p>Contact:</p><p>Jane Doe</p><p>Company Secretary</p><p>jane.doe@acme.example</p>"
    contacts = parse_press_contacts(release(block), company_name="Acme Corp")
    assert [(c.person_name, c.label, c.organisation) for c in contacts] == [("Jane Doe", "Company Secretary", None)]


# -- every real release, as tests/press_expected.py lists what a reader finds -------------------

@pytest.mark.parametrize("expected", [d for d in DOCUMENTS if d.kind != PROXY], ids=lambda d: d.path.rsplit("/", 1)[-1])
def test_each_real_release_yields_the_tables_contacts_and_nothing_else(shared_fixtures, expected):
    data = (shared_fixtures / "real" / expected.path).read_bytes()
    releases = [d.content for d in parse_submission_file(data).press_releases] if b"<DOCUMENT>" in data else [data]
    found = {contact_key((c.kind, c.value, c.person_name, c.organisation), expected.company)
             for release in releases for c in parse_press_contacts(release, company_name=expected.company)}
    assert found == {contact_key(c, expected.company) for c in expected.contacts}


def real_release(shared_fixtures, name: str, company: str) -> list:
    data = (shared_fixtures / "real" / "edgar" / "8k_ex99" / name).read_bytes()
    return [c for d in parse_submission_file(data).press_releases
            for c in parse_press_contacts(d.content, company_name=company)]


def test_wire_service_lines_keep_the_title_and_leave_the_fax_out(shared_fixtures):
    contacts = real_release(shared_fixtures, "edgar-crawler/1001426_8K_2005_0001275287-05-002393.txt",
                            "PERICOM SEMICONDUCTOR CORP")
    assert [(c.kind, c.value, c.person_name, c.label, c.organisation) for c in contacts] == [
        ("phone", "+1-408-435-0800", "Mike Craighead", "VP/Chief Financial Officer", None)]


def test_an_agencys_people_are_the_agencys_and_its_one_number_is_shared(shared_fixtures):
    contacts = real_release(shared_fixtures, "edgar-crawler/1001426_8K_2006_0001275287-06-005470.txt",
                            "PERICOM SEMICONDUCTOR CORP")
    assert {(c.kind, c.value, c.person_name, c.organisation, c.label) for c in contacts} == {
        ("email", "alexis@stapleton.com", "Alexis Pascal", "Stapleton Communications", None),
        ("email", "deb@stapleton.com", "Deborah Stapleton", "Stapleton Communications", None),
        ("phone", "+1-650-470-0200", None, "Stapleton Communications", "Alexis Pascal or Deborah Stapleton")}


def test_plain_text_columns_give_the_cfo_to_the_company_and_the_ir_firm_its_people(shared_fixtures):
    contacts = real_release(shared_fixtures, "edgar-crawler/1001258_8K_2004_0001125282-04-003595.txt",
                            "ASTA FUNDING INC")
    firm = "WOLFE AXELROD WEINBERGER ASSOC. LLC"
    assert {(c.kind, c.value, c.person_name, c.organisation, c.label, c.role) for c in contacts} == {
        ("phone", "(201) 567-5648", "Mitchell Herman", None, "CFO", OTHER),
        ("phone", "(212) 370-4500", None, firm, "Stephen D. Axelrod, CFA or Andria Arena", OTHER),
        ("email", "steve@wolfeaxelrod.com", "Stephen D. Axelrod, CFA", firm, None, OTHER)}


def test_the_spin_offs_other_company_keeps_its_own_people(shared_fixtures):
    contacts = real_release(shared_fixtures, "8k_3m_2024-03-08_0000066740-24-000023.txt", "3M CO")
    organisations = {c.person_name: c.organisation for c in contacts}
    assert organisations == {"Bruce Jermeland": None, "Diane Farrow": None, "Eric Herron": None, "Sean Lynch": None,
                             "Kevin Moran": "Solventum", "Carly Rotman": "Solventum"}
    assert {c.person_name: c.role for c in contacts}["Sean Lynch"] == P
    assert not [c for c in contacts if "1952" in c.value]  # the distribution agent's toll-free line


def test_values_run_together_in_inline_html_are_read_apart():
    spans = ("<p><span>3M Investor Contact</span></p><p><span>Bruce Jermeland</span><span>(651) 733-1807</span>"
             "<span>or</span><span>Diane Farrow</span><span>(612) 202-2449</span></p>")
    contacts = parse_press_contacts(release(spans), company_name="3M CO")
    assert [(c.person_name, c.value, c.role) for c in contacts] == [
        ("Bruce Jermeland", "(651) 733-1807", IR), ("Diane Farrow", "(612) 202-2449", IR)]


def test_an_inline_contact_in_prose():
    text = release("<p>Acme will host a call at 5 p.m. For questions, investor relations contact: Jane Roe, "
                   "+1 224-555-0100, or Jane_Roe@acme.example. The call's dial-in is 1-877-555-0199.</p>")
    contacts = parse_press_contacts(text, company_name="Acme Corp")
    assert [(c.kind, c.value, c.person_name, c.role) for c in contacts] == [
        ("phone", "+1 224-555-0100", "Jane Roe", IR), ("email", "Jane_Roe@acme.example", "Jane Roe", IR)]


def test_a_wire_line_for_two_people_both_of_the_company():
    text = (b"ACME NEWS\n/CONTACT: Jane Roe, Chief Financial Officer, +1-408-555-0100, or John Poe, "
            b"Investor Relations, +1-408-555-0111, both of Acme Corp./\n")
    contacts = parse_press_contacts(text, company_name="Acme Corp")
    assert [(c.value, c.person_name, c.label, c.organisation) for c in contacts] == [
        ("+1-408-555-0100", "Jane Roe", "Chief Financial Officer", None),
        ("+1-408-555-0111", "John Poe", "Investor Relations", None)]


def test_names_split_by_a_slash_share_the_line_and_keep_their_own_addresses(shared_fixtures):
    contacts = real_release(shared_fixtures, "edgar-crawler/1001426_8K_2006_0001275287-06-004486.txt",
                            "PERICOM SEMICONDUCTOR CORP")
    assert {(c.kind, c.value, c.person_name) for c in contacts} == {
        ("phone", "408-435-0800", None), ("email", "ahui@pericom.com", "Alex Hui"),
        ("email", "achen@pericom.com", "Angela Chen")}


def test_a_conference_call_dial_in_is_nobodys_contact(shared_fixtures):
    contacts = real_release(shared_fixtures, "edgar-crawler/1001258_8K_2004_0001125282-04-000379.txt",
                            "ASTA FUNDING INC")
    assert not {"(877) 511-5818", "(706) 634-1462", "(212) 370-4505"} & {c.value for c in contacts}


# -- which filings carry a press release: their document list, not their items -----------------

@pytest.mark.parametrize("name, form, carries", [
    ("adobe_8k_0000796343-23-000044-index.html", "8-K", True),  # items 2.02 and 9.01, EX-99.1
    ("meta_8k_0001628280-25-058337-index.html", "8-K", False),  # item 5.02, no exhibit but XBRL
    ("nordstrom_8k_0000072333-23-000015-index.html", "8-K", False),  # EX-10 agreements only
])
def test_a_real_filing_index_tells_whether_the_filing_carries_a_press_release(shared_fixtures, name, form, carries):
    page = (shared_fixtures / "real" / "edgar" / "index" / name).read_bytes()
    types = filing_document_types(page)
    assert types[0] == form
    assert carries_press_release(form, types) is carries


def test_a_6k_is_its_own_press_release_and_a_page_that_is_no_index_is_a_parse_error():
    assert carries_press_release("6-K", ("6-K", "GRAPHIC"))
    assert not carries_press_release("8-K", ("8-K", "GRAPHIC"))
    with pytest.raises(ParseError):
        filing_document_types(b"<html><body><p>Not found</p></body></html>", url="https://example/x-index.htm")
