"""``flask surveys export --survey ID --output FILE.csv``: a survey's responses, for scripts.

The command line is run by whoever runs the server (no user account), so it writes the owner's
full export: every response, with the excluded ones marked. ``.xlsx`` writes a workbook.
"""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.ids import parse_id
from app.surveys import export
from app.surveys.models import Survey, SurveyResponse
from sqlalchemy import select

surveys_cli = AppGroup("surveys", help="Riders' surveys.")


@surveys_cli.command("export")
@click.option("--survey", "survey_id", required=True, help="Survey id")
@click.option("--output", required=True, type=click.Path(dir_okay=False, writable=True),
              help="File to write (.csv, or .xlsx for a workbook)")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", help="Header language")
def export_command(survey_id, output, lang):
    """Write the survey's responses (the owner's export) to OUTPUT."""
    number = parse_id(survey_id)
    with current_app.extensions["xieshang.sessions"]() as session:
        survey = session.get(Survey, number) if number else None
        if survey is None:
            raise click.ClickException(f"no survey with id {survey_id!r}")
        rows = export.response_rows(survey, session.scalars(
            select(SurveyResponse).where(SurveyResponse.survey_id == survey.id)
            .order_by(SurveyResponse.submitted_at, SurveyResponse.id)), lang)
    path = Path(output)
    body = (export.to_xlsx(rows, "responses") if path.suffix.lower() == ".xlsx"
            else export.to_csv(rows))
    path.write_bytes(body)
    click.echo(f"{len(rows) - 1} responses written to {path}")
