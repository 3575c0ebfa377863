"""The company page at desktop width: each ladder contact reads left to right at a useful width
(its person, channel, source and "It didn't work for me" never squeezed into a narrow label
column where names break mid-word), and a rung's contacts sit side by side instead of one long
column with the right side of the page empty."""
from __future__ import annotations

DESKTOP = {"width": 1280, "height": 900}


def test_ladder_contacts_are_laid_out_for_the_width(open_page, screenshots_dir):
    page = open_page(viewport=DESKTOP, device_scale_factor=1)
    assert page.goto("/companies/apple-inc").status == 200
    page.screenshot(path=screenshots_dir / "company-ladder-desktop.png", full_page=True)
    contacts = page.evaluate(
        """() => [...document.querySelectorAll('ol.ladder ul.contacts > li.contact-card')].map(li => {
            const box = part => { const el = li.querySelector(part); return el ? el.getBoundingClientRect() : null; };
            const who = box('.contact-who'), channel = box('.contact-channel');
            const person = li.querySelector('.contact-person');
            return {who: who && who.width, channel: channel && channel.width, left: li.getBoundingClientRect().left,
                    top: li.getBoundingClientRect().top, personLines: person ? person.getClientRects().length : 1,
                    text: li.innerText.split('\\n')[0]};
        })"""
    )
    assert len(contacts) >= 5
    for contact in contacts:
        assert contact["who"] > 250 and contact["channel"] > 250, contact  # the width of the card, not a label column
        assert contact["personLines"] == 1, contact  # "Josh Rosenstock" on one line, never "Rosensto ck"
    executive = [c for c in contacts if "Josh Rosenstock" in c["text"]]
    rows = {round(c["top"]) for c in contacts}
    assert len(rows) < len(contacts)  # some contacts share a row: the page uses its width
    assert executive
