"""The annex of an agreement: the simulated effect of the package against today's rules.

Calls the simulator on common random numbers (``compare``) and keeps plain numbers and one SVG
chart, so the print templates need no simulator objects. Everything here is explanatory: the
figures depend on the model's assumptions, and the annex says so.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.reports.charts import agreement_hourly_distribution
from app.errors import ValidationError
from app.simulator import Scenario, presets
from app.simulator.effect import EFFECT_SEED, package_effect



# The print variant of the readings block (templates/_readings.html holds the page's, through
# the translation catalogues; a PDF is printed in its document's language, not the user's).
READING_TEXT = {
    "order_time": ("接单时间", "Order time",
                   "每个有单在手小时的可计报酬；等单时间不计。",
                   "Countable pay per hour with an order in hand; waiting for orders is unpaid."),
    "working_time": ("工作时间（接单＋宽放＋平台要求的在线时间）",
                     "Working time (order + allowance + required online time)",
                     "人社厅发〔2023〕50号的口径：接单时间加上方案约定的宽放和要求的在线时间。",
                     "The 2023 guideline (MOHRSS General Office Document [2023] No. 50): order time "
                     "plus the allowance "
                     "and online time the package requires."),
    "online_time": ("全部在线时间", "All online time",
                    "每个登录在线小时（含等单）的可计报酬。",
                    "Countable pay per hour logged in to the app, waiting included."),
    "net_online_time": ("在线时间（扣除成本）", "Online time, net of costs",
                        "扣除车辆、通讯和会费等自付成本后的收入（含补贴），按在线小时计。",
                        "Income after the worker's own vehicle, phone and fees (subsidies "
                        "included) per hour logged in."),
}


def reading_rows(effect: Mapping[str, Any], lang: str) -> list[dict]:
    """The readings as the PDF prints them: label, explanation, today, package, change ± SE
    (percent, one decimal, as on the pages)."""
    rows = []
    b = effect["baseline"]["share_below_hourly_minimum_by_reading"]
    p = effect["package"]["share_below_hourly_minimum_by_reading"]
    d = effect["delta"]["share_below_hourly_minimum_by_reading"]
    se = effect["package"]["se"]["share_below_hourly_minimum_by_reading"]
    for r in effect["readings"]:
        zh, en, note_zh, note_en = READING_TEXT[r]

        def pct(v):
            return "—" if v is None else f"{100 * v:.1f}%"
        rows.append({"key": r, "label": zh if lang == "zh" else en,
                     "note": note_zh if lang == "zh" else note_en,
                     "baseline": pct(b[r]), "package": pct(p[r]),
                     "se": "—" if se[r] is None else f"{100 * se[r]:.1f}",
                     "change": "—" if d[r] is None else f"{100 * d[r]:+.1f} pt",
                     "adopted": r == effect["adopted_reading"]})
    return rows


def _pay_values(terms: Mapping[str, Any], scenario) -> dict:
    known = {f.name for f in __import__("dataclasses").fields(scenario.pay)}
    return {f"pay.{k}": v for k, v in terms.items()
            if k in known and not isinstance(v, (list, dict))}


def simulated_effect(current_rules: Mapping[str, Any] | None, package: Mapping[str, Any], *,
                     sector: str = "delivery", lang: str = "zh") -> dict | None:
    """Headline figures, the share below the minimum under each reading, and the distribution
    chart of the package vs today's rules: the package's effect (``package_effect``) as every
    page shows it.

    ``current_rules`` are the negotiation's current rules (a scenario dict; ``None`` or one the
    simulator refuses: the sector preset as it stands); ``package`` the agreed terms, applied to
    them. Returns ``None`` when the simulator refuses the terms, so the agreement still prints
    without its annex.
    """
    try:
        preset = presets.preset(sector)
        baseline = preset
        if isinstance(current_rules, Mapping):
            try:
                baseline = Scenario.from_dict(dict(current_rules))
            except ValidationError:
                baseline = preset
        proposal = baseline.with_values(_pay_values(package, baseline), name="package")
        effect = package_effect(proposal, baseline, EFFECT_SEED)
    except (ValidationError, KeyError, ValueError):
        return None
    base, prop = effect["baseline"], effect["package"]
    mw = effect["minimum_wage"]
    bq, pq = base["quantiles"]["net_per_working_hour"], prop["quantiles"]["net_per_working_hour"]
    rows = [
        ("每工作小时净收入（中位数）", "Net pay per working hour (median)", "元/小时", "yuan/hour",
         bq["p50"], pq["p50"], "money"),
        ("每工作小时净收入（最低10%分位）", "Net pay per working hour (10th percentile)", "元/小时",
         "yuan/hour", bq["p10"], pq["p10"], "money"),
        ("月均净收入", "Mean net income a month", "元/月", "yuan/month",
         base["mean_net_monthly"], prop["mean_net_monthly"], "money0"),
        ("平台每单成本", "Platform cost per order", "元/单", "yuan/order",
         base["platform"]["cost_per_order"], prop["platform"]["cost_per_order"], "money"),
    ]
    fmt = {"money": "{:.2f}", "money0": "{:,.0f}", "pct": "{:.1f}"}
    figures = []
    for zh, en, uzh, uen, a, b, kind in rows:
        f = fmt[kind]
        delta = b - a
        figures.append({"label_zh": zh, "label_en": en, "unit_zh": uzh, "unit_en": uen,
                        "baseline": f.format(a), "package": f.format(b),
                        "change": ("+" if delta >= 0 else "−") + f.format(abs(delta))})
    chart = agreement_hourly_distribution(effect["histogram"], minimum_wage=mw, lang=lang)
    return {
        "figures": figures, "chart_svg": chart, "minimum_wage": mw,
        "threshold": effect["threshold"], "effect": effect,
        "readings": reading_rows(effect, lang),
        "workers": base["workers"], "days": effect["days"], "seed": effect["seed"],
        "share_better_off": 100 * (effect["delta"]["share_better_off"] or 0.0),
        "sector": sector, "baseline_is_preset": baseline is preset,
    }


def texts(annex: Mapping[str, Any], lang: str) -> dict[str, str]:
    """The annex's sentences (introduction, the readings' title and threshold, the closing note),
    one source for the PDF (``templates/print/agreement.html``) and the Word document."""
    th = annex["threshold"]
    better = f"{annex['share_better_off']:.0f}"
    if lang == "zh":
        preset = "本协商未记录现行规则，现行规则一栏采用本行业的默认参数。" \
            if annex["baseline_is_preset"] else ""
        return {
            "intro": f"本附件以收入模拟模型，对同一组模拟劳动者（{annex['workers']}人、"
                     f"{annex['days']}天，随机种子{annex['seed']}）分别按现行规则和本协议约定标准"
                     f"计算收入，两者使用相同的随机抽样，差异仅来自规则变化。小时最低工资按"
                     f"{annex['minimum_wage']}元计（{th['region']}，{th['effective_from']}起执行）。"
                     f"{preset}按本协议标准，约{better}%的劳动者收入提高。",
            "readings_title": "低于小时最低工资的劳动者比例（按工作时间口径）",
            "readings_note": f"小时最低工资{th['hourly']:g}元（月最低工资{th['monthly']:g}元）："
                             f"{th['region']}，{th['effective_from']}起执行。来源：{th['source']}",
            "note": "说明：测算结果取决于模型假设（订单量、配送时长、出勤分布等），仅供双方参考，"
                    "不构成约定标准；夜间补贴、恶劣天气补贴和高温津贴不计入最低工资比较。",
        }
    preset = " No current rules were recorded for this negotiation, so today's rules are the " \
        "sector defaults." if annex["baseline_is_preset"] else ""
    return {
        "intro": f"The income model computes the pay of one simulated workforce "
                 f"({annex['workers']} workers over {annex['days']} days, seed {annex['seed']}) "
                 f"under today's rules and under the agreed standards, on the same random draws, "
                 f"so the differences come from the rules alone. The hourly minimum wage is taken "
                 f"as {annex['minimum_wage']} yuan ({th['region']}, in force from "
                 f"{th['effective_from']}).{preset} Under the agreed standards about {better}% of "
                 f"workers earn more.",
        "readings_title": "Workers below the hourly minimum wage, by reading of working time",
        "readings_note": f"Hourly minimum wage {th['hourly']:g} yuan (monthly {th['monthly']:g} "
                         f"yuan): {th['region']}, in force from {th['effective_from']}. "
                         f"Source: {th['source']}",
        "note": "Note: the figures depend on the model's assumptions (order volumes, delivery "
                "times, attendance) and are for reference only; they are not agreed standards. "
                "Night, bad-weather and heat allowances are left out of the minimum-wage "
                "comparison.",
    }
