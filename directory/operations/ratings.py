"""Writing ratings, outcome reports, contact problems and company replies, and deciding on them.

One rating per account and company is enforced by the database's unique constraint: `rate`
inserts inside a savepoint and, when a concurrent request won the race, updates the row that
request inserted instead. Anything suspicious (a burst of ratings from new accounts, a contact
several people say is dead) becomes a `Flag` in the moderation queue.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..rules.ladder import current_and_earlier
from ..extensions import db
from ..models import (
    Company,
    CompanyReply,
    Contact,
    ContactProblem,
    Flag,
    OutcomeReport,
    OutcomeReportChange,
    Rating,
    RatingChange,
    User,
    utcnow,
)
from .moderation import decide


@dataclass(frozen=True)
class Outcome:
    """What the author says happened on one rung of the ladder."""

    rung: str
    channel: str
    got_reply: bool
    days_to_reply: int | None = None
    resolved: bool | None = None
    contact_id: int | None = None  # the ladder contact used, when the author said which (a case step)
    replied_on: date | None = None  # when the reply came, when known (a case step's answer)


# The kind of ladder contact each outcome channel goes through.
CHANNEL_KINDS = {"email": "email", "letter": "postal", "phone": "phone", "web_form": "web_form",
                 "social_media": "url"}


def rating_of(company: Company, user: User) -> Rating | None:
    """The account's current rating of the company, if any."""
    return db.session.scalar(select(Rating).where(Rating.company_id == company.id, Rating.user_id == user.id))


def outcome_of_rating(rating: Rating) -> OutcomeReport | None:
    """The outcome report last sent with this rating: the rating form shows it again, so
    changing the stars or the comment never silently drops the answers."""
    return db.session.scalar(select(OutcomeReport).where(OutcomeReport.rating_id == rating.id)
                             .order_by(OutcomeReport.updated_at.desc().nulls_last(), OutcomeReport.id.desc()).limit(1))


def rate(company: Company, user: User, *, stars: int, comment: str | None,
         outcome: Outcome | None = None) -> tuple[Rating, bool]:
    """Create or change the account's rating; returns (rating, created). Every save is kept
    as a RatingChange. A changed comment is shown again (and can be reported again)."""
    if not 1 <= stars <= 5:
        raise ValueError("stars must be between 1 and 5")
    comment = (comment or "").strip() or None
    rating = rating_of(company, user)
    created = False
    if rating is None:
        try:
            with db.session.begin_nested():
                rating = Rating(company_id=company.id, user_id=user.id, stars=stars, comment=comment)
                db.session.add(rating)
            created = True
        except IntegrityError:  # another request of the same account inserted first
            rating = rating_of(company, user)
    if not created:
        if rating.comment != comment:
            rating.comment_state = "visible"
        rating.stars, rating.comment = stars, comment
    rating.changes.append(RatingChange(stars=stars, comment=comment))
    db.session.flush()
    if outcome is not None:
        record_outcome(user, company, outcome, rating=rating)
    if created and not is_established(user):
        _flag_burst(company)
    return rating, created


def record_outcome(user: User, company: Company, outcome: Outcome, *, rating: Rating | None = None) -> OutcomeReport:
    """The account's one outcome report for this company and rung, created or updated in
    place (every version is kept in OutcomeReportChange), so saving again never adds a vote.
    The single way outcomes are written: ratings and closed cases both come here."""
    values = {"channel": outcome.channel, "got_reply": outcome.got_reply,
              "days_to_reply": outcome.days_to_reply if outcome.got_reply else None, "resolved": outcome.resolved}
    report = _outcome_of(user, company, outcome.rung)
    if report is None:
        try:
            with db.session.begin_nested():
                report = OutcomeReport(company_id=company.id, user_id=user.id, rung=outcome.rung, **values)
                db.session.add(report)
        except IntegrityError:  # the same account's other request inserted it first
            report = _outcome_of(user, company, outcome.rung)
    for field, value in values.items():
        setattr(report, field, value)
    if rating is not None:
        report.rating_id = rating.id
    report.updated_at = utcnow()
    report.changes.append(OutcomeReportChange(**values))
    previously_tested = report.tested_contact_id
    tested = mark_tested(company, outcome) if outcome.got_reply and is_established(user) else None
    report.tested_contact_id = tested.id if tested is not None else None
    db.session.flush()
    if previously_tested not in (None, report.tested_contact_id):
        untest_unless_reported(previously_tested)
    return report


def mark_tested(company: Company, outcome: Outcome) -> Contact | None:
    """A reply makes the contact it came through `tested`, dated with the reply (or the report).

    Which contact: the one the author named (a case step on that rung), else the only
    contact of the company's own for that channel shown on that rung. With several candidates
    nothing is marked: "reported to work" must not land on a channel nobody said they used.
    Only established accounts' reports count, as for ratings, since `tested` outranks what
    the importers read (they propose changes to it instead of overwriting it).
    """
    contact = _replied_through(company, outcome)
    if contact is not None:
        replied_on = outcome.replied_on or utcnow().date()
        if contact.quality != "tested":
            contact.untested_quality = contact.quality
        contact.quality = "tested"
        contact.tested_on = max(replied_on, contact.tested_on or replied_on)
    return contact


def untest_unless_reported(contact_id: int) -> None:
    """A contact stays `tested` while some report still says a reply came through it; when
    the last one says otherwise (no reply after all, another channel), it goes back to the
    quality it had. A contact tested before reports named their contact keeps its badge."""
    if db.session.scalar(select(func.count()).select_from(OutcomeReport)
                         .where(OutcomeReport.tested_contact_id == contact_id)):
        return
    contact = db.session.get(Contact, contact_id)
    if contact is not None and contact.quality == "tested" and contact.untested_quality is not None:
        contact.quality, contact.untested_quality, contact.tested_on = contact.untested_quality, None, None


def _replied_through(company: Company, outcome: Outcome) -> Contact | None:
    if outcome.contact_id is not None:
        named = db.session.get(Contact, outcome.contact_id)
        return named if named is not None and named.company_id == company.id else None
    social = outcome.channel == "social_media"
    on_rung = [c for c in company.contacts if c.tier == outcome.rung and c.status != "retracted"]
    shown, _ = current_and_earlier(on_rung)
    fitting = [c for c in shown if c.kind == CHANNEL_KINDS.get(outcome.channel) and c.organisation is None
               and (c.role == "social") == social]
    return fitting[0] if len(fitting) == 1 else None


def _outcome_of(user: User, company: Company, rung: str) -> OutcomeReport | None:
    return db.session.scalar(select(OutcomeReport).where(
        OutcomeReport.user_id == user.id, OutcomeReport.company_id == company.id, OutcomeReport.rung == rung))


def is_established(user: User) -> bool:
    """Whether the account's ratings count: a confirmed email, or old enough."""
    if user.email_confirmed_at is not None:
        return True
    created = user.created_at if user.created_at.tzinfo else user.created_at.replace(tzinfo=utcnow().tzinfo)
    return created <= utcnow() - timedelta(days=current_app.config["RATING_MIN_ACCOUNT_AGE_DAYS"])


def established_accounts():
    """SQL condition on User matching `is_established`, for the aggregates."""
    cutoff = utcnow() - timedelta(days=current_app.config["RATING_MIN_ACCOUNT_AGE_DAYS"])
    return (User.email_confirmed_at.is_not(None)) | (User.created_at <= cutoff)


def _pending_flag(company_id: int, entity_type: str, entity_id: int, field: str) -> bool:
    return db.session.scalar(select(Flag.id).where(
        Flag.company_id == company_id, Flag.entity_type == entity_type, Flag.entity_id == entity_id,
        Flag.field == field, Flag.status == "pending")) is not None


def _flag_burst(company: Company) -> None:
    """Many ratings from new accounts in a short time look like a campaign: tell moderators."""
    config = current_app.config
    since = utcnow() - timedelta(hours=config["RATING_BURST_HOURS"])
    new_accounts = db.session.scalar(
        select(func.count()).select_from(Rating).join(User, User.id == Rating.user_id)
        .where(Rating.company_id == company.id, Rating.created_at >= since, ~established_accounts()))
    if new_accounts >= config["RATING_BURST_COUNT"] and not _pending_flag(company.id, "company", company.id, "ratings"):
        db.session.add(Flag(company_id=company.id, entity_type="company", entity_id=company.id, field="ratings",
                            note=f"{new_accounts} ratings from new accounts in the last "
                                 f"{config['RATING_BURST_HOURS']} hours."))


def report_comment(rating: Rating) -> bool:
    """A reader reports a comment; it goes to the moderation queue (once). Returns whether
    the report changed anything."""
    if rating.comment is None or rating.comment_state != "visible":
        return False
    rating.comment_state = "reported"
    return True


def decide_comment(rating: Rating, moderator: User, *, hide: bool) -> None:
    """Hide a reported comment (the stars still count) or keep it visible for good."""
    decide(rating, moderator, "comment_hidden" if hide else "comment_kept", Rating.comment_state == "reported",
           author_id=rating.user_id, what="comment", comment_state="hidden" if hide else "kept")


def report_contact_problem(contact: Contact, user: User, problem: str) -> bool:
    """Record one account's report (again: its latest word counts); at the threshold of
    reports from established accounts (like ratings: new unconfirmed accounts are cheap) the
    contact is queued for moderators. Returns whether the contact is now flagged."""
    existing = db.session.scalar(select(ContactProblem).where(
        ContactProblem.contact_id == contact.id, ContactProblem.user_id == user.id))
    if existing is not None:
        existing.problem = problem
    else:
        try:
            with db.session.begin_nested():
                db.session.add(ContactProblem(contact_id=contact.id, company_id=contact.company_id,
                                              user_id=user.id, problem=problem))
        except IntegrityError:  # the same account's other request got there first
            pass
    db.session.flush()
    reports = db.session.scalar(select(func.count()).select_from(ContactProblem)
                                .join(User, User.id == ContactProblem.user_id)
                                .where(ContactProblem.contact_id == contact.id, established_accounts()))
    threshold = current_app.config["CONTACT_PROBLEM_THRESHOLD"]
    if reports >= threshold and not _pending_flag(contact.company_id, "contact", contact.id, "status"):
        db.session.add(Flag(company_id=contact.company_id, entity_type="contact", entity_id=contact.id,
                            field="status", note=f"{reports} people report that this contact bounced or "
                                                 "never answered."))
    return reports >= threshold


def submit_reply(company: Company, user: User, *, author_role: str, evidence: str | None, body: str) -> CompanyReply:
    reply = CompanyReply(company_id=company.id, author_id=user.id, author_role=author_role.strip(),
                         evidence=(evidence or "").strip() or None, body=body.strip())
    db.session.add(reply)
    db.session.flush()
    return reply


def decide_reply(reply: CompanyReply, moderator: User, *, approve: bool) -> None:
    """Publish (superseding the company's previous reply) or reject a right-of-reply text."""
    decide(reply, moderator, "reply_approved" if approve else "reply_rejected", author_id=reply.author_id,
           what="reply", status="approved" if approve else "rejected", decided_by_id=moderator.id, decided_at=utcnow())
    if approve:
        for old in db.session.scalars(select(CompanyReply).where(
                CompanyReply.company_id == reply.company_id, CompanyReply.status == "approved", CompanyReply.id != reply.id)):
            old.status = "superseded"

