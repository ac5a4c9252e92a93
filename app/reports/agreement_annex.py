"""The annex of an agreement: the simulated effect of the package against today's rules.

Calls the simulator on common random numbers (``compare``) and keeps plain numbers and one SVG
chart, so the print templates need no simulator objects. Everything here is explanatory: the
figures depend on the model's assumptions, and the annex says so.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

ANNEX_SEED = 20261102


def _pay_values(terms: Mapping[str, Any], scenario) -> dict:
    known = {f.name for f in __import__("dataclasses").fields(scenario.pay)}
    return {f"pay.{k}": v for k, v in terms.items()
            if k in known and not isinstance(v, (list, dict))}


def simulated_effect(current_terms: Mapping[str, Any] | None, package: Mapping[str, Any], *,
                     sector: str = "delivery", seed: int = ANNEX_SEED,
                     lang: str = "zh") -> dict | None:
    """Headline figures and the distribution chart of the package vs today's rules.

    ``current_terms`` are today's rules as package terms (``None``: the sector preset as it
    stands). Returns ``None`` when the simulator is not available or refuses the terms, so the
    agreement still prints without its annex.
    """
    try:
        from app.simulator import ValidationError, compare, presets
    except ImportError:  # the simulator is optional for printing
        return None
    from app.reports.charts import agreement_hourly_distribution
    try:
        preset = presets.preset(sector)
        baseline = preset.with_values(_pay_values(current_terms or {}, preset), name="baseline")
        proposal = preset.with_values(_pay_values(package, preset), name="package")
        result = compare(baseline, [proposal], seed=seed)
    except (ValidationError, KeyError, ValueError):
        return None
    data = result.to_dict()
    base, prop = data["baseline"], data["proposals"][0]["result"]
    mw = preset.thresholds.hourly_minimum_wage

    def hourly(sim):
        w = sim.workers
        ok = w.active & (w.working_hours > 0)
        return np.asarray(w.net_per_working_hour[ok], dtype=float)

    rows = [
        ("每工作小时净收入（中位数）", "Net pay per working hour (median)", "元/小时", "yuan/hour",
         base["net_per_working_hour"]["p50"], prop["net_per_working_hour"]["p50"], "money"),
        ("每工作小时净收入（最低10%分位）", "Net pay per working hour (10th percentile)", "元/小时",
         "yuan/hour", base["net_per_working_hour"]["p10"], prop["net_per_working_hour"]["p10"],
         "money"),
        ("低于小时最低工资的劳动者比例", "Workers below the hourly minimum wage", "%", "%",
         100 * base["share_below_hourly_minimum"], 100 * prop["share_below_hourly_minimum"], "pct"),
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
    chart = agreement_hourly_distribution(
        hourly(result.baseline), hourly(result.proposals[0]), minimum_wage=mw, lang=lang)
    return {
        "figures": figures, "chart_svg": chart, "minimum_wage": mw,
        "workers": base["workers"], "days": data["baseline"]["days"], "seed": seed,
        "share_better_off": 100 * data["proposals"][0]["delta"].get("share_better_off", 0.0),
        "sector": sector, "baseline_is_preset": not current_terms,
    }
