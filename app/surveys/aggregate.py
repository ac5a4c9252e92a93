"""What may be shown of a survey's responses in aggregate, with small groups hidden.

Anything shown or exported in aggregate hides every group of fewer than :data:`MIN_GROUP`
respondents: its figures (medians, quartiles) are left out, and so is its count. A histogram
bin holding fewer than that many respondents is shown empty. Excluded (flagged) responses are
left out of everything here.
"""
from __future__ import annotations

from collections import Counter

import numpy as np

from app.surveys import questions as Q

# Smallest group shown (assumption, issue 20, 2026-12: the usual rule of thumb of statistical
# offices' disclosure control; with fewer, one rider's pay could be read off a median).
MIN_GROUP = 5
BINS = 12
# The figures compared across groups ("medians by group").
GROUP_FIGURES = ("days_last_month", "hours_online_per_day", "orders_per_day",
                 "gross_pay_last_month", "deductions_last_month")


def _values(answers: list[dict], key: str) -> np.ndarray:
    return np.array([a[key] for a in answers if isinstance(a.get(key), (int, float))],
                    dtype=float)


def _stats(x: np.ndarray) -> dict:
    if x.size < MIN_GROUP:
        return {"n": None, "hidden": True}
    p25, p50, p75 = np.percentile(x, [25, 50, 75])
    return {"n": int(x.size), "hidden": False, "median": float(p50), "p25": float(p25),
            "p75": float(p75)}


def _nice_ceiling(x: float) -> float:
    if x <= 0:
        return 1.0
    magnitude = 10 ** np.floor(np.log10(x))
    for step in (1, 2, 2.5, 5, 10):
        if x <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def histogram(x: np.ndarray, q: Q.Question) -> dict | None:
    """Counts in equal bins from 0 to a round number above the 95th percentile (the last bin
    takes everything above); bins of fewer than MIN_GROUP respondents are emptied."""
    if x.size < MIN_GROUP:
        return None
    top = min(_nice_ceiling(float(np.percentile(x, 95)) * 1.1), q.high)
    if q.kind == "int" and top - q.low <= BINS:
        edges = np.arange(q.low, top + 2) - 0.5
    else:
        edges = np.linspace(q.low, top, BINS + 1)
    counts, _ = np.histogram(np.clip(x, edges[0], edges[-1]), edges)
    hidden = int(((counts > 0) & (counts < MIN_GROUP)).sum())
    shown = np.where(counts >= MIN_GROUP, counts, 0)
    return {"edges": edges.tolist(), "counts": shown.astype(int).tolist(), "hidden_bins": hidden}


def suppress_shares(shares, n: int) -> list[float]:
    """Shares of ``n`` respondents per bin, with bins of fewer than MIN_GROUP shown empty."""
    return [float(v) if v * n >= MIN_GROUP - 1e-9 or v == 0 else 0.0 for v in shares]


def _group_value(answers: dict, key: str):
    value = answers.get(key)
    return value if value not in (None, "") else None


def summarise(answers: list[dict], keys: list[str]) -> dict:
    """Aggregates of the included answers to the questions ``keys``.

    Returns ``n`` (respondents), ``hidden`` (True when fewer than MIN_GROUP: nothing else is
    filled), ``figures`` (per numeric question: n, median, quartiles, histogram) and
    ``groups`` (per grouping question: one row per answer with its count and the medians of
    :data:`GROUP_FIGURES`, or hidden).
    """
    n = len(answers)
    out: dict = {"n": n, "hidden": n < MIN_GROUP, "figures": {}, "groups": {},
                 "min_group": MIN_GROUP}
    if out["hidden"]:
        return out
    for key in keys:
        q = Q.BY_KEY[key]
        if q.kind not in ("int", "number"):
            continue
        x = _values(answers, key)
        out["figures"][key] = {**_stats(x), "histogram": histogram(x, q)}
    figures = [k for k in GROUP_FIGURES if k in keys]
    for key in keys:
        if key not in Q.GROUP_KEYS:
            continue
        members: dict = {}
        for a in answers:
            value = _group_value(a, key)
            if value is not None:
                members.setdefault(value, []).append(a)
        rows, hidden = [], 0
        for value, group in sorted(members.items(), key=lambda kv: (-len(kv[1]), str(kv[0]))):
            if len(group) < MIN_GROUP:
                hidden += 1
                continue
            rows.append({"value": value, "n": len(group),
                         "figures": {f: _stats(_values(group, f)) for f in figures}})
        out["groups"][key] = {"rows": rows, "hidden_groups": hidden, "figures": figures}
    return out


def timeline(days: list) -> dict:
    """Responses per local day and cumulated (counts only: no answers), for the chart."""
    counts = Counter(days)
    ordered = sorted(counts)
    total, cumulative = 0, []
    for day in ordered:
        total += counts[day]
        cumulative.append(total)
    return {"days": ordered, "per_day": [counts[d] for d in ordered], "cumulative": cumulative}


def summary_rows(summary: dict, keys: list[str], lang: str = "zh") -> list[list]:
    """The aggregate table for export: overall figures, then each group's medians."""
    hidden = "<5" if MIN_GROUP == 5 else f"<{MIN_GROUP}"
    head = (["问题", "分组", "人数", "中位数", "下四分位", "上四分位"] if lang != "en" else
            ["Question", "Group", "Respondents", "Median", "Lower quartile", "Upper quartile"])
    rows = [head]
    if summary["hidden"]:
        rows.append(["*", "*", hidden, "", "", ""])
        return rows
    everyone = "全部" if lang != "en" else "All"
    for key, f in summary["figures"].items():
        q = Q.BY_KEY[key]
        label = f"{q.label(lang)} ({q.unit(lang)})"
        rows.append(_stat_row(label, everyone, f, hidden))
    for key, g in summary["groups"].items():
        q = Q.BY_KEY[key]
        for row in g["rows"]:
            name = f"{q.label(lang)}: {q.choice_label(row['value'], lang)}"
            for fkey, f in row["figures"].items():
                fq = Q.BY_KEY[fkey]
                rows.append(_stat_row(f"{fq.label(lang)} ({fq.unit(lang)})", name, f, hidden))
        if g["hidden_groups"]:
            rows.append([q.label(lang), "…", hidden, "", "", ""])
    return rows


def _stat_row(label: str, group: str, f: dict, hidden: str) -> list:
    if f["hidden"]:
        return [label, group, hidden, "", "", ""]
    return [label, group, f["n"], round(f["median"], 2), round(f["p25"], 2), round(f["p75"], 2)]
