"""Rate limits shared by every gunicorn worker, without Redis.

Flask-Limiter keeps fixed-window counters in a `limits` storage. An in-memory storage would
count per worker process, so a visitor could multiply the limit by the number of workers;
this storage keeps the counters in the `rate_limit_counters` table of the database every
worker already shares. It uses its own short transaction (`engine.begin()`), so counting a
request never commits or rolls back the request's own session.
"""
from __future__ import annotations

import hashlib
import time
from typing import ClassVar

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import parse
from limits.storage import Storage
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from .extensions import db
from .models import RateLimitCounter

COUNTERS = RateLimitCounter.__table__


class DatabaseStorage(Storage):
    """`directorydb://`: fixed-window counters in the application database."""

    STORAGE_SCHEME: ClassVar[list[str]] = ["directorydb"]

    @property
    def base_exceptions(self):
        return Exception

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count one hit in one short transaction: an UPDATE ... RETURNING while the window is
        open (one statement, the common case), else a fresh window."""
        now = time.time()
        with db.engine.begin() as connection:
            count = connection.execute(
                update(COUNTERS).where(COUNTERS.c.key == key, COUNTERS.c.expires_at > now)
                .values(count=COUNTERS.c.count + amount).returning(COUNTERS.c.count)
            ).scalar()
            if count is not None:
                return count
            connection.execute(delete(COUNTERS).where(COUNTERS.c.key == key))
            try:
                with connection.begin_nested():
                    connection.execute(COUNTERS.insert().values(key=key, count=amount, expires_at=now + expiry))
            except IntegrityError:  # another worker opened the window first
                connection.execute(update(COUNTERS).where(COUNTERS.c.key == key)
                                   .values(count=COUNTERS.c.count + amount))
            return connection.execute(select(COUNTERS.c.count).where(COUNTERS.c.key == key)).scalar_one()

    def _row(self, key: str):
        with db.engine.connect() as connection:
            return connection.execute(
                select(COUNTERS.c.count, COUNTERS.c.expires_at)
                .where(COUNTERS.c.key == key, COUNTERS.c.expires_at > time.time())
            ).first()

    def get(self, key: str) -> int:
        row = self._row(key)
        return row.count if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row.expires_at if row else time.time()

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        with db.engine.begin() as connection:
            return connection.execute(delete(COUNTERS)).rowcount

    def clear(self, key: str) -> None:
        with db.engine.begin() as connection:
            connection.execute(delete(COUNTERS).where(COUNTERS.c.key == key))


def client_address() -> str:
    return get_remote_address() or "unknown"


def hashed_address() -> str:
    """A salted hash of the client address: enough to count and to spot abuse, not to track.
    The one such hash (suggestions, reports, bounce reports), so one visitor is one value."""
    secret = current_app.config["SECRET_KEY"]
    return hashlib.sha256(f"{secret}:{client_address()}".encode()).hexdigest()[:32]


def account_key() -> str:
    return f"user:{current_user.get_id()}" if current_user.is_authenticated else f"ip:{client_address()}"


def mail_allowed(address: str) -> bool:
    """Count one message to `address` typed into a form, whoever typed it: False beyond
    RATELIMIT_MAIL_TO_ADDRESS, so no one can make the site mail a stranger more than that,
    from however many addresses they post. The key is a salted hash, never the address."""
    config = current_app.config
    if not config["RATELIMIT_ENABLED"]:
        return True
    digest = hashlib.sha256(f"{config['SECRET_KEY']}:{address.strip().lower()}".encode()).hexdigest()[:32]
    return _MAIL_COUNTER.hit(parse(config["RATELIMIT_MAIL_TO_ADDRESS"]), "mail-to", digest)


def configured(name: str):
    """A limit read from the config at request time, so tests and deployments can tune it."""
    return lambda: current_app.config[name]


def only_when_sending() -> bool:
    """Previews and "change" round trips are free; only the final send counts."""
    return request.method != "POST" or request.form.get("action") != "send"


def not_a_write() -> bool:
    """Reads are free by default (counting costs a database write); every POST is limited."""
    return request.method in ("GET", "HEAD", "OPTIONS")


# Every write without a limit of its own gets RATELIMIT_WRITES per address and route.
limiter = Limiter(key_func=client_address, storage_uri="directorydb://", strategy="fixed-window",
                  default_limits=[configured("RATELIMIT_WRITES")], default_limits_exempt_when=not_a_write)

_MAIL_COUNTER = FixedWindowRateLimiter(DatabaseStorage("directorydb://"))

# Counts the searches the server runs, on the search page and the API alike: a page served
# from the cache costs less than a static file, so repeating a popular search is not held
# against anyone.
search_limit = limiter.limit(configured("RATELIMIT_SEARCH"))


# Failed logins per account (by the address typed, known or not, so the pause tells nobody
# whether an account exists): the per-address limit alone lets a botnet, or one client
# rotating addresses, try a password list against one account. Resetting the password by
# email lifts the pause: it proves the mailbox, which no password guess does.
def _failed_logins(email: str) -> tuple:
    secret = current_app.config["SECRET_KEY"]
    account = hashlib.sha256(f"{secret}:{email.strip().lower()}".encode()).hexdigest()[:32]
    return parse(current_app.config["RATELIMIT_LOGIN_ACCOUNT"]), "failed-logins", account


def login_pause_seconds(email: str) -> int:
    """0, or how long logging in to the account stays paused: it had RATELIMIT_LOGIN_ACCOUNT
    failed logins in the current window."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return 0
    limit, *key = _failed_logins(email)
    if limiter.limiter.test(limit, *key):
        return 0
    return max(1, int(limiter.limiter.get_window_stats(limit, *key).reset_time - time.time()) + 1)


def count_failed_login(email: str) -> None:
    if current_app.config["RATELIMIT_ENABLED"]:
        limit, *key = _failed_logins(email)
        limiter.limiter.hit(limit, *key)


def forget_failed_logins(email: str) -> None:
    """After a password reset (or a successful login) the owner starts with a clean slate."""
    if current_app.config["RATELIMIT_ENABLED"]:
        limit, *key = _failed_logins(email)
        limiter.limiter.clear(limit, *key)


def init_app(app) -> None:
    app.config.setdefault("RATELIMIT_LOGIN", "10/minute")
    app.config.setdefault("RATELIMIT_LOGIN_ACCOUNT", "10/hour")  # failed logins per account
    app.config.setdefault("RATELIMIT_REGISTER", "5/hour")
    app.config.setdefault("RATELIMIT_SUGGEST", "30/hour")
    app.config.setdefault("RATELIMIT_REPORT", "20/hour")
    app.config.setdefault("RATELIMIT_WRITES", "60/minute")
    app.config.setdefault("RATELIMIT_MAIL_TO_ADDRESS", "3/day")  # mails to one typed address, from anyone
    app.config.setdefault("RATELIMIT_CASES", "120/hour")  # case writes, per account
    app.config.setdefault("RATELIMIT_SEARCH", "120/minute")
    app.config.setdefault("RATELIMIT_SEARCH_SUGGEST", "600/minute")
    # "Read this company now": per visitor, and for every visitor together, so the queue of
    # EDGAR reads (one at a time, within SEC's pace) stays minutes long, not days.
    app.config.setdefault("RATELIMIT_READ_NOW", "5/hour")
    app.config.setdefault("RATELIMIT_READ_NOW_ALL", "60/hour")
    app.config.setdefault("RATELIMIT_STORAGE_URI", "directorydb://")
    # Flask-Limiter keeps `enabled` on the shared limiter and defaults each app to the last
    # app's value: say it for every app, or one app with limits off turns them off for the next.
    app.config.setdefault("RATELIMIT_ENABLED", True)
    limiter.init_app(app)
