"""The leaderboards' scores: one `company_scores` row per company on a leaderboard.

A company is on one when its policy is "open" or "no name", or when it has a counted outcome
report. Its row is recomputed from the rows it summarises (never incremented, so it cannot
drift) whenever a flush touches one of its ratings or outcome reports, its name, country,
sector or policy, or confirms the email of an account that rated it. A recomputation reads
one company's ratings through their company index: a few milliseconds per write, instead
of the leaderboards aggregating every rating on every visit.

Outcome reports are counted per account: an account may report each rung of a company's
ladder (five reports), but it is one person's experience, so it weighs once. `reports` is the
number of established accounts that reported on the company, `replies` those of them that got
a reply at some rung, `unanswered` those that got none: five reports from one account can
neither meet the leaderboards' minimum nor move a share more than one person does.
"""
from __future__ import annotations

from sqlalchemy import Integer, case, cast, delete, func, inspect, or_, select
from sqlalchemy.orm import Session

from ..models import Company, CompanyScore, OutcomeReport, Rating, User
from ..operations.ratings import established_accounts

LISTED_POLICIES = ("open", "no_name")
SCORED_FIELDS = ("name", "country", "sector", "contact_policy")
CHUNK = 500


def _scores_select(ids: list[int] | None):
    """(company, name, country, sector, policy, ratings, average, reports, replies, unanswered) of each
    listed company among `ids` (None: all), from the counted ratings and the counted reporting
    accounts (one verdict per account: a reply at any rung)."""
    ratings = (select(Rating.company_id, func.count().label("n"), func.avg(Rating.stars).label("average"))
               .join(User, User.id == Rating.user_id).where(established_accounts()).group_by(Rating.company_id))
    replied = func.max(cast(case((OutcomeReport.got_reply, 1), else_=0), Integer))
    accounts = (select(OutcomeReport.company_id, replied.label("replied"))
                .join(User, User.id == OutcomeReport.user_id).where(established_accounts())
                .group_by(OutcomeReport.company_id, OutcomeReport.user_id))
    if ids is not None:
        ratings = ratings.where(Rating.company_id.in_(ids))
        accounts = accounts.where(OutcomeReport.company_id.in_(ids))
    accounts = accounts.subquery()
    reports = (select(accounts.c.company_id, func.count().label("n"), func.sum(accounts.c.replied).label("replied"))
               .group_by(accounts.c.company_id))
    ratings, reports = ratings.subquery(), reports.subquery()
    stmt = (select(Company.id, Company.name, Company.country, Company.sector, Company.contact_policy,
                   func.coalesce(ratings.c.n, 0), func.coalesce(ratings.c.average, 0), func.coalesce(reports.c.n, 0),
                   func.coalesce(reports.c.replied, 0), func.coalesce(reports.c.n - reports.c.replied, 0))
            .outerjoin(ratings, ratings.c.company_id == Company.id)
            .outerjoin(reports, reports.c.company_id == Company.id)
            .where(or_(Company.contact_policy.in_(LISTED_POLICIES), reports.c.n > 0)))
    return stmt if ids is None else stmt.where(Company.id.in_(ids))


def recompute(connection, company_ids) -> None:
    """Recompute these companies' rows (None: every company's, for `flask counts refresh`)."""
    table = CompanyScore.__table__
    columns = [table.c.company_id, table.c.name, table.c.country, table.c.sector, table.c.contact_policy,
               table.c.ratings, table.c.average, table.c.reports, table.c.replies, table.c.unanswered]
    if company_ids is None:
        connection.execute(delete(table))
        connection.execute(table.insert().from_select(columns, _scores_select(None)))
        return
    ids = sorted(company_ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        connection.execute(delete(table).where(table.c.company_id.in_(chunk)))
        connection.execute(table.insert().from_select(columns, _scores_select(chunk)))


def _changed(obj, fields) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[field].history.has_changes() for field in fields)


def flushed_company_ids(session: Session, connection) -> set[int]:
    """The companies whose scores the flush that just ran may have changed."""
    ids, confirmed = set(), set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, (Rating, OutcomeReport)):
            ids.add(obj.company_id)
        elif isinstance(obj, Company) and obj not in session.deleted:
            if obj in session.new and obj.contact_policy not in LISTED_POLICIES:
                continue  # a new company is on no leaderboard until it has a policy or reports
            if _changed(obj, SCORED_FIELDS):
                ids.add(obj.id)
        elif isinstance(obj, User) and obj in session.dirty and _changed(obj, ("email_confirmed_at",)):
            confirmed.add(obj.id)
    if confirmed:
        ids.update(connection.scalars(select(Rating.company_id).where(Rating.user_id.in_(confirmed))))
        ids.update(connection.scalars(select(OutcomeReport.company_id).where(OutcomeReport.user_id.in_(confirmed))))
    return ids
