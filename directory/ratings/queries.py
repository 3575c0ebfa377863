"""Aggregates of ratings and outcome reports, computed from the stored rows with SQL.

Only ratings of established accounts count (a confirmed email, or older than
`RATING_MIN_ACCOUNT_AGE_DAYS`), so a new account's rating is stored at once and counts later
without anything being recomputed. Medians are taken in Python from the days the database
returns, because SQLite has no portable median aggregate.

The leaderboards read `CompanyScore` rows, kept by the writes (`aggregates/scores.py`) with
the same rule of what counts (`established_accounts`).

"Most helpful recent comments" are simply the most recent non-hidden comments of counted
ratings: no votes to game, and the freshest experience is the most useful one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from flask import current_app
from sqlalchemy import func, literal, select

from ..extensions import db
from ..models import TIERS, Company, CompanyScore, OutcomeReport, PhoneReport, Rating, User
from ..models.contact import TIER_LABELS
from ..operations.ratings import established_accounts

COMMENTS_SHOWN = 5


@dataclass(frozen=True)
class RungOutcome:
    rung: str
    reports: int
    replies: int
    resolved: int
    median_days: float | None

    @property
    def label(self) -> str:
        return TIER_LABELS[self.rung]

    @property
    def response_rate(self) -> float | None:
        return round(self.replies / self.reports, 3) if self.reports else None


@dataclass(frozen=True)
class Summary:
    count: int
    average: float | None
    distribution: dict[int, int]
    outcomes: list[RungOutcome]
    comments: list[Rating] = field(default_factory=list)

    def bar_class(self, stars: int) -> str:
        """`bar-0` ... `bar-100` in steps of 5: the share of ratings with this many stars."""
        if not self.count:
            return "bar-0"
        return f"bar-{round(self.distribution[stars] * 20 / self.count) * 5}"

    def percent(self, stars: int) -> int:
        return round(self.distribution[stars] * 100 / self.count) if self.count else 0

    def as_json(self) -> dict:
        return {
            "average": self.average,
            "count": self.count,
            "distribution": {str(stars): n for stars, n in self.distribution.items()},
            "outcomes": {o.rung: {"reports": o.reports, "replies": o.replies, "response_rate": o.response_rate,
                                  "median_days_to_reply": o.median_days, "resolved": o.resolved}
                         for o in self.outcomes},
        }


def _counted_ratings(company_id: int):
    return (select(Rating).join(User, User.id == Rating.user_id)
            .where(Rating.company_id == company_id, established_accounts()))


def outcomes(company_id: int) -> list[RungOutcome]:
    """Reports, replies and median days to reply on each rung, bottom rung first."""
    rows = db.session.execute(
        select(OutcomeReport.rung, OutcomeReport.got_reply, OutcomeReport.days_to_reply, OutcomeReport.resolved)
        .join(User, User.id == OutcomeReport.user_id)
        .where(OutcomeReport.company_id == company_id, established_accounts())).all()
    result = []
    for rung in TIERS:
        mine = [row for row in rows if row.rung == rung]
        days = [row.days_to_reply for row in mine if row.got_reply and row.days_to_reply is not None]
        result.append(RungOutcome(rung=rung, reports=len(mine), replies=sum(1 for row in mine if row.got_reply),
                                  resolved=sum(1 for row in mine if row.resolved),
                                  median_days=float(median(days)) if days else None))
    return result


def distribution_stmt(company_id: int):
    """(label, stars, number of counted ratings) rows; `label` lets the company page fetch
    these in the same round trip as its other counts (see panel.py)."""
    return (select(literal("stars").label("label"), Rating.stars.label("key"), func.count().label("n"))
            .join(User, User.id == Rating.user_id)
            .where(Rating.company_id == company_id, established_accounts()).group_by(Rating.stars))


def summary(company_id: int, *, with_comments: bool = True, distribution: dict[int, int] | None = None,
            has_outcomes: bool | None = None) -> Summary:
    """Count, average and distribution come from one GROUP BY over the counted ratings (the
    average is their weighted mean, so it is exact); comments are only looked up when there
    is at least one counted rating. Outcome reports also come from closed cases, without a
    rating: a caller that already knows there are none (`has_outcomes=False`) saves the query."""
    if distribution is None:
        distribution = {stars: n for _, stars, n in db.session.execute(distribution_stmt(company_id))}
    distribution = {stars: distribution.get(stars, 0) for stars in range(1, 6)}
    count = sum(distribution.values())
    if not count:
        return Summary(count=0, average=None, distribution=distribution,
                       outcomes=outcomes(company_id) if has_outcomes is not False
                       else [RungOutcome(rung, 0, 0, 0, None) for rung in TIERS])
    comments = []
    if with_comments:
        comments = list(db.session.scalars(
            _counted_ratings(company_id).where(Rating.comment.is_not(None), Rating.comment_state != "hidden")
            .order_by(Rating.updated_at.desc(), Rating.id.desc()).limit(COMMENTS_SHOWN)))
    average = sum(stars * n for stars, n in distribution.items()) / count
    return Summary(count=count, average=round(average, 2), distribution=distribution,
                   outcomes=outcomes(company_id), comments=comments)


@dataclass(frozen=True)
class LeaderboardRow:
    company: Company
    value: float | None  # average stars, response rate or stonewalled reports
    count: int


def _board(*criteria, order, country: str | None, sector: str | None, limit: int):
    """(company, score) rows of the leaderboard table: one small table, never the ratings."""
    stmt = select(Company, CompanyScore).join(Company, Company.id == CompanyScore.company_id).where(*criteria)
    if country:
        stmt = stmt.where(CompanyScore.country == country.upper())
    if sector:
        stmt = stmt.where(CompanyScore.sector == sector)
    return db.session.execute(stmt.order_by(*order, CompanyScore.name).limit(limit)).all()


def most_open(*, country=None, sector=None, limit=50) -> list[LeaderboardRow]:
    """Companies whose policy is "open", best rated first (unrated ones last, by name)."""
    rows = _board(CompanyScore.contact_policy == "open", country=country, sector=sector, limit=limit,
                  order=(CompanyScore.average.desc(), CompanyScore.ratings.desc()))
    return [LeaderboardRow(c, round(s.average, 2) if s.ratings else None, s.ratings) for c, s in rows]


def best_responders(*, country=None, sector=None, limit=50) -> list[LeaderboardRow]:
    """Highest share of reporting accounts that got a reply, among companies with reports from
    at least `LEADERBOARD_MIN_REPORTS` different accounts; more of them first on a tie."""
    rate = CompanyScore.replies * 1.0 / CompanyScore.reports
    rows = _board(CompanyScore.reports >= max(1, current_app.config["LEADERBOARD_MIN_REPORTS"]), country=country,
                  sector=sector, limit=limit, order=(rate.desc(), CompanyScore.reports.desc()))
    return [LeaderboardRow(c, round(s.replies / s.reports, 3), s.reports) for c, s in rows]


def stonewallers(*, country=None, sector=None, limit=50) -> list[LeaderboardRow]:
    """Companies with a "no name" policy, ranked by how many reporting accounts got no reply."""
    rows = _board(CompanyScore.contact_policy == "no_name", country=country, sector=sector, limit=limit,
                  order=(CompanyScore.unanswered.desc(),))
    return [LeaderboardRow(c, s.unanswered, s.reports) for c, s in rows]


def filter_choices() -> tuple[list[str], list[str]]:
    """Countries and sectors of companies that appear on any leaderboard."""
    countries = db.session.scalars(select(CompanyScore.country).where(CompanyScore.country.is_not(None))
                                   .distinct().order_by(CompanyScore.country)).all()
    sectors = db.session.scalars(select(CompanyScore.sector).where(CompanyScore.sector.is_not(None))
                                 .distinct().order_by(CompanyScore.sector)).all()
    return list(countries), list(sectors)


@dataclass(frozen=True)
class PhoneFigures:
    """What callers reported about one phone number (established accounts only)."""

    reports: int
    median_hold_minutes: float | None
    way_to_person: str | None
    way_to_person_reports: int
    best_hours: list[tuple[int, float]]  # (hour of day, median minutes on hold), best first

    @property
    def best_hour_labels(self) -> list[str]:
        return [hour_label(hour) for hour, _ in self.best_hours]

    def as_json(self) -> dict:
        return {"median_hold_minutes": self.median_hold_minutes, "reports": self.reports,
                "way_to_person": self.way_to_person, "way_to_person_reports": self.way_to_person_reports,
                "best_hours": self.best_hour_labels}


BEST_HOURS_SHOWN = 3


def hour_label(hour: int) -> str:
    return f"{hour:02d}:00-{hour + 1:02d}:00"


def way_key(words: str) -> str:
    """"2, then 0", "2 then 0" and "2 THEN 0." are one way: compared without case or punctuation."""
    return " ".join(re.findall(r"\w+|[*#]", words.lower()))


def phone_figures(company_id: int) -> dict[int, PhoneFigures]:
    """Per phone contact of the company: number of counted reports, median hold, the most
    reported way to a person (ties: the most recently reported) and the hours of the day with
    the shortest median hold. One query; medians in Python, as for days to reply."""
    rows = db.session.execute(
        select(PhoneReport.contact_id, PhoneReport.hold_minutes, PhoneReport.called_hour, PhoneReport.way_to_person)
        .join(User, User.id == PhoneReport.user_id)
        .where(PhoneReport.company_id == company_id, established_accounts())
        .order_by(PhoneReport.updated_at.desc(), PhoneReport.id.desc())).all()
    by_contact: dict[int, list] = {}
    for row in rows:
        by_contact.setdefault(row.contact_id, []).append(row)
    return {contact_id: _figures(reports) for contact_id, reports in by_contact.items()}


def _figures(reports: list) -> PhoneFigures:
    holds = [r.hold_minutes for r in reports if r.hold_minutes is not None]
    ways: dict[str, list[str]] = {}
    for r in reports:  # newest first, so a way's first wording is its latest
        if r.way_to_person and way_key(r.way_to_person):
            ways.setdefault(way_key(r.way_to_person), []).append(r.way_to_person)
    best_way = max(ways.values(), key=len, default=[])  # max keeps the first (newest) of equal counts
    by_hour: dict[int, list[int]] = {}
    for r in reports:
        if r.called_hour is not None and r.hold_minutes is not None:
            by_hour.setdefault(r.called_hour, []).append(r.hold_minutes)
    hours = sorted(((hour, float(median(m))) for hour, m in by_hour.items()), key=lambda h: (h[1], -len(by_hour[h[0]]), h[0]))
    return PhoneFigures(reports=len(reports), median_hold_minutes=float(median(holds)) if holds else None,
                        way_to_person=best_way[0] if best_way else None, way_to_person_reports=len(best_way),
                        best_hours=hours[:BEST_HOURS_SHOWN])
