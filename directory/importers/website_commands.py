"""`flask scrape websites`: customer-service and complaint contacts from companies' own sites."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from scrapers.errors import ConfigurationError

from ..queries import company_by_slug
from .websites import Target, WebsiteImport, companies_due, reader_from_config, website_url

USER_AGENT_HELP = (
    "SCRAPER_USER_AGENT is not set. Company websites are read only under a declared identity: set the "
    "SCRAPER_USER_AGENT environment variable to your organisation and a contact address, "
    "e.g. SCRAPER_USER_AGENT='CEO Directory (+https://example.org/about) admin@example.org'."
)


@click.command("websites")
@click.option("--company", "slug", help="The company's slug (its page is /companies/SLUG).")
@click.option("--url", help="With --company: read this page and record it as the company's website.")
@click.option("--all", "all_due", is_flag=True,
              help="Every company with a website not read in WEBSITE_REREAD_DAYS days.")
@click.option("--limit", type=click.IntRange(min=1), help="With --all: read at most this many companies.")
@with_appcontext
def websites_command(slug, url, all_due, limit):
    """Read company websites: customer service, complaints, head office and social accounts.

    The exit status is the number of pages that failed (capped at 100); each is listed.
    """
    if bool(slug) == all_due:
        raise click.UsageError("Say what to read: --company SLUG [--url URL], or --all [--limit N].")
    if url and not slug:
        raise click.UsageError("--url goes with --company.")
    if limit and not all_due:
        raise click.UsageError("--limit goes with --all.")
    targets = companies_due(limit) if all_due else [_company_target(slug, url)]
    if not (current_app.config.get("SCRAPER_USER_AGENT") or "").strip():
        raise click.UsageError(USER_AGENT_HELP)
    try:
        reader = reader_from_config(current_app.config)
    except ConfigurationError as error:
        raise click.UsageError(str(error)) from error
    with reader:
        run = WebsiteImport(reader, parallel=current_app.config["WEBSITE_PARALLEL_HOSTS"])
        run.run(targets)
    for line in run.summary.lines():
        click.echo(line)
    if run.summary.exit_status:
        raise click.exceptions.Exit(run.summary.exit_status)


def _company_target(slug: str, url: str | None) -> Target:
    company, _ = company_by_slug(slug)
    if company is None:
        raise click.ClickException(f"No company with the slug {slug!r}.")
    if url:
        return Target(company.id, website_url(url), record_website=True)
    if not company.website:
        raise click.UsageError(f"{company.name} has no website on record: give one with --url.")
    return Target(company.id, website_url(company.website))
