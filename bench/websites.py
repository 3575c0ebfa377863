"""How many company websites the reader gets through per minute, politely.

    nice .venv/bin/python bench/websites.py [--companies 24] [--hosts 4] [--parallel 4]

Writes COMPANIES small sites (a home page linking a contact page and a complaints page, in the
shapes of ../shared/fixtures/websites) and serves them from HOSTS loopback addresses
(127.0.0.1, 127.0.0.2, ...: each its own host for robots.txt and the 1 request per second
per host pacing), companies spread over the hosts in turn. PARALLEL sites are read at once
through one shared `WebsiteReader`, exactly as `flask scrape websites --all` does (without
the database, whose share of the time is small beside the pacing). Each company costs 3
requests (and each host one robots.txt): when hosts are the bottleneck the pacing bounds the
rate at 60 x HOSTS / 3 companies a minute; when every reader has a host to itself, a company
costs 2 one-second intervals and the bound is 60 x PARALLEL / 2.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scrapers.websites import WebsiteReader, read_website  # noqa: E402

HOME = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Company {n}</title></head><body>
<nav><a href="/c{n}/">Home</a> <a href="/c{n}/contact/">Contact us</a> <a href="/c{n}/complaints/">Complaints</a></nav>
<footer><a href="https://x.com/Company{n}Help">Help on X</a></footer></body></html>"""
CONTACT = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Contact</title>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "Organization", "name": "Company {n}",
"contactPoint": [{{"@type": "ContactPoint", "contactType": "customer service", "telephone": "+1-800-555-{n:04d}"}}]}}
</script></head><body><h1>Customer service</h1><p><a href="mailto:care@c{n}.example">care@c{n}.example</a></p></body></html>"""
COMPLAINTS = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Complaints</title></head><body>
<h1>Complaints procedure</h1><address>Complaints, Company {n}, 1 Example Street, Springfield</address>
<p><a href="mailto:complaints@c{n}.example">complaints@c{n}.example</a></p></body></html>"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature http.server defines
        pass


def write_sites(root: Path, companies: int) -> None:
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    for n in range(companies):
        for folder, template in (("", HOME), ("contact/", CONTACT), ("complaints/", COMPLAINTS)):
            path = root / f"c{n}" / folder / "index.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(template.format(n=n))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--companies", type=int, default=24)
    parser.add_argument("--hosts", type=int, default=4)
    parser.add_argument("--parallel", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-websites-") as work:
        root = Path(work)
        write_sites(root, args.companies)
        servers = [ThreadingHTTPServer((f"127.0.0.{h + 1}", 0), partial(QuietHandler, directory=str(root)))
                   for h in range(args.hosts)]
        for server in servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()
        urls = [f"http://127.0.0.{n % args.hosts + 1}:{servers[n % args.hosts].server_address[1]}/c{n}/"
                for n in range(args.companies)]
        with WebsiteReader("CEO Directory bench bench@example.org", allow_private_addresses=True,
                           requests_per_second=1.0) as reader:
            start = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.parallel) as pool:
                readings = list(pool.map(partial(read_website, reader), urls))
            elapsed = time.perf_counter() - start
        for server in servers:
            server.shutdown()
            server.server_close()
    pages = sum(len(r.pages) for r in readings)
    contacts = sum(len(p.contacts) + len(p.social) for r in readings for p in r.pages)
    failed = sum(len(r.problems) for r in readings)
    print(f"{args.companies} companies on {args.hosts} hosts, {args.parallel} in parallel, 1 request/s per host: "
          f"{elapsed:.1f} s, {args.companies / elapsed * 60:.1f} companies/min "
          f"({pages} pages, {contacts} contacts, {failed} pages failed)")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
