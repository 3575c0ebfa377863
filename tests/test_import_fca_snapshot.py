"""The bundled snapshot carries the FCA register's recorded firm: its complaints contact,
chief executive and status, with public links only."""
from __future__ import annotations

import gzip
import json

from directory.snapshot.build import build


def test_snapshot_carries_the_fca_firm_with_its_complaints_contact_and_ceo(shared_fixtures, tmp_path, runner, client):
    mirror = tmp_path / "fixtures" / "edgar-mirror"
    (mirror / "data" / "submissions").mkdir(parents=True)
    (tmp_path / "fixtures" / "real").mkdir()
    (tmp_path / "fixtures" / "real" / "fca-register").symlink_to(shared_fixtures / "real" / "fca-register")
    out = tmp_path / "snapshot.jsonl.gz"

    assert build(mirror, out, lookback_days=365, real=tmp_path / "fixtures" / "real") == 1

    text = gzip.decompress(out.read_bytes()).decode()
    assert "127.0.0.1" not in text
    (firm,) = map(json.loads, text.splitlines())
    assert firm["name"] == "J.P. Morgan Personal Investing Limited"
    assert (firm["fca_status"], firm["fca_status_since"]) == ("Authorised", "2011-10-06")
    assert {(i["scheme"], i["value"]) for i in firm["identifiers"]} >= {("frn", "552016"), ("ch_number", "07503666")}
    fries = next(c for c in firm["contacts"] if c["kind"] == "phone")
    assert (fries["person_name"], fries["tier"], fries["as_of"]) == ("Anders Fries", "complaints", "2026-02-27")
    assert fries["source"]["url"] == "https://register.fca.org.uk/s/search?q=552016&type=Companies"
    ceo = next(p for p in firm["positions"] if p["is_ceo"])
    assert ceo["person"]["name"] == "James McManus" and ceo["title"] == "SMF1 Chief Executive"

    result = runner.invoke(args=["import", str(out)])  # and the snapshot loads it back
    assert result.exit_code == 0 and "problems: 0" in result.output, result.output
    page = client.get("/companies/j-p-morgan-personal-investing-limited").get_data(as_text=True)
    assert "Anders Fries" in page and "Authorised" in page and "Financial Ombudsman Service" in page
