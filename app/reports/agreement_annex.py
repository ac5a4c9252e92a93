"""The annex of an agreement: the simulated effect of the package against today's rules.

Calls the simulator on common random numbers (``compare``) and keeps plain numbers and one SVG
chart, so the print templates need no simulator objects. Everything here is explanatory: the
figures depend on the model's assumptions, and the annex says so.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any



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
    from app.simulator import Scenario, ValidationError, presets
    from app.simulator.effect import EFFECT_SEED, package_effect
    from app.reports.charts import agreement_hourly_distribution
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
        "workers": base["workers"], "days": effect["days"], "seed": effect["seed"],
        "share_better_off": 100 * (effect["delta"]["share_better_off"] or 0.0),
        "sector": sector, "baseline_is_preset": baseline is preset,
    }
