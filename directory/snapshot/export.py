"""Write every company, with its facts and their sources, as deterministic JSON Lines.

Companies are read in slug order in batches with everything eager-loaded, and the
session is emptied between batches, so memory stays flat however large the database.
The same data always gives the same bytes (sorted keys and lists, gzip without a
timestamp), so a re-export of an imported snapshot is byte-identical.
"""
from __future__ import annotations

import gzip
import io
import json
import os
from contextlib import contextmanager
from typing import IO, Iterator

from sqlalchemy import select

from ..extensions import db
from ..models import Company, Position
from ..models.complaints import COUNTED_MATCHES
from ..queries import company_record_options
from .fields import (
    ADDRESS_FIELDS,
    BRAND_FIELDS,
    COMPANY_FIELDS,
    COMPLAINT_RECORD_FIELDS,
    CONTACT_FIELDS,
    FORMER_NAME_FIELDS,
    IDENTIFIER_FIELDS,
    PERSON_FIELDS,
    POSITION_FIELDS,
    SOURCE_FIELDS,
    to_json,
)

BATCH_SIZE = 500


def _columns(obj, names) -> dict:
    return {name: to_json(getattr(obj, name)) for name in names}


def _source(source) -> dict | None:
    return _columns(source, SOURCE_FIELDS) if source is not None else None


def _with_source(obj, names) -> dict:
    return {**_columns(obj, names), "source": _source(obj.source)}


def _sort_text(value) -> str:
    return "" if value is None else str(to_json(value))


def _position_key(position: Position) -> tuple:
    return (position.person.slug, _sort_text(position.title), position.role,
            _sort_text(position.start_date), position.id)


def company_record(company: Company) -> dict:
    """The snapshot line of one company (as a dict)."""
    positions = sorted(company.positions, key=_position_key)
    position_index = {position.id: index for index, position in enumerate(positions)}
    contacts = sorted(company.contacts, key=lambda c: (c.tier, c.kind, c.value, _sort_text(c.label), c.id))
    complaint_records = [_with_source(r, COMPLAINT_RECORD_FIELDS) for r in company.complaint_records
                         if r.match in COUNTED_MATCHES]
    return {
        "slug": company.slug,
        **_columns(company, COMPANY_FIELDS),
        "old_slugs": sorted(alias.slug for alias in company.old_slugs),
        "identifiers": [_with_source(i, IDENTIFIER_FIELDS)
                        for i in sorted(company.identifiers, key=lambda i: (i.scheme, i.value))],
        "former_names": [_with_source(n, FORMER_NAME_FIELDS)
                         for n in sorted(company.former_names, key=lambda n: n.name)],
        "addresses": [_with_source(a, ADDRESS_FIELDS)
                      for a in sorted(company.addresses, key=lambda a: a.kind)],
        "positions": [{**_with_source(p, POSITION_FIELDS), "person": _columns(p.person, PERSON_FIELDS)}
                      for p in positions],
        "contacts": [{**_with_source(c, CONTACT_FIELDS), "position": position_index.get(c.position_id)}
                     for c in contacts],
        "brands": [_with_source(b, BRAND_FIELDS) for b in sorted(company.brands, key=lambda b: b.name)],
        "website_source": _source(company.website_source),
        "parent": company.parent.slug if company.parent else None,
        # only when there are some: a company the CFPB does not name keeps its line as it was
        **({"complaint_records": complaint_records} if complaint_records else {}),
    }


def _batches() -> Iterator[list[Company]]:
    last_slug = None
    while True:
        stmt = select(Company).order_by(Company.slug).limit(BATCH_SIZE).options(*company_record_options())
        if last_slug is not None:
            stmt = stmt.where(Company.slug > last_slug)
        batch = list(db.session.scalars(stmt))
        if not batch:
            return
        yield batch
        last_slug = batch[-1].slug
        db.session.expunge_all()  # read-only: drop the batch so memory stays flat


@contextmanager
def open_for_writing(path: str) -> Iterator[IO[str]]:
    """A text file; gzip (fixed zero timestamp, no file name) when `path` ends in .gz.

    Written beside `path` and moved into place at the end, so a failed export never
    leaves half a snapshot where `make run` would import it."""
    partial = f"{path}.partial"
    try:
        with open(partial, "wb") as raw:
            if path.endswith(".gz"):
                with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as zipped, \
                        io.TextIOWrapper(zipped, encoding="utf-8", newline="\n") as handle:
                    yield handle
            else:
                with io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as handle:
                    yield handle
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def export_snapshot(path: str) -> int:
    """Write the snapshot to `path`; returns the number of companies written."""
    count = 0
    with open_for_writing(path) as handle:
        for batch in _batches():
            for company in batch:
                handle.write(json.dumps(company_record(company), sort_keys=True, ensure_ascii=False,
                                        separators=(",", ":")))
                handle.write("\n")
                count += 1
    return count
