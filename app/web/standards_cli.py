"""``flask standards``: look up and add minimum-wage standards from the command line.

    flask standards minimum-wage --province 河南 --tier 1 --as-of 2026-12-01 --json
    flask standards minimum-wage --list --as-of 2026-12-01 --json
    flask standards import FILE [--dry-run]
"""
from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup

from app import standards as registry
from app.auth.system import SYSTEM
from app.db import utcnow
from app.standards import importer

standards_cli = AppGroup("standards", help="The dated registry of minimum wages and standards.")


def _session():
    return current_app.extensions["xieshang.sessions"]()


def _cli_record(wage: registry.MinimumWage) -> dict:
    """The CLI contract's fields (scripts rely on them)."""
    return {"province": wage.province, "tier": wage.tier, "monthly": wage.monthly,
            "hourly": wage.hourly, "effective_from": wage.effective_from.isoformat(),
            "source": wage.source}


@standards_cli.command("minimum-wage")
@click.option("--province", help="Province, short or full name (河南 or 河南省)")
@click.option("--tier", type=click.IntRange(1, 9))
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Date (YYYY-MM-DD); default today")
@click.option("--list", "list_all", is_flag=True, help="Every province and tier in force")
@click.option("--json", "as_json", is_flag=True, help="Print JSON")
def minimum_wage(province, tier, as_of, list_all, as_json):
    """The minimum wage in force on a date, for one province and tier or for all."""
    on = as_of.date() if as_of else utcnow().date()
    with _session() as session:
        if list_all:
            try:
                wages = registry.minimum_wages_in_force(session, on, province)
            except registry.StandardNotFound as exc:
                raise click.ClickException(str(exc))
            records = [_cli_record(w) for w in wages]
        else:
            if not province or tier is None:
                raise click.UsageError("give --province and --tier, or --list")
            try:
                records = _cli_record(registry.minimum_wage(session, province, tier, on))
            except registry.StandardNotFound as exc:
                raise click.ClickException(str(exc))
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False))
        return
    for r in records if isinstance(records, list) else [records]:
        click.echo(f"{r['province']}\t{r['tier']}\t{r['monthly']}\t{r['hourly']}\t"
                   f"{r['effective_from']}\t{r['source']}")


@standards_cli.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="Check and show the changes; write nothing")
def import_file(file, dry_run):
    """Add minimum-wage records from a CSV file in the format of minimum_wages.csv."""
    data = file.read(importer.MAX_BYTES + 1)
    with _session() as session:
        try:
            changes, records = importer.import_csv(session, SYSTEM, data, now=utcnow(),
                                                   dry_run=dry_run)
        except importer.ImportRejected as exc:
            for p in exc.problems:
                click.echo(f"row {p.row or '-'}: {p.column or ''}: {p.text()}", err=True)
            raise click.ClickException(f"{len(exc.problems)} problem(s); nothing was written")
    for change in changes:
        v, before = change.values, change.previous
        was = f" (was {before.monthly}/{before.hourly} from {before.effective_from})" \
            if before else ""
        click.echo(f"{change.kind}: {v['province']} tier {v['tier']} from "
                   f"{v['effective_from']}: {v['monthly']}/{v['hourly']}{was}")
    click.echo(f"dry run: {len(changes)} record(s) would be added; nothing was written"
               if dry_run else f"{len(records)} record(s) added")
