"""`flask scrape ...`: refresh companies from public registers and their own websites into the database."""
from __future__ import annotations

import sys
from datetime import date, datetime, timezone

import click
from flask import current_app
from flask.cli import AppGroup

from scrapers.companies_house import iter_bulk_companies, pad_company_number
from scrapers.edgar import iter_bulk_submissions, iter_listed_companies, resolve_tickers
from scrapers.edgar.insider_datasets import InsiderDatasets, read_datasets
from scrapers.errors import ConfigurationError, ScraperError
from scrapers.wikidata import all_company_ids, items_with

from .. import clock
from ..extensions import db
from ..queries import company_by_slug
from .steps import edgar_daily, run_step
from ..revisions import revision_context
from ..importers.cfpb import CfpbImport
from ..importers.cfpb import client_from_config as cfpb_client
from ..importers.clients import companies_house_client, edgar_client
from ..importers.companies_house import AuthenticationFailed, CompaniesHouseImport, link_company
from ..importers.edgar import EdgarImport, RunOptions
from ..importers.fca import FcaImport, directory_ch_numbers
from ..importers.fca import client_from_config as fca_client_from_config
from ..importers.store import pad_cik
from ..importers.websites import MAX_EXIT_STATUS, Target, WebsiteImport, companies_due, reader_from_config, website_url
from ..importers.wikidata import WikidataImport, client_from_config

USER_AGENT_HELP = (
    "SEC_USER_AGENT is not set. The SEC only serves declared automated traffic: set the "
    "SEC_USER_AGENT environment variable to your organisation and a contact address, "
    "e.g. SEC_USER_AGENT='CEO Directory admin@example.org'."
)

WEBSITE_USER_AGENT_HELP = (
    "SCRAPER_USER_AGENT is not set. Company websites are read only under a declared identity: set the "
    "SCRAPER_USER_AGENT environment variable to your organisation and a contact address, "
    "e.g. SCRAPER_USER_AGENT='CEO Directory (+https://example.org/about) admin@example.org'."
)


scrape_cli = AppGroup("scrape", help="Refresh companies from public registers.")


@scrape_cli.command("edgar")
@click.option("--ticker", "tickers", multiple=True, help="A ticker symbol, e.g. AAPL (repeatable).")
@click.option("--cik", "ciks", multiple=True, help="An SEC CIK, e.g. 320193 (repeatable).")
@click.option("--all-listed", is_flag=True, help="Every company in SEC's ticker list.")
@click.option("--bulk", "bulk_path", type=click.Path(exists=True, dir_okay=False),
              help="SEC's submissions.zip bulk archive (streamed, company facts only).")
@click.option("--with-filings", is_flag=True, help="With --bulk: also read ownership filings (slow).")
@click.option("--insider-datasets", "insider_datasets", is_flag=True,
              help="Read the SOURCES given after the options: insider-transaction data set zips (paths or URLs).")
@click.option("--insider-quarters", "insider_quarters", is_flag=True,
              help="Download and read the quarters given after the options, e.g. 2024q3 2024q4.")
@click.option("--daily", is_flag=True, help="Refresh the known companies that filed, from EDGAR's daily index.")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="With --daily: read this one day, YYYY-MM-DD.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="With --daily: read every day from this one to today (default: the day after the last read).")
@click.option("--lookback-days", type=int, default=None, help="Look-back window (default SEC_LOOKBACK_DAYS).")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Last day of the window, YYYY-MM-DD (default today).")
@click.option("--press-releases", type=click.IntRange(min=0), default=None,
              help="Newest 8-K/6-K press releases read for contacts (default SEC_PRESS_RELEASES; 0: none, "
                   "nor the proxy statement).")
@click.argument("sources", nargs=-1)
def edgar_command(tickers, ciks, all_listed, bulk_path, with_filings, insider_datasets, insider_quarters, daily,
                  day, since, lookback_days, as_of, press_releases, sources):
    """Import companies, executives and leadership-change signals from SEC EDGAR."""
    insider = insider_datasets or insider_quarters
    if sources and not insider:
        raise click.UsageError("Zips or quarters are read with --insider-datasets or --insider-quarters.")
    if insider and not sources:
        raise click.UsageError("Name the data set zips (or URLs) or the quarters to read.")
    if (day or since) and not daily:
        raise click.UsageError("--date and --since go with --daily.")
    if daily and (tickers or ciks or all_listed or bulk_path or insider):
        raise click.UsageError("--daily refreshes the companies that filed: run it on its own.")
    if not (tickers or ciks or all_listed or bulk_path or insider or daily):
        raise click.UsageError("Say what to import: --ticker, --cik, --all-listed, --bulk PATH, "
                               "--insider-datasets PATH..., --insider-quarters QUARTER... or --daily.")
    if daily:
        _require_user_agent()
        _daily(day.date() if day else None, since.date() if since else None)
        return
    client = _client()
    options = RunOptions(
        lookback_days=lookback_days if lookback_days is not None else current_app.config["SEC_LOOKBACK_DAYS"],
        as_of=as_of.date() if as_of else clock.today(),
        with_filings=with_filings or not bulk_path,
        press_releases=press_releases if press_releases is not None else current_app.config["SEC_PRESS_RELEASES"],
        defer_search=bool(all_listed or bulk_path or insider),
    )
    run = EdgarImport(client, options, data_url=current_app.config["SEC_DATA_URL"])
    try:
        if bulk_path:
            members = run.import_bulk(iter_bulk_submissions(bulk_path))
            with click.progressbar(members, label="EDGAR bulk", show_pos=True, file=_stderr()) as bar:
                for _ in bar:
                    pass
        if insider:
            _insider(run, client, sources, options)
        for_ciks = list(dict.fromkeys(pad_cik(c) for c in _targets(client, run, tickers, ciks, all_listed)))
        if for_ciks:
            with click.progressbar(for_ciks, label="EDGAR companies", show_pos=True, file=_stderr()) as bar:
                for cik in bar:
                    run.import_cik(cik)
        rebuilt = run.finish()
    finally:
        close = getattr(client, "close", None)
        if close:
            close()
    report(run.summary, rebuilt, count_failures=True)


def report(summary, rebuilt: int | None, notes=(), *, count_failures: bool = False) -> None:
    """Print a run's summary (and notes); exit 1 when it tried companies and stored none.

    With `count_failures` (EDGAR, whose errors are all documents or companies that could not
    be read) the exit status is instead the number of failures, capped as `flask scrape
    websites` caps it, so a cron job sees a partial run. Companies House also lists record
    problems (an officer without a name) that are not failures, so it keeps the 0/1 rule.
    """
    for line in [*summary.lines(), *notes]:
        click.echo(line)
    if rebuilt is not None:
        click.echo(f"Search index rebuilt: {rebuilt} companies.")
    failed = min(len(summary.errors), MAX_EXIT_STATUS) if count_failures else 0
    if failed or (summary.attempted and not summary.succeeded):
        raise click.exceptions.Exit(failed or 1)


def _insider(run: EdgarImport, client, sources, options: RunOptions) -> None:
    """Read the data sets (downloading URLs and quarters), then store every issuer."""
    datasets = InsiderDatasets(as_of=options.as_of, lookback_days=options.lookback_days, urls=client.urls,
                               retrieved_at=datetime.now(timezone.utc))
    try:
        read_datasets(datasets, sources, client)
    except ScraperError as error:
        raise click.ClickException(f"insider data sets: {error}") from error
    click.echo(f"Insider data sets: {datasets.filings_read} filings, {datasets.owner_rows_read} reporting owners, "
               f"{len(datasets.issuers)} issuers in the window; {len(datasets.bad_rows)} malformed rows skipped.")
    for message in datasets.bad_rows[:10]:
        click.echo(f"  skipped: {message}")
    with click.progressbar(run.import_bundles(datasets.bundles()), length=len(datasets.issuers),
                           label="EDGAR insider data sets", show_pos=True, file=_stderr()) as bar:
        for _ in bar:
            pass


def _daily(day: date | None, since: date | None) -> None:
    """`--daily`: the EDGAR refresh step, recorded like `flask refresh` records it."""
    run, result = run_step("edgar", lambda: edgar_daily(None, since=day or since, until=day))
    for line in result.lines:
        click.echo(line)
    for error in result.errors:
        click.echo(f"  error: {error}")
    click.echo(f"Daily index: {run.companies} companies refreshed, {run.errors} errors"
               + (f"; read through {run.through.isoformat()}." if run.through else "."))
    if not run.succeeded:
        raise click.exceptions.Exit(1)


def _stderr():
    """Progress goes to stderr (looked up per call: CliRunner swaps the stream)."""
    return sys.stderr


def _require_user_agent() -> None:
    """A usage error (exit 2) when the run cannot be polite: SEC serves declared traffic only."""
    if not (current_app.config.get("SEC_USER_AGENT") or "").strip():
        raise click.UsageError(USER_AGENT_HELP)


def _client():
    """The polite EDGAR client, or a usage error (exit 2) when the run cannot be polite."""
    _require_user_agent()
    try:
        return edgar_client()
    except ConfigurationError as error:
        raise click.UsageError(str(error)) from error


def _targets(client, run: EdgarImport, tickers, ciks, all_listed):
    """CIKs to import, in the order asked; unknown tickers are reported as errors."""
    yield from ciks
    if tickers:
        resolved = resolve_tickers(client, list(tickers))
        for ticker in tickers:
            cik = resolved.get(ticker) or resolved.get(ticker.upper())
            if cik:
                yield cik
            else:
                run.summary.errors.append((f"ticker {ticker}", "not in SEC's ticker list"))
                run.summary.failed += 1
    if all_listed:
        for cik, _ticker, _name, _exchange in iter_listed_companies(client):
            yield cik


@scrape_cli.command("companies-house")
@click.option("--number", "numbers", multiple=True, help="A UK company number, e.g. 00445790 (repeatable).")
@click.option("--search", "queries", multiple=True, help="Import the companies the register finds for a name.")
@click.option("--bulk", "bulk_path", type=click.Path(exists=True, dir_okay=False),
              help="BasicCompanyDataAsOneFile-YYYY-MM-01.zip (streamed, company facts only).")
def companies_house_command(numbers, queries, bulk_path):
    """Import UK companies, registered offices, directors and secretaries from Companies House."""
    if not (numbers or queries or bulk_path):
        raise click.UsageError("Say what to import: --number, --search or --bulk PATH.")
    client = companies_house_client()
    run = CompaniesHouseImport(client, defer_search=bool(bulk_path), match_names=not bulk_path)
    try:
        if bulk_path:
            rows = run.import_bulk(iter_bulk_companies(bulk_path))
            with click.progressbar(rows, label="Companies House bulk", show_pos=True, file=_stderr()) as bar:
                for _ in bar:
                    pass
        targets = [pad_company_number(n) for n in numbers]
        for query in queries:
            targets += run.search_numbers(query)
        targets = list(dict.fromkeys(targets))
        if targets:
            with click.progressbar(targets, label="Companies House", show_pos=True, file=_stderr()) as bar:
                for number in bar:
                    run.import_number(number)
        rebuilt = run.finish()
    except AuthenticationFailed as error:
        raise click.ClickException(str(error)) from error
    except ScraperError as error:  # the search itself failed: nothing to import
        raise click.ClickException(str(error)) from error
    finally:
        client.close()
    report(run.summary, rebuilt, run.match_lines())


@scrape_cli.command("cfpb")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Count complaints received from this day, YYYY-MM-DD (default: the year up to the newest one).")
def cfpb_command(since):
    """Count the CFPB's consumer complaints per company (CFPB_URL, streamed) for the complaints step."""
    try:
        client = cfpb_client()
    except ConfigurationError as error:
        raise click.UsageError(str(error)) from error
    url = current_app.config["CFPB_URL"]
    try:
        run = CfpbImport(client, url, since=since.date() if since else None)
        run.run()
    finally:
        client.close()
    for line in run.lines():
        click.echo(line)
    if run.summary.failed:  # the download failed: nothing was stored
        raise click.exceptions.Exit(1)


@scrape_cli.command("wikidata")
@click.option("--qid", "qids", multiple=True, help="A Wikidata item, e.g. Q312 (repeatable).")
@click.option("--cik", "ciks", multiple=True, help="The item with this SEC CIK, e.g. 320193 (repeatable).")
@click.option("--ch-number", "numbers", multiple=True, help="The item with this UK company number (repeatable).")
@click.option("--all-companies", is_flag=True, help="Every item tied to a register or naming a CEO.")
@click.option("--limit", type=int, default=None, help="With --all-companies: at most this many items.")
def wikidata_command(qids, ciks, numbers, all_companies, limit):
    """Import brands, CEOs, parents, websites and social accounts from Wikidata."""
    if not (qids or ciks or numbers or all_companies):
        raise click.UsageError("Say what to import: --qid, --cik, --ch-number or --all-companies.")
    try:
        client = client_from_config()
    except ConfigurationError as error:
        raise click.UsageError(str(error)) from error
    run = WikidataImport(client, defer_search=all_companies)
    try:
        targets = wikidata_targets(client, run, qids, ciks, numbers, all_companies, limit)
        with click.progressbar(targets, label="Wikidata items", show_pos=True, file=_stderr()) as bar:
            for qid in bar:
                run.import_qid(qid)
        rebuilt = run.finish()
    finally:
        client.close()
    report(run.summary, rebuilt)


def wikidata_targets(client, run: WikidataImport, qids, ciks, numbers, all_companies, limit):
    """Items to import, in the order asked; a register id Wikidata does not know is an error."""
    yield from qids
    for prop, values, pad in (("P5531", ciks, pad_cik), ("P2622", numbers, pad_company_number)):
        for value in values:
            try:
                found = items_with(client, prop, pad(value))
            except ScraperError as error:
                run.summary.errors.append((f"{prop} {value}", str(error)))
                run.summary.failed += 1
                continue
            if not found:
                run.summary.errors.append((f"{prop} {value}", "no Wikidata item has it"))
                run.summary.missing += 1
            yield from found
    if all_companies:
        yield from all_company_ids(client, limit=limit)


@scrape_cli.command("fca")
@click.option("--frn", "frns", multiple=True, help="A firm reference number, e.g. 552016 (repeatable).")
@click.option("--ch-number", "numbers", multiple=True,
              help="The firms whose register record carries this UK company number (repeatable).")
@click.option("--all-companies", is_flag=True, help="Every company in the directory with a Companies House number.")
def fca_command(frns, numbers, all_companies):
    """Import complaints contacts, senior managers and status from the FCA register."""
    if not (frns or numbers or all_companies):
        raise click.UsageError("Say what to import: --frn, --ch-number or --all-companies.")
    try:
        client = fca_client_from_config()
    except ConfigurationError as error:
        raise click.UsageError(str(error)) from error
    run = FcaImport(client, defer_search=all_companies)
    try:
        for frn in frns:
            run.import_frn(frn)
        targets = [*numbers, *(directory_ch_numbers() if all_companies else ())]
        with click.progressbar(targets, label="Companies House numbers", show_pos=True, file=_stderr()) as bar:
            for number in bar:
                run.import_ch_number(number)
        rebuilt = run.finish()
    except ConfigurationError as error:  # the register refused the key: every request would fail
        raise click.UsageError(str(error)) from error
    finally:
        client.close()
    report(run.summary, rebuilt)


companies_cli = AppGroup("companies", help="Moderator actions on companies.")


@companies_cli.command("link")
@click.argument("number")
@click.argument("slug")
def link_command(number, slug):
    """Attach UK company NUMBER to the company at SLUG (merging an imported UK-only record)."""
    company, _ = company_by_slug(slug)
    if company is None:
        raise click.ClickException(f"No company with the slug {slug!r}.")
    try:
        with revision_context("cli: companies link"):
            merged = link_company(number, company)
            db.session.commit()
    except ValueError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    number = pad_company_number(number)
    if merged is not None:
        click.echo(f"Merged {merged} into {company.slug}: Companies House number {number} linked.")
    else:
        click.echo(f"Companies House number {number} linked to {company.slug}.")


@scrape_cli.command("websites")
@click.option("--company", "slug", help="The company's slug (its page is /companies/SLUG).")
@click.option("--url", help="With --company: read this page and record it as the company's website.")
@click.option("--all", "all_due", is_flag=True,
              help="Every company with a website not read in WEBSITE_REREAD_DAYS days.")
@click.option("--limit", type=click.IntRange(min=1), help="With --all: read at most this many companies.")
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
        raise click.UsageError(WEBSITE_USER_AGENT_HELP)
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
