"""Atom feeds (RFC 4287) of leadership changes: appointments, departures and new chief executives.

A leadership change is a revision of a position that created it while current, ended or
restored it, or made it the chief executive's; importers and moderators both write those
revisions, so the feed shows whoever recorded the change. Positions since removed on request
are gone from the join, so a feed never republishes a suppressed listing.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..discovery.urls import absolute_url
from ..extensions import db
from ..models import Position, Revision

ATOM_NS = "http://www.w3.org/2005/Atom"
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://ceo-directory/leadership-changes")
SCAN_FACTOR = 5  # position revisions read per entry wanted: most revisions are not leadership changes


@dataclass(frozen=True)
class Change:
    revision: Revision
    position: Position
    title: str


def describe(revision: Revision, position: Position) -> str | None:
    """The headline of a leadership change, or None when the revision is not one."""
    changes = revision.changes or {}
    who, company, title = position.person.name, position.company.name, position.display_title
    if revision.action == "create":
        return f"{company}: {who} listed as {title}" if changes.get("is_current", [None, True])[1] else None
    if "is_current" in changes:
        return f"{company}: {who} left ({title})" if not changes["is_current"][1] else f"{company}: {who} back in post"
    if "is_ceo" in changes and changes["is_ceo"][1]:
        return f"{company}: {who} is now chief executive"
    return None


def leadership_changes(limit: int, company_id: int | None = None) -> list[Change]:
    """The newest `limit` leadership changes, newest first (of one company when given)."""
    newest = (select(Revision.id).where(Revision.entity_type == "position", Revision.action.in_(("create", "update")))
              .order_by(Revision.id.desc()).limit(limit * SCAN_FACTOR))  # ids grow in recording order
    if company_id is not None:
        newest = newest.where(Revision.company_id == company_id)
    stmt = (select(Revision, Position).join(Position, Position.id == Revision.entity_id)
            .where(Revision.id.in_(newest.scalar_subquery()))
            .options(joinedload(Position.person), joinedload(Position.company), selectinload(Revision.source))
            .order_by(Revision.id.desc()))
    found = []
    for revision, position in db.session.execute(stmt).unique():
        title = describe(revision, position)
        if title:
            found.append(Change(revision, position, title))
            if len(found) == limit:
                break
    return found


def _rfc3339(value: datetime) -> str:
    value = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _url(endpoint: str, **values) -> str:
    return absolute_url(endpoint, **values)


def atom_feed(title: str, self_endpoint: str, self_values: dict, changes: list[Change],
              alternate: str, updated_fallback: datetime) -> bytes:
    """The feed document: feed id, title, updated, author and self link; each entry its id,
    title, updated, alternate link and summary (the elements RFC 4287 requires)."""
    def element(parent, name, text=None, **attributes):
        node = etree.SubElement(parent, f"{{{ATOM_NS}}}{name}", **attributes)
        if text is not None:
            node.text = text
        return node

    self_url = _url(self_endpoint, **self_values)
    feed = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
    element(feed, "id", f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, self_endpoint + repr(sorted(self_values.items())))}")
    element(feed, "title", title)
    updated = changes[0].revision.created_at if changes else updated_fallback
    element(feed, "updated", _rfc3339(updated))
    element(element(feed, "author"), "name", "CEO Directory")
    element(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    element(feed, "link", rel="alternate", href=alternate, type="text/html")
    for change in changes:
        revision, position = change.revision, change.position
        entry = element(feed, "entry")
        element(entry, "id", f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, f'revision:{revision.id}')}")
        element(entry, "title", change.title)
        element(entry, "updated", _rfc3339(revision.created_at))
        element(entry, "link", rel="alternate", type="text/html",
                href=_url("companies.detail", slug=position.company.slug))
        if revision.source is not None and revision.source.url:
            element(entry, "link", rel="related", href=revision.source.url)
        recorded_by = "a moderator" if revision.approved_by_id or revision.actor.startswith("user:") else revision.actor
        element(entry, "summary", f"{change.title}. Recorded by {recorded_by}.")
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8")
