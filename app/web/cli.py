"""Command-line tools: ``flask db-upgrade``, ``flask demo load``, ``flask users create``."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from app import backup, demo, schema
from app.auth.models import Organisation, Role
from app.errors import ValidationError
from app.auth.service import save_user
from app.auth.system import SYSTEM
from app.db import utcnow
from app.web.simulate_cli import simulate
from app.web.analyse_cli import analyse
from app.web.standards_cli import standards_cli
from app.web.survey_cli import surveys_cli
from app.web.procedure_cli import procedure
from app.web.anchors_cli import anchors
from app.web.notifications_cli import notifications_cli
from app.web.errors import field_messages
from sqlalchemy import select


def _session():
    return current_app.extensions["xieshang.sessions"]()


@click.command("db-upgrade")
@with_appcontext
def db_upgrade():
    """Bring the database to the latest schema (Alembic upgrade heads)."""
    schema.upgrade(current_app.config["DATABASE_URL"])
    click.echo("database is at the latest revision")


@click.command("db-backup")
@with_appcontext
@click.option("--output", required=True, type=click.Path(dir_okay=False, writable=True),
              help="File to write (SQLite copy or pg_dump archive)")
def db_backup(output):
    """Write a consistent backup of the database while the app keeps running."""
    try:
        path = backup.backup(current_app.config["DATABASE_URL"], output)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc))
    click.echo(f"backup written to {path}")


@click.command("db-restore")
@with_appcontext
@click.option("--input", "source", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation")
def db_restore(source, yes):
    """Replace the database content with a backup made by db-backup."""
    if not yes:
        click.confirm("This replaces everything in the database. Continue?", abort=True)
    try:
        backup.restore(current_app.config["DATABASE_URL"], source)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc))
    click.echo("database restored")


demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
def demo_load():
    """Load the demo organisations, logins and records into an empty database."""
    if not current_app.config["XIESHANG_DEMO"]:
        raise click.ClickException("demo mode is off: set XIESHANG_DEMO=1 to load demo data")
    with _session() as session:
        loaded = demo.load(session, now=utcnow())
    click.echo("demo data loaded" if loaded else "database already has data; demo not loaded")


users_cli = AppGroup("users", help="User accounts.")


@users_cli.command("create")
@click.option("--username", required=True)
@click.option("--name", "display_name", required=True, help="Display name")
@click.option("--organisation", required=True, help="Organisation name or id")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.member.value)
@click.option("--site-admin", is_flag=True, help="Grant site administration")
@click.password_option()
def users_create(username, display_name, organisation, role, site_admin, password):
    """Create a user account (as the system; recorded in the audit log)."""
    with _session() as session:
        org = session.scalar(select(Organisation).where(
            (Organisation.name == organisation)
            | (Organisation.id == (int(organisation) if organisation.isdigit() else -1))))
        if org is None:
            raise click.ClickException(f"no organisation named {organisation!r}")
        system = SYSTEM
        try:
            user = save_user(session, system, {
                "username": username, "display_name": display_name, "organisation_id": org.id,
                "role": role, "password": password, "is_site_admin": site_admin,
            }, now=utcnow())
        except ValidationError as exc:
            raise click.ClickException("; ".join(f"{k}: {v}" for k, v in field_messages(exc).items()))
        click.echo(f"created user {user.username} (id {user.id}) in {org.name}")


def init_app(app) -> None:
    app.cli.add_command(db_upgrade)
    app.cli.add_command(db_backup)
    app.cli.add_command(db_restore)
    app.cli.add_command(demo_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(simulate)
    app.cli.add_command(analyse)
    app.cli.add_command(standards_cli)
    app.cli.add_command(surveys_cli)
    app.cli.add_command(procedure)
    app.cli.add_command(anchors)
    app.cli.add_command(notifications_cli)
