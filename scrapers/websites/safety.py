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


NAT64 = ipaddress.ip_network("64:ff9b::/96")  # the well-known prefix: a translator reaches the IPv4 address
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated ::a.b.c.d, still routed by some stacks


def reachable_addresses(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list:
    """`ip` and every IPv4 address it carries: an IPv4-mapped address is that IPv4 address;
    6to4 (2002::/16), Teredo, NAT64 and IPv4-compatible addresses reach the IPv4 address they
    embed through a relay or translator, so each must be public too."""
    if ip.version == 4:
        return [ip]
    if ip.ipv4_mapped is not None:
        return [ip.ipv4_mapped]
    embedded = [ip.sixtofour, *(ip.teredo or ())]
    if ip in NAT64 or ip in IPV4_COMPATIBLE:
        embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return [ip, *(address for address in embedded if address is not None)]


def is_public_address(address: str) -> bool:
    """True only for globally reachable unicast addresses (`ipaddress`'s `is_global`, the IANA
    special-purpose registries: this refuses loopback, private, shared 100.64.0.0/10,
    link-local, documentation, reserved and unspecified addresses), multicast excluded,
    checked on every IPv4 address the address embeds (::ffff:127.0.0.1, 2002:7f00:1::)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return all(candidate.is_global and not candidate.is_multicast for candidate in reachable_addresses(ip))


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
