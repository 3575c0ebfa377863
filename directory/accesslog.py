"""Gunicorn's access log without the secrets that travel in URLs.

A password-reset, email-confirmation or objection-confirmation link carries its token in the path, and whoever reads
the access log (an operator, a log shipper, a backup) could use a reset token before its
owner does. This logger class writes "[token]" in its place in every logged value: the
request line, the path, the referer. `gunicorn.conf.py` at the repository root selects it.
"""
from __future__ import annotations

import re

from gunicorn.glogging import Logger

TOKEN_IN_PATH = re.compile(r"(/(?:accounts/(?:reset|confirm)|objections/confirm)/)[^/?#\s\"]+")


def redact(value: str) -> str:
    return TOKEN_IN_PATH.sub(r"\1[token]", value)


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}
