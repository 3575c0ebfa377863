"""Reading the complaints CSV and counting it per company name over a period.

The download holds millions of rows (a narrative can span lines), so rows are read from an
iterator of lines through `csv.reader` and only counts are kept: per company name and day
received, for the days that can still fall in the period. A row that cannot be read (cut off,
as the last row of a truncated download is; a date that is no date) is reported through
`on_problem` and skipped; the rest of the file is still read.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Callable, Iterable, Iterator

DATE_RECEIVED = "Date received"
COMPANY = "Company"
TIMELY = "Timely response?"
RESPONSE = "Company response to consumer"
REQUIRED_COLUMNS = (DATE_RECEIVED, COMPANY, TIMELY, RESPONSE)
RELIEF_RESPONSES = frozenset({"Closed with monetary relief", "Closed with non-monetary relief"})
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y")
PERIOD_DAYS = 365
PRUNE_EVERY_DAYS = 31

Problem = Callable[[int, str], None]  # (line number, what is wrong)


class MissingColumns(ValueError):
    """The first line is not the CSV header the CFPB publishes: nothing can be counted."""


@dataclass(frozen=True)
class Complaint:
    received: date
    company: str  # as the CFPB writes it: "WELLS FARGO & COMPANY"
    timely: bool
    relief: bool


@dataclass
class CompanyCounts:
    received: int = 0
    timely: int = 0
    relief: int = 0

    def add(self, other: "CompanyCounts | Complaint") -> None:
        if isinstance(other, Complaint):
            self.received += 1
            self.timely += other.timely
            self.relief += other.relief
        else:
            self.received += other.received
            self.timely += other.timely
            self.relief += other.relief


@dataclass(frozen=True)
class TallyResult:
    period_start: date | None  # None: no complaint was read
    period_end: date | None
    companies: dict[str, CompanyCounts]
    rows: int  # complaints read, in the period or not


def parse_date(value: str) -> date:
    """ISO ("2023-08-25", a time after it ignored), as the download writes it, or US style
    ("08/25/2023", "08/25/23"), as some exports do."""
    text = value.strip()
    if text[4:5] == "-":
        text = text[:10]
    for layout in DATE_FORMATS:
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {value!r}")


def read_complaints(lines: Iterable[str], on_problem: Problem) -> Iterator[Complaint]:
    """The complaints of a CSV given as lines (with or without their line ends)."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        raise MissingColumns("the file is empty")
    header = [name.strip().lstrip("\ufeff") for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise MissingColumns(f"no column {', '.join(repr(m) for m in missing)} in the header")
    width = len(header)
    at = {name: header.index(name) for name in REQUIRED_COLUMNS}
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # a NUL byte, a quote in the wrong place
            on_problem(reader.line_num, f"unreadable row ({error})")
            continue
        if not row:
            continue
        if len(row) != width:
            on_problem(reader.line_num, f"row has {len(row)} fields instead of {width} (cut off?); skipped")
            continue
        try:
            received = parse_date(row[at[DATE_RECEIVED]])
        except ValueError as error:
            on_problem(reader.line_num, f"{error}; skipped")
            continue
        company = " ".join(row[at[COMPANY]].split())
        if not company:
            on_problem(reader.line_num, "no company named; skipped")
            continue
        yield Complaint(received=received, company=company, timely=row[at[TIMELY]].strip().lower() == "yes",
                        relief=row[at[RESPONSE]].strip() in RELIEF_RESPONSES)


class ComplaintTally:
    """Counts per company name of the complaints received in the period.

    The period ends on the newest date received in the data (not today: a download is a day
    or more old, and a partial or archived copy far older) and starts `since`, or else
    PERIOD_DAYS before that end (a year, both ends included). Counts are kept per name and
    day, and the days the newest date has left behind are dropped as it moves, so memory
    holds at most a year of (name, day) pairs whatever the file's length and order.
    """

    def __init__(self, since: date | None = None):
        self.since = since
        self.newest: date | None = None
        self.rows = 0
        self._days: dict[date, dict[str, CompanyCounts]] = {}
        self._pruned_at: date | None = None

    def _start(self, newest: date) -> date:
        return self.since if self.since is not None else newest - timedelta(days=PERIOD_DAYS - 1)

    def add(self, complaint: Complaint) -> None:
        self.rows += 1
        if self.newest is None or complaint.received > self.newest:
            self.newest = complaint.received
        if complaint.received < self._start(self.newest):
            return
        counts = self._days.setdefault(complaint.received, {})
        counts.setdefault(complaint.company, CompanyCounts()).add(complaint)
        if self._pruned_at is None or (self.newest - self._pruned_at).days >= PRUNE_EVERY_DAYS:
            self._prune()

    def _prune(self) -> None:
        start = self._start(self.newest)
        for day in [day for day in self._days if day < start]:
            del self._days[day]
        self._pruned_at = self.newest

    def result(self) -> TallyResult:
        if self.newest is None:
            return TallyResult(None, None, {}, self.rows)
        self._prune()
        companies: dict[str, CompanyCounts] = {}
        for counts in self._days.values():
            for name, day_counts in counts.items():
                companies.setdefault(name, CompanyCounts()).add(day_counts)
        return TallyResult(self._start(self.newest), self.newest, companies, self.rows)
