"""The letter composer in a real browser: the preview follows the typing, and the mailto
link the script builds is exactly the one the server builds for the same case."""
from __future__ import annotations

from playwright.sync_api import expect

CASE = {
    "what_happened": 'Screen died after 2 days & they said "no"?\nSecond line #2 at 50%',
    "references": "Case 12/34 & 56",
    "wanted": "A replacement (or refund).",
    "your_name": "Zoë O'Brien",
}


def test_preview_and_mailto_follow_the_typing_and_match_the_server(page):
    page.goto("/companies/apple-inc/write")
    preview = page.locator("#letter-preview")
    expect(preview.locator("[data-field=what_happened]")).to_have_text("[What happened]")
    expect(page.locator("[data-copy-letter]")).to_be_visible()

    for name, value in CASE.items():
        page.locator(f"[name={name}]").fill(value)
    expect(preview.locator("p[data-requires=references]")).to_be_visible()
    expect(preview.locator("p[data-requires=dates]")).to_be_hidden()
    assert preview.locator("[data-field=what_happened]").inner_text() == CASE["what_happened"]
    typed_mailto = page.locator("a[data-mailto]").get_attribute("href")

    page.get_by_role("button", name="Update the letter").click()
    page.wait_for_load_state()
    assert page.locator("[name=references]").input_value() == CASE["references"]
    assert page.locator("a[data-mailto]").get_attribute("href") == typed_mailto


def test_changing_the_step_rewrites_the_letter(page):
    page.goto("/companies/apple-inc/write")
    page.locator("[name=what_happened]").fill("It broke.")
    with page.expect_navigation():
        page.locator("select[name=rung]").select_option("regulator")
    expect(page.locator("#letter-preview .letter-recipient")).to_contain_text("Federal Trade Commission")
    assert page.locator("[name=what_happened]").input_value() == "It broke."


def test_composer_has_no_serious_accessibility_violations(open_page, axe_source):
    page = open_page(bypass_csp=True)  # axe is injected, which the CSP rightly forbids
    assert page.goto("/companies/apple-inc/write").status == 200
    page.add_script_tag(content=axe_source)
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    blocking = [f"{v['id']}: {v['help']}" for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert not blocking, blocking
