"""``flask agreements render``: a negotiation's agreement printed to a file from the shell.

The contract (issue 17): ``flask agreements render --negotiation N --output FILE`` writes the
PDF (the signed original when signed, else the latest draft); ``--format docx`` writes the same
text as a Word document; ``--lang zh|en`` picks the document's language. Registered on the
agreements blueprint's command group by ``app.web.agreements``.
"""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from app.db import utcnow
from app.errors import NotFound
from app.reports import agreement as agreement_print
from app.reports import agreement_docx

RENDERERS = {"pdf": agreement_print.render_pdf_system, "docx": agreement_docx.render_docx_system}


@click.command("render")
@click.option("--negotiation", "negotiation_id", type=int, required=True)
@click.option("--output", type=click.Path(dir_okay=False, writable=True), required=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="pdf",
              show_default=True, help="pdf (the printed or signed original) or docx (Word).")
@with_appcontext
def render_command(negotiation_id: int, output: str, lang: str, fmt: str):
    """Print a negotiation's agreement (the signed text if signed) to a PDF or Word file."""
    with current_app.extensions["xieshang.sessions"]() as session:
        try:
            filename, data = RENDERERS[fmt](session, negotiation_id, lang=lang, now=utcnow())
        except NotFound:
            raise click.ClickException(f"negotiation {negotiation_id} has no agreement")
    with open(output, "wb") as fh:
        fh.write(data)
    click.echo(f"{output}: {len(data)} bytes ({filename})")
