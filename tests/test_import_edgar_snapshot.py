"""The bundled snapshot builder: mirror over loopback HTTP, import, public links, export."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from directory.importers.snapshot_build import build


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
