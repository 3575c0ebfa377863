"""Every `flask ...` command of the project, registered in one place."""
from __future__ import annotations


def register_commands(app) -> None:
    from .importers.commands import companies_cli, scrape_cli
    from .search.commands import index_cli
    from .snapshot.commands import export_command, import_command

    app.cli.add_command(index_cli)
    app.cli.add_command(export_command)
    app.cli.add_command(import_command)
    app.cli.add_command(scrape_cli)
    app.cli.add_command(companies_cli)
