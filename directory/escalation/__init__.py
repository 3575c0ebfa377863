"""The escalation ladder: regulators and ombudsmen, email formats, the letter composer."""
from __future__ import annotations


def init_app(app) -> None:
    """Register the composer and bounce-report routes under /companies and `flask regulators`."""
    from .cli import regulators_cli
    from .views import bp

    app.register_blueprint(bp, url_prefix="/companies")
    app.cli.add_command(regulators_cli)
