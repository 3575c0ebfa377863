"""The CFPB's complaint figures of a company, for its formal-complaints step (and the API).

The sum of the company's `ComplaintRecord` rows whose match is certain or confirmed: one
company may appear under several CFPB names ("WELLS FARGO & COMPANY", "WELLS FARGO BANK").
The period is the one the last `flask scrape cfpb` read: the year up to the newest complaint
in the data (not today: a copy of the data is always older), or from its `--since` day.
The rows come with the company record (`queries.company_record_options`): no query here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scrapers.cfpb import search_url

from ..models import Company, Source
from ..models.complaints import COUNTED_MATCHES


@dataclass(frozen=True)
class ComplaintFigures:
    names: tuple[str, ...]  # as the CFPB writes them
    period_start: date
    period_end: date
    received: int
    timely: int
    relief: int
    source: Source | None

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return round(part / whole, 3) if whole else None

    @property
    def timely_share(self) -> float | None:
        return self._share(self.timely, self.received)

    @property
    def relief_share(self) -> float | None:
        return self._share(self.relief, self.received)

    @property
    def search_url(self) -> str:
        return search_url(list(self.names), self.period_start, self.period_end)

    def as_json(self) -> dict:
        return {"cfpb_companies": list(self.names), "period_start": self.period_start.isoformat(),
                "period_end": self.period_end.isoformat(), "received": self.received, "timely": self.timely,
                "timely_share": self.timely_share, "relief": self.relief, "relief_share": self.relief_share,
                "search_url": self.search_url}


def complaint_figures(company: Company) -> ComplaintFigures | None:
    """None when the CFPB's data names no company matched (for certain or confirmed) to this one."""
    records = sorted((r for r in company.complaint_records if r.match in COUNTED_MATCHES),
                     key=lambda r: (-r.received, r.cfpb_company))
    if not records:
        return None
    newest = max(records, key=lambda r: r.period_end)
    return ComplaintFigures(
        names=tuple(r.cfpb_company for r in records), period_start=min(r.period_start for r in records),
        period_end=max(r.period_end for r in records), received=sum(r.received for r in records),
        timely=sum(r.timely for r in records), relief=sum(r.relief for r in records), source=newest.source)
