"""`make snapshot` from the real public data: SEC's listing, submissions records and the Form 4
digest, through the importers, reproducibly (a subset of ../shared/fixtures/real)."""
from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import pytest

from directory.snapshot.build import build

APPLE, UNDER_ARMOUR, BAUSCH, STARBUCKS, PROCTER = "0000320193", "0001336917", "0000885590", "0000829224", "0000080424"
CELADON = "0000865941"  # delisted: no ticker in SEC's listing
SUBMISSIONS = ("CIK0000865941_celadon-group-inc.json", "CIK0000885590_bausch-health-companies-inc.json",
               "CIK0001336917_under-armour-inc.json")


@pytest.fixture
def real_subset(shared_fixtures, tmp_path) -> Path:
    """A few companies of each real input, laid out as ../shared/fixtures/real lays them out."""
    real = shared_fixtures / "real"
    subset = tmp_path / "real"
    listing = json.loads((real / "edgar/tickers/company_tickers_exchange.json").read_bytes())
    wanted = {int(cik) for cik in (APPLE, UNDER_ARMOUR, BAUSCH, STARBUCKS, PROCTER)}
    (subset / "edgar/tickers").mkdir(parents=True)
    (subset / "edgar/tickers/company_tickers_exchange.json").write_text(json.dumps(
        {"fields": listing["fields"], "data": [row for row in listing["data"] if row[0] in wanted]}))
    (subset / "edgar/submissions-consumer").mkdir(parents=True)
    for name in SUBMISSIONS:
        (subset / "edgar/submissions-consumer" / name).symlink_to(real / "edgar/submissions-consumer" / name)
    for ticker in ("AAPL", "SBUX", "PG"):
        (subset / "form4-digest/data/json" / ticker).mkdir(parents=True)
        (subset / "form4-digest/data/json" / ticker / "quarterly").symlink_to(
            real / "form4-digest/data/json" / ticker / "quarterly")
    return subset


def lines(path: Path) -> dict[str, dict]:
    """Snapshot lines by CIK."""
    records = map(json.loads, gzip.decompress(path.read_bytes()).decode().splitlines())
    return {next(i["value"] for i in r["identifiers"] if i["scheme"] == "cik"): r for r in records}


def test_the_build_is_reproducible_and_holds_the_real_records(real_subset, tmp_path):
    first, second, docs = tmp_path / "first.jsonl.gz", tmp_path / "second.jsonl.gz", tmp_path / "snapshot.md"

    assert build(None, first, real=real_subset, built_on=date(2026, 12, 8), docs=docs) == 6
    assert build(None, second, real=real_subset, built_on=date(2026, 12, 8)) == 6

    assert first.read_bytes() == second.read_bytes()
    found = lines(first)
    # Several share classes: one company, each ticker with its exchange.
    assert sorted((i["value"], i["exchange"]) for i in found[UNDER_ARMOUR]["identifiers"]
                  if i["scheme"] == "ticker") == [("UA", "NYSE"), ("UAA", "NYSE")]
    # A delisted filer without tickers, from its submissions record.
    celadon = found[CELADON]
    assert celadon["name"] == "Celadon Group Inc" and not [i for i in celadon["identifiers"] if i["scheme"] == "ticker"]
    assert celadon["city"] == "INDIANAPOLIS" and celadon["sector"]
    # A foreign address: Bausch Health in Quebec, Canada.
    office = next(a for a in found[BAUSCH]["addresses"] if a["kind"] == "principal_office")
    assert (office["line1"], office["postal_code"], office["region"], office["country"]) == (
        "2150 ST. ELZEAR BLVD. WEST", "H7L 4A8", "QC", "CA")
    assert len(found[BAUSCH]["former_names"]) >= 4
    # A listed company known from the listing alone still has its ticker and the list as source.
    starbucks_ticker = next(i for i in found[STARBUCKS]["identifiers"] if i["scheme"] == "ticker")
    assert starbucks_ticker["value"] == "SBUX" and starbucks_ticker["source"]["url"] == (
        "https://www.sec.gov/files/company_tickers_exchange.json")
    # The digest's executives: the group CEO, never a division head, sourced and linked truthfully.
    ceos = {cik: [p for p in found[cik]["positions"] if p["is_ceo"] and p["is_current"]] for cik in (APPLE, STARBUCKS)}
    assert [p["person"]["name"] for p in ceos[APPLE]] == ["Timothy D. Cook"]
    assert [p["person"]["name"] for p in ceos[STARBUCKS]] == ["Brian R. Niccol"]
    brewer = next(p for p in found[STARBUCKS]["positions"] if p["person"]["name"] == "Brady Brewer")
    assert brewer["title"] == "ceo, International" and not brewer["is_ceo"]
    assert not any(p["is_ceo"] for p in found[PROCTER]["positions"] if "Fabric" in (p["title"] or ""))
    cook = ceos[APPLE][0]
    assert cook["source"]["kind"] == "form4_digest"
    assert cook["source"]["url"] == ("https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK="
                                     f"{cook['person']['sec_cik']}&type=4")
    assert cook["source"]["retrieved_at"] == "2026-12-08T00:00:00+00:00"
    # Its inputs and counts are written down.
    written = docs.read_text()
    assert "built 2026-12-08" in written and "company_tickers_exchange.json" in written
    assert "| companies | 6 |" in written and "| with a CEO |" in written
