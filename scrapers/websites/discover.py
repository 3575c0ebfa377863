"""Finding a company's contact, help and complaints pages from its home page alone.

Registers and Wikidata give a company's home page, never its contact page, so the reader
looks where a person would: the links of the home page (header and footer first), then the
site's sitemap (robots.txt `Sitemap:` lines, else /sitemap.xml), and last the paths most
sites use (/contact, /help, /complaints, /kontakt, /impressum), guessed only for a kind of page
neither named. Candidates are read best first (contact and complaints pages, then help and
legal notices) until the company's page budget is spent.
Only pages of the home page's site are read (`safety.Site`).
"""
from __future__ import annotations

import heapq
import itertools
import re
import zlib
from dataclasses import dataclass, field
from typing import Iterable
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from ..errors import ParseError
from .parse import Link, page_kind
from .safety import Site

# Kind of page -> how soon it is read (lower first): a contact or complaints page names the
# channels; a help centre or legal notice (Impressum: German law requires a phone or email) may.
KIND_RANKS = {"contact": 0, "complaints": 0, "help": 1, "legal": 1}
ORIGIN_RANKS = {"link": 0, "sitemap": 1, "guess": 2}
# Paths most sites use, per kind; relative to the home page, so /en-us/ sites get /en-us/contact.
COMMON_PATHS = {"contact": ("contact", "contact-us", "kontakt"), "help": ("help", "support", "hilfe"),
                "complaints": ("complaints", "beschwerde"), "legal": ("impressum",)}
MAX_SITEMAP_FILES = 2  # a sitemap index and one of its sitemaps
SITEMAP_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass(frozen=True, order=True)
class Candidate:
    rank: tuple[int, int, int]
    url: str = field(compare=False)
    origin: str = field(compare=False)  # link | sitemap | guess


class Frontier:
    """Pages still to read, best first; each path once (?src=topbar and ?src=footer are one page)."""

    def __init__(self, site: Site):
        self.site = site
        self._heap: list[Candidate] = []
        self._seen: set[str] = set()
        self._read: set[str] = set()
        self._kinds: set[str] = set()
        self._order = itertools.count()

    def add(self, links: Iterable[Link], origin: str) -> None:
        for link in links:
            key = _page_key(link.url)
            if key in self._seen or not self.site.holds(link.url):
                continue
            self._seen.add(key)
            self._kinds.add(link.kind)
            rank = (KIND_RANKS[link.kind], ORIGIN_RANKS[origin], next(self._order))
            heapq.heappush(self._heap, Candidate(rank, link.url, origin))

    def read(self, url: str) -> None:
        """A page read (the home page, or where a candidate redirected to): not a candidate again."""
        self._seen.add(_page_key(url))
        self._read.add(_page_key(url))

    def was_read(self, url: str) -> bool:
        return _page_key(url) in self._read

    def guess_missing(self, home_url: str) -> None:
        """The common paths of each kind of page no link or sitemap named."""
        for kind, paths in COMMON_PATHS.items():
            if kind not in self._kinds:
                self.add([Link(urljoin(home_url, path), kind) for path in paths], "guess")

    def pop(self) -> Candidate | None:
        return heapq.heappop(self._heap) if self._heap else None


def sitemap_links(urls: list[str]) -> list[Link]:
    """The sitemap's pages whose path names a kind of page worth reading, shortest path first
    (a help centre's front page before its thousand articles)."""
    links = [Link(url, kind) for url in urls if (kind := page_kind(unquote(urlsplit(url).path)))]
    return sorted(links, key=lambda link: urlsplit(link.url).path.count("/"))


def _page_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower().removeprefix('www.')}{parts.path.rstrip('/')}"


def sitemap_locations(content: bytes, url: str, max_bytes: int) -> tuple[list[str], list[str]]:
    """(pages, sitemaps) a sitemap lists: a `<urlset>` lists pages, a `<sitemapindex>` sitemaps.

    Gzipped sitemaps are unpacked up to `max_bytes`; entities and DTDs are not resolved (a
    sitemap is the site's text, and an XML bomb or external entity must not reach this server).
    """
    if content[:2] == b"\x1f\x8b":
        content = _gunzip(content, max_bytes, url)
    try:
        root = etree.fromstring(content, SITEMAP_XML)
    except etree.XMLSyntaxError as error:
        raise ParseError(url, f"not a sitemap ({error})") from error
    locations = [(element.text or "").strip() for element in root.iter("{*}loc")]
    locations = [urljoin(url, loc) for loc in locations if loc]
    if etree.QName(root).localname == "sitemapindex":
        return [], locations
    return locations, []


def _gunzip(content: bytes, max_bytes: int, url: str) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(content, max_bytes)
    except zlib.error as error:
        raise ParseError(url, f"not a gzipped sitemap ({error})") from error
    if inflater.unconsumed_tail:
        raise ParseError(url, f"larger than {max_bytes} bytes unpacked")
    return data


def best_sitemaps(sitemaps: list[str]) -> list[str]:
    """A sitemap index's sitemaps, those whose name says pages or contact first (not products)."""
    return sorted(sitemaps, key=lambda url: 0 if re.search(r"page|contact|kontakt|help|hilfe|service", url, re.I)
                  else 1)
