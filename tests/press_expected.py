"""What a careful reader finds in each real press release and proxy statement in
../shared/fixtures/real/: the MANIFEST's facts where it lists them, and otherwise what the
document's own contact block says (written here after reading each file).

Each contact is (kind, value, person, organisation): `person` None is an office's line or
mailbox, or a number several people share; `organisation` None is the filer's own, any other
is the organisation the document gives the contact (an outside investor-relations or PR firm,
the other company of a spin-off). Numbers that are not a contact of anyone named (a fax, a
conference call's dial-in, a distribution agent's line, the letterhead) are not contacts.

Shared by tests/test_scrapers_edgar_press.py (exact per document) and bench/press_contacts.py
(precision and recall over all of them).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from scrapers.edgar.press import significant_words
from scrapers.channels import channel_key

RELEASES = "edgar/8k_ex99"
CRAWLER = "edgar/8k_ex99/edgar-crawler"
PROXY = "proxy"


@dataclass(frozen=True)
class Expected:
    path: str  # under ../shared/fixtures/real/
    company: str  # the filer's name as EDGAR has it (the submission header's, where there is one)
    contacts: frozenset
    kind: str = "release"  # release | proxy


def _doc(path, company, *contacts, kind="release") -> Expected:
    return Expected(path, company, frozenset(contacts), kind)


def _asta(cfo: str, media: str | None) -> tuple:
    """Asta Funding's two-column block: its CFO beside Wolfe Axelrod Weinberger's people, whose
    one phone serves both of them (a media person may stand beside Stephen Axelrod)."""
    agency = "Wolfe Axelrod Weinberger Assoc. LLC"
    shared_phone = ("phone", "(212) 370-4500", None if media else "Stephen D. Axelrod", agency)
    return (("phone", "(201) 567-5648", cfo, None), shared_phone,
            ("email", "steve@wolfeaxelrod.com", "Stephen D. Axelrod", agency))


def _pericom_wire(person: str) -> tuple:
    return (("phone", "+1-408-435-0800", person, None),)


APPLE_HELPLINE = ("phone", "(408) 974-2042", None, None)
STAPLETON = "Stapleton Communications"

DOCUMENTS: tuple[Expected, ...] = (
    _doc(f"{RELEASES}/8k_apple_2024-02-01_0000320193-24-000005.txt", "Apple Inc.",
         ("email", "jrosenstock@apple.com", "Josh Rosenstock", None),
         ("phone", "(408) 862-1142", "Josh Rosenstock", None),
         ("email", "suhasini@apple.com", "Suhasini Chandramouli", None),
         ("phone", "(408) 974-3123", "Suhasini Chandramouli", None),
         ("email", "media.help@apple.com", None, None)),
    _doc(f"{RELEASES}/8k_apple_2011-01-18_0001193125-11-009392.txt", "APPLE INC",
         ("email", "dowling@apple.com", "Steve Dowling", None), ("phone", "(408) 974-1896", "Steve Dowling", None),
         ("email", "paxton1@apple.com", "Nancy Paxton", None), ("phone", "(408) 974-5420", "Nancy Paxton", None),
         ("email", "hoover1@apple.com", "Joan Hoover", None), ("phone", "(408) 974-4570", "Joan Hoover", None),
         APPLE_HELPLINE),
    _doc(f"{RELEASES}/8k_apple-computer_2004-07-14_0001104659-04-019574.txt", "APPLE COMPUTER INC",
         ("email", "sdowling@apple.com", "Steve Dowling", None), ("phone", "(408) 974-1896", "Steve Dowling", None),
         ("email", "paxton1@apple.com", "Nancy Paxton", None), ("phone", "(408) 974-5420", "Nancy Paxton", None),
         ("email", "hoover1@apple.com", "Joan Hoover", None), ("phone", "(408) 974-4570", "Joan Hoover", None),
         APPLE_HELPLINE),
    _doc(f"{RELEASES}/8k_apple-computer_2000-01-24_0000912057-00-002128.txt", "APPLE COMPUTER INC",
         ("email", "hamilton@apple.com", "Rhona Hamilton", None), ("phone", "(408) 974-6439", "Rhona Hamilton", None),
         ("email", "katiec@apple.com", "Katie Cotton", None), ("phone", "(408) 974-7269", "Katie Cotton", None),
         APPLE_HELPLINE),
    _doc(f"{RELEASES}/8k_apple-computer_1996-12-24_0000320193-96-000027.txt", "APPLE COMPUTER INC",
         ("email", "katiec@apple.com", "Katie Cotton", None), ("phone", "(408) 974-7269", "Katie Cotton", None),
         ("email", "brady2@apple.com", "Russell Brady", None), ("phone", "(408) 974-6877", "Russell Brady", None),
         ("email", "nicole@next.com", "Nicole Overson", "NeXT Software Inc."),
         ("phone", "(415) 780-3731", "Nicole Overson", "NeXT Software Inc.")),
    _doc(f"{RELEASES}/8k_abvc-biopharma_2025-04-15_0001213900-25-032135.txt", "ABVC BIOPHARMA, INC.",
         ("email", "uttam@ambrivis.com", "Uttam Patil", None)),
    _doc(f"{RELEASES}/ex99-1_buckle_2024-11-22.html", "Buckle Inc",
         ("phone", "(308) 236-8491", "Thomas B. Heacock", None)),
    _doc(f"{RELEASES}/ex99-1_beyond-air_beyond-cancer.html", "Beyond Air, Inc.",
         ("email", "Cdavis@lifesciadvisors.com", "Corey Davis", "LifeSci Advisors, LLC"),
         ("phone", "(212) 915-2577", "Corey Davis", "LifeSci Advisors, LLC"),
         ("email", "Mjohnson@beyondcancer.com", "Matt Johnson", None)),  # Beyond Cancer: a Beyond Air company
    _doc(f"{RELEASES}/6k_royal-philips_2023-01-30.html", "Koninklijke Philips N.V.",
         ("email", "ben.zwirs@philips.com", "Ben Zwirs", None), ("phone", "+31 6 15213446", "Ben Zwirs", None),
         ("email", "derya.guzel@philips.com", "Derya Guzel", None), ("phone", "+31 20 59 77055", "Derya Guzel", None)),
    # 3M's Solventum spin-off: two companies' contacts run together in inline HTML; the
    # distribution agent's toll-free number (EQ Shareowner Services) is nobody's contact here.
    _doc(f"{RELEASES}/8k_3m_2024-03-08_0000066740-24-000023.txt", "3M CO",
         ("phone", "(651) 733-1807", "Bruce Jermeland", None), ("phone", "(612) 202-2449", "Diane Farrow", None),
         ("phone", "(651) 233-0043", "Eric Herron", None), ("email", "Slynch2@mmm.com", "Sean Lynch", None),
         ("email", "kmmoran@solventum.com", "Kevin Moran", "Solventum"),
         ("phone", "(651) 968-7608", "Kevin Moran", "Solventum"),
         ("email", "crotman@solventum.com", "Carly Rotman", "Solventum")),
    # Asta Funding: a plain-text two-column block, the company's CFO beside its IR firm.
    _doc(f"{CRAWLER}/1001258_8K_2004_0001125282-04-000379.txt", "ASTA FUNDING INC", *_asta("Mitchell Herman", "Andria Pilo")),
    _doc(f"{CRAWLER}/1001258_8K_2004_0001125282-04-000620.txt", "ASTA FUNDING INC", *_asta("Mitchell Herman", "Andria Pilo")),
    _doc(f"{CRAWLER}/1001258_8K_2004_0001125282-04-002113.txt", "ASTA FUNDING INC", *_asta("Mitchell Herman", "Andria Arena")),
    _doc(f"{CRAWLER}/1001258_8K_2004_0001125282-04-003595.txt", "ASTA FUNDING INC", *_asta("Mitchell Herman", "Andria Arena")),
    _doc(f"{CRAWLER}/1001258_8K_2004_0001125282-04-005938.txt", "ASTA FUNDING INC", *_asta("Mitchell Cohen", "Andria Pilo")),
    _doc(f"{CRAWLER}/1001258_8K_2005_0001125282-05-000624.txt", "ASTA FUNDING INC", *_asta("Mitchell Cohen", "Andria Arena")),
    _doc(f"{CRAWLER}/1001258_8K_2005_0001125282-05-002435.txt", "ASTA FUNDING INC", *_asta("Mitchell Cohen", "Andria Arena")),
    _doc(f"{CRAWLER}/1001258_8K_2005_0001125282-05-004198.txt", "ASTA FUNDING INC", *_asta("Mitchell Cohen", "Andria Arena")),
    _doc(f"{CRAWLER}/1001258_8K_2005_0001125282-05-004831.txt", "ASTA FUNDING INC", *_asta("Mitchell Cohen", "Andria Arena")),
    _doc(f"{CRAWLER}/1001258_8K_2005_0001125282-05-005162.txt", "ASTA FUNDING INC", *_asta("Mitchell Cohen", "Andria Arena")),
    _doc(f"{CRAWLER}/1001258_8K_2005_0001125282-05-006555.txt", "ASTA FUNDING INC", *_asta("Mitchell Cohen", None)),
    # Pericom: PR Newswire's "/CONTACT: Name, Title of Company, +1-..., or fax, +1-.../" lines.
    _doc(f"{CRAWLER}/1001426_8K_2003_0000891092-03-001810.txt", "PERICOM SEMICONDUCTOR CORP",
         *_pericom_wire("Patrick B. Brennan")),
    _doc(f"{CRAWLER}/1001426_8K_2003_0000891092-03-002843.txt", "PERICOM SEMICONDUCTOR CORP",
         *_pericom_wire("Patrick B. Brennan")),
    *(_doc(f"{CRAWLER}/1001426_8K_{name}.txt", "PERICOM SEMICONDUCTOR CORP", *_pericom_wire("Mike Craighead"))
      for name in ("2005_0001275287-05-000056", "2005_0001275287-05-000371", "2005_0001275287-05-000682",
                   "2005_0001275287-05-001389", "2005_0001275287-05-001820", "2005_0001275287-05-002393",
                   "2005_0001275287-05-002569", "2005_0001275287-05-002977")),
    _doc(f"{CRAWLER}/1001426_8K_2005_0001275287-05-003130.txt", "PERICOM SEMICONDUCTOR CORP",  # no "fax" said here
         *_pericom_wire("Mike Craighead"), ("phone", "+1-408-435-1100", "Mike Craighead", None)),
    # Pericom's own three-column letterhead block: company, address, Tel/Fax.
    _doc(f"{CRAWLER}/1001426_8K_2005_0001275287-05-004474.txt", "PERICOM SEMICONDUCTOR CORP",
         ("phone", "(408) 435-0800", "Mike Craighead", None)),
    _doc(f"{CRAWLER}/1001426_8K_2006_0001275287-06-002673.txt", "PERICOM SEMICONDUCTOR CORP",  # CFO and CEO
         ("phone", "(408) 435-0800", None, None)),
    # "Deborah Stapleton or Alexis Pascal, +1-650-..., both for Pericom": one number for two people.
    _doc(f"{CRAWLER}/1001426_8K_2006_0001275287-06-004445.txt", "PERICOM SEMICONDUCTOR CORP",
         ("phone", "+1-650-470-4234", None, None)),
    _doc(f"{CRAWLER}/1001426_8K_2006_0001275287-06-004486.txt", "PERICOM SEMICONDUCTOR CORP",
         ("phone", "408-435-0800", None, None), ("email", "ahui@pericom.com", "Alex Hui", None),
         ("email", "achen@pericom.com", "Angela Chen", None)),
    _doc(f"{CRAWLER}/1001426_8K_2006_0001275287-06-005470.txt", "PERICOM SEMICONDUCTOR CORP",
         ("email", "alexis@stapleton.com", "Alexis Pascal", STAPLETON),
         ("email", "deb@stapleton.com", "Deborah Stapleton", STAPLETON),
         ("phone", "+1-650-470-0200", None, STAPLETON)),
    _doc(f"{CRAWLER}/1001426_8K_2007_0001275287-07-000434.txt", "PERICOM SEMICONDUCTOR CORP",
         ("email", "alexis@stapleton.com", "Alexis Pascal", STAPLETON),
         ("email", "deb@stapleton.com", "Deborah Stapleton", STAPLETON),
         ("phone", "650-470-0200", None, STAPLETON)),
    # Westell: investors (its own officer) beside its PR agency, in two plain-text columns.
    _doc(f"{CRAWLER}/1002135_8K_1999_0000914760-99-000090.txt", "WESTELL TECHNOLOGIES INC",
         ("phone", "630.375.4125", "Bruce R. Albelda", None), ("email", "balbelda@westell.com", "Bruce R. Albelda", None),
         ("phone", "888.670.7080 x 407", "Brad Wills", "Brad Wills & Associates, Inc."),
         ("email", "bwillis@wills-pr.com", "Brad Wills", "Brad Wills & Associates, Inc.")),
    # Proxy statements: the board's channels (MANIFEST: "Communicating Concerns to the Board").
    _doc("edgar/proxy/def14a_cabot_2024.ixbrl.html", "CABOT CORP",
         ("postal", "Secretary, Cabot Corporation, Two Seaport Lane, Suite 1400, Boston, Massachusetts 02210", None, None),
         ("phone", "1-800-853-7602", None, None), kind=PROXY),
)


HONORIFIC = re.compile(r"^(?:dr|mr|mrs|ms|prof)\.?\s+|,?\s+(?:ph\.?\s?d\.?|cfa|cpa|jr\.?|sr\.?|m\.?d\.?)$", re.IGNORECASE)


def contact_key(contact: tuple, company: str) -> tuple:
    """What must agree for a contact to count as found: its kind, its value as `channel_key`
    compares them, the person (honorifics and degrees aside) and the organisation (the
    filer's own, or one with the same significant words)."""
    kind, value, person, organisation = contact
    if organisation and significant_words(organisation) & significant_words(company):
        organisation = None  # the filer itself, named
    return (kind, channel_key(kind, value), _person(person), frozenset(significant_words(organisation or "")))


def _person(name: str | None) -> str | None:
    if not name:
        return None
    for _ in range(2):
        name = HONORIFIC.sub("", name.strip())
    return " ".join(name.lower().split())
