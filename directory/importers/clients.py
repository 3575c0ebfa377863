"""The registers' HTTP clients, built from the configuration in one place for every command
and refresh step."""
from __future__ import annotations

from flask import current_app

from scrapers.companies_house import CompaniesHouseClient
from scrapers.edgar import EdgarClient


def edgar_client() -> EdgarClient:
    """The polite EDGAR client; raises ConfigurationError without SEC_USER_AGENT."""
    config = current_app.config
    return EdgarClient(user_agent=config.get("SEC_USER_AGENT"), www_url=config["SEC_WWW_URL"],
                       data_url=config["SEC_DATA_URL"], requests_per_second=config["SEC_REQUESTS_PER_SECOND"],
                       cache_dir=config["SCRAPER_CACHE_DIR"], max_document_bytes=config["SEC_MAX_DOCUMENT_BYTES"],
                       timeout=(min(10.0, config["SEC_TIMEOUT"]), config["SEC_TIMEOUT"]))


def companies_house_client() -> CompaniesHouseClient:
    config = current_app.config
    return CompaniesHouseClient(
        config.get("COMPANIES_HOUSE_API_KEY"), api_url=config["COMPANIES_HOUSE_API_URL"],
        web_url=config["COMPANIES_HOUSE_WEB_URL"], user_agent=config.get("SEC_USER_AGENT"),
        requests_per_second=config["COMPANIES_HOUSE_REQUESTS_PER_SECOND"], cache_dir=config["SCRAPER_CACHE_DIR"],
    )
