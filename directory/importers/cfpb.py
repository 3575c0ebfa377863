"""A CFPB complaints run: the consumer complaints database counted per company name, each name
matched to a company of the directory, the counts stored per matched name (`ComplaintRecord`).

Built on the shared register run (`register.RegisterImport`): stored in batches committed at
once and replayed name by name when one fails, the companies' reads recorded, one `Source`
for the run. No complaint is stored, only the counts of the period read.

Matching a CFPB name ("WELLS FARGO & COMPANY") to a company: both normalised
(`scrapers.cfpb.normalise_company_name`: "wells fargo"), a name is certain when exactly one
company has it as its name, a former or legal name, or a brand or brand alias. It is doubtful
when the only candidates share the name's first words ("experian information solutions" and
"experian"), or several companies have it: then the first candidate is proposed and the
record waits in the moderation queue ("Complaint records") until a moderator confirms or
rejects it. A moderator's decision is kept by every later run.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from flask import current_app
from sqlalchemy import select

from scrapers.cfpb import (
    CompanyCounts,
    ComplaintsClient,
    ComplaintTally,
    normalise_company_name,
    read_complaints,
)
from scrapers.cfpb.client import with_since
from scrapers.cfpb.complaints import MissingColumns
from scrapers.errors import FetchError
from scrapers.records import SourceRef

from ..extensions import db
from ..models import Brand, Company, CompanyName, ComplaintRecord
from ..models.complaints import COUNTED_MATCHES
from .register import RegisterImport, RunSummary
from .store import StoreOutcome

BATCH_SIZE = 500
SKIPPED_ROWS_LISTED = 20  # the first bad rows are listed; the others are counted
KEPT_DECISIONS = ("pending", "confirmed", "rejected")


def client_from_config() -> ComplaintsClient:
    """The streaming client; raises ConfigurationError without SCRAPER_USER_AGENT (or SEC_USER_AGENT)."""
    config = current_app.config
    return ComplaintsClient(config.get("SCRAPER_USER_AGENT") or config.get("SEC_USER_AGENT"))


@dataclass(frozen=True)
class Match:
    company_id: int
    state: str  # "name" (certain) or "pending" (doubtful: a moderator confirms)


@dataclass
class NameIndex:
    """Every company's normalised names (name, former and legal names, brands and their
    aliases), read once per run: normalised name -> company ids."""

    names: dict[str, set[int]] = field(default_factory=dict)
    by_first_word: dict[str, set[str]] = field(default_factory=dict)

    def add(self, company_id: int, name: str | None) -> None:
        normalised = normalise_company_name(name or "")
        if normalised:
            self.names.setdefault(normalised, set()).add(company_id)
            self.by_first_word.setdefault(normalised.split()[0], set()).add(normalised)

    @classmethod
    def load(cls) -> "NameIndex":
        index = cls()
        for company_id, name in db.session.execute(select(Company.id, Company.name)):
            index.add(company_id, name)
        for company_id, name in db.session.execute(select(CompanyName.company_id, CompanyName.name)):
            index.add(company_id, name)
        for company_id, name, aliases in db.session.execute(select(Brand.company_id, Brand.name, Brand.aliases)):
            for each in [name, *(aliases or [])]:
                index.add(company_id, each)
        return index

    def match(self, cfpb_name: str) -> Match | None:
        normalised = normalise_company_name(cfpb_name)
        if not normalised:
            return None
        exact = self.names.get(normalised, set())
        if len(exact) == 1:
            return Match(next(iter(exact)), "name")
        if exact:
            return Match(min(exact), "pending")
        words = normalised.split()
        near = {company_id for known in self.by_first_word.get(words[0], ()) if _starts_alike(words, known.split())
                for company_id in self.names[known]}
        return Match(min(near), "pending") if near else None


def _starts_alike(words: list[str], other: list[str]) -> bool:
    """One name is the other's first words, and what they share is not a lone short word
    ("bank" of "bank of america" and "bank ozk")."""
    shared = min(len(words), len(other))
    return words[:shared] == other[:shared] and (shared > 1 or len(words[0]) >= 5)


class CfpbImport(RegisterImport):
    """Reads the complaints CSV from `url` and stores the counts of the names that match."""

    register = "CFPB"
    source = "cfpb"

    def __init__(self, client: ComplaintsClient, url: str, *, since: date | None = None,
                 public_url: str | None = None):
        super().__init__(client, summary=RunSummary(documents_label="Complaints read"))
        self.url = url
        self.public_url = public_url or url  # what the source links to (the snapshot build reads from loopback)
        self.since = since
        self.skipped_rows = 0
        self.skipped: list[str] = []  # the first SKIPPED_ROWS_LISTED, for the operator
        self.period: tuple[date, date] | None = None
        self._index: NameIndex | None = None
        self._source_ref: SourceRef | None = None

    def _bad_row(self, line: int, message: str) -> None:
        self.skipped_rows += 1
        current_app.logger.warning("CFPB complaints: line %s: %s", line, message)
        if self.skipped_rows <= SKIPPED_ROWS_LISTED:
            self.skipped.append(f"line {line}: {message}")

    def run(self) -> RunSummary:
        """Read, count, match and store. A download that fails (a 404, retries out, a broken
        connection) stores nothing: half a year's counts would pass for a whole one."""
        tally = ComplaintTally(self.since)
        url = with_since(self.url, self.since)
        try:
            with self.client.lines(url) as lines:
                for complaint in read_complaints(lines, self._bad_row):
                    tally.add(complaint)
        except (FetchError, MissingColumns) as error:
            self._failed(url, str(error))
            return self.summary
        result = tally.result()
        self.summary.filings_read = result.rows
        if result.period_start is None:
            return self.summary
        self.period = (result.period_start, result.period_end)
        self._source_ref = SourceRef(kind="complaints_database", url=self.public_url,
                                     document_id=f"complaints received {result.period_start} to {result.period_end}",
                                     title="CFPB Consumer Complaint Database", filed_on=result.period_end,
                                     retrieved_at=datetime.now(timezone.utc))
        self._index = NameIndex.load()
        work = [(name, counts) for name, counts in sorted(result.companies.items())]
        seen = set(result.companies)
        work += [(name, CompanyCounts()) for name in db.session.scalars(select(
            ComplaintRecord.cfpb_company)) if name not in seen]  # no complaint in this period: zero
        for start in range(0, len(work), BATCH_SIZE):
            self._store_and_commit(work[start:start + BATCH_SIZE])
        return self.summary

    def _where(self, bundle) -> str:
        return f"CFPB company {bundle[0]!r}"

    def _store(self, bundle) -> tuple[StoreOutcome, int]:
        name, counts = bundle
        record = db.session.scalar(select(ComplaintRecord).where(ComplaintRecord.cfpb_company == name))
        created = record is None
        if created or record.match not in KEPT_DECISIONS:  # a moderator's decision stays
            match = self._index.match(name)
            if match is None:
                if not created:  # the company it matched was renamed: not its name any more
                    db.session.delete(record)
                    return StoreOutcome(status="updated"), 0
                return StoreOutcome(status="missing"), 0
            if created:
                record = ComplaintRecord(cfpb_company=name)
                db.session.add(record)
            record.company_id, record.match = match.company_id, match.state
        values = {"period_start": self.period[0], "period_end": self.period[1], "received": counts.received,
                  "timely": counts.timely, "relief": counts.relief}
        changed = created or any(getattr(record, key) != value for key, value in values.items())
        for key, value in values.items():
            setattr(record, key, value)
        if changed:
            record.source = self.sources.get(self._source_ref)
        db.session.flush()
        outcome = StoreOutcome(status="created" if created else "updated" if changed else "unchanged",
                               company_id=record.company_id if record.match in COUNTED_MATCHES else None,
                               proposals=1 if created and record.match == "pending" else 0)
        return outcome, 0  # the complaints were counted once, as read

    def lines(self) -> list[str]:
        """What `flask scrape cfpb` prints: the period, what was read and matched, what went wrong."""
        summary = self.summary
        period = f"{self.period[0]} to {self.period[1]}" if self.period else "none (nothing read)"
        lines = [f"Period: complaints received {period}. Complaints read: {summary.filings_read}. "
                 f"Rows skipped: {self.skipped_rows}.",
                 f"CFPB company names in the directory: {summary.succeeded} ({summary.created} new, {summary.updated} "
                 f"updated, {summary.unchanged} unchanged), of which new doubtful matches for moderators: "
                 f"{summary.proposals}. Not in the directory: {summary.missing}. Not stored: {summary.failed}."]
        lines += [f"  skipped: {note}" for note in self.skipped]
        lines += [f"  error: {where}: {message}" for where, message in summary.errors]
        return lines
