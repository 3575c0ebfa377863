"""A consumer who knows the product, not the company: a brand leads to who runs it."""
from __future__ import annotations

import re

from playwright.sync_api import expect


def test_a_brand_search_says_why_and_leads_to_the_company(page):
    page.goto("/")
    page.locator("input#q").fill("iphone")
    page.locator("input#q").press("Enter")

    expect(page).to_have_url(re.compile(r"/search\?q=iphone$"))
    result = page.locator(".search-results .result").first
    expect(result).to_contain_text("brand: iPhone")
    result.get_by_role("link", name="Apple Inc.").click()

    expect(page).to_have_url(re.compile(r"/companies/apple-inc$"))
    main = page.locator("main")
    expect(main).to_contain_text("Brands: iPhone")
    expect(main.get_by_role("link", name="Tim Cook").first).to_be_visible()
