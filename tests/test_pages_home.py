"""Home, about, error pages and the site chrome every page shares."""
from bs4 import BeautifulSoup

from directory.extensions import db
from tests.factories import make_company


def soup_of(response):
    return BeautifulSoup(response.get_data(as_text=True), "lxml")


def test_home_shows_counts_and_recently_updated_companies(app, client):
    with app.app_context():
        make_company("Apple Inc.", ceo="Timothy D. Cook", executives=[("Luca Maestri", "CFO", "cfo")])
        make_company("Tesco PLC", country="GB", ceo="Ken Murphy")
        db.session.commit()

    soup = soup_of(client.get("/"))
    counts = {div.dt.get_text(strip=True): div.dd.get_text(strip=True) for div in soup.select("dl.counts > div")}
    assert counts == {"Companies": "2", "Executives": "3", "Countries": "2"}
    recent = soup.select(".recent-list li")
    assert [li.a.get_text(strip=True) for li in recent] == ["Tesco PLC", "Apple Inc."]
    assert "Ken Murphy" in recent[0].get_text()


def test_home_search_box_is_an_accessible_combobox_that_works_without_js(client):
    soup = soup_of(client.get("/"))
    form = soup.select_one("main form[role=search]")
    assert (form["action"], form["method"]) == ("/search", "get")
    box = form.select_one("input#q")
    assert box["name"] == "q" and box["autocomplete"] == "off"
    assert soup.select_one("label[for=q]") is not None
    assert box["role"] == "combobox" and box["aria-expanded"] == "false"
    assert soup.select_one(f"#{box['aria-controls']}")["role"] == "listbox"
    # The compact header search is left out on the home page: one search box only.
    assert len(soup.select("form[role=search]")) == 1


def test_home_explains_the_escalation_ladder(client):
    steps = [li.strong.get_text(strip=True) for li in soup_of(client.get("/")).select(".ladder-steps li")]
    assert steps == ["Customer service.", "Formal complaint.", "Executive office.", "The chief executive.",
                     "Regulator or ombudsman."]


def test_pages_share_landmarks_and_load_no_inline_code(app, client):
    with app.app_context():
        make_company("Apple Inc.", ceo="Timothy D. Cook", city="Cupertino", sic_code="3571")
        db.session.commit()

    for url in ("/", "/about", "/companies/apple-inc", "/people/timothy-d-cook", "/browse/", "/browse/a-z/A",
                "/browse/countries/", "/browse/countries/US", "/browse/sectors/", "/browse/sectors/3571"):
        response = client.get(url)
        assert response.status_code == 200, url
        soup = soup_of(response)
        assert soup.html["lang"] == "en"
        assert soup.select_one("a.skip-link")["href"] == "#content"
        assert soup.select_one("main#content") and soup.header and soup.footer and soup.nav
        assert len(soup.find_all("h1")) == 1, url
        # Code only from files; a JSON-LD block is data, which browsers never run.
        assert all(script.get("src") or script.get("type") == "application/ld+json"
                   for script in soup.find_all("script")), url
        assert soup.select_one("script[src='/static/js/site.js']").has_attr("defer")
        assert not soup.select("[style]") and not soup.find_all("style"), url


def test_header_search_on_inner_pages(client):
    soup = soup_of(client.get("/about"))
    form = soup.select_one("header form[role=search]")
    assert form["action"] == "/search" and form.select_one("input[name=q]") is not None


def test_about_page_covers_sources_freshness_inference_and_errors(client):
    soup = soup_of(client.get("/about"))
    text = soup.get_text(" ", strip=True)
    for phrase in ("SEC EDGAR", "Forms 3, 4 and 5", "8-K, item 5.02", "Companies House",
                   "Moderated contributions", "inferred", "Reporting an error"):
        assert phrase in text


def test_friendly_404_has_search_and_home_link(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    soup = soup_of(response)
    assert "404" in soup.title.get_text()
    assert soup.select_one("main form[role=search]")["action"] == "/search"
    assert soup.select_one("main a[href='/']").get_text(strip=True) == "Go to the home page"


def test_robots_and_static_assets_are_served(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and "Disallow: /review/" in response.get_data(as_text=True)
    response.close()
    for path in ("/static/css/site.css", "/static/js/site.js", "/static/favicon.svg"):
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()
