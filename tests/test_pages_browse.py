"""Browsing by letter, country and sector: paginated lists showing name, country and CEO."""
import pytest
from bs4 import BeautifulSoup

from directory.extensions import db
from tests.factories import make_company
from tests.test_pages_company import count_statements


def soup_of(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.get_data(as_text=True), "lxml")


def rows(soup):
    return [row.th.get_text(strip=True) for row in soup.select("table.company-table tbody tr")]


@pytest.fixture
def widgets(app):
    """25 companies starting with W, in Germany, SIC 3571, each with a CEO."""
    with app.app_context():
        for n in range(25):
            make_company(f"Widget Works {n:02d}", country="DE", sic_code="3571", sector="Electronic Computers",
                         ceo=f"Wanda Chief {n:02d}")
        make_company("Apple Inc.", sic_code="3571", sector="Electronic Computers")
        db.session.commit()


@pytest.mark.parametrize("url", ["/browse/a-z/W", "/browse/countries/DE"])
def test_lists_paginate_twenty_a_page(widgets, client, url):
    first = soup_of(client.get(url))
    assert len(rows(first)) == 20 and rows(first)[0] == "Widget Works 00"
    assert first.select_one(".pagination [aria-current=page]").get_text(strip=True) == "Page 1 of 2"
    assert first.select_one(".pagination a[rel=prev]") is None
    next_link = first.select_one(".pagination a[rel=next]")["href"]
    assert "after=" in next_link and "page=" not in next_link
    second = soup_of(client.get(next_link))
    assert rows(second) == [f"Widget Works {n}" for n in range(20, 25)]
    assert second.select_one(".pagination [aria-current=page]").get_text(strip=True) == "Page 2 of 2"
    assert second.select_one(".pagination a[rel=next]") is None
    back = soup_of(client.get(second.select_one(".pagination a[rel=prev]")["href"]))
    assert rows(back) == rows(first)
    assert back.select_one(".pagination [aria-current=page]").get_text(strip=True) == "Page 1 of 2"


def test_cursor_pages_neither_skip_nor_repeat_names_differing_in_case_and_accents(app, client):
    """The cursor holds the database's own sort key, so names SQLite and Python fold
    differently (accents, capitals) page correctly."""
    names = [f"{prefix} Corp {n}" for n in range(8) for prefix in ("zeta", "Zeta", "Zéta", "ZETA", "Zz")]
    with app.app_context():
        for n, name in enumerate(names):
            make_company(name, slug=f"z-{n}")
        db.session.commit()
    seen, url = [], "/browse/a-z/Z"
    while url:
        soup = soup_of(client.get(url))
        seen += rows(soup)
        link = soup.select_one(".pagination a[rel=next]")
        url = link["href"] if link else None
    assert sorted(seen) == sorted(names) and len(seen) == 40


def test_page_numbers_are_kept_for_the_first_pages_only(widgets, client):
    assert rows(soup_of(client.get("/browse/a-z/W?page=2"))) == [f"Widget Works {n}" for n in range(20, 25)]
    assert client.get("/browse/a-z/W?page=51").status_code == 400
    assert client.get("/browse/a-z/W?after=bm90IGEgY3Vyc29y").status_code == 400


def test_rows_show_country_and_ceo(widgets, client):
    row = soup_of(client.get("/browse/a-z/W")).select_one("table.company-table tbody tr")
    assert row.th.a["href"] == "/companies/widget-works-00"
    assert row.select_one("[data-label=Country]").get_text(strip=True) == "Germany"
    ceo = row.select_one("[data-label='Chief executive'] a")
    assert (ceo.get_text(), ceo["href"]) == ("Wanda Chief 00", "/people/wanda-chief-00")


def test_sector_list_and_page(widgets, client):
    sectors = soup_of(client.get("/browse/sectors/"))
    link = sectors.select_one(".facet-list a")
    assert (link.get_text(strip=True), link["href"]) == ("Electronic Computers", "/browse/sectors/3571")
    soup = soup_of(client.get("/browse/sectors/3571?page=2"))
    assert soup.h1.get_text(strip=True) == "Electronic Computers (SIC 3571)"
    assert len(rows(soup)) == 6


def test_country_list_names_countries_with_counts(widgets, client):
    items = [li.get_text(" ", strip=True) for li in soup_of(client.get("/browse/countries/")).select(".facet-list li")]
    assert items == ["Germany 25", "United States 1"]


def test_index_links_every_letter_with_counts(widgets, client):
    soup = soup_of(client.get("/browse/"))
    links = soup.select(".letters a")
    assert [a.select_one(".letter").get_text() for a in links][-1] == "#"
    assert len(links) == 27
    by_letter = {a.select_one(".letter").get_text(): a.select_one(".count").get_text(" ", strip=True) for a in links}
    assert by_letter["W"] == "25 companies" and by_letter["A"] == "1 company"


def test_letter_hash_lists_names_starting_with_a_digit(app, client):
    with app.app_context():
        make_company("3M Company")
        db.session.commit()
    assert rows(soup_of(client.get("/browse/a-z/%23"))) == ["3M Company"]


def test_lowercase_and_unknown_keys(widgets, client):
    assert client.get("/browse/a-z/w").headers["Location"].endswith("/browse/a-z/W")
    assert client.get("/browse/countries/de").headers["Location"].endswith("/browse/countries/DE")
    assert client.get("/browse/a-z/AB").status_code == 404
    assert client.get("/browse/countries/ZZ").status_code == 404
    assert client.get("/browse/sectors/0000").status_code == 404
    assert "No companies here on page 9" in client.get("/browse/a-z/W?page=9").get_data(as_text=True)


def test_browse_statement_count_does_not_grow_with_rows_or_executives(app, client):
    with app.app_context():
        for n in range(3):
            make_company(f"Few {n}", ceo=f"Few Chief {n}")
        for n in range(20):
            make_company(f"Many {n:02d}", country="GB", ceo=f"Many Chief {n}",
                         executives=[(f"Many Officer {n}-{k}", "Director", "director") for k in range(10)])
        db.session.commit()

    with count_statements(app) as few:
        assert client.get("/browse/a-z/F").status_code == 200
    with count_statements(app) as many:
        assert client.get("/browse/a-z/M").status_code == 200
    assert len(many) == len(few) <= 6


def test_a_country_with_no_company_yet_is_an_empty_list_with_its_name(widgets, client):
    """Before the UK register is loaded, /browse/countries/GB said "not found"."""
    response = client.get("/browse/countries/GB")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Companies in United Kingdom" in page and "No companies here" in page


def test_countries_are_named_as_people_say_them(client):
    from directory.labels import country_name
    assert [country_name(code) for code in ("KR", "TW", "KY", "VN", "US")] == [
        "South Korea", "Taiwan", "Cayman Islands", "Vietnam", "United States"]


def test_a_company_whose_sector_comes_from_wikidata_is_browsed_under_it(app, client):
    """Sony has no SEC industry code; Wikidata says "consumer electronics" (issue 30, item 12)."""
    from directory.aggregates.counts import refresh
    from directory.models import Company

    with app.app_context():
        make_company("Sony Group Corporation", country="JP", sector="consumer electronics")
        make_company("Apple Inc.", sic_code="3571", sector="Electronic Computers")
        db.session.commit()
    sectors = soup_of(client.get("/browse/sectors/"))
    links = {a.get_text(strip=True): a["href"] for a in sectors.select(".facet-list a")}
    assert links == {"Electronic Computers": "/browse/sectors/3571",
                     "Consumer electronics": "/browse/sectors/consumer-electronics"}
    page = soup_of(client.get("/browse/sectors/consumer-electronics"))
    assert page.h1.get_text(strip=True) == "Consumer electronics" and rows(page) == ["Sony Group Corporation"]
    company = soup_of(client.get("/companies/sony-group-corporation"))
    sector = next(dt for dt in company.select("dl.facts dt") if dt.get_text(strip=True) == "Sector")
    assert sector.find_next_sibling("dd").a["href"] == "/browse/sectors/consumer-electronics"

    with app.app_context():  # a change of sector moves the company, and a recount agrees
        sony = db.session.query(Company).filter_by(name="Sony Group Corporation").one()
        sony.sector = "video games"
        db.session.commit()
    for recounted in (False, True):
        if recounted:
            with app.app_context():
                refresh(db.session.connection())
                db.session.commit()
        assert client.get("/browse/sectors/consumer-electronics").status_code == 404
        assert rows(soup_of(client.get("/browse/sectors/video-games"))) == ["Sony Group Corporation"]
