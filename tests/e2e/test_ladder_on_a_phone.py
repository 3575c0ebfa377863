"""The company page on a phone: the first contact of every rung comes before the executives
and the company facts, so nobody scrolls past facts to find a way up; the press contact read
from a filing shows its person, its quality and its source."""
from __future__ import annotations

PHONE = {"width": 390, "height": 844}


def test_first_contact_of_each_rung_comes_before_the_company_facts(open_page, screenshots_dir):
    page = open_page(viewport=PHONE, is_mobile=True, device_scale_factor=1)
    assert page.goto("/companies/apple-inc").status == 200
    page.screenshot(path=screenshots_dir / "company-ladder-phone.png", full_page=True)
    tops = page.evaluate(
        """() => {
            const top = el => el.getBoundingClientRect().top + window.scrollY;
            const rungs = [...document.querySelectorAll('ol.ladder > li')].map(rung => {
                const first = rung.querySelector('ul.contacts > li');
                return first ? top(first) : null;
            });
            return {rungs, executives: top(document.getElementById('execs-title')),
                    facts: top(document.getElementById('facts-title'))};
        }"""
    )
    firsts = [t for t in tops["rungs"] if t is not None]
    assert len(firsts) == 4  # the regulator rung lists bodies, not contacts
    assert firsts == sorted(firsts) and max(firsts) < tops["executives"] < tops["facts"]
    # The customer service rung's first contact is on the first screen.
    assert firsts[0] < PHONE["height"]
    page.locator("ol.ladder > li.rung-executive-office").screenshot(path=screenshots_dir / "executive-rung-phone.png")
    page.screenshot(path=screenshots_dir / "company-first-screen-phone.png")
    executive = page.locator("ol.ladder > li.rung-executive-office ul.contacts > li").first
    assert "Josh Rosenstock" in executive.inner_text()
    badge = executive.locator(".badge-quality")
    assert badge.text_content().strip().startswith("filed 1 February 2024")
    assert executive.locator(".source a").get_attribute("href").endswith("a8-kex991q1202412302023.htm")
