"""`flask regulators ...`: check the curated data file, set a company's regulator by hand.

Until the moderation UI exists, `assign` is how a moderator records that a company is (or is
not) a member of a scheme the SIC mapping would not (or would) suggest.
"""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..extensions import db
from ..models import CompanyRegulator
from ..revisions import revision_context
from ..rules.regulators import load, read_raw, validate

regulators_cli = AppGroup("regulators", help="The regulators and ombudsmen of the escalation ladder.")


@regulators_cli.command("check")
def check_command():
    """Validate directory/data/regulators.json: sources, sectors, mapping rows."""
    raw = read_raw()
    problems = validate(raw)
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if problems:
        raise SystemExit(1)
    click.echo(f"OK: {len(raw['regulators'])} regulators, {len(raw['sector_map'])} mapping rows.")


@regulators_cli.command("assign")
@click.argument("company_slug")
@click.argument("regulator_id")
@click.option("--not-member", is_flag=True, help="The company is NOT covered by this body (e.g. a voluntary scheme).")
@click.option("--note", default=None, help="Why, for the next moderator.")
@click.option("--source", default=None, help="A URL showing the membership.")
@click.option("--by", "set_by", default="cli", show_default=True, help="Who is setting this.")
def assign_command(company_slug, regulator_id, not_member, note, source, set_by):
    """Record that COMPANY_SLUG is (or with --not-member is not) covered by REGULATOR_ID."""
    from .. import queries

    company, _ = queries.company_by_slug(company_slug)
    if company is None:
        raise click.ClickException(f"No company with slug {company_slug!r}.")
    if regulator_id not in load().regulators:
        raise click.ClickException(f"No regulator {regulator_id!r}; see directory/data/regulators.json.")
    row = db.session.scalar(select(CompanyRegulator).filter_by(company_id=company.id, regulator_id=regulator_id))
    if row is None:
        row = CompanyRegulator(company_id=company.id, regulator_id=regulator_id)
        db.session.add(row)
    row.is_member, row.note, row.source, row.set_by = not not_member, note, source, set_by
    with revision_context(f"regulators assign ({set_by})"):
        db.session.commit()
    state = "not a member of" if not_member else "covered by"
    click.echo(f"{company.name} is {state} {load().regulators[regulator_id].name}.")
