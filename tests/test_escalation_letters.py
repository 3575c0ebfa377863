"""The letter composer: each template, mailto encoding, HTML escaping, and nothing stored."""
from __future__ import annotations

from datetime import date
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from directory.rules.letters import TEMPLATES, Case, Recipient, compose, mailto_url
from directory.extensions import db
from tests.factories import make_company, make_contact

CASE = Case(your_name="Ann Smith", what_happened="My laptop broke after 2 days.", dates="1 and 3 May 2026",
            references="Order 123-456", tried="Called support twice.", wanted="A full refund.")
CEO = Recipient("Timothy D. Cook", "Apple Inc.", title="Chief Executive Officer",
                postal_lines=("One Apple Park Way", "Cupertino CA 95014"), email="tcook@apple.com",
                greeting_name="Timothy D. Cook")


@pytest.mark.parametrize("key, opening, closing", [
    ("first_complaint", "I am writing to make a formal complaint to Apple Inc.",
     "Please treat this as a formal complaint"),
    ("executive_escalation", "my complaint to Apple Inc. has not been resolved through the usual channels",
     "contact me within 7 days"),
    ("deadlock_request", "I made a complaint to Apple Inc. that has not been resolved.",
     "a deadlock letter), so that I can refer it to the Financial Ombudsman Service."),
    ("ombudsman_referral", "I would like to refer my unresolved complaint about Apple Inc. to Apple Inc.",
     "Please let me know what you need"),
])
def test_each_template_is_a_complete_polite_letter(key, opening, closing):
    letter = compose(key, CASE, CEO, company="Apple Inc.", referral_body="the Financial Ombudsman Service",
                     today=date(2026, 5, 10))
    body = letter.body
    assert body.startswith("Dear Timothy D. Cook,\n\n")
    assert opening in body and closing in body
    for value in (CASE.what_happened, CASE.dates, CASE.references, CASE.tried, CASE.wanted):
        assert value in body
    assert body.endswith("Yours sincerely,\nAnn Smith")
    assert letter.subject.endswith("(reference Order 123-456)")
    assert "[" not in body  # no placeholder left when every field is filled


def test_empty_optional_fields_disappear_and_required_ones_show_placeholders():
    letter = compose("first_complaint", Case(what_happened="Broken."), Recipient("Complaints Team", "Apple Inc."),
                     company="Apple Inc.")
    assert letter.subject == "Formal complaint"
    assert letter.body.startswith("Dear Sir or Madam,")
    assert "Relevant dates" not in letter.body and "Reference numbers" not in letter.body
    assert "What happened: Broken." in letter.body
    assert "To put this right, I would like: [What you want them to do]" in letter.body
    assert letter.body.endswith("[Your name]")


def test_mailto_is_rfc_6068_encoded():
    url = mailto_url("tcook@apple.com", "Refund & repair? #1", "Line one\nLine two: 50% off+more=yes")
    assert url == ("mailto:tcook@apple.com?subject=Refund%20%26%20repair%3F%20%231"
                   "&body=Line%20one%0D%0ALine%20two%3A%2050%25%20off%2Bmore%3Dyes")
    assert " " not in url and "+" not in url.split("?", 1)[1]


def test_mailto_round_trips_unicode_and_windows_line_breaks():
    letter = compose("executive_escalation", Case(what_happened="Zoë's café & bar\r\n<b>not bold</b>"), CEO,
                     company="Apple Inc.")
    query = letter.mailto.split("?", 1)[1]
    subject, body = (part.split("=", 1)[1] for part in query.split("&"))
    assert "%0D%0A" in body and "%0A%0D" not in body.replace("%0D%0A", "")
    assert unquote(body) == letter.body.replace("\r\n", "\n").replace("\n", "\r\n")
    assert "Zo%C3%AB" in body and "%26" in body and "%3Cb%3E" in body
    assert unquote(subject) == letter.subject


def test_mailto_without_a_known_address_leaves_the_recipient_empty():
    assert mailto_url(None, "Hi", "Body").startswith("mailto:?subject=Hi&body=")


# --- The composer page --------------------------------------------------------------------

@pytest.fixture
def apple(app):
    with app.app_context():
        company = make_company("Apple Inc.", ceo="Timothy D. Cook", city="Cupertino", region="CA",
                               executives=[("Luca Maestri", "CFO", "cfo"), ("Jeff Williams", "COO", "coo")])
        make_contact(company, "email", "luca.maestri@apple.com", tier="executive_office")
        make_contact(company, "email", "jeff.williams@apple.com", tier="executive_office")
        make_contact(company, "email", "complaints@apple.com", tier="complaints")
        db.session.commit()
    return "/companies/apple-inc/write"


def soup_of(response):
    return BeautifulSoup(response.get_data(as_text=True), "lxml")


def csrf_token(client, url):
    return soup_of(client.get(url)).find("input", {"name": "csrf_token"})["value"]


def row_counts(app):
    """Rows per table, except the rate limiter's counters: they count requests, not content."""
    with app.app_context():
        return {t.name: db.session.scalar(select(func.count()).select_from(t))
                for t in db.metadata.sorted_tables if t.name != "rate_limit_counters"}


def test_company_page_links_to_the_composer(client, apple):
    soup = soup_of(client.get("/companies/apple-inc"))
    assert soup.find("a", string="Write to the CEO")["href"] == apple
    # The main button is the first step with a way in, as the advice says; the CEO comes later.
    main = soup.select_one(".ladder-actions a.button")
    assert main["href"].startswith("#rung-") and main["href"] != "#rung-ceo"
    rung_links = [a["href"] for a in soup.select(".rung-write a")]
    assert "/companies/apple-inc/write?rung=regulator" in rung_links


def test_get_renders_an_empty_letter_to_the_ceo_with_no_store(client, apple):
    response = client.get(apple)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    letter = soup_of(response).select_one("#letter-preview")
    assert "Timothy D. Cook" in letter.select_one(".letter-recipient").get_text()
    assert "1 Main Street" in letter.select_one(".letter-recipient").get_text()
    assert letter.select_one("[data-field=what_happened]").get_text() == "[What happened]"


def test_post_renders_the_case_escaped_and_stores_nothing(app, client, apple):
    token = csrf_token(client, apple)
    before = row_counts(app)
    hostile = '<script>alert("x")</script> & "quotes" ?#'
    response = client.post(apple, data={
        "csrf_token": token, "rung": "complaints", "letter": "", "what_happened": hostile,
        "references": "A&B #7", "wanted": "Refund", "your_name": "Ann <Smith>"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;quotes&#34; ?#" in html
    soup = soup_of(response)
    letter = soup.select_one("#letter-preview")
    assert letter.select_one("[data-field=what_happened]").get_text() == hostile
    assert "Complaints Team" in letter.select_one(".letter-recipient").get_text()
    mailto = soup.select_one("a[data-mailto]")["href"]
    assert mailto.startswith(
        "mailto:complaints@apple.com?subject=Formal%20complaint%20%28reference%20A%26B%20%237%29&body=")
    assert "%3Cscript%3Ealert%28%22x%22%29%3C%2Fscript%3E%20%26%20%22quotes%22%20%3F%23" in mailto
    assert "Ann%20%3CSmith%3E" in mailto
    assert row_counts(app) == before


def test_post_without_csrf_token_is_refused(client, apple):
    response = client.post(apple, data={"rung": "ceo", "what_happened": "x"})
    assert response.status_code == 400


def test_ceo_rung_uses_the_inferred_address_and_says_so(client, apple):
    soup = soup_of(client.get(apple))
    assert "To: timothy.cook@apple.com" in soup.select_one(".recipient-email").get_text()
    assert soup.select_one(".recipient-email .badge").get_text() == "inferred, not verified"
    assert soup.select_one("a[data-mailto]")["href"].startswith("mailto:timothy.cook@apple.com?")


def test_regulator_rung_addresses_the_body_and_links_its_complaint_form(client, apple):
    soup = soup_of(client.get(apple + "?rung=regulator"))
    assert soup.select_one("#rung").find("option", selected=True)["value"] == "regulator"
    assert "Federal Trade Commission (FTC)" in soup.select_one(".letter-recipient").get_text()
    assert soup.find("a", href="https://reportfraud.ftc.gov/")
    assert soup.select_one("a[data-mailto]")["href"].startswith("mailto:?subject=Complaint%20about%20Apple%20Inc.")


def test_an_unknown_rung_falls_back_to_the_ceo_and_unknown_company_is_404(client, apple):
    assert "Timothy D. Cook" in soup_of(client.get(apple + "?rung=nonsense")).select_one(".letter-recipient").get_text()
    assert client.get("/companies/no-such-company/write").status_code == 404


def test_every_template_can_be_chosen_on_the_page(client, apple):
    token = csrf_token(client, apple)
    for key, template in TEMPLATES.items():
        soup = soup_of(client.post(apple, data={"csrf_token": token, "rung": template.rung, "letter": key}))
        assert template.title in soup.select_one(".composer-preview .hint").get_text()
