"""A public digest of Form 4 filings: the executives of S&P 500 companies with their titles.

The "SEC Form4 API" (github.com/kenny-hk/sec-form4-api, MIT) collects the Form 4 filings of
S&P 500 companies from EDGAR and publishes them as JSON, one file per ticker and quarter:
`data/json/<TICKER>/quarterly/<YYYY>-Q<N>.json`, each with `transactions` naming the
reporting owner as SEC files it ("COOK TIMOTHY D"), the owner's CIK (sometimes null), the
officer title as filed and the transaction date.

It is a third party's digest, not SEC's own file: it has no accession numbers and a person
appears only once they trade. So a fact taken from it says so (source kind `form4_digest`),
is dated by its transaction, and links to the owner's Form 4 filings on EDGAR, where a
reader can check it. Pure functions: bytes or folders in, `OfficerRecord`s out.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import ParseError
from ..names import display_name, is_entity_name
from ..records import OfficerRecord, SourceRef
from ..titles import classify_title
from .urls import pad_cik

SOURCE_KIND = "form4_digest"
SOURCE_TITLE = "A public digest of Form 4 filings"
FORM4_LIST_URL = "{www}/cgi-bin/browse-edgar?action=getcompany&CIK={cik}&type=4"


@dataclass(frozen=True)
class DigestTransaction:
    """One transaction of the digest, as much of it as says who holds which post when."""

    ticker: str
    issuer_name: str
    owner: str  # as filed: "COOK TIMOTHY D"
    owner_cik: str | None  # ten digits, or None when the digest left it out
    title: str | None  # the Form 4's officer title, as filed
    on: date  # the transaction date


def parse_quarter(data: bytes | str, *, url: str | None = None) -> list[DigestTransaction]:
    """The transactions of one quarterly file; one without an owner or a valid date is skipped."""
    try:
        doc = json.loads(data)
    except ValueError as error:
        raise ParseError(url, f"not JSON: {error}") from error
    if not isinstance(doc, dict) or not isinstance(doc.get("transactions"), list):
        raise ParseError(url, "a digest file without transactions")
    ticker = normalise_ticker(doc.get("ticker") or "")
    rows = []
    for item in doc["transactions"]:
        if not isinstance(item, dict) or not (item.get("reporting_owner") or "").strip():
            continue
        try:
            on = date.fromisoformat(str(item.get("transaction_date") or "")[:10])
        except ValueError:
            continue
        cik = str(item.get("reporting_owner_cik") or "").strip()
        rows.append(DigestTransaction(
            ticker=ticker, issuer_name=(item.get("issuer_name") or "").strip(),
            owner=" ".join(item["reporting_owner"].split()), owner_cik=pad_cik(cik) if cik.isdigit() else None,
            title=" ".join((item.get("reporting_owner_position") or "").split()) or None, on=on))
    return rows


def normalise_ticker(ticker: str) -> str:
    """The digest writes share classes "BRK.B"; SEC's listing writes "BRK-B"."""
    return ticker.strip().upper().replace(".", "-")


def quarter_files(folder: Path) -> list[Path]:
    """Every quarterly file under the digest's `data/json/`, in a stable order."""
    return sorted(Path(folder).glob("*/quarterly/*.json"))


def iter_transactions(folder: Path) -> Iterator[DigestTransaction]:
    """Every readable transaction of the digest folder (`data/json/`); a malformed file is skipped."""
    for path in quarter_files(folder):
        try:
            yield from parse_quarter(path.read_bytes(), url=str(path))
        except ParseError:
            continue


def by_ticker(transactions: Iterable[DigestTransaction]) -> dict[str, list[DigestTransaction]]:
    grouped: dict[str, list[DigestTransaction]] = {}
    for transaction in transactions:
        grouped.setdefault(transaction.ticker, []).append(transaction)
    return grouped


@dataclass(frozen=True)
class _Owner:
    latest: DigestTransaction  # the newest transaction with a title: the title and date we show
    first_titled: date  # the first transaction under a title of the same kind (CEO or not)


def digest_officers(transactions: Iterable[DigestTransaction], *, issuer_cik: str,
                    www_url: str = "https://www.sec.gov") -> list[OfficerRecord]:
    """The officers one issuer's transactions name, each under their newest title as filed.

    Owners who never filed a title (directors and large holders trading as such) are left
    out. The company's CEO is told apart from division heads by `classify_title`: only a
    title made of role words is the group's ("CEO-Fabric Home & Habitat Care" is not). A
    chief executive whose last transaction came before the first one of another filed as
    CEO was succeeded by them and is left out too; co-CEOs, whose trading overlaps, stay.
    """
    owners: dict[str, _Owner] = {}
    for transaction in sorted(transactions, key=lambda t: (t.on, t.owner, t.title or "")):
        if not transaction.title:
            continue
        key = transaction.owner_cik or transaction.owner.upper()
        previous = owners.get(key)
        same_kind = previous is not None and (
            _is_group_ceo(previous.latest.title) == _is_group_ceo(transaction.title))
        owners[key] = _Owner(transaction, previous.first_titled if same_kind else transaction.on)
    ceos = [owner for owner in owners.values() if _is_group_ceo(owner.latest.title)]
    succeeded = {id(owner) for owner in ceos
                 if any(other.first_titled > owner.latest.on for other in ceos if other is not owner)}
    return [officer_record(owner.latest, issuer_cik=issuer_cik, www_url=www_url)
            for owner in sorted(owners.values(), key=lambda o: (o.latest.owner, o.latest.owner_cik or ""))
            if id(owner) not in succeeded]


def _is_group_ceo(title: str | None) -> bool:
    return classify_title(title).is_ceo


def officer_record(transaction: DigestTransaction, *, issuer_cik: str,
                   www_url: str = "https://www.sec.gov") -> OfficerRecord:
    """One owner's post as the digest gives it, linked to their Form 4 filings on EDGAR (the
    issuer's, when the digest has no owner CIK)."""
    cik = transaction.owner_cik or pad_cik(issuer_cik)
    source = SourceRef(
        kind=SOURCE_KIND, url=FORM4_LIST_URL.format(www=www_url.rstrip("/"), cik=cik),
        document_id=f"{cik} {transaction.on.isoformat()}", filed_on=transaction.on,
        title=SOURCE_TITLE)
    kind = classify_title(transaction.title)
    return OfficerRecord(
        name=display_name(transaction.owner), raw_name=transaction.owner, source=source,
        external_id=transaction.owner_cik, external_scheme="sec_cik" if transaction.owner_cik else None,
        is_person=not is_entity_name(transaction.owner), title=transaction.title, role=kind.role,
        is_ceo=kind.is_ceo, ceo_confidence=kind.ceo_confidence)
