import click


@click.group("index", help="Build and check the search index.")
def index_cli():
    pass
