"""Helpers for .ci/audit.sh, run with the project's .venv python from the repository root.

    audit_helper.py seed DATABASE_URL INDEX_DIR      migrate, seed the e2e directory, add a contributor
    audit_helper.py cookie BASE_URL                  log the contributor in; print "session=..."
    audit_helper.py wapiti-findings REPORT.json      print XSS / SQL injection / CSRF findings; exit 1 if any
    audit_helper.py pip-audit-verdict REPORT.json LOG
                                                     what pip-audit checked: exit 0 (checked, none known),
                                                     1 (known vulnerabilities), 2 (could not check)

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


CHECKED, VULNERABLE, NOT_CHECKED = 0, 1, 2


def pip_audit_verdict(report_path: str, log_path: str) -> int:
    """pip-audit's JSON report read for what it proves. Without a reachable vulnerability
    database pip-audit writes no report (or skips every package): that is "not checked",
    said in so many words, never "no known vulnerabilities"; only a check that ran and found
    something fails the audit."""
    try:
        dependencies = json.loads(Path(report_path).read_text())["dependencies"]
    except (OSError, ValueError, KeyError, TypeError):
        dependencies = []
    checked = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in checked if d.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            print(f"FAIL  {dependency['name']} {dependency.get('version', '')}: {vuln.get('id')} (fixed in {fixes})")
    if not checked:
        print(f"pip-audit: NOT CHECKED, no vulnerability database could be reached ({_last_line(log_path)})")
        return NOT_CHECKED
    skipped = len(dependencies) - len(checked)
    print(f"pip-audit: {len(checked)} package(s) checked, {len(vulnerable)} with known vulnerabilities"
          + (f", {skipped} not checked" if skipped else ""))
    return VULNERABLE if vulnerable else CHECKED


def _last_line(log_path: str) -> str:
    try:
        lines = [line.strip() for line in Path(log_path).read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        lines = []
    return lines[-1][:300] if lines else "pip-audit wrote no report"


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    if command == "seed":
        seed(*arguments)
    elif command == "cookie":
        cookie(*arguments)
    elif command == "wapiti-findings":
        sys.exit(wapiti_findings(*arguments))
    elif command == "pip-audit-verdict":
        sys.exit(pip_audit_verdict(*arguments))
    else:
        raise SystemExit(__doc__)
