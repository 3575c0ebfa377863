"""Company websites: customer-service and complaint contacts, head office, social accounts.

`read_website(reader, url)` reads a home page and the contact, help, complaints and legal
notice pages it finds from it (links, sitemap, common paths; `discover.py`) within a page
budget, politely (robots.txt, a declared User-Agent, 1 request per second
per host, a size cap) and safely (public addresses only, every redirect re-checked).
Parsers are pure (`parse_page`); the app's `directory.importers.websites` stores the result.
"""
from .crawl import PageProblem, WebsiteReader, WebsiteReading, read_website
from .parse import (RUNGS, HeadOffice, Link, PageReading, SocialAccount, WebContact, channel_key, parse_page,
                    social_account)
from .safety import AddressPolicy, OffSite, RefusedURL, RobotsRules, Site, is_public_address

__all__ = ["RUNGS", "AddressPolicy", "HeadOffice", "Link", "OffSite", "PageProblem", "PageReading", "RefusedURL",
           "RobotsRules", "Site", "SocialAccount", "WebContact", "WebsiteReader", "WebsiteReading", "channel_key",
           "is_public_address", "parse_page", "read_website", "social_account"]
