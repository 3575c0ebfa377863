import click


@click.group("scrape", help="Refresh companies from public registers.")
def scrape_cli():
    pass
