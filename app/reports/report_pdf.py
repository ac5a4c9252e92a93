"""The regional year report: chart and table context for the page, the CSV and the PDF.

Rendered with plain Jinja (no Flask) so the CLI and the web print the same document. The PDF goes
through ``app.reports.pdf``'s WeasyPrint writer (A4, Noto Sans CJK SC).
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from app.config import PROJECT_ROOT
from app.ledger.report import COLUMNS, KEYS, RegionReport
from app.reports import charts, pdf

TEMPLATE_DIR = PROJECT_ROOT / "templates" / "print"

SECTORS = {"delivery": ("外卖配送", "Delivery"), "ride_hailing": ("网约车", "Ride-hailing"),
           "freight": ("货运", "Freight"), "other": ("其他", "Other")}
GRADE_COLOURS = ("#1b7f3b", "#b54708", "#b42318")
TEXT = {
    "title": ("{year}年度劳动关系“查风险 强协商 保支付 促和谐”工作情况报告",
              "Year report {year}: risk screening, consultation, pay protection"),
    "region": ("报送单位与地区", "Office and region"),
    "everywhere": ("全部地区", "All regions"),
    "as_of": ("数据截止日期", "Figures as of"),
    "generated": ("生成时间", "Generated"),
    "summary": ("总体情况", "Summary"),
    "by_area": ("分城市、分行业情况", "By city and sector"),
    "city": ("城市", "City"), "sector": ("行业", "Sector"), "total": ("合计", "Total"),
    "chart_consultation": ("集体协商进展", "Collective consultation"),
    "chart_risk": ("企业欠薪风险等级（最近一次排查）", "Enterprises by risk grade (latest screening)"),
    "chart_ledger": ("整改台账", "Implementation ledger"),
    "notes": ("说明", "Notes"),
    "note_1": ("“20日内书面回应”指对方在收到要约之日起20日内作出书面答复（《集体合同规定》第三十二条）。",
               "“Replies within 20 days”: a written answer within 20 days of receiving the offer "
               "(Provisions on Collective Contracts, art. 32)."),
    "note_2": ("风险等级按本系统的积分模型评定：25分起为中风险，50分起为高风险。",
               "Risk grades follow this app's points model: medium from 25 points, high from 50."),
    "note_3": ("逾期整改事项为截止日期已过、在数据截止日仍未完成的事项。",
               "Overdue items: past their deadline and not closed at the as-of date."),
    "page": ("第 {n} 页 共 {m} 页", "Page {n} of {m}"),
    "due": ("请于12月22日前报送省协调劳动关系三方委员会办公室", "Due at the provincial tripartite "
            "office by 22 December"),
}


def text(key: str, lang: str, **params) -> str:
    zh, en = TEXT[key]
    return (zh if lang == "zh" else en).format(**params)


def sector_label(key: str, lang: str) -> str:
    zh, en = SECTORS.get(key, (key, key))
    return zh if lang == "zh" else en


def column_label(key: str, lang: str) -> str:
    for k, zh, en in COLUMNS:
        if k == key:
            return zh if lang == "zh" else en
    return key


def chart_svgs(report: RegionReport, lang: str) -> dict[str, str]:
    """The three charts of the report as SVG text."""
    cats = [f"{r.city}·{sector_label(r.sector, lang)}" for r in report.rows]

    def series(*keys):
        return [(column_label(k, lang), [r.figures[k] for r in report.rows]) for k in keys]
    return {
        "consultation": charts.region_bars(
            cats, series("offers", "replied_in_time", "in_consultation", "signed", "in_force"),
            title=text("chart_consultation", lang)),
        "risk": charts.region_bars(
            cats, series("grade_low", "grade_medium", "grade_high"), stacked=True,
            colours=GRADE_COLOURS, title=text("chart_risk", lang)),
        "ledger": charts.region_bars(
            cats, series("items_opened", "items_closed", "items_overdue"),
            colours=("#0b6e99", "#1b7f3b", "#b42318"), title=text("chart_ledger", lang)),
    }


def table(report: RegionReport, lang: str) -> dict:
    return {
        "headings": [text("city", lang), text("sector", lang)]
        + [column_label(k, lang) for k in KEYS],
        "rows": [[r.city, sector_label(r.sector, lang)] + [r.figures[k] for k in KEYS]
                 for r in report.rows],
        "totals": [text("total", lang), ""] + [report.totals[k] for k in KEYS],
    }


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)),
                       autoescape=select_autoescape(["html"]), trim_blocks=True,
                       lstrip_blocks=True)


def report_html(report: RegionReport, *, lang: str = "zh", office: str = "",
                generated: dt.datetime | None = None) -> str:
    page = TEXT["page"][0 if lang == "zh" else 1]
    before, _, rest = page.partition("{n}")
    middle, _, after = rest.partition("{m}")
    svgs = {k: Markup(v) for k, v in chart_svgs(report, lang).items()}
    return _env().get_template("region_report.html").render(
        r=report, lang=lang, office=office, T=lambda key, **p: text(key, lang, **p),
        table=table(report, lang), charts=svgs, column=lambda k: column_label(k, lang),
        # Shown in Asia/Shanghai like every other time in the application.
        generated=(generated or dt.datetime.now(dt.timezone.utc)).astimezone(
            ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M"),
        page_before=before, page_middle=middle, page_after=after)


def render_report(report: RegionReport, *, lang: str = "zh", office: str = "",
                  generated: dt.datetime | None = None) -> bytes:
    """The report as PDF bytes (A4)."""
    html = report_html(report, lang=lang, office=office, generated=generated)
    return pdf.write(html)  # one WeasyPrint writer for every print
