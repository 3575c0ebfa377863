"""The bundled snapshot builder: mirror over loopback HTTP, import, public links, export."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from directory.snapshot.build import build


def apple_only_mirror(shared_fixtures, tmp_path) -> Path:
    """The EDGAR mirror with Apple's submissions alone: a one-company snapshot builds fast."""
    mirror = tmp_path / "mirror"
    (mirror / "data" / "submissions").mkdir(parents=True)
    source = shared_fixtures / "edgar-mirror"
    (mirror / "www").symlink_to(source / "www")
    (mirror / "data" / "submissions" / "CIK0000320193.json").symlink_to(
        source / "data" / "submissions" / "CIK0000320193.json")
    return mirror


def test_snapshot_from_the_mirror_shows_the_ceo_at_capture_with_edgar_links(shared_fixtures, tmp_path):
    out = tmp_path / "snapshot.jsonl.gz"

    assert build(apple_only_mirror(shared_fixtures, tmp_path), out, lookback_days=365) == 1

    text = gzip.decompress(out.read_bytes()).decode()
    assert "127.0.0.1" not in text
    apple = json.loads(text.splitlines()[0])
    assert apple["name"] == "Apple Inc."
    ceo = next(p for p in apple["positions"] if p["is_ceo"])
    assert ceo["title"] == "Chief Executive Officer" and ceo["is_current"]
    assert "Timothy D. Cook" in json.dumps(ceo)
    assert ceo["source"]["url"] == ("https://www.sec.gov/Archives/edgar/data/320193/000032019323000079/"
                                    "0000320193-23-000079-index.htm")
    josh = next(c for c in apple["contacts"] if c["value"] == "jrosenstock@apple.com")
    assert (josh["person_name"], josh["role"], josh["quality"], josh["tier"]) == (
        "Josh Rosenstock", "press", "filed", "executive_office")
    assert josh["source"]["url"] == ("https://www.sec.gov/Archives/edgar/data/320193/000032019324000005/"
                                     "a8-kex991q1202412302023.htm")


def test_snapshot_carries_the_wikidata_companies_their_brands_and_public_links(shared_fixtures, tmp_path):
    mirror = tmp_path / "mirror"
    (mirror / "data" / "submissions").mkdir(parents=True)
    out = tmp_path / "snapshot.jsonl.gz"

    assert build(mirror, out, lookback_days=365, wikidata=shared_fixtures / "wikidata") == 4

    text = gzip.decompress(out.read_bytes()).decode()
    assert "127.0.0.1" not in text
    lines = {line["name"]: line for line in map(json.loads, text.splitlines())}
    sony = lines["Sony Group Corporation"]
    assert [b["name"] for b in sony["brands"]] == ["Bravia", "PlayStation", "Walkman"]
    assert {"scheme": "wikidata", "value": "Q41187"}.items() <= next(
        i for i in sony["identifiers"] if i["scheme"] == "wikidata").items()
    totoki = next(p for p in sony["positions"] if p["is_current"] and p["is_ceo"])
    assert totoki["person"]["wikidata_id"] == "Q990000123" and totoki["source"]["kind"] == "wikidata"
