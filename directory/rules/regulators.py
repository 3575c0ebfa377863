"""The curated regulators and ombudsmen, and which of them apply to a company.

The data lives in `directory/data/regulators.json` (reviewed by people, every entry citing the
body's own website), not in the database: it changes rarely and belongs in code review. What
does live in the database is the per-company override a moderator sets (`CompanyRegulator`),
because membership of a voluntary scheme is a fact about one company.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "regulators.json"
REQUIRED_FIELDS = ("id", "name", "country", "sectors", "handles", "website", "source")


@dataclass(frozen=True)
class Regulator:
    id: str
    name: str
    kind: str  # ombudsman | regulator | consumer_body
    country: str
    sectors: tuple[str, ...]
    handles: str
    website: str
    source: str
    complaint_url: str | None = None
    wait_weeks: int | None = None  # how long the company must have had before this body steps in
    deadline_months: int | None = None  # how long the consumer has to bring the case
    deadline_from: str | None = None
    response_days: int | None = None  # how long the company has to answer once the body forwards it
    membership_compulsory: bool = True
    wait_rule: str | None = None  # whose rule sets `wait_weeks` ("Ofcom's rules for providers")
    registers: tuple[str, ...] = ()  # registers whose members this body takes ("fca")
    reason: str | None = None  # why it applies to the company at hand, set by `regulators_for`

    @property
    def is_ombudsman(self) -> bool:
        return self.kind == "ombudsman"


@dataclass(frozen=True)
class SectorRange:
    scheme: str  # us_sic_1987 (SEC) | uk_sic_2007 (Companies House)
    start: int
    end: int
    sector: str

    def covers(self, code: int) -> bool:
        return self.start <= code <= self.end


@dataclass(frozen=True)
class RegulatorData:
    regulators: dict[str, Regulator]
    sector_labels: dict[str, str]
    sector_map: tuple[SectorRange, ...]
    schemes: dict[str, str]  # country -> SIC scheme its companies' codes use
    default_sector: str


def validate(raw: dict) -> list[str]:
    """Every problem in a parsed data file, as sentences; empty when the file is sound."""
    errors = []
    sectors = raw.get("sectors") or {}
    ids = set()
    for index, entry in enumerate(raw.get("regulators") or []):
        name = entry.get("id") or f"entry {index}"
        errors += [f"{name}: missing {field}" for field in REQUIRED_FIELDS if not entry.get(field)]
        if entry.get("id") in ids:
            errors.append(f"{name}: duplicate id")
        ids.add(entry.get("id"))
        for url_field in ("website", "source", "complaint_url"):
            url = entry.get(url_field)
            if url and not url.startswith("https://"):
                errors.append(f"{name}: {url_field} is not an https URL")
        errors += [f"{name}: unknown sector {s}" for s in entry.get("sectors") or () if s not in sectors]
    for row in raw.get("sector_map") or []:
        label = f"sector_map {row.get('scheme')} {row.get('from')}-{row.get('to')}"
        if row.get("sector") not in sectors:
            errors.append(f"{label}: unknown sector {row.get('sector')}")
        elif not any(row["sector"] in (e.get("sectors") or ()) for e in raw.get("regulators") or ()):
            errors.append(f"{label}: no regulator handles sector {row['sector']}")
        if not (str(row.get("from", "")).isdigit() and str(row.get("to", "")).isdigit()) \
                or int(row["from"]) > int(row["to"]):
            errors.append(f"{label}: not a valid range")
        if row.get("scheme") not in (raw.get("schemes") or {}).values():
            errors.append(f"{label}: unknown scheme")
    if raw.get("default_sector") not in sectors:
        errors.append("default_sector is not a known sector")
    return errors


def parse(raw: dict) -> RegulatorData:
    problems = validate(raw)
    if problems:
        raise ValueError("regulators data file: " + "; ".join(problems))
    fields = Regulator.__dataclass_fields__
    regulators = {
        entry["id"]: Regulator(**{k: v for k, v in entry.items() if k in fields and k not in ("sectors", "registers")},
                               sectors=tuple(entry["sectors"]), registers=tuple(entry.get("registers") or ()))
        for entry in raw["regulators"]
    }
    ranges = tuple(SectorRange(row["scheme"], int(row["from"]), int(row["to"]), row["sector"])
                   for row in raw["sector_map"])
    return RegulatorData(regulators, dict(raw["sectors"]), ranges, dict(raw["schemes"]), raw["default_sector"])


def read_raw(path: Path = DATA_PATH) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def load(path: Path = DATA_PATH) -> RegulatorData:
    """The parsed data file, read once per process."""
    return parse(read_raw(path))


def sector_for(country: str | None, sic_code: str | None, data: RegulatorData | None = None) -> str:
    """The consumer sector of a company from its SIC code, read in its country's scheme.

    Codes outside every mapped range (and companies without one) fall back to the general
    consumer sector, whose bodies (trading standards, attorneys general) cover any business.
    """
    data = data or load()
    scheme = data.schemes.get(country or "")
    code = (sic_code or "").strip()
    if scheme and code.isdigit():
        for row in data.sector_map:
            if row.scheme == scheme and row.covers(int(code)):
                return row.sector
    return data.default_sector


def regulators_for(country: str | None, sic_code: str | None, overrides: dict[str, bool] | None = None,
                   data: RegulatorData | None = None, memberships: dict[str, str] | None = None) -> list[Regulator]:
    """The bodies that take the company's complaints, each with the reason it applies.

    First the bodies of the registers the company is on (`memberships`: register -> the
    sentence saying so, "authorised by the Financial Conduct Authority (FRN 552016)"), then
    those of its country and sector (its SIC code); the general consumer bodies only when no
    register or sector names one. `overrides` (a moderator's) maps regulator id -> is_member:
    True adds a body the mapping missed, False removes one (not a member of a voluntary scheme).
    """
    data = data or load()
    overrides = overrides or {}
    memberships = memberships or {}
    chosen: dict[str, Regulator] = {}
    for body in data.regulators.values():
        register = next((r for r in body.registers if r in memberships), None)
        if register is not None and overrides.get(body.id, True):
            chosen[body.id] = replace(body, reason=memberships[register])
    sector = sector_for(country, sic_code, data)
    if sector != data.default_sector or not chosen:
        reason = sector_reason(sector, sic_code, data)
        for body in data.regulators.values():
            if body.country == country and sector in body.sectors and overrides.get(body.id, True):
                chosen.setdefault(body.id, replace(body, reason=reason))
    for body_id, member in overrides.items():
        if member and body_id in data.regulators:
            chosen.setdefault(body_id, replace(data.regulators[body_id], reason="added by a moderator"))
    return list(chosen.values())


def sector_reason(sector: str, sic_code: str | None, data: RegulatorData) -> str:
    """Why a sector's bodies apply, in words: the code and what it means, or why none does."""
    label = data.sector_labels[sector].lower()
    if sector != data.default_sector:
        return f"its sector code, SIC {sic_code.strip()}, is in {label}"
    if sic_code and sic_code.strip():
        return f"no specialist body covers its sector code (SIC {sic_code.strip()}), so the general consumer bodies do"
    return "no sector code is on record, so the general consumer bodies do"
