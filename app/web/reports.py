"""The regional report for the tripartite office: page with charts, CSV, PDF and a CLI.

The PDF takes 1–2 s to print on the demo (about 1 s of CPU: bench/region_report.py, 2026-12-04),
so the page prepares it as a background job (``app.jobs.runner``) and links the stored file.

``flask report region --year YYYY --output FILE`` writes the CSV or the PDF (by extension) for
the whole database, as the system.
"""
from __future__ import annotations

from datetime import date

import click
from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template,
                   request, url_for)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.permissions import require
from app.auth.system import SYSTEM
from app.db import utcnow
from app.ledger import report as region
from app.ledger.service import local_date
from app.reports import charts, report_pdf
from app.web import analysis_jobs
from app.web.database import db
from app import workbook

bp = Blueprint("reports", __name__, url_prefix="/reports", cli_group="report")


FIRST_YEAR = 2000


def _lang() -> str:
    return "en" if str(get_locale()).startswith("en") else "zh"


def _year(today: date) -> int:
    raw = request.args.get("year", "")
    if not raw:
        return today.year
    if not (raw.isascii() and raw.isdigit()) or not FIRST_YEAR <= int(raw) <= today.year:
        abort(400, _("Choose a year between %(first)s and %(last)s.", first=FIRST_YEAR,
                     last=today.year))
    return int(raw)


def _build():
    require(current_user, "report.region")
    today = local_date(utcnow())
    year = _year(today)
    return region.build(db(), current_user, year, today=today), today


@bp.get("/region")
@login_required
def region_report():
    report, today = _build()
    lang = _lang()
    return render_template(
        "reports/region.html", r=report, lang=lang,
        charts={k: charts.csp_safe_svg(v) for k, v in report_pdf.chart_svgs(report, lang).items()},
        table=report_pdf.table(report, lang), years=range(today.year, max(FIRST_YEAR,
                                                                           today.year - 5), -1),
        column=lambda k: report_pdf.column_label(k, lang))


@bp.get("/region.csv")
@login_required
def region_csv():
    report, _today = _build()
    lang = _lang()
    body = "\ufeff" + region.to_csv(report, lang=lang,
                                     sector_label=lambda s: report_pdf.sector_label(s, lang))
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="region-report-{report.year}.csv"'})


@bp.get("/region.xlsx")
@login_required
def region_xlsx():
    """The table of the report as a workbook: counts as whole numbers, one row per city and
    sector, the totals last."""
    report, _today = _build()
    lang = _lang()
    columns = [workbook.Column(_("City")), workbook.Column(_("Sector"))] + [
        workbook.Column(report_pdf.column_label(k, lang), "int") for k in region.KEYS]
    rows = [[r.city, report_pdf.sector_label(r.sector, lang)] + [r.figures[k] for k in region.KEYS]
            for r in report.rows]
    rows.append([_("Total"), ""] + [report.totals[k] for k in region.KEYS])
    book = workbook.new_book()
    workbook.add_table(book, _("Regional report %(year)s", year=report.year), columns, rows,
                       preamble=[(_("Region"), report.region or _("All regions")),
                                 (_("Up to"), report.as_of)])
    return Response(workbook.to_bytes(book), mimetype=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), headers={
        "Content-Disposition": f'attachment; filename="region-report-{report.year}.xlsx"'})


@bp.post("/region.pdf")
@login_required
def region_pdf():
    """Prepare the PDF as a job: for htmx its status fragment (the progress bar, then the
    download link), otherwise the job's page."""
    require(current_user, "report.region")
    today = local_date(utcnow())
    year = _year(today)
    return analysis_jobs.submit("region_pdf", {
        "year": year, "today": today.isoformat(), "lang": _lang(),
        "office": current_user.organisation.name}, fragment=True)


@bp.get("/region.pdf")
@login_required
def region_pdf_link():
    """An old link or bookmark to the PDF, which used to print on request: the report page of
    that year, which prepares it."""
    require(current_user, "report.region")
    year = _year(local_date(utcnow()))
    flash(_("The PDF is now prepared in the background: press “Prepare PDF” and download it "
            "when it is ready."), "info")
    return redirect(url_for("reports.region_report", year=year))


@bp.cli.command("region")
@click.option("--year", type=click.IntRange(FIRST_YEAR, 2100), required=True)
@click.option("--output", required=True, type=click.Path(dir_okay=False, writable=True),
              help="FILE.csv or FILE.pdf")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh")
def region_command(year, output, lang):
    """Write the regional year report (CSV or PDF by the file's extension)."""
    kind = output.lower().rsplit(".", 1)[-1] if "." in output else ""
    if kind not in ("csv", "pdf"):
        raise click.BadParameter("the output file must end in .csv or .pdf", param_hint="--output")
    now = utcnow()
    with current_app.extensions["xieshang.sessions"]() as session:
        report = region.build(session, SYSTEM, year, today=local_date(now))
    if kind == "csv":
        text = region.to_csv(report, lang=lang,
                             sector_label=lambda s: report_pdf.sector_label(s, lang))
        with open(output, "w", encoding="utf-8-sig", newline="") as fh:
            fh.write(text)
    else:
        with open(output, "wb") as fh:
            fh.write(report_pdf.render_report(report, lang=lang, generated=now))
    click.echo(f"report for {year} written to {output} ({len(report.rows)} rows)")
