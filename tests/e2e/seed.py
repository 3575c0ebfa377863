"""The small, known directory the browser journeys run against.

Built with the test factories rather than the bundled snapshot so the journeys do not change
when the snapshot is refreshed: every name, contact and rung asserted in a journey is here.
"""
from __future__ import annotations

from datetime import date

from directory.extensions import db
from directory.models import Brand
from directory.revisions import revision_context
from tests.factories import make_company, make_contact, make_position, make_source

# One contact per rung of Apple's escalation ladder, bottom to top; the journeys check that
# the company page shows them in this order.
APPLE_LADDER = [
    ("customer_service", "phone", "+1 800 275 2273", "AppleCare support"),
    ("complaints", "web_form", "https://www.apple.com/feedback/", "Product feedback form"),
    ("executive_office", "postal", "One Apple Park Way, Cupertino, CA 95014", "Executive relations"),
    ("ceo", "email_format", "first initial + last name @apple.com", "CEO email format"),
]


# Apple's press contact from its 2024 8-K (EX-99.1): shown first on the executive office rung.
APPLE_PRESS_RELEASE = ("https://www.sec.gov/Archives/edgar/data/320193/000032019324000005/"
                       "a8-kex991q1202412302023.htm")
CABOT_LONG_URL = "https://www.cabotcorp.com/" + "customer-feedback-and-complaints-handling-procedure/" * 4 + "form"

PRESS_CONTACT = [("email", "jrosenstock@apple.com"), ("phone", "(408) 862-1142")]


def seed_directory() -> None:
    """Write the journey data in one committed transaction (inside an app context)."""
    with revision_context("e2e seed"):
        apple = make_company(
            "Apple Inc.", ticker="AAPL", cik="0000320193", ceo="Tim Cook",
            executives=[("Luca Maestri", "Senior Vice President, CFO", "cfo"),
                        ("Arthur D. Levinson", "Chairman of the Board", "chair")],
            city="Cupertino", region="CA", sic_code="3571", sector="Electronic Computers",
            website="https://www.apple.com", phone="+1 408 996 1010",
        )
        filing = make_source(kind="sec_filing", form_type="10-K", filed_on=date(2024, 11, 1),
                             url="https://www.sec.gov/Archives/edgar/data/320193/000032019324000123/",
                             document_id="0000320193-24-000123")
        for tier, kind, value, label in APPLE_LADDER:
            contact = make_contact(apple, kind, value, tier=tier, label=label, source=filing)
            contact.as_of = date(2024, 11, 1)
        release = make_source(kind="sec_filing", form_type="8-K", filed_on=date(2024, 2, 1),
                              url=APPLE_PRESS_RELEASE, document_id="0000320193-24-000005")
        for kind, value in PRESS_CONTACT:
            contact = make_contact(apple, kind, value, tier="executive_office", source=release)
            contact.role, contact.person_name, contact.as_of = "press", "Josh Rosenstock", date(2024, 2, 1)
        apple.brands.append(Brand(name="iPhone", aliases=["Apple iPhone"], wikidata_id="Q2766"))
        make_company("Apple Hospitality REIT, Inc.", ticker="APLE", cik="0001418121", ceo="Justin Knight",
                     city="Richmond", region="VA", sic_code="6798", sector="Real Estate Investment Trusts")
        make_company("Pineapple Energy Inc.", ticker="PEGY", ceo="Kyle Udseth", city="Minnetonka",
                     region="MN", sic_code="3990", sector="Miscellaneous Manufacturing Industries")
        make_company("Microsoft Corporation", ticker="MSFT", cik="0000789019", ceo="Satya Nadella",
                     executives=[("Amy Hood", "Executive Vice President, CFO", "cfo")],
                     city="Redmond", region="WA", sic_code="7372", sector="Prepackaged Software")
        make_company("Tesco PLC", country="GB", city="Welwyn Garden City", ceo="Ken Murphy",
                     sic_code="5411", sector="Grocery Stores")
        make_company("Wolfspeed, Inc.", ticker="WOLF", former_names=["Cree, Inc."], ceo="Robert Feurle",
                     city="Durham", region="NC", sic_code="3674", sector="Semiconductors")
        # Filed in capitals ("CABOT CORP", its legal name), with an unreviewed leadership change
        # newer than its CEO fact, an executive whose filing says since when, and a long URL.
        cabot = make_company("Cabot Corp", cik="0000016040", former_names=["CABOT CORP"], ceo="Sean D. Keohane",
                             city="Boston", region="MA", sic_code="2890", sector="Miscellaneous Chemical Products",
                             leadership_change_on=date(2024, 1, 5),
                             leadership_change_url="https://www.sec.gov/Archives/edgar/data/16040/000001604024000002/")
        make_position(cabot, "Erica McLaughlin", "Senior Vice President and CFO", role="cfo",
                      start_date=date(2019, 10, 1), source=make_source(
                          form_type="8-K", filed_on=date(2019, 9, 3), document_id="0000016040-19-000031",
                          url="https://www.sec.gov/Archives/edgar/data/16040/000001604019000031/"))
        make_contact(cabot, "web_form", CABOT_LONG_URL, tier="complaints", label="Complaints form")
        db.session.commit()
