"""What a consumer does on the site, in a real browser: find a company, read who runs it and
how to escalate, with JavaScript, without it, and with the keyboard alone."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from directory.formatting import phone_number

from .seed import APPLE_LADDER

MAX_TABS = 40  # a keyboard user reaches the search box and first result well before this


def _activate_option(page, combobox, name: str, max_steps: int = 8) -> None:
    """Press ArrowDown until the combobox's active option (aria-activedescendant, or the option
    marked aria-selected) is `name`; fail when it never is."""
    for _ in range(max_steps):
        combobox.press("ArrowDown")
        active_id = combobox.get_attribute("aria-activedescendant")
        active = (page.locator(f"[id='{active_id}']") if active_id
                  else page.locator("[role=option][aria-selected=true]"))
        if active.count() == 1 and name in active.inner_text():
            return
    raise AssertionError(f"ArrowDown never made {name!r} the active suggestion")


def _tab_until(page, predicate_js: str) -> dict:
    """Press Tab until `predicate_js(document.activeElement)` holds; return the focused
    element's description (tag, text and computed focus indicator)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """(predicateSource) => {
                const el = document.activeElement;
                const matches = new Function('el', 'return (' + predicateSource + ')(el)')(el);
                const style = getComputedStyle(el);
                return {matches, tag: el.tagName, id: el.id, text: (el.innerText || el.value || '').trim(),
                        outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
                        boxShadow: style.boxShadow};
            }""",
            predicate_js,
        )
        if focused["matches"]:
            return focused
    raise AssertionError(f"Tab never reached an element matching {predicate_js}")


def _has_visible_focus(focused: dict) -> bool:
    outline = focused["outlineStyle"] != "none" and focused["outlineWidth"] > 0
    return outline or focused["boxShadow"] not in ("", "none")


def test_suggestions_lead_to_the_company_page_by_keyboard(page, screenshots_dir):
    page.goto("/")
    combobox = page.locator("input#q")
    expect(combobox).to_have_attribute("role", "combobox")
    combobox.press_sequentially("appl", delay=60)

    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(combobox).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option").filter(has_text="Apple Inc.")).to_be_visible()
    page.wait_for_load_state("networkidle")  # no later answer for a shorter prefix redraws the list

    _activate_option(page, combobox, "Apple Inc.")
    page.screenshot(path=screenshots_dir / "home-suggestions-desktop.png")
    combobox.press("Enter")

    expect(page).to_have_url(re.compile(r"/companies/apple-inc$"))
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_contain_text("Apple Inc.")
    expect(main.get_by_role("link", name="Tim Cook").first).to_have_attribute("href", re.compile(r"/people/tim-cook$"))
    # As the page writes them: a US phone number in the US form ("(800) 275-2273").
    ladder_values = [phone_number(value, "US") if kind == "phone" else value for _, kind, value, _ in APPLE_LADDER]
    text = main.inner_text()
    positions = [text.find(value) for value in ladder_values]
    assert -1 not in positions, f"ladder contacts missing from the company page: {dict(zip(ladder_values, positions))}"
    assert positions == sorted(positions), "the escalation ladder is not in order customer service → CEO"
    assert text.find("Tim Cook") < positions[0], "the CEO is not shown before the escalation ladder"


def test_escape_closes_the_suggestions(page):
    page.goto("/")
    combobox = page.locator("input#q")
    combobox.press_sequentially("micro", delay=60)
    expect(page.get_by_role("listbox").get_by_role("option").filter(has_text="Microsoft Corporation")).to_be_visible()
    combobox.press("Escape")
    expect(combobox).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("listbox")).to_be_hidden()


def test_search_form_works_without_javascript(open_page):
    page = open_page(java_script_enabled=False)
    page.goto("/")
    page.locator("input#q").fill("apple")
    page.locator("input#q").press("Enter")

    expect(page).to_have_url(re.compile(r"/search\?q=apple$"))
    results = page.locator(".search-results")
    expect(results.get_by_role("link", name="Apple Inc.").first).to_be_visible()
    expect(results).to_contain_text("Tim Cook")


def test_keyboard_reaches_search_box_and_first_result_with_visible_focus(page):
    page.goto("/")
    search_box = _tab_until(page, "el => el.id === 'q'")
    assert _has_visible_focus(search_box), f"no visible focus style on the search box: {search_box}"

    page.keyboard.type("apple")
    page.keyboard.press("Enter")  # no suggestion chosen: Enter submits the form
    expect(page).to_have_url(re.compile(r"/search\?q=apple"))

    first_result = _tab_until(page, "el => el === document.querySelector('.search-results .result a')")
    assert "Apple" in first_result["text"]
    assert _has_visible_focus(first_result), f"no visible focus style on the first result: {first_result}"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/companies/apple"))


def test_person_page_lists_the_position_with_its_company(page):
    page.goto("/people/tim-cook")
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_contain_text("Tim Cook")
    main.get_by_role("link", name="Apple Inc.").first.click()
    expect(page).to_have_url(re.compile(r"/companies/apple-inc$"))


def test_unknown_company_shows_the_friendly_not_found_page(page, live_server, browser_problems):
    url = f"{live_server}/companies/no-such-company"
    browser_problems.expect_status(url, 404)
    response = page.goto(url)
    assert response.status == 404
    expect(page.locator("main")).to_contain_text(re.compile("not found|could not find", re.I))
    page.locator("main input[name=q]").fill("microsoft")
    page.locator("main input[name=q]").press("Enter")
    expect(page.locator(".search-results").get_by_role("link", name="Microsoft Corporation")).to_be_visible()


def test_the_company_page_leads_to_each_sources_freshness(page):
    page.goto("/companies/apple-inc")
    expect(page.get_by_text("Sources last read")).to_be_visible()
    page.get_by_role("link", name="Status of every source").click()
    expect(page).to_have_url(re.compile(r"/status$"))
    table = page.get_by_role("table", name="Refresh runs by source")
    expect(table.get_by_role("rowheader", name="SEC EDGAR")).to_be_visible()
    expect(table.get_by_role("rowheader", name="Companies House")).to_be_visible()

