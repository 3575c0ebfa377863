"""Wikidata (CC0): brands, chief executives with dates and references, parents and
subsidiaries, websites, social accounts and the identifiers that tie a company to its SEC CIK,
Companies House number and LEI. Plain Python: a client, pure parsers, plain records."""
from .client import (DEFAULT_ENTITY_URL, DEFAULT_REQUESTS_PER_SECOND, DEFAULT_SPARQL_URL, WikidataClient,
                     all_company_ids, crawl_company, items_with)
from .companies import BrandRecord, ExecutiveRecord, SocialAccount, WikidataCompany, parse_company, referenced_ids
from .entities import Entity, Statement, WikidataDate, parse_entity, parse_time

__all__ = [
    "DEFAULT_ENTITY_URL", "DEFAULT_REQUESTS_PER_SECOND", "DEFAULT_SPARQL_URL", "BrandRecord", "Entity",
    "ExecutiveRecord", "SocialAccount", "Statement", "WikidataClient", "WikidataCompany",
    "WikidataDate", "all_company_ids", "crawl_company", "items_with", "parse_company", "parse_entity",
    "parse_time", "referenced_ids",
]
