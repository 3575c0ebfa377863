"""Slow clients: do a few idle, half-sent connections stop the site from answering others?

    .venv/bin/python bench/slow_clients.py [--slow 2] [--workers 2] [--wait 10]

For each setup it starts the app on a free loopback port, opens `--slow` connections that
send half a request line and then nothing, and times one ordinary `GET /robots.txt` from
another client (giving up after `--wait` seconds). The setups:

* `sync`: gunicorn's default sync workers exposed directly (what the README used to say).
  Each worker reads one request at a time, so `--workers` idle connections block everyone
  until gunicorn's worker timeout kills them.
* `gthread`: `--worker-class gthread --threads 4`; each idle connection holds a thread, so
  it takes workers x threads idle connections to block the site (run with `--slow 8`).
* `nginx`: sync workers on loopback behind nginx (`docs/nginx.conf`'s settings), which reads
  each whole request before passing it on: idle connections cost nginx a few bytes and
  gunicorn nothing. Skipped when `nginx` is not installed (Debian: `apt-get install nginx`).

Timings are the client's wall clock on this machine; nothing here is a test.
"""
from __future__ import annotations

import argparse
import http.client
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NGINX_CONF = """
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {work}/body; proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fastcgi; uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
  client_header_timeout 10s; client_body_timeout 10s; client_max_body_size 1m;
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://127.0.0.1:{upstream};
      proxy_request_buffering on; proxy_buffering on;
      proxy_set_header Host $host; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }}
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(port: int, deadline: float = 60.0) -> None:
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port}")


def time_one_request(port: int, wait: float) -> float | None:
    """Seconds for one ordinary request, or None when it got no answer within `wait`."""
    start = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=wait)
    try:
        connection.request("GET", "/robots.txt", headers={"Host": "127.0.0.1"})
        connection.getresponse().read()
    except OSError:
        return None
    finally:
        connection.close()
    return time.monotonic() - start


def measure(port: int, slow: int, wait: float) -> tuple[float | None, float | None]:
    for _ in range(4):  # each worker imports and builds the app on its first requests
        time_one_request(port, 60)
    before = time_one_request(port, wait)
    idle = []
    for _ in range(slow):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"GET / HT")  # half a request line, then silence
        idle.append(sock)
    time.sleep(0.5)
    try:
        return before, time_one_request(port, wait)
    finally:
        for sock in idle:
            sock.close()


def start_gunicorn(env: dict, port: int, workers: int, extra: list[str], log) -> subprocess.Popen:
    return subprocess.Popen([str(BIN / "gunicorn"), "-b", f"127.0.0.1:{port}", "-w", str(workers), *extra, "wsgi:app"],
                            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slow", type=int, default=2, help="idle half-sent connections")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--wait", type=float, default=10.0, help="seconds before a request counts as blocked")
    parser.add_argument("--setups", default="sync,gthread,nginx")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="slow-clients-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "DIRECTORY_"))}
    env.update(SECRET_KEY=secrets.token_urlsafe(32), DATABASE_URL=f"sqlite:///{work / 'directory.sqlite'}",
               SEARCH_INDEX_DIR=str(work / "search-index"), PUBLIC_URL="http://127.0.0.1")
    subprocess.run([str(BIN / "flask"), "--app", "directory", "db", "upgrade"], cwd=REPO, env=env, check=True,
                   capture_output=True)
    print(f"{args.slow} idle connections, {args.workers} workers, giving up after {args.wait:.0f} s")
    for setup in args.setups.split(","):
        port = free_port()
        extra = ["--worker-class", "gthread", "--threads", "4"] if setup == "gthread" else []
        if setup == "nginx" and not shutil.which("nginx"):
            print("nginx: skipped (not installed)")
            continue
        upstream = free_port() if setup == "nginx" else port
        with (work / f"{setup}.log").open("w") as log:
            server = start_gunicorn(env, upstream, args.workers, extra, log)
            proxy = None
            try:
                wait_until_serving(upstream)
                if setup == "nginx":
                    for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
                        (work / folder).mkdir(exist_ok=True)
                    conf = work / "nginx.conf"
                    conf.write_text(NGINX_CONF.format(work=work, port=port, upstream=upstream))
                    proxy = subprocess.Popen(["nginx", "-c", str(conf), "-g", "daemon off;"], stdout=log,
                                             stderr=subprocess.STDOUT, start_new_session=True)
                    wait_until_serving(port)
                before, during = measure(port, args.slow, args.wait)
            finally:
                if proxy is not None:
                    stop(proxy)
                stop(server)

        def shown(seconds):
            return "blocked" if seconds is None else f"{seconds * 1000:.0f} ms"
        print(f"{setup:8} before: {shown(before):>8}   with idle connections: {shown(during):>8}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
