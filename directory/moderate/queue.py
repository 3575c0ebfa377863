"""What waits for a moderator: suggestions, flags, importer conflicts and leadership-change
signals, merged into one list, oldest first."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..labels import field_label, row_label
from ..models import (
    Company,
    CompanyReply,
    ComplaintRecord,
    Contribution,
    Flag,
    Objection,
    Position,
    ProposedChange,
    Rating,
    utcnow,
)
from ..operations.moderation import leadership_change_unreviewed

QUEUE_KINDS = {
    "contribution": "Suggestions",
    "flag": "Reported outdated",
    "importer": "Importer conflicts",
    "leadership": "Leadership changes",
    "rating_comment": "Reported comments",
    "company_reply": "Company replies",
    "objection": "Privacy objections",
    "complaint_match": "Complaint records",
}


@dataclass(frozen=True)
class QueueItem:
    kind: str
    id: int
    company: Company | None
    summary: str
    created_at: datetime
    endpoint: str
    source_url: str | None = None  # the document the item is about (a leadership change's filing)

    @property
    def age(self) -> str:
        """How long it has waited, in words ("3 days", "10 months"): an old item stands out."""
        return age_in_words(self.created_at, utcnow())


def age_in_words(since: datetime, now: datetime) -> str:
    days = max((now - since).days, 0)
    if days == 0:
        return "today"
    count, unit = ((days // 365, "year") if days >= 365 else (days // 30, "month") if days >= 30
                   else (days // 7, "week") if days >= 14 else (days, "day"))
    return f"{count} {unit}{'s' if count != 1 else ''}"


def _aware(value) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, time.min, tzinfo=UTC)


def flag_subject(flag: Flag) -> str:
    """What a report is about, in words: "Phone of the company", "Tim Cook's position"."""
    from ..models import Contact, Person

    record = db.session.get({"position": Position, "contact": Contact, "person": Person,
                             "company": Company}.get(flag.entity_type, Company), flag.entity_id)
    if flag.entity_type == "position" and record is not None:
        what = f"{record.person.name}'s position ({record.display_title})"
    elif flag.entity_type == "contact" and record is not None:
        what = f"{record.kind_label} contact {record.value}"
    elif flag.entity_type == "person" and record is not None:
        what = record.name
    else:
        what = f"the {row_label(flag.entity_type)}"
    return f"{field_label(flag.field)} of {what}" if flag.field else what[0].upper() + what[1:]


def unreviewed_leadership_changes() -> list[Company]:
    """Companies whose leadership-change banner shows, newest report first: the queue, its
    count and its leadership filter all read this one list, so they cannot disagree."""
    candidates = db.session.scalars(
        select(Company).where(leadership_change_unreviewed())
        .order_by(Company.leadership_change_on.desc(), Company.name)
        .options(selectinload(Company.positions).selectinload(Position.source)))
    return [company for company in candidates if company.has_unreviewed_leadership_change]


def objection_awaiting():
    """SQL: objections a moderator can decide: undecided, and confirmed by the requester
    (an unconfirmed one is only a link in someone's mailbox)."""
    return Objection.status == "pending", Objection.confirmed_at.is_not(None)


def pending_counts() -> dict[str, int]:
    return {
        "contribution": db.session.scalar(select(func.count()).where(Contribution.status == "pending")) or 0,
        "flag": db.session.scalar(select(func.count()).where(Flag.status == "pending")) or 0,
        "importer": db.session.scalar(select(func.count()).where(ProposedChange.status == "pending")) or 0,
        "leadership": len(unreviewed_leadership_changes()),
        "rating_comment": db.session.scalar(select(func.count()).where(Rating.comment_state == "reported")) or 0,
        "company_reply": db.session.scalar(select(func.count()).where(CompanyReply.status == "pending")) or 0,
        "objection": db.session.scalar(select(func.count()).where(*objection_awaiting())) or 0,
        "complaint_match": db.session.scalar(select(func.count()).where(ComplaintRecord.match == "pending")) or 0,
    }


def navigation_counts() -> dict:
    """Template context: moderators see in the navigation how many items wait for them."""
    from flask_login import current_user

    if not current_user.is_authenticated or not current_user.is_moderator:
        return {"moderation_pending": None}
    return {"moderation_pending": sum(pending_counts().values())}


def queue_items(kind: str | None = None, older_than_days: int | None = None) -> list[QueueItem]:
    """All pending items (of one kind), optionally only those older than N days, oldest first."""
    cutoff = utcnow() - timedelta(days=older_than_days) if older_than_days else None
    items: list[QueueItem] = []
    if kind in (None, "contribution"):
        from ..operations.contributions import KINDS
        for c in db.session.scalars(select(Contribution).where(Contribution.status == "pending")
                                    .options(selectinload(Contribution.company))):
            label = KINDS[c.kind].label + (" (second approval needed)" if c.high_risk and c.first_reviewer_id else "")
            items.append(QueueItem("contribution", c.id, c.company, label, _aware(c.created_at), "moderate.contribution"))
    if kind in (None, "flag"):
        for f in db.session.scalars(select(Flag).where(Flag.status == "pending").options(selectinload(Flag.company))):
            items.append(QueueItem("flag", f.id, f.company, f"Reported outdated: {row_label(f.entity_type)}"
                                   + (f" ({field_label(f.field).lower()})" if f.field else ""), _aware(f.created_at),
                                   "moderate.flag"))
    if kind in (None, "importer"):
        changes = db.session.scalars(select(ProposedChange).where(ProposedChange.status == "pending")).all()
        companies = {c.id: c for c in db.session.scalars(
            select(Company).where(Company.id.in_({p.company_id for p in changes if p.company_id})))}
        for p in changes:
            items.append(QueueItem("importer", p.id, companies.get(p.company_id), f"Importer found a new {field_label(p.field).lower()}",
                                   _aware(p.created_at), "moderate.proposed_change"))
    if kind in (None, "leadership"):
        for company in unreviewed_leadership_changes():
            items.append(QueueItem("leadership", company.id, company,
                                   company.leadership_change_summary or "Filing reports a leadership change",
                                   _aware(company.leadership_change_on), "moderate.leadership",
                                   company.leadership_change_url))
    if kind in (None, "rating_comment"):
        for r in db.session.scalars(select(Rating).where(Rating.comment_state == "reported")
                                    .options(selectinload(Rating.company))):
            items.append(QueueItem("rating_comment", r.id, r.company, "Reported rating comment",
                                   _aware(r.updated_at), "moderate.comment"))
    if kind in (None, "company_reply"):
        for reply in db.session.scalars(select(CompanyReply).where(CompanyReply.status == "pending")
                                        .options(selectinload(CompanyReply.company))):
            items.append(QueueItem("company_reply", reply.id, reply.company, "Company's right of reply",
                                   _aware(reply.created_at), "moderate.reply"))
    if kind in (None, "objection"):
        for objection in db.session.scalars(select(Objection).where(*objection_awaiting())
                                            .options(selectinload(Objection.company))):
            items.append(QueueItem("objection", objection.id, objection.company,
                                   f"Objection: {objection.request} {objection.target_type.replace('_', ' ')}"
                                   + (" (second approval needed)" if objection.first_reviewer_id else ""),
                                   _aware(objection.created_at), "privacy.decide"))
    if kind in (None, "complaint_match"):
        for record in db.session.scalars(select(ComplaintRecord).where(ComplaintRecord.match == "pending")
                                         .options(selectinload(ComplaintRecord.company))):
            items.append(QueueItem("complaint_match", record.id, record.company,
                                   f"Are the CFPB's complaints about “{record.cfpb_company}” this company's?",
                                   _aware(record.updated_at), "moderate.complaint_match"))
    if cutoff is not None:
        items = [item for item in items if item.created_at <= cutoff]
    return sorted(items, key=lambda item: (item.created_at, item.kind, item.id))


def other_pending_for(company_id: int | None, *, exclude: tuple[str, int]) -> list[QueueItem]:
    if company_id is None:
        return []
    return [item for item in queue_items() if item.company is not None and item.company.id == company_id
            and (item.kind, item.id) != exclude]


def recently_decided(limit: int = 20) -> list[Contribution]:
    """Decided suggestions stay visible to moderators, rejected ones included."""
    return list(db.session.scalars(
        select(Contribution).where(Contribution.status.in_(("approved", "rejected")))
        .order_by(Contribution.decided_at.desc(), Contribution.id.desc()).limit(limit)
        .options(selectinload(Contribution.company))))
