"""What the website reader may request: public addresses only, and what robots.txt allows.

Website addresses come from contributors as well as from registers, so a URL is untrusted
input: without the address check, "http://169.254.169.254/" or "http://localhost:5432/"
would make this server fetch its own cloud metadata or databases for whoever typed it
(server-side request forgery). The check runs on every address the HTTP client is about to
request, redirect targets included (`HttpClient(check_url=...)`).

robots.txt is read once per site and run (with `urllib.robotparser`), through the same
paced client, and is itself exempt from the rule it defines.
"""
from __future__ import annotations

import ipaddress
import socket
import threading
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from ..errors import FetchError, ScraperError

Resolver = Callable[[str, int], list[str]]


class RefusedURL(ScraperError):
    """An address the reader will not request: not public, not http(s), or robots.txt says no."""

    def __init__(self, url: str, message: str):
        super().__init__(f"{message} ({url})")
        self.url = url
        self.message = message


def resolve_addresses(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for `host` (the client connects to one of them)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchError(f"//{host}", f"cannot resolve {host}: {error.strerror}") from error
    return [info[4][0] for info in infos]


def is_public_address(address: str) -> bool:
    """False for loopback, private, link-local, reserved, multicast and unspecified addresses,
    including IPv4 addresses written as IPv6 (::ffff:127.0.0.1)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_reserved or ip.is_multicast
                or ip.is_unspecified)


class AddressPolicy:
    """Refuses URLs that are not http(s) or whose host resolves to a non-public address.

    `allow_private` is for tests, whose sites run on 127.0.0.1 (SCRAPER_ALLOW_PRIVATE_ADDRESSES=1).
    `check_connections` also checks the address each connection reached (`refuse_private_peers`).
    """

    def __init__(self, *, allow_private: bool = False, resolve: Resolver = resolve_addresses,
                 check_connections: bool = True):
        self.allow_private = allow_private
        self.resolve = resolve
        self.check_connections = check_connections and not allow_private

    def check(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RefusedURL(url, "only http and https addresses are read")
        if self.allow_private:
            return
        port = parts.port or (443 if parts.scheme == "https" else 80)
        for address in self.resolve(parts.hostname, port):
            if not is_public_address(address):
                raise RefusedURL(url, f"{parts.hostname} resolves to {address}, which is not a public address")


def refuse_private_peers(session) -> None:
    """Check the address every new connection of `session` actually reached, too.

    The client resolves the host name again when it connects, and a hostile DNS server can
    answer a public address to the check and a private one a moment later (DNS rebinding).
    Hooks urllib3 2.x's connection classes; a proxy on a private address would be refused too.
    """
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    def checked(base):
        class PublicOnly(base):
            def _new_conn(self):
                sock = super()._new_conn()
                peer = sock.getpeername()[0]
                if not is_public_address(peer):
                    sock.close()
                    raise RefusedURL(f"//{self.host}", f"{self.host} connected to {peer}, which is not a public address")
                return sock
        return PublicOnly

    class PublicPool(HTTPConnectionPool):
        ConnectionCls = checked(HTTPConnection)

    class PublicTLSPool(HTTPSConnectionPool):
        ConnectionCls = checked(HTTPSConnection)

    for adapter in session.adapters.values():
        adapter.poolmanager.pool_classes_by_scheme = {"http": PublicPool, "https": PublicTLSPool}


def site_root(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class OffSite(RefusedURL):
    """A page of the company's site that redirects to another site: skipped, not read."""


@dataclass(frozen=True)
class Site:
    """The host a company's home page is on (without "www.") and its subdomains: support.apple.com
    belongs to www.apple.com; a help-desk vendor's host or another company's is elsewhere."""

    host: str

    @classmethod
    def of(cls, url: str) -> Site:
        return cls((urlsplit(url).hostname or "").lower().removeprefix("www."))

    def holds(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return host == self.host or host.endswith("." + self.host)

    def check(self, url: str) -> None:
        """For `HttpClient.get(check_url=...)`: refuse every hop that leaves the site."""
        if not self.holds(url):
            raise OffSite(url, f"redirected off the site {self.host}")



class RobotsRules:
    """robots.txt of each site, fetched on first use and kept for the reader's lifetime.

    A missing robots.txt (4xx) allows everything, as the robots exclusion standard (RFC 9309)
    says; one that cannot be fetched (5xx, timeout) forbids everything, as it also says:
    the site may be in trouble, and it is not ours to find out by crawling it.
    """

    def __init__(self, user_agent: str, fetch: Callable[[str], bytes] | None = None):
        self.user_agent = user_agent
        self.fetch = fetch  # set once the client exists: robots.txt goes through it too
        self._parsers: dict[str, RobotFileParser] = {}
        self._lock = threading.Lock()

    def check(self, url: str) -> None:
        if urlsplit(url).path == "/robots.txt":
            return
        if not self._parser_for(site_root(url)).can_fetch(self.user_agent, url):
            raise RefusedURL(url, "robots.txt forbids this page")

    def sitemaps(self, url: str) -> list[str]:
        """The `Sitemap:` lines of the robots.txt of `url`'s site, in their order."""
        return list(self._parser_for(site_root(url)).site_maps() or [])

    def _parser_for(self, root: str) -> RobotFileParser:
        with self._lock:
            parser = self._parsers.get(root)
        if parser is not None:
            return parser
        parser = RobotFileParser(root + "/robots.txt")
        try:
            parser.parse(self.fetch(root + "/robots.txt").decode("utf-8", "replace").splitlines())
        except FetchError as error:
            if error.status is not None and 400 <= error.status < 500:
                parser.allow_all = True
            else:
                parser.disallow_all = True
        with self._lock:
            return self._parsers.setdefault(root, parser)
