"""Screenshots of the main pages at phone and desktop widths, kept in build/screenshots/ as CI
artifacts for a person to look at, and the one layout fault a test can see: nothing wider
than the screen, which would make a phone user scroll sideways."""
from __future__ import annotations

import pytest

PAGES = {"home": "/", "search": "/search?q=apple", "company": "/companies/apple-inc", "status": "/status",
         "no-results": "/search?q=zzqx", "browse": "/browse/", "sectors": "/browse/sectors/",
         "leaderboards": "/leaderboards", "about": "/about", "data": "/data", "privacy": "/privacy",
         "register": "/accounts/register", "login": "/accounts/login", "suggest-company": "/contribute/new-company",
         "person": "/people/tim-cook", "history": "/history/company/1"}
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=VIEWPORTS.keys())
@pytest.mark.parametrize("name", PAGES, ids=PAGES.keys())
def test_page_fits_the_screen(open_page, screenshots_dir, name, viewport):
    page = open_page(viewport=VIEWPORTS[viewport], is_mobile=viewport == "phone",
                     device_scale_factor=1)
    response = page.goto(PAGES[name])
    assert response.status == 200
    path = screenshots_dir / f"{name}-{viewport}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0

    too_wide = page.evaluate(
        """() => {
            const limit = document.documentElement.clientWidth;
            return [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > limit + 1 && getComputedStyle(el).position !== 'fixed')
                .filter(el => !el.closest('.visually-hidden, .skip-link, [hidden]'))
                .slice(0, 5)
                .map(el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + String(el.className).split(' ').join('.') : ''}`);
        }"""
    )
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    client_width = page.evaluate("() => document.documentElement.clientWidth")
    assert scroll_width <= client_width, (
        f"{name} at {viewport} width scrolls sideways ({scroll_width}px > {client_width}px); "
        f"widest elements: {too_wide}"
    )
