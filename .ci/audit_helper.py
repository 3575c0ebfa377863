"""Helpers for .ci/audit.sh, run with the project's .venv python from the repository root.

    audit_helper.py seed DATABASE_URL INDEX_DIR      migrate, seed the e2e directory, add a contributor
    audit_helper.py cookie BASE_URL                  log the contributor in; print "session=..."
    audit_helper.py wapiti-findings REPORT.json      print XSS / SQL injection / CSRF findings; exit 1 if any

The seeded data is the browser journeys' (tests/e2e/seed.py), so the scanners crawl real
company pages, forms and search results.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CONTRIBUTOR = ("audit-contributor@example.org", "an audit passphrase that is long")
# Wapiti's category names for the classes of finding that fail the audit.
FAILING_CATEGORIES = re.compile(r"cross site scripting|sql injection|cross site request forgery", re.IGNORECASE)


def seed(database_url: str, index_dir: str) -> None:
    from flask_migrate import upgrade

    from directory import create_app, search_index
    from directory.extensions import db
    from directory.operations.accounts import register
    from tests.e2e.seed import seed_directory

    app = create_app({"SECRET_KEY": "audit-seed-only", "SQLALCHEMY_DATABASE_URI": database_url,
                      "SEARCH_INDEX_DIR": index_dir})
    with app.app_context():
        upgrade()
        seed_directory()
        register(*CONTRIBUTOR)
        db.session.commit()
        search_index.rebuild()
        db.engine.dispose()


def cookie(base_url: str) -> None:
    import requests
    from bs4 import BeautifulSoup

    session = requests.Session()
    page = session.get(f"{base_url}/accounts/login", timeout=30)
    token = BeautifulSoup(page.text, "lxml").find("input", attrs={"name": "csrf_token"})["value"]
    email, password = CONTRIBUTOR
    response = session.post(f"{base_url}/accounts/login", allow_redirects=False, timeout=30,
                            data={"csrf_token": token, "email": email, "password": password})
    if response.status_code != 302:
        raise SystemExit(f"audit login failed: HTTP {response.status_code}")
    print("; ".join(f"{name}={value}" for name, value in session.cookies.get_dict().items()))


def wapiti_findings(report_path: str) -> int:
    report = json.loads(Path(report_path).read_text())
    failing = 0
    for category, findings in report.get("vulnerabilities", {}).items():
        for finding in findings:
            marker = "FAIL" if FAILING_CATEGORIES.search(category) else "note"
            failing += marker == "FAIL"
            print(f"{marker}  {category}: {finding.get('method')} {finding.get('path')} "
                  f"{finding.get('parameter', '')} {finding.get('info', '')}")
    print(f"wapiti: {failing} XSS / SQL injection / CSRF finding(s)")
    return 1 if failing else 0


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    if command == "seed":
        seed(*arguments)
    elif command == "cookie":
        cookie(*arguments)
    elif command == "wapiti-findings":
        sys.exit(wapiti_findings(*arguments))
    else:
        raise SystemExit(__doc__)
