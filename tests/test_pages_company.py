"""The company page: CEO first, the escalation ladder, executives, facts with sources."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date

from bs4 import BeautifulSoup
from sqlalchemy import event

from directory.extensions import db
from directory.operations.companies import rename_company
from tests.factories import make_company, make_contact, make_position, make_source


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.get_data(as_text=True), "lxml")


@contextmanager
def count_statements(app):
    """Count the SQL statements the app sends while the block runs."""
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_ceo_comes_first_with_title_source_and_date(app, client):
    with app.app_context():
        company = make_company("Apple Inc.", ticker="AAPL", cik="0000320193", ceo="Timothy D. Cook",
                               executives=[("Luca Maestri", "SVP, Chief Financial Officer", "cfo")])
        company.ceo_position.start_date = date(2011, 8, 24)
        db.session.commit()

    soup = page(client, "/companies/apple-inc")
    card = soup.select_one(".ceo-card")
    assert card.find_previous("h1").get_text(strip=True) == "Apple Inc."
    assert soup.find("section", class_="ceo-card") is soup.select("main section")[0]
    name = card.select_one(".ceo-name a")
    assert name.get_text(strip=True) == "Timothy D. Cook"
    assert name["href"] == "/people/timothy-d-cook"
    assert "Chief Executive Officer, since 24 August 2011" in card.get_text(" ", strip=True)
    source = card.select_one(".source a")
    assert source["href"].startswith("https://www.sec.gov/Archives/edgar/data/320193/")
    assert "SEC filing (Form 4)" in source.get_text()
    assert "8 August 2023" in card.select_one(".source").get_text()
    assert card.select_one(".badge-inferred") is None


def test_inferred_ceo_is_badged_and_explained(app, client):
    with app.app_context():
        company = make_company("Tesco PLC", country="GB")
        position = make_position(company, "Ken Murphy", "Director", role="director", is_ceo=True)
        position.ceo_confidence = 0.6
        db.session.commit()

    card = page(client, "/companies/tesco-plc").select_one(".ceo-card")
    assert card.select_one(".badge-inferred").get_text(strip=True) == "inferred"
    assert "What \"inferred\" means" in card.get_text()


def test_company_without_ceo_says_so(app, client):
    with app.app_context():
        make_company("Quiet Holdings Ltd", country="GB")
        db.session.commit()

    card = page(client, "/companies/quiet-holdings-ltd").select_one(".ceo-card")
    assert "No CEO on record" in card.get_text()
    assert "The Chief Executive Officer" in card.get_text()


def test_ladder_rungs_in_order_with_contacts_sources_and_ceo_postal_address(app, client):
    with app.app_context():
        company = make_company("Apple Inc.", ceo="Timothy D. Cook", city="Cupertino", region="CA")
        contribution = make_source(kind="contribution", url=None, document_id="c-1", form_type=None,
                                   filed_on=date(2026, 10, 2))
        make_contact(company, "email", "executive_relations@apple.com", tier="executive_office",
                     label="Executive Relations", source=contribution)
        make_contact(company, "phone", "+1 800 275 2273", tier="customer_service", label="AppleCare",
                     source=contribution)
        make_contact(company, "email_format", "first.last@apple.com", tier="ceo", source=contribution)
        db.session.commit()

    soup = page(client, "/companies/apple-inc")
    rungs = soup.select("ol.ladder > li")
    assert [r.h3.get_text(strip=True) for r in rungs] == [
        "Customer service", "Formal complaints", "Executive office", "Chief executive",
        "Regulator or ombudsman"]
    service, complaints, executive, ceo, _regulator = rungs
    phone = service.select_one(".contact-value a")
    assert (phone.get_text(), phone["href"]) == ("(800) 275-2273", "tel:+18002752273")
    assert "AppleCare" in service.get_text()
    assert "Moderated contribution, 2 October 2026" in service.select_one(".source").get_text()
    assert "Nothing known yet" in complaints.get_text()
    assert executive.select_one(".contact-value a")["href"] == "mailto:executive_relations@apple.com"
    # An email format is a pattern, not an address: it is not a link.
    assert ceo.find(string="first.last@apple.com").parent.name != "a"
    envelope = ceo.select_one("address").get_text(" ", strip=True)
    assert envelope.startswith("Timothy D. Cook")
    assert "1 Main Street" in envelope and "Cupertino CA" in envelope
    assert "addressed to Timothy D. Cook" in ceo.get_text()


def test_executives_current_first_and_former_collapsed(app, client):
    with app.app_context():
        company = make_company("Apple Inc.", ceo="Timothy D. Cook",
                               executives=[("Arthur D. Levinson", "Chairman", "chair"),
                                           ("Luca Maestri", "CFO", "cfo")])
        make_position(company, "Steve Jobs", "Chief Executive Officer", role="ceo", is_ceo=True, is_current=False,
                      start_date=date(1997, 9, 16), end_date=date(2011, 8, 24))
        db.session.commit()

    soup = page(client, "/companies/apple-inc")
    current = [row.th.get_text(strip=True) for row in soup.select("section table.exec-table")[0].select("tbody tr")]
    assert current == ["Timothy D. Cook", "Arthur D. Levinson", "Luca Maestri"]
    details = soup.select_one("details.former")
    assert not details.has_attr("open")
    assert details.summary.get_text(strip=True) == "Former executives (1)"
    former_row = details.select_one("tbody tr").get_text(" ", strip=True)
    assert "Steve Jobs" in former_row and "16 September 1997 – 24 August 2011" in former_row


def test_identifiers_link_to_the_public_record(app, client):
    with app.app_context():
        make_company("Apple Inc.", ticker="AAPL", cik="0000320193", sic_code="3571", sector="Electronic Computers")
        db.session.commit()

    soup = page(client, "/companies/apple-inc")
    facts = soup.select_one("dl.facts")
    terms = {dt.get_text(strip=True): dt.find_next_sibling("dd") for dt in facts.find_all("dt")}
    cik = terms["SEC CIK"].a
    assert cik["href"] == "https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK=0000320193"
    assert "AAPL" in terms["Ticker"].get_text()
    assert "source:" in terms["SEC CIK"].get_text()
    assert terms["Sector"].a["href"] == "/browse/sectors/3571"
    assert terms["Country"].a["href"] == "/browse/countries/US"
    assert terms["Last verified"].get_text(strip=True) == "8 August 2023"


def test_leadership_change_notice_links_to_the_filing(app, client):
    with app.app_context():
        make_company("Boeing Co", ceo="Kelly Ortberg", leadership_change_on=date(2026, 9, 1),
                     leadership_change_url="https://www.sec.gov/Archives/edgar/data/12927/x.htm")
        db.session.commit()

    notice = page(client, "/companies/boeing-co").select_one(".notice")
    assert "Leadership change reported on 1 September 2026" in notice.get_text(" ", strip=True)
    assert notice.a["href"] == "https://www.sec.gov/Archives/edgar/data/12927/x.htm"


def test_old_slug_redirects_permanently_to_the_current_one(app, client):
    with app.app_context():
        company = make_company("Cree, Inc.")
        db.session.commit()
        rename_company(company, "Wolfspeed, Inc.")
        db.session.commit()

    response = client.get("/companies/cree-inc")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/companies/wolfspeed-inc")
    assert client.get("/companies/wolfspeed-inc").status_code == 200


def test_unknown_company_is_a_friendly_404(client):
    response = client.get("/companies/no-such-company")
    assert response.status_code == 404
    soup = BeautifulSoup(response.get_data(as_text=True), "lxml")
    assert soup.h1.get_text(strip=True) == "We could not find that page."
    assert soup.select_one("main form[role=search] input[name=q]") is not None
    assert soup.select_one("main a[href='/']") is not None


def test_names_are_escaped(app, client):
    with app.app_context():
        make_company("<script>alert(1)</script>", slug="script-co", ceo="<b>Mallory</b>")
        db.session.commit()

    html = client.get("/companies/script-co").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Mallory</b>" not in html


def _company_with_executives(name: str, count: int):
    company = make_company(name, ticker=name[:4].upper(), cik=str(1000 + count), ceo=f"{name} Chief", city="Boston",
                           executives=[(f"{name} Officer {n}", "Vice President", "other") for n in range(count)])
    make_position(company, f"{name} Former", "Director", role="director", is_current=False)
    make_contact(company, "phone", "+1 617 555 0100", source=make_source(document_id=f"doc-{name}"))
    return company


def test_company_page_statement_count_does_not_grow_with_executives(app, client):
    with app.app_context():
        _company_with_executives("Small", 1)
        _company_with_executives("Large", 30)
        db.session.commit()

    with count_statements(app) as small:
        assert client.get("/companies/small").status_code == 200
    with count_statements(app) as large:
        assert client.get("/companies/large").status_code == 200
    assert len(large) == len(small)
    assert len(small) <= 21  # 15, the day each source last read it (or, unread, how it was loaded), brands,
    # subsidiaries, today's read request, CFPB complaint records


def test_a_filing_names_the_ceo_even_when_it_guessed_and_wikidata_did_not(app, client):
    """A filing or a register outranks Wikidata for who is CEO, whatever the confidence: a title
    read from a Form 4 (a guess) beats Wikidata's explicit statement until a moderator decides."""
    with app.app_context():
        company = make_company("Umbrella Corp")
        make_position(company, "Wanda Wikidata", "Chief executive officer", role="ceo", is_ceo=True,
                      ceo_confidence=0.9, source=make_source(kind="wikidata", url="https://www.wikidata.org/wiki/Q1"))
        make_position(company, "Fiona Filing", "President and CEO", role="ceo", is_ceo=True,
                      ceo_confidence=0.6, source=make_source())
        db.session.commit()

    card = page(client, "/companies/umbrella-corp").select_one(".ceo-card")
    assert "Fiona Filing" in card.get_text()
    assert client.get("/api/v1/companies/umbrella-corp").get_json()["ceo"]["name"] == "Fiona Filing"
