"""What every import run shares (EDGAR, Companies House, the FCA register, Wikidata): each
company stored in its own transaction, batches committed at once and replayed company by
company when one fails, the run's totals, and the search index rebuilt once at the end of a
deferred run.

A run subclasses `RegisterImport` and says how it stores one item (`_store`) and how the
summary names one (`_where`); an item is whatever the run crawled (a bundle, a firm, an item,
or EDGAR's bundle with what the last run read), and nothing of one source's crawl is inherited
by another. The website run keeps its own loop: its summary counts pages and contacts read,
not companies.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app

from .. import pipeline, search_index
from ..extensions import db
from ..operations.freshness import record_reads
from .writer import SourceCache, StoreOutcome


@dataclass
class RunSummary:
    """Totals of one run, printed at the end of `flask scrape ...`."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    missing: int = 0
    failed: int = 0
    people_added: int = 0
    positions_added: int = 0
    positions_ended: int = 0
    proposals: int = 0
    filings_read: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (url or cik, message)
    documents_label: str = "Filings read"  # what `filings_read` counts for this register

    @property
    def succeeded(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def attempted(self) -> int:
        return self.succeeded + self.missing + self.failed

    def add(self, outcome: StoreOutcome, filings_read: int) -> None:
        setattr(self, outcome.status, getattr(self, outcome.status) + 1)
        self.people_added += outcome.people_added
        self.positions_added += outcome.positions_added
        self.positions_ended += outcome.positions_ended
        self.proposals += outcome.proposals
        self.filings_read += filings_read

    def lines(self) -> list[str]:
        lines = [
            f"Companies: {self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.missing} not found, {self.failed} failed.",
            f"People added: {self.people_added}. Positions added: {self.positions_added}, "
            f"ended: {self.positions_ended}. Proposed changes for moderators: {self.proposals}.",
            f"{self.documents_label}: {self.filings_read}. Errors: {len(self.errors)}.",
        ]
        lines += [f"  error: {where}: {message}" for where, message in self.errors]
        return lines


class RegisterImport:
    """Stores bundles from one public register, a company per transaction or a batch at once."""

    register = ""  # names the register in log lines
    source = ""  # names it in company reads and refresh runs ("": the run records no reads)

    def __init__(self, client, *, defer_search: bool = False, summary: RunSummary | None = None):
        self.client = client
        self.defer_search = defer_search  # rebuild the search index once at the end instead of per commit
        self.summary = summary or RunSummary()
        self.sources = SourceCache()

    def _store(self, item) -> tuple[StoreOutcome, int]:
        """Store one item (flush, no commit); the outcome and how many documents were new."""
        raise NotImplementedError

    def _where(self, item) -> str:
        """How the summary names an item: "CIK 0000320193", "company 00000006"."""
        raise NotImplementedError

    def _store_new(self, fresh: list) -> list[tuple[StoreOutcome, int]]:
        """Companies new to the directory: stored like the others unless a run has a faster
        path for them (EDGAR's bulk Core inserts)."""
        return [self._store(item) for item in fresh]

    def _store_and_commit(self, work: list, fresh: list = ()) -> None:
        """Store every item (`fresh`: new companies) and commit once; if anything fails,
        replay one by one so only the bad company is lost."""
        if not work and not fresh:
            return
        if len(work) + len(fresh) > 1:
            try:
                results = self._store_new(list(fresh)) + [self._store(item) for item in work]
                self._record_reads([outcome.company_id for outcome, _ in results if outcome.company_id])
                self._commit()
            except Exception:  # noqa: BLE001 - isolated below, company by company
                current_app.logger.info("%s batch failed; storing its companies one at a time", self.register,
                                        exc_info=True)
                self._rollback()
            else:
                for outcome, new_documents in results:
                    self.summary.add(outcome, new_documents)
                return
        for item in [*fresh, *work]:
            try:
                outcome, new_documents = self._store(item)
                if outcome.company_id:
                    self._record_reads([outcome.company_id])
                self._commit()
            except Exception as error:  # noqa: BLE001 - one company fails, the run goes on
                self._rollback()
                current_app.logger.exception("Storing %s failed", self._where(item))
                self._failed(self._where(item), f"not stored ({type(error).__name__}: {error})")
            else:
                self.summary.add(outcome, new_documents)

    def _record_reads(self, company_ids: list[int]) -> None:
        if self.source:
            record_reads(self.source, company_ids)

    def _commit(self) -> None:
        if self.defer_search:
            pipeline.defer_search(db.session)  # the index is rebuilt once at the end
        db.session.commit()

    def _rollback(self) -> None:
        db.session.rollback()
        self.sources.clear()

    def _failed(self, where: str, message: str) -> None:
        current_app.logger.warning("%s import failed: %s: %s", self.register, where, message)
        self.summary.failed += 1
        self.summary.errors.append((where, message))

    def finish(self) -> int | None:
        """Rebuild the search index once when commits did not update it; its document count."""
        if self.defer_search and self.summary.created + self.summary.updated:
            return search_index.rebuild()
        return None
