"""The EDGAR daily refresh: read a day's index, refresh the known companies that filed.

Asking SEC for every company's submissions record to find the few hundred that filed
something costs ten thousand requests a day; EDGAR's daily index says who filed what in one.
Only companies already in the directory are refreshed (the index also lists funds, private
placements and the insiders themselves), only for the forms that can change who runs a
company or how to reach it, and only that day's filings are fetched (`read_from`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from scrapers.edgar.daily_index import fetch_daily_index
from scrapers.errors import ScraperError

from ..extensions import db
from ..models import Identifier
from .edgar import EdgarImport

REFRESH_FORMS = frozenset({"3", "3/A", "4", "4/A", "5", "5/A", "8-K", "8-K/A", "DEF 14A", "10-K", "10-K/A"})


@dataclass
class DailyOutcome:
    """What a daily run did, day by day."""

    days_read: list[tuple[date, int, int]] = field(default_factory=list)  # (day, filings listed, companies)
    days_without_index: list[date] = field(default_factory=list)
    through: date | None = None  # the last day whose index was read, and every known filer of it refreshed
    errors: list[str] = field(default_factory=list)
    limit_reached: bool = False

    def lines(self) -> list[str]:
        lines = [f"  {day.isoformat()}: {listed} filings listed, {companies} known companies refreshed."
                 for day, listed, companies in self.days_read]
        lines += [f"  {day.isoformat()}: no daily index (weekend, holiday or not yet published); skipped."
                  for day in self.days_without_index]
        if self.limit_reached:
            lines.append("  Limit reached: the next run goes on from the day after the last one finished.")
        return lines


def days_between(since: date, until: date) -> list[date]:
    return [since + timedelta(days=n) for n in range((until - since).days + 1)]


def known_filers(ciks: set[str]) -> list[str]:
    """The CIKs among `ciks` that a company in the directory has, in order."""
    if not ciks:
        return []
    return sorted(db.session.scalars(select(Identifier.value).where(
        Identifier.scheme == "cik", Identifier.value.in_(sorted(ciks)))))


def refresh_days(run: EdgarImport, days: list[date], *, limit: int | None = None) -> DailyOutcome:
    """Read each day's index in order and refresh its known filers through the per-company
    path. Stops at a day whose index cannot be read (so `through` never skips a day) and
    before a day whose filers would pass `limit` companies; the first day is always read
    whole, or a day busier than the limit would stop every run."""
    outcome = DailyOutcome()
    refreshed = 0
    for day in days:
        try:
            entries = fetch_daily_index(run.client, day)
        except ScraperError as error:
            outcome.errors.append(f"daily index {day.isoformat()}: {error}")
            break
        if entries is None:
            outcome.days_without_index.append(day)
            continue
        ciks = known_filers({entry.cik for entry in entries if entry.form in REFRESH_FORMS})
        if limit is not None and refreshed + len(ciks) > limit and refreshed:
            outcome.limit_reached = True
            break
        for cik in ciks:
            run.import_cik(cik, read_from=day)
        refreshed += len(ciks)
        outcome.days_read.append((day, len(entries), len(ciks)))
        outcome.through = day
    return outcome
