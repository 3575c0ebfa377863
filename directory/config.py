"""Configuration: safe defaults, then the instance file, then the environment.

Nothing here reads the environment at import time (STYLE pitfall L3); `load_config`
is called inside `create_app`, so every app (and every test) gets its own settings.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path


class DefaultConfig:
    """Defaults that are safe for development and tests."""

    SECRET_KEY = None  # generated into the instance folder in development
    SQLALCHEMY_DATABASE_URI = None  # resolved to instance/directory.sqlite
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SEARCH_INDEX_DIR = None  # resolved to instance/search-index
    SEARCH_TIME_LIMIT = 2.0  # seconds; a search never runs longer than this
    SEARCH_WRITER_TIMEOUT = 2.0  # seconds to wait for the index lock before deferring
    SEARCH_ENABLED = True
    PER_PAGE = 20
    # Each worker keeps rendered search pages (keyed by the index generation, so never stale).
    CACHE_TYPE = "SimpleCache"
    CACHE_THRESHOLD = 5000  # entries per worker
    CACHE_DEFAULT_TIMEOUT = 300
    MAX_PER_PAGE = 100
    SNAPSHOT_PATH = str(Path(__file__).parent / "data" / "snapshot.jsonl.gz")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = 4 * 3600  # long corrections must not expire mid-typing
    # Scrapers
    SEC_USER_AGENT = None
    SEC_WWW_URL = "https://www.sec.gov"
    SEC_DATA_URL = "https://data.sec.gov"
    SEC_REQUESTS_PER_SECOND = 8.0
    SEC_LOOKBACK_DAYS = 730
    COMPANIES_HOUSE_API_KEY = None  # without a key the public register's pages are read
    COMPANIES_HOUSE_API_URL = "https://api.company-information.service.gov.uk"
    COMPANIES_HOUSE_WEB_URL = "https://find-and-update.company-information.service.gov.uk"
    COMPANIES_HOUSE_REQUESTS_PER_SECOND = 2.0  # the API allows 600 per 5 minutes per key
    SCRAPER_CACHE_DIR = None  # resolved to instance/http-cache
    PROXY_COUNT = 0  # reverse proxies in front of gunicorn whose X-Forwarded-* to trust
    PRODUCTION = False
    # Accounts. OWASP password storage cheat sheet: argon2id, 19 MiB, 2 iterations, 1 lane.
    ARGON2_TIME_COST = 2
    ARGON2_MEMORY_COST = 19 * 1024
    ARGON2_PARALLELISM = 1
    PASSWORD_RESET_MAX_AGE = 3600  # seconds a reset link works
    TRUSTED_AFTER_ACCEPTED = 10  # accepted suggestions before low-risk edits go live at once
    TRUSTED_CLEAN_DAYS = 90  # ... with no rejection in this many days
    PAUSE_AFTER_REJECTIONS = 5  # rejections within a week that pause a contributor for a week
    # Outgoing mail; without MAIL_SERVER, messages are written to the log (development).
    MAIL_SERVER = None
    MAIL_PORT = 587
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_FROM = "CEO Directory <no-reply@localhost>"
    # Ratings: who counts, when a pattern is flagged, leaderboard minimums.
    RATING_MIN_ACCOUNT_AGE_DAYS = 3
    RATING_BURST_COUNT = 5  # ratings from new accounts on one company ...
    RATING_BURST_HOURS = 24  # ... within this many hours flag it to moderators
    LEADERBOARD_MIN_REPORTS = 5
    CONTACT_PROBLEM_THRESHOLD = 3  # "bounced"/"unanswered" reports before a contact is flagged
    RATELIMIT_RATE = "30/hour"


# Environment variables read by name (twelve-factor), with the config key they set.
ENVIRONMENT_KEYS = {
    "SECRET_KEY": "SECRET_KEY",
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "SEARCH_INDEX_DIR": "SEARCH_INDEX_DIR",
    "SEC_USER_AGENT": "SEC_USER_AGENT",
    "SEC_WWW_URL": "SEC_WWW_URL",
    "SEC_DATA_URL": "SEC_DATA_URL",
    "SEC_REQUESTS_PER_SECOND": "SEC_REQUESTS_PER_SECOND",
    "SEC_LOOKBACK_DAYS": "SEC_LOOKBACK_DAYS",
    "SCRAPER_CACHE_DIR": "SCRAPER_CACHE_DIR",
    "COMPANIES_HOUSE_API_KEY": "COMPANIES_HOUSE_API_KEY",
    "COMPANIES_HOUSE_API_URL": "COMPANIES_HOUSE_API_URL",
    "COMPANIES_HOUSE_WEB_URL": "COMPANIES_HOUSE_WEB_URL",
}
NUMERIC_KEYS = {"SEC_REQUESTS_PER_SECOND": float, "SEC_LOOKBACK_DAYS": int}


class ConfigurationError(RuntimeError):
    """Raised when the app cannot start safely (for example no SECRET_KEY in production)."""


def load_config(app, test_config: dict | None, *, production: bool = False) -> None:
    """Layer the configuration: defaults, instance/config.py, environment, test_config."""
    app.config.from_object(DefaultConfig)
    app.config["PRODUCTION"] = production
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        for env_name, key in ENVIRONMENT_KEYS.items():
            value = os.environ.get(env_name)
            if value:
                app.config[key] = NUMERIC_KEYS.get(key, str)(value)
        app.config.from_prefixed_env("DIRECTORY")
    else:
        app.config.update(test_config)
    _resolve_paths(app)
    _resolve_secret_key(app)
    _resolve_database(app)


def _resolve_paths(app) -> None:
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SEARCH_INDEX_DIR"):
        app.config["SEARCH_INDEX_DIR"] = str(instance / "search-index")
    if not app.config.get("SCRAPER_CACHE_DIR"):
        app.config["SCRAPER_CACHE_DIR"] = str(instance / "http-cache")


MIN_PRODUCTION_KEY_LENGTH = 24  # anyone who can guess the key can forge session cookies


def _resolve_secret_key(app) -> None:
    """Development gets a random key kept in the instance folder; production must set one."""
    key = app.config.get("SECRET_KEY")
    weak = not key or key in ("dev", "change-me") or len(key) < MIN_PRODUCTION_KEY_LENGTH
    if app.config.get("PRODUCTION") and weak:
        raise ConfigurationError(
            "SECRET_KEY is missing, a placeholder or too short. Set the SECRET_KEY environment variable "
            f"to a long random value (at least {MIN_PRODUCTION_KEY_LENGTH} characters) before starting in production."
        )
    if key:
        return
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def _resolve_database(app) -> None:
    uri = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not uri:
        uri = "sqlite:///" + str(Path(app.instance_path) / "directory.sqlite")
    if uri.startswith("postgres://"):  # the form some hosts hand out
        uri = "postgresql://" + uri[len("postgres://"):]
    if uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri[len("postgresql://"):]
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if uri.startswith("sqlite"):
        options.setdefault("connect_args", {"timeout": 30})
    else:
        options.setdefault("pool_pre_ping", True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
