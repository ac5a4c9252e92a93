"""Results and inputs as CSV and XLSX: the same numbers as the workbench shows.

Rows are (section, measure, today, package, difference) for results, then
(section, key, label, value, unit, source) for the inputs. Labels in Chinese or English.
"""
from __future__ import annotations

import csv
import io

from app import spreadsheet
from app.scenarios.forms import show
from app.simulator import Scenario, field_specs
from app import workbook
from app.workbook import Column, Typed

QUANTILES = ("p10", "p25", "p50", "p75", "p90")
TEXT = {
    "zh": {
        "results": "结果", "inputs": "参数", "section": "部分", "measure": "指标",
        "today": "现行规则", "package": "方案", "difference": "差额", "key": "键",
        "label": "名称", "value": "取值", "unit": "单位", "source": "来源",
        "headline": "主要指标", "distribution": "分布", "group": "按人群", "weather": "按天气",
        "platform": "平台资金", "share_below": "低于小时最低工资的比例",
        "better": "比现行规则收入增加的比例", "worse": "比现行规则收入减少的比例",
        "median_hourly": "每工作小时净收入中位数", "cost_per_order": "平台每单净成本",
        "cost_per_month": "平台每人每月净成本", "net_per_working_hour": "每工作小时净收入",
        "net_per_online_hour": "每在线小时净收入", "net_monthly": "每月净收入",
        "workers": "人数", "median": "每工作小时净收入中位数", "mean_monthly": "月均净收入",
        "orders": "每人每日单量", "floor_pay": "每工作小时可计入最低工资的报酬",
        "subsidies": "每人每日补贴", "days": "天数", "scenario": "方案", "seed": "随机种子",
        "n_workers": "模拟人数", "assumption": "假设", "user": "本方案修改",
        "readings": "低于小时最低工资的比例（按工作时间口径）", "adopted": "★ 本方案采用的口径",
        "order_time": "接单时间", "working_time": "工作时间（接单＋宽放＋平台要求的在线时间）",
        "online_time": "全部在线时间", "net_online_time": "在线时间（扣除成本）",
        "minimum_wage": "小时最低工资（元）", "monthly_minimum_wage": "月最低工资（元）",
        "region": "地区与档次", "effective_from": "标准生效日期", "mw_source": "最低工资来源",
    },
    "en": {
        "results": "Results", "inputs": "Inputs", "section": "Section", "measure": "Measure",
        "today": "Today's rules", "package": "Package", "difference": "Difference",
        "key": "Key", "label": "Label", "value": "Value", "unit": "Unit", "source": "Source",
        "headline": "Headline", "distribution": "Distribution", "group": "By worker group",
        "weather": "By weather", "platform": "Platform money",
        "share_below": "Share below the hourly minimum wage",
        "better": "Share better off than today", "worse": "Share worse off than today",
        "median_hourly": "Median net pay per working hour",
        "cost_per_order": "Platform net cost per order",
        "cost_per_month": "Platform net cost per worker-month",
        "net_per_working_hour": "Net pay per working hour",
        "net_per_online_hour": "Net pay per online hour", "net_monthly": "Net income per month",
        "workers": "Workers", "median": "Median net pay per working hour",
        "mean_monthly": "Mean net income per month", "orders": "Orders per worker-day",
        "floor_pay": "Countable pay per working hour", "subsidies": "Subsidies per worker-day",
        "days": "Days", "scenario": "Scenario", "seed": "Seed", "n_workers": "Simulated workers",
        "assumption": "assumption", "user": "changed in this scenario",
        "readings": "Share below the hourly minimum, by reading of working time",
        "adopted": "★ the package's reading", "order_time": "Order time",
        "working_time": "Working time (order + allowance + required online time)",
        "online_time": "All online time", "net_online_time": "Online time, net of costs",
        "minimum_wage": "Hourly minimum wage (yuan)",
        "monthly_minimum_wage": "Monthly minimum wage (yuan)", "region": "Region and tier",
        "effective_from": "Standard in force from", "mw_source": "Minimum wage source",
    },
}
PLATFORM_KEYS = ("worker_pay", "subsidies", "floor_topups", "insurance", "commission_revenue",
                 "membership_revenue", "customer_fares", "net_cost")


def _diff(a, b):
    return None if a is None or b is None else b - a


def result_rows(results: dict, locale: str = "zh", *, kinds: bool = False) -> list[list]:
    """(section, measure, today, package, difference) rows, rounded as stored (not as shown).

    ``kinds``: each row ends with the kind of its figures (``percent``, ``money``, ``int``,
    ``number``) for typed spreadsheets."""
    t = TEXT[locale]
    b, p, d = results["baseline"], results["package"], results["delta"]
    rows = []

    def add(section, measure, bv, pv, kind="money"):
        rows.append([section, measure, bv, pv, _diff(bv, pv)] + ([kind] if kinds else []))
    add(t["headline"], t["share_below"], b["share_below_hourly_minimum"],
        p["share_below_hourly_minimum"], "percent")
    for r in results.get("readings") or ():
        mark = f" {t['adopted']}" if r == results.get("adopted_reading") else ""
        add(t["readings"], t[r] + mark, b["share_below_hourly_minimum_by_reading"][r],
            p["share_below_hourly_minimum_by_reading"][r], "percent")
    add(t["headline"], t["median_hourly"], b["quantiles"]["net_per_working_hour"]["p50"],
        p["quantiles"]["net_per_working_hour"]["p50"])
    add(t["headline"], t["cost_per_order"], b["platform"]["cost_per_order"],
        p["platform"]["cost_per_order"])
    add(t["headline"], t["cost_per_month"], b["platform"]["cost_per_worker_month"],
        p["platform"]["cost_per_worker_month"])
    rows.append([t["headline"], t["better"], None, d["share_better_off"], None]
                + (["percent"] if kinds else []))
    rows.append([t["headline"], t["worse"], None, d["share_worse_off"], None]
                + (["percent"] if kinds else []))
    for m in ("net_per_working_hour", "net_per_online_hour", "net_monthly"):
        for q in QUANTILES:
            add(t["distribution"], f"{t[m]} {q.upper()}", b["quantiles"][m][q],
                p["quantiles"][m][q])
    for name in results["group_names"]:
        bg, pg = b["by_group"][name], p["by_group"][name]
        add(f"{t['group']}: {name}", t["workers"], bg["workers"], pg["workers"], "int")
        add(f"{t['group']}: {name}", t["share_below"], bg["share_below_hourly_minimum"],
            pg["share_below_hourly_minimum"], "percent")
        add(f"{t['group']}: {name}", t["median"], bg["median_net_per_working_hour"],
            pg["median_net_per_working_hour"])
        add(f"{t['group']}: {name}", t["mean_monthly"], bg["mean_net_monthly"],
            pg["mean_net_monthly"])
    for name, w in p["by_weather"].items():
        bw = b["by_weather"].get(name, {})
        add(f"{t['weather']}: {name}", t["days"], bw.get("days"), w["days"], "int")
        add(f"{t['weather']}: {name}", t["orders"], bw.get("orders_per_worker_day"),
            w["orders_per_worker_day"], "number")
        add(f"{t['weather']}: {name}", t["floor_pay"], bw.get("floor_pay_per_working_hour"),
            w["floor_pay_per_working_hour"])
        add(f"{t['weather']}: {name}", t["subsidies"], bw.get("subsidies_per_worker_day"),
            w["subsidies_per_worker_day"])
    for key in PLATFORM_KEYS:
        add(t["platform"], key, b["platform"][key], p["platform"][key])
    return rows


def input_rows(scenario: Scenario, baseline_pay: dict, locale: str = "zh", *,
               typed: bool = False) -> list[list]:
    """(section, key, label, value, today's value for terms, unit, source) rows; values as
    text, or with ``typed`` as numbers where they are numbers (for the workbook)."""
    t = TEXT[locale]
    value = _typed if typed else show
    rows = []
    for e in field_specs(scenario):
        section = e["key"].split(".")[0]
        today = baseline_pay.get(e["name"]) if section == "pay" else None
        source = e["source"]
        source = t["user"] if source == "user" else t["assumption"] if source == "assumption" \
            else source
        rows.append([section, e["key"], e["label_en"] if locale == "en" else e["label_zh"],
                     value(e["value"]), value(today), e["unit"], source])
    return rows


def _typed(value):
    """A parameter as the workbook keeps it: numbers (and None) as they are, lists and choices
    as their text."""
    return show(value) if isinstance(value, (list, tuple, dict)) else value


def _header(name: str, results: dict, locale: str) -> list[list]:
    t = TEXT[locale]
    rows = [[t["scenario"], name], [t["seed"], results["seed"]],
            [t["n_workers"], results["n_workers"]]]
    th = results.get("threshold")
    if th:
        rows += [[t["minimum_wage"], th["hourly"]], [t["monthly_minimum_wage"], th["monthly"]],
                 [t["region"], th["region"]], [t["effective_from"], th["effective_from"]],
                 [t["mw_source"], th["source"]]]
    return rows


def to_csv(name: str, scenario: Scenario, baseline_pay: dict, results: dict, *,
           locale: str = "zh") -> bytes:
    """UTF-8 with a byte-order mark so spreadsheet programs read the Chinese correctly."""
    t = TEXT[locale]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in _header(name, results, locale):
        writer.writerow(spreadsheet.csv_row(row))
    writer.writerow([])
    writer.writerow([t["section"], t["measure"], t["today"], t["package"], t["difference"]])
    for row in result_rows(results, locale):
        writer.writerow(spreadsheet.csv_row("" if v is None else v for v in row))
    writer.writerow([])
    writer.writerow([t["section"], t["key"], t["label"], t["value"], t["today"], t["unit"],
                     t["source"]])
    for row in input_rows(scenario, baseline_pay, locale):
        writer.writerow(spreadsheet.csv_row(row))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(name: str, scenario: Scenario, baseline_pay: dict, results: dict, *,
            locale: str = "zh") -> bytes:
    """A workbook with a results sheet (shares as percentages, money in yuan with two decimals)
    and an inputs sheet (parameters as numbers)."""
    t = TEXT[locale]
    book = workbook.new_book()
    preamble = [(label, value) for label, value in _header(name, results, locale)]
    rows = [[section, measure] + [Typed(v, kind) for v in (bv, pv, diff)]
            for section, measure, bv, pv, diff, kind in result_rows(results, locale, kinds=True)]
    workbook.add_table(book, t["results"], [
        Column(t["section"]), Column(t["measure"]), Column(t["today"], "money"),
        Column(t["package"], "money"), Column(t["difference"], "money")], rows,
        preamble=preamble)
    workbook.add_table(book, t["inputs"], [
        Column(t["section"]), Column(t["key"]), Column(t["label"]),
        Column(t["value"], "general"), Column(t["today"], "general"), Column(t["unit"]),
        Column(t["source"])], input_rows(scenario, baseline_pay, locale, typed=True))
    return workbook.to_bytes(book)
