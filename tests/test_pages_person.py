"""The person page lists positions across companies, current then past, with sources."""
from datetime import date

from bs4 import BeautifulSoup

from directory.extensions import db
from tests.factories import make_company, make_position, make_source


def test_person_page_lists_positions_at_two_companies(app, client):
    with app.app_context():
        apple = make_company("Apple Inc.", ceo="Arthur D. Levinson")
        apple_ceo = apple.ceo_position
        apple_ceo.is_current, apple_ceo.end_date = False, date(2011, 8, 24)
        levinson = apple_ceo.person
        calico = make_company("Calico Life Sciences LLC")
        make_position(calico, levinson, "Chief Executive Officer", role="ceo", is_ceo=True,
                      start_date=date(2013, 9, 18), source=make_source(form_type="8-K", document_id="calico"))
        db.session.commit()

    response = client.get("/people/arthur-d-levinson")
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "lxml")
    assert soup.h1.get_text(strip=True) == "Arthur D. Levinson"
    current, past = soup.select("table.exec-table")
    current_row = current.select_one("tbody tr")
    assert current_row.th.a["href"] == "/companies/calico-life-sciences-llc"
    assert "Chief Executive Officer" in current_row.get_text()
    assert "18 September 2013" in current_row.get_text()
    assert "SEC filing (Form 8-K)" in current_row.select_one(".source").get_text()
    past_row = past.select_one("tbody tr")
    assert past_row.th.a.get_text(strip=True) == "Apple Inc."
    assert "24 August 2011" in past_row.get_text()
    assert "SEC filing (Form 4)" in past_row.select_one(".source").get_text()


def test_unknown_person_is_404(client):
    response = client.get("/people/nobody-at-all")
    assert response.status_code == 404
    assert "We could not find that page." in response.get_data(as_text=True)
