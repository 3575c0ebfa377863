import click


@click.command("export")
@click.argument("path")
def export_command(path):
    """Write every company as JSON Lines to PATH."""


@click.command("import")
@click.argument("path")
def import_command(path):
    """Load a JSON Lines snapshot from PATH."""
