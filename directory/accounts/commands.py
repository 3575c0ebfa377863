"""`flask users create EMAIL --role moderator|admin` (the first moderators and admins),
`flask users role EMAIL ROLE` (make an existing account a moderator) and `flask users ban|unban EMAIL`."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from ..extensions import db
from ..models import USER_ROLES
from ..operations.accounts import AccountError, change_role, register, set_banned, user_by_email

users_cli = AppGroup("users", help="Manage accounts.")


def _read_password() -> str:
    """Prompt on a terminal; read one line from standard input otherwise (scripts, CI)."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(USER_ROLES), default="contributor", show_default=True)
@click.option("--name", "display_name", default=None, help="Name shown on contributions.")
def create_user(email: str, role: str, display_name: str | None) -> None:
    """Create an account; the role is logged as a role change by the command line."""
    try:
        user = register(email, _read_password(), display_name=display_name, role=role)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {role} {user.email} (id {user.id}).")


@users_cli.command("role")
@click.argument("email")
@click.argument("role", type=click.Choice(USER_ROLES))
def set_role(email: str, role: str) -> None:
    """Give an existing account a role (e.g. make it a moderator); logged as a role change by
    the command line, like one made on the account's moderation page."""
    user = _existing(email)
    old_role = user.role
    change_role(user, role, by=None)
    db.session.commit()
    click.echo(f"{user.email} is now {role} (was {old_role})." if role != old_role else f"{user.email} is already {role}.")


def _existing(email: str):
    user = user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account uses {email}.")
    return user


def _ban_command(name: str, banned: bool, help_text: str):
    @users_cli.command(name, help=help_text)
    @click.argument("email")
    def command(email: str) -> None:
        user = _existing(email)
        set_banned(user, banned, by=None)
        db.session.commit()
        click.echo(f"{user.email} is {'banned: every session has ended' if banned else 'no longer banned'}.")
    return command


ban_user = _ban_command("ban", True, "Ban an account: it can no longer log in and every session ends at once.")
unban_user = _ban_command("unban", False, "Lift a ban; sessions from before the ban stay ended.")
