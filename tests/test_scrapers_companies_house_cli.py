"""`python -m scrapers companies-house` prints what the crawler reads, touching no database."""
from __future__ import annotations

import json

from scrapers.__main__ import main

from .test_import_companies_house_e2e import register  # noqa: F401 - the fixture


def test_prints_the_crawled_company_as_json(register, monkeypatch, capsys, tmp_path):  # noqa: F811
    monkeypatch.setenv("COMPANIES_HOUSE_API_KEY", "test-key-0000")
    monkeypatch.setenv("COMPANIES_HOUSE_API_URL", f"{register.root}/api")
    monkeypatch.setenv("COMPANIES_HOUSE_WEB_URL", f"{register.root}/web")
    monkeypatch.setenv("SCRAPER_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["companies-house", "--number", "445790"]) == 0
    bundle = json.loads(capsys.readouterr().out)
    assert bundle["number"] == "00445790" and bundle["company"]["name"] == "TESCO PLC"
    assert len(bundle["officers"]) == 7
    assert bundle["errors"][0]["message"] == "officer #8 without a name"


def test_unknown_number_prints_no_company(register, monkeypatch, capsys):  # noqa: F811
    monkeypatch.delenv("COMPANIES_HOUSE_API_KEY", raising=False)
    monkeypatch.setenv("COMPANIES_HOUSE_WEB_URL", f"{register.root}/web")
    monkeypatch.delenv("SCRAPER_CACHE_DIR", raising=False)
    assert main(["companies-house", "--number", "99999999"]) == 0
    assert json.loads(capsys.readouterr().out)["company"] is None
