"""axe-core on every kind of page: no serious or critical accessibility violation.

axe is injected into the page, which the site's CSP (`script-src 'self'`) rightly forbids, so
these pages are opened with CSP bypassed; the journeys keep the CSP on.
"""
from __future__ import annotations

import pytest

PAGES = {
    "home": "/",
    "search": "/search?q=apple",
    "company": "/companies/apple-inc",
    "person": "/people/tim-cook",
    "browse": "/browse/",
    "browse-letter": "/browse/a-z/a",
    "browse-countries": "/browse/countries/",
    "browse-sector": "/browse/sectors/3571",
    "about": "/about",
    "privacy": "/privacy",
    "objection": "/people/tim-cook/object",
    "open-data": "/data",
    "status": "/status",
}
BLOCKING_IMPACTS = ("serious", "critical")


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {', '.join(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_serious_accessibility_violations(open_page, axe_source, path):
    page = open_page(bypass_csp=True)
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    page.add_script_tag(content=axe_source)
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"accessibility violations on {path}:\n{_describe(blocking)}"
