"""The website parser against saved real company pages (../shared/fixtures/real/websites, listed
in ../shared/fixtures/real/MANIFEST.md, "Real company web pages"): German and US pages with their
scripts, headers and footers, each parsed as if served from its own site."""
from __future__ import annotations

import pytest

from scrapers.websites import parse_page

SITES = {"verivox.de.finanzierung.html": "https://www.verivox.de/ratgeber/finanzierung/",
         "fincompare.de.firmenwagen.html": "https://fincompare.de/firmenwagen-leasing-oder-finanzierung",
         "sheego.de.cleaning.html": "https://www.sheego.de/magazin/coole-tipps/magic-cleaning/",
         "zooroyal.de.trixie.html": "https://www.zooroyal.de/trixie-natura-kleintierstall",
         "intel.com.tos.html": "https://www.intel.com/content/www/us/en/legal/terms-of-use.html"}


@pytest.fixture
def real_page(shared_fixtures):
    def parse(name: str):
        path = shared_fixtures / "real" / "websites" / name
        if not path.exists():
            pytest.skip(f"{path} is not here")
        return parse_page(path.read_bytes(), SITES[name], "text/html; charset=utf-8")
    return parse


def contacts(reading) -> dict[tuple[str, str, str], str | None]:
    return {(c.role, c.kind, c.value): c.label for c in reading.contacts}


def accounts(reading) -> list[tuple[str, str]]:
    return [(a.network, a.handle) for a in reading.social]


def links(reading) -> list[tuple[str, str]]:
    return [(link.url, link.kind) for link in reading.links]


def test_verivox_contact_point_given_by_id_reference_and_head_office(real_page):
    reading = real_page("verivox.de.finanzierung.html")
    assert contacts(reading) == {("customer_service", "phone", "0800 723 454 6"): "Customer service, toll free"}
    office = reading.head_office.address
    assert (office.line1, office.postal_code, office.city, office.country) == (
        "Am Taubenfeld 10", "69123", "Heidelberg", "DE")  # "addressCountry": "Deutschland"
    assert ("https://www.verivox.de/kontakt/", "contact") in links(reading)  # "Kontakt" in the footer
    assert ("https://www.verivox.de/company/impressum/", "legal") in links(reading)


def test_fincompare_contact_points_same_as_accounts_and_tel_links(real_page):
    reading = real_page("fincompare.de.firmenwagen.html")
    found = contacts(reading)
    # customer service and technical support share one number; the sales point is left out
    assert found[("customer_service", "phone", "+49-305683800030")] == "Customer service (DE)"
    # the header's tel: link, placed by the "Kontakt" beside it, with its hours
    assert found[("customer_service", "phone", "030 311 96 000")] == "Kostenlose Beratung Mo-Fr: 9 - 18 Uhr Kontakt"
    assert found[("customer_service", "phone", "+49 030 5683 8000 60")] == "Kontakt"  # an adviser's line
    assert len(found) == 3  # his second link is the same number, his icon link the same again
    assert accounts(reading) == [("LinkedIn", "fincompare-gmbh"), ("Facebook", "FinCompare"), ("X", "fincomparede")]
    assert links(reading) == [("https://fincompare.de/impressum", "legal")]  # its "Kontakt" links open a pop-up


def test_sheego_footer_service_line_and_mailbox_labelled_by_the_words_beside_them(real_page):
    reading = real_page("sheego.de.cleaning.html")
    assert contacts(reading) == {
        ("customer_service", "phone", "06181 - 944 00 88"): "24h Kundenservice. Jeden Tag rund um die Uhr für Sie da!",
        ("customer_service", "email", "service@sheego.de"): "24h Kundenservice",
    }
    assert ("Facebook", "sheego") in accounts(reading)
    assert links(reading) == [("https://www.sheego.de/service/impressum/", "legal"),
                              ("https://www.sheego.de/service/kontakt/", "contact")]


def test_zooroyal_hotline_with_german_hours_and_mailbox(real_page):
    reading = real_page("zooroyal.de.trixie.html")
    assert contacts(reading) == {
        ("customer_service", "phone", "+4922117731000"): "Kundenhotline. Mo. bis Sa. 8:00 - 20:00 Uhr",
        ("customer_service", "email", "info@zooroyal.de"): "Fragen oder Anregungen? Kontaktiere uns!",
    }
    # an empty tel: link beside it carries a mistyped number (0221 177 731 000): what no one sees is not read
    assert all("177731000" not in value for _, _, value in contacts(reading))
    assert links(reading)[0] == ("https://www.zooroyal.de/kontakt?src=topbar", "contact")


def test_intel_footer_accounts_and_contact_page_but_not_its_copyright_mailbox(real_page):
    reading = real_page("intel.com.tos.html")
    assert accounts(reading) == [("Facebook", "Intel"), ("X", "intel"), ("LinkedIn", "intel-corporation"),
                                 ("YouTube", "channelintel"), ("Instagram", "intel")]
    # its one mailto (copyrightpermission@intel.com, "here" in the terms of use) reaches no rung
    assert reading.contacts == ()
    assert links(reading) == [("https://www.intel.com/content/www/us/en/company-overview/contact-us.html", "contact")]
