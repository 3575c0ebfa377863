"""Real servers and commands for tests: gunicorn on a loopback port, `flask ...` in a process.

Shared by the browser journeys, the rate-limit and API-contract servers, the two-server test
and the backup test, so starting, waiting for and stopping a server is written once.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, make_url, text

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SERVER_START_TIMEOUT = 60  # seconds
# What a checkout needs to serve: linked into a working folder, they make it a second checkout
# with an instance folder of its own (Flask places it beside the package as imported).
CHECKOUT = ("directory", "scrapers", "wsgi.py", "gunicorn.conf.py", "migrations", "templates", "static")


def server_env(**settings: str) -> dict:
    """The test's environment without its Flask settings, plus `settings`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("FLASK_", "DIRECTORY_"))}
    env.update(settings)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(env: dict, *args: str, cwd: Path = REPO) -> None:
    """Run `flask --app directory ARGS` as `make db` does, failing with its output."""
    result = subprocess.run([str(BIN / "flask"), "--app", "directory", *args], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        pytest.fail(f"flask {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")


def checkout(folder: Path) -> Path:
    """`folder` made into a checkout of its own (links to this one's code)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in CHECKOUT:
        (folder / name).symlink_to(REPO / name)
    return folder


def wait_until_serving(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited {server.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers; the tests judge the status
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer {url} within {SERVER_START_TIMEOUT}s:\n{log.read_text()[-4000:]}")


@contextmanager
def gunicorn(env: dict, log: Path, *, ready: str = "/", workers: int = 2, options: tuple[str, ...] = (),
             cwd: Path = REPO) -> Iterator[str]:
    """`gunicorn wsgi:app` on a free port, its output in `log`; its base URL once `ready` answers."""
    port = free_port()
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-b", f"127.0.0.1:{port}", "-w", str(workers), *options, "wsgi:app"],
            cwd=cwd, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base_url + ready, server, log)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@contextmanager
def scratch_database(postgres_url: str, suffix: str) -> Iterator[str]:
    """A fresh, empty `<name>_<suffix>` database on the test PostgreSQL server, dropped after."""
    url = make_url(postgres_url).set(drivername="postgresql+psycopg")
    scratch = url.set(database=f"{url.database}_{suffix}")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    drop = text(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)')
    with admin.connect() as connection:
        connection.execute(drop)
        connection.execute(text(f'CREATE DATABASE "{scratch.database}"'))
    try:
        yield scratch.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(drop)
        admin.dispose()


class Browser:
    """A visitor of a real server, speaking the few words of Flask's test client that
    tests/community.py's form helpers use (`get`, `post`, `get_data`). Cookies are sent
    explicitly, as a browser would over HTTPS: production marks them Secure, and these
    servers speak plain HTTP on the loopback."""

    def __init__(self, base_url: str, cookies: dict | None = None):
        self.base_url = base_url
        self.cookies = dict(cookies or {})

    def _keep(self, response):
        self.cookies.update(response.cookies.get_dict())
        response.get_data = lambda as_text=True: response.text
        return response

    def get(self, url: str, follow_redirects: bool = False):
        return self._keep(requests.get(self.base_url + url, cookies=self.cookies, allow_redirects=follow_redirects,
                                       timeout=60))

    def post(self, url: str, data: dict | None = None, follow_redirects: bool = False, headers: dict | None = None):
        return self._keep(requests.post(self.base_url + url, data=data, cookies=self.cookies, headers=headers,
                                        allow_redirects=follow_redirects, timeout=60))
