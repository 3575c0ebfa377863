"""The bundled snapshot carries what the written company pages yield, under the real sites' addresses."""
from __future__ import annotations

import gzip
import json

from directory.snapshot.build import build
from tests.test_import_edgar_snapshot import apple_only_mirror


def test_snapshot_has_apples_website_contacts_with_public_links(shared_fixtures, tmp_path):
    out = tmp_path / "snapshot.jsonl.gz"

    assert build(apple_only_mirror(shared_fixtures, tmp_path), out, lookback_days=365,
                 websites=shared_fixtures / "websites") == 1

    text = gzip.decompress(out.read_bytes()).decode()
    assert "127.0.0.1" not in text
    apple = json.loads(text.splitlines()[0])
    assert apple["website"] == "https://www.apple.com/"
    scraped = {(c["tier"], c["role"], c["value"]): c for c in apple["contacts"] if c["quality"] == "scraped"}
    assert set(scraped) == {
        ("customer_service", "customer_service", "+1-800-275-2273"),
        ("customer_service", "customer_service", "https://support.apple.com/contact"),
        ("customer_service", "social", "https://x.com/AppleSupport"),
        ("customer_service", "social", "https://www.youtube.com/apple"),
        ("customer_service", "social", "https://www.instagram.com/apple"),
    }
    phone = scraped[("customer_service", "customer_service", "+1-800-275-2273")]
    assert phone["source"]["url"] == "https://www.apple.com/contact/"
    assert phone["source"]["kind"] == "company_website"
