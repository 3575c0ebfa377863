"""Trust labels say what checked a contact and when (issue 30, item 8): a reader's suggestion
accepted by a moderator is a "moderated suggestion", never a bare "verified" that reads
stronger than the company's own filings; each badge is explained beside the ladder and on /about."""
from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

from directory.extensions import db
from directory.models import Contribution
from tests.community import client_for, make_user, submit, suggest_and_send
from tests.factories import make_company, make_contact, make_source


def test_an_accepted_suggestion_is_labelled_a_moderated_suggestion_and_every_badge_is_explained(app, client):
    with app.app_context():
        company = make_company("Acme Widgets Inc.", city="Phoenix", region="AZ")
        make_contact(company, "phone", "+1 602 555 0199", tier="executive_office", label="Investor relations",
                     source=make_source())
        make_user("contributor@example.org")
        make_user("mod@example.org", role="moderator")
        db.session.commit()
        company_id = company.id
    contributor = client_for(app, "contributor@example.org")
    suggest_and_send(contributor, f"/contribute/suggest/contact_add/{company_id}", {
        "kind": "phone", "value": "+1 602 555 0100", "tier": "customer_service", "label": "Help line",
        "evidence_url": "https://acme.example/contact"})
    with app.app_context():
        item_id = db.session.scalar(select(Contribution.id))
    assert submit(client_for(app, "mod@example.org"), f"/moderate/contributions/{item_id}",
                  {"action": "approve"}).status_code == 302

    soup = BeautifulSoup(client.get("/companies/acme-widgets-inc").get_data(as_text=True), "lxml")
    badges = {li.select_one(".contact-value").get_text(strip=True): li.select_one(".badge-quality")
              for li in soup.select("ol.ladder li.contact") if li.select_one(".badge-quality")}
    suggested, filed = badges["(602) 555-0100"], badges["(602) 555-0199"]
    assert suggested.get_text(" ", strip=True).startswith("moderated suggestion")
    assert "verified" not in suggested.get_text().lower()
    assert "accepted by a moderator" in suggested["title"] and "not confirmed" in suggested["title"]
    assert filed.get_text(" ", strip=True).startswith("filed") and "filing" in filed["title"]
    legend = soup.select_one("details.trust-key")
    assert legend is not None and "What the labels" in legend.summary.get_text()
    assert "moderated suggestion" in legend.get_text() and "The company has not confirmed it" in legend.get_text()

    about = BeautifulSoup(client.get("/about").get_data(as_text=True), "lxml")
    section = about.find(id="labels")
    assert section is not None
    terms = [dt.get_text(strip=True) for dt in about.select(".trust-legend dt")]
    assert terms == ["scraped", "filed", "moderated suggestion", "checked by a moderator", "tested"]
