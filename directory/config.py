"""Configuration: safe defaults, then the instance file, then the environment.

Nothing here reads the environment at import time (STYLE pitfall L3); `load_config`
is called inside `create_app`, so every app (and every test) gets its own settings.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit


class DefaultConfig:
    """Defaults that are safe for development and tests."""

    SECRET_KEY = None  # generated into the instance folder in development
    SQLALCHEMY_DATABASE_URI = None  # resolved to instance/directory.sqlite
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SEARCH_INDEX_DIR = None  # resolved to instance/search-index
    SEARCH_TIME_LIMIT = 2.0  # seconds; a search never runs longer than this
    SEARCH_WRITER_TIMEOUT = 2.0  # seconds to wait for the index lock before deferring
    SEARCH_ENABLED = True
    # whoosh: the embedded index in SEARCH_INDEX_DIR (one server); postgres: the database
    # itself, shared by every app server (needs PostgreSQL with pg_trgm; migration 0015).
    SEARCH_BACKEND = "whoosh"
    PER_PAGE = 20
    # Rendered search pages, keyed by the data's generation kept in the database, so never stale
    # even across servers (directory/caching.py). Per worker by default; DIRECTORY_CACHE_TYPE=RedisCache with
    # DIRECTORY_CACHE_REDIS_URL shares them between servers (needs the `redis` package).
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
    SEC_PRESS_RELEASES = 6  # newest 8-K/6-K press releases (EX-99) read per company for contacts
    SEC_MAX_DOCUMENT_BYTES = 25 * 1024 * 1024  # a larger filing document is skipped and reported
    SEC_TIMEOUT = 30.0  # seconds between bytes of an answer (connecting: at most 10)
    # "Read this company now" on a company page: an on-demand EDGAR import of that company,
    # offered when SEC_USER_AGENT is set; 0 for a server that must not reach SEC (offline, demo).
    SEC_READ_ON_DEMAND = True
    SEC_READ_IN_BACKGROUND = True  # run the queue in a thread of the web process (tests: off)
    COMPANIES_HOUSE_API_KEY = None  # without a key the public register's pages are read
    COMPANIES_HOUSE_API_URL = "https://api.company-information.service.gov.uk"
    COMPANIES_HOUSE_WEB_URL = "https://find-and-update.company-information.service.gov.uk"
    COMPANIES_HOUSE_REQUESTS_PER_SECOND = 2.0  # the API allows 600 per 5 minutes per key
    SCRAPER_CACHE_DIR = None  # resolved to instance/http-cache
    # Company websites (flask scrape websites): a declared identity is required, as for SEC.
    SCRAPER_USER_AGENT = None
    SCRAPER_ALLOW_PRIVATE_ADDRESSES = False  # tests only: their sites run on 127.0.0.1
    SCRAPER_HOST_REQUESTS_PER_SECOND = 1.0  # per host: small company sites are not a CDN
    SCRAPER_MAX_PAGE_BYTES = 2 * 1024 * 1024  # larger pages are skipped, not read to the end
    SCRAPER_TIMEOUT = 15.0  # seconds to connect and between bytes of an answer
    WEBSITE_REREAD_DAYS = 30  # --all reads a company's website again after this many days
    WEBSITE_PARALLEL_HOSTS = 4  # websites read at once (each host still paced on its own)
    WEBSITE_PAGE_BUDGET = 8  # pages read per company from its home page (home and guessed paths included)
    # Wikidata (flask scrape wikidata); SCRAPER_USER_AGENT, or SEC_USER_AGENT when unset, is sent.
    WIKIDATA_ENTITY_URL = "https://www.wikidata.org/wiki/Special:EntityData"
    WIKIDATA_SPARQL_URL = "https://query.wikidata.org/sparql"
    WIKIDATA_REQUESTS_PER_SECOND = 5.0  # at most (Wikimedia's robot policy)
    # The FCA's Financial Services Register API (flask scrape fca): a free registered user is required.
    FCA_API_URL = "https://register.fca.org.uk/services/V0.1"
    FCA_API_EMAIL = None
    FCA_API_KEY = None
    FCA_REQUESTS_PER_SECOND = 4.0  # the register allows 50 requests per 10 seconds per user
    # The CFPB's consumer complaints as CSV (flask scrape cfpb), streamed; SCRAPER_USER_AGENT is sent.
    CFPB_URL = "https://www.consumerfinance.gov/data-research/consumer-complaints/search/api/v1/?format=csv&no_aggs=true"
    PROXY_COUNT = 0  # reverse proxies in front of gunicorn whose X-Forwarded-* to trust
    TRUSTED_PROXIES = ["127.0.0.1", "::1"]  # addresses (or networks) the nearest proxy connects from
    PRODUCTION = False
    # Where the site is reached ("https://ceo.example.org"): the only source of absolute URLs
    # (links in mail, canonical links, sitemaps, feeds, JSON-LD), never the request's Host
    # header. Required in production, where a request for any other host (than it and
    # TRUSTED_HOSTS) is refused with a 400.
    PUBLIC_URL = None  # development: the address the server is bound to (discovery/urls.py)
    TRUSTED_HOSTS = None  # extra host names accepted in production (a list)
    # Accounts. OWASP password storage cheat sheet: argon2id, 19 MiB, 2 iterations, 1 lane.
    ARGON2_TIME_COST = 2
    ARGON2_MEMORY_COST = 19 * 1024
    ARGON2_PARALLELISM = 1
    PASSWORD_RESET_MAX_AGE = 3600  # seconds a reset link works
    EMAIL_CONFIRM_MAX_AGE = 7 * 24 * 3600  # seconds an email confirmation link works
    TRUSTED_AFTER_ACCEPTED = 10  # accepted suggestions before low-risk edits go live at once
    TRUSTED_CLEAN_DAYS = 90  # ... with no rejection in this many days
    PAUSE_AFTER_REJECTIONS = 5  # rejections within a week that pause a contributor for a week
    # Outgoing mail; without MAIL_SERVER, messages are written to the log in development and
    # dropped (with an error at start-up and for each message) in production.
    MAIL_SERVER = None
    MAIL_PORT = 587
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_FROM = "CEO Directory <no-reply@localhost>"
    MAIL_SECURITY = "starttls"  # starttls (port 587), ssl (port 465) or none (a local relay)
    # Ratings: who counts, when a pattern is flagged, leaderboard minimums.
    RATING_MIN_ACCOUNT_AGE_DAYS = 3
    RATING_BURST_COUNT = 5  # ratings from new accounts on one company ...
    RATING_BURST_HOURS = 24  # ... within this many hours flag it to moderators
    LEADERBOARD_MIN_REPORTS = 5
    CONTACT_PROBLEM_THRESHOLD = 3  # "bounced"/"unanswered" reports before a contact is flagged
    RATELIMIT_RATE = "30/hour"
    # Open data and being found (absolute URLs come from PUBLIC_URL above).
    OPEN_DATA_PATH = None  # resolved to instance/open-data/directory.jsonl.gz; `flask export` writes it
    SITEMAP_MAX_URLS = 50_000  # the sitemaps.org limit per file
    FEED_ENTRIES = 100


# Environment variables read by name (twelve-factor), with the config key they set.
ENVIRONMENT_KEYS = {
    "SECRET_KEY": "SECRET_KEY",
    "PUBLIC_URL": "PUBLIC_URL",
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "SEARCH_INDEX_DIR": "SEARCH_INDEX_DIR",
    "SEARCH_BACKEND": "SEARCH_BACKEND",
    "SEC_USER_AGENT": "SEC_USER_AGENT",
    "SEC_WWW_URL": "SEC_WWW_URL",
    "SEC_DATA_URL": "SEC_DATA_URL",
    "SEC_REQUESTS_PER_SECOND": "SEC_REQUESTS_PER_SECOND",
    "SEC_LOOKBACK_DAYS": "SEC_LOOKBACK_DAYS",
    "SEC_PRESS_RELEASES": "SEC_PRESS_RELEASES",
    "SEC_MAX_DOCUMENT_BYTES": "SEC_MAX_DOCUMENT_BYTES",
    "SEC_TIMEOUT": "SEC_TIMEOUT",
    "SEC_READ_ON_DEMAND": "SEC_READ_ON_DEMAND",
    "SCRAPER_CACHE_DIR": "SCRAPER_CACHE_DIR",
    "SCRAPER_USER_AGENT": "SCRAPER_USER_AGENT",
    "SCRAPER_ALLOW_PRIVATE_ADDRESSES": "SCRAPER_ALLOW_PRIVATE_ADDRESSES",
    "SCRAPER_HOST_REQUESTS_PER_SECOND": "SCRAPER_HOST_REQUESTS_PER_SECOND",
    "SCRAPER_MAX_PAGE_BYTES": "SCRAPER_MAX_PAGE_BYTES",
    "SCRAPER_TIMEOUT": "SCRAPER_TIMEOUT",
    "WEBSITE_REREAD_DAYS": "WEBSITE_REREAD_DAYS",
    "WEBSITE_PARALLEL_HOSTS": "WEBSITE_PARALLEL_HOSTS",
    "WEBSITE_PAGE_BUDGET": "WEBSITE_PAGE_BUDGET",
    "COMPANIES_HOUSE_API_KEY": "COMPANIES_HOUSE_API_KEY",
    "COMPANIES_HOUSE_API_URL": "COMPANIES_HOUSE_API_URL",
    "COMPANIES_HOUSE_WEB_URL": "COMPANIES_HOUSE_WEB_URL",
    "PROXY_COUNT": "PROXY_COUNT",
    "TRUSTED_PROXIES": "TRUSTED_PROXIES",
    "MAIL_SERVER": "MAIL_SERVER",
    "MAIL_PORT": "MAIL_PORT",
    "MAIL_USERNAME": "MAIL_USERNAME",
    "MAIL_PASSWORD": "MAIL_PASSWORD",
    "MAIL_FROM": "MAIL_FROM",
    "MAIL_SECURITY": "MAIL_SECURITY",
    "PUBLIC_URL": "PUBLIC_URL",
    "TRUSTED_HOSTS": "TRUSTED_HOSTS",
    "OPEN_DATA_PATH": "OPEN_DATA_PATH",
    "WIKIDATA_ENTITY_URL": "WIKIDATA_ENTITY_URL",
    "WIKIDATA_SPARQL_URL": "WIKIDATA_SPARQL_URL",
    "WIKIDATA_REQUESTS_PER_SECOND": "WIKIDATA_REQUESTS_PER_SECOND",
    "FCA_API_URL": "FCA_API_URL",
    "FCA_API_EMAIL": "FCA_API_EMAIL",
    "FCA_API_KEY": "FCA_API_KEY",
    "FCA_REQUESTS_PER_SECOND": "FCA_REQUESTS_PER_SECOND",
    "CFPB_URL": "CFPB_URL",
}


def _flag(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


def _host_list(value: str) -> list[str]:
    return [host.strip() for host in value.split(",") if host.strip()]


# How a variable's text becomes its setting (the others are kept as strings).
PARSERS = {"SEC_REQUESTS_PER_SECOND": float, "SEC_LOOKBACK_DAYS": int, "PROXY_COUNT": int, "MAIL_PORT": int,
           "TRUSTED_HOSTS": _host_list, "TRUSTED_PROXIES": _host_list, "SCRAPER_ALLOW_PRIVATE_ADDRESSES": _flag,
           "SCRAPER_HOST_REQUESTS_PER_SECOND": float, "SCRAPER_MAX_PAGE_BYTES": int, "SCRAPER_TIMEOUT": float,
           "WEBSITE_REREAD_DAYS": int, "WEBSITE_PARALLEL_HOSTS": int, "WEBSITE_PAGE_BUDGET": int, "SEC_PRESS_RELEASES": int,
           "SEC_MAX_DOCUMENT_BYTES": int, "SEC_TIMEOUT": float, "SEC_READ_ON_DEMAND": _flag,
           "WIKIDATA_REQUESTS_PER_SECOND": float, "FCA_REQUESTS_PER_SECOND": float}


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
                app.config[key] = PARSERS.get(key, str)(value)
        app.config.from_prefixed_env("DIRECTORY")
    else:
        app.config.update(test_config)
    _resolve_paths(app)
    _resolve_secret_key(app)
    _resolve_public_url(app)
    _resolve_database(app)


def _resolve_paths(app) -> None:
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SEARCH_INDEX_DIR"):
        app.config["SEARCH_INDEX_DIR"] = str(instance / "search-index")
    if not app.config.get("SCRAPER_CACHE_DIR"):
        app.config["SCRAPER_CACHE_DIR"] = str(instance / "http-cache")
    if not app.config.get("OPEN_DATA_PATH"):
        app.config["OPEN_DATA_PATH"] = str(instance / "open-data" / "directory.jsonl.gz")


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


def _resolve_public_url(app) -> None:
    """Production needs PUBLIC_URL, and then answers only requests for its host (and
    TRUSTED_HOSTS): Flask checks the Host header against TRUSTED_HOSTS and refuses others
    with a 400, so a forged Host can neither reach a page nor any link built from it."""
    url = (app.config.get("PUBLIC_URL") or "").strip().rstrip("/")
    parts = urlsplit(url)
    if app.config.get("PRODUCTION"):
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigurationError(
                "PUBLIC_URL is missing or not a web address. Set the PUBLIC_URL environment variable to the address "
                "visitors use (for example https://ceo.example.org): links in emails are built from it.")
        app.config["TRUSTED_HOSTS"] = [parts.hostname, *(app.config.get("TRUSTED_HOSTS") or [])]
        if not app.config.get("MAIL_SERVER"):
            app.logger.error("MAIL_SERVER is not set: password-reset and confirmation emails will NOT be sent. "
                             "Set MAIL_SERVER (and MAIL_PORT, MAIL_USERNAME, MAIL_PASSWORD, MAIL_FROM).")
    app.config["PUBLIC_URL"] = url or None


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
