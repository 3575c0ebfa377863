"""My complaints: a private case tracker with the rules' clocks, reminders and the next letter.

`create_app` registers its blueprint (under /cases) and `flask cases` (`commands.cases_cli`).
The privacy feature calls `privacy.export_cases` and `privacy.delete_cases`; the composer
(`escalation.views`) pre-fills from a case through `letters.composer_prefill`.
"""
from flask import Blueprint

bp = Blueprint("cases", __name__)

from . import views  # noqa: E402,F401
