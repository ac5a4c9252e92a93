"""Solve for one term, and the Pareto frontier over two terms, on fixed draws.

Every evaluation uses the same seed and the base scenario's candidate orders, so the simulated
workers, days and orders are the same for every value tried (common random numbers, also for
terms that change the order rate): a measure is then a deterministic function of the
term, and root finding (:func:`scipy.optimize.brentq`) and grid comparisons are meaningful.
Evaluations go through the batched evaluator (:class:`app.simulator.batch.Batch`), which gives
each package exactly the engine's result on the whole population at a fraction of the cost.
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np
from scipy import optimize as sopt

from app.simulator import measures as M
from app.errors import Msg, ValidationError
from app.simulator.evaluator import Evaluator, pay_terms, with_values  # noqa: F401
from app.simulator.params import Scenario, field_specs, pay_field_names

#: Largest population whose frontier grid the web runs in a request (its work bound reads this,
#: assumption 2026-12: a 15×15 grid of 2,000 workers × 30 days takes about a second). The grid
#: itself runs on the full population unless a caller passes a smaller ``grid_workers``.
GRID_WORKERS = 2000
MAX_GRID = 25
#: Frontier packages listed in ``table`` (distinct, evenly spread from cheapest to best paid) and
#: re-evaluated on the full population.
MAX_CHECKED = 15


# -- terms -----------------------------------------------------------------------------------

def resolve_key(scenario: Scenario, key: str, field: str = "key") -> dict:
    """The field spec of ``key`` (dotted, or a bare pay-term name); numeric fields only."""
    key = (key or "").strip()
    if key and "." not in key and key in pay_field_names():
        key = "pay." + key
    specs = {s["key"]: s for s in field_specs(scenario)}
    if key not in specs:
        raise ValidationError({field: Msg("Unknown parameter")})
    spec = specs[key]
    if spec["type"] != "float":
        raise ValidationError({field: Msg("Choose a numeric parameter with continuous values")})
    if key in ("workforce.n_workers", "workforce.days") or key.endswith(".share"):
        raise ValidationError({field: Msg("This parameter cannot be used in this analysis")})
    return spec


def allowed_range(spec: dict) -> tuple[float, float]:
    """The closed range of values a field accepts (exclusive bounds nudged inwards)."""
    lo = float(spec["min"]) if spec["min"] is not None else -1e6
    hi = float(spec["max"]) if spec["max"] is not None else 1e6
    if spec["min_exclusive"]:
        lo = lo + max(1e-6, abs(lo) * 1e-6)
    if spec["max_exclusive"]:
        hi = hi - max(1e-6, abs(hi) * 1e-6)
    return lo, hi


def default_range(spec: dict) -> tuple[float, float]:
    """A sensible grid range: the current value ±50 %, or up from zero, inside the bounds."""
    lo, hi = allowed_range(spec)
    v = float(spec["value"])
    if v > 0:
        a, b = 0.5 * v, 1.5 * v
    else:
        b = 0.3 if (spec["max"] is not None and spec["max"] <= 1.0) else 10.0
        a = 0.0
    return max(lo, a), min(hi, b)


def check_range(spec: dict, lo, hi, field: str) -> tuple[float, float]:
    """Validate a user-chosen range ``lo`` < ``hi`` inside the allowed range."""
    a, b = allowed_range(spec)
    try:
        lo, hi = float(lo), float(hi)
    except (TypeError, ValueError):
        raise ValidationError({field: Msg("The range must be numbers")}) from None
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValidationError({field: Msg("The range must be finite numbers")})
    if lo >= hi:
        raise ValidationError({field: Msg(
            "The lower end of the range must be below the upper end")})
    if lo < a - 1e-12 or hi > b + 1e-12:
        raise ValidationError({field: Msg(
            "The range must lie within the allowed values %(low)s to %(high)s",
            low=f"{a:g}", high=f"{b:g}")})
    return max(lo, a), min(hi, b)


def decimals(spec: dict) -> int:
    """Decimals a value of this field is shown and rounded to."""
    unit = spec.get("unit") or ""
    if unit.startswith("元"):
        return 2
    if unit in ("比例", "概率"):
        return 4
    return 3


# -- solve for -------------------------------------------------------------------------------

def _fmt(x, d=2):
    return "—" if x is None or not np.isfinite(x) else f"{x:,.{d}f}"


def solve_for(scenario: Scenario, key: str, measure: str, target: float, *, seed: int,
              goal: str = "at_least", lo=None, hi=None,
              progress: Callable[[float], None] | None = None) -> dict:
    """The value of ``key`` at which ``measure`` reaches ``target``.

    ``goal`` is ``"at_least"`` (the measure must be ≥ target, e.g. an hourly wage) or
    ``"at_most"`` (≤ target, e.g. a share below the minimum wage). The search runs over the
    field's allowed range (or ``lo``…``hi`` inside it) with :func:`scipy.optimize.brentq` on
    fixed draws (the batched evaluator, full population); the answer is rounded (to the fen for
    money) on the side that meets the goal.

    Returns a dict with ``status`` (``"solved"``, ``"everywhere"`` — every value in the range
    meets the goal —, or ``"no_solution"``), ``value``, ``achieved``, ``cost`` (platform net
    cost per month at ``value``), ``cost_per_order``, ``baseline`` (same at today's value),
    ``direction`` (``"increasing"``/``"decreasing"`` over the range) and ``message_zh`` /
    ``message_en``. ``progress``, if given, is called with the fraction done (0…1) after each
    evaluation, and with 1 at the end.
    """
    out = _solve_for(scenario, key, measure, target, seed=seed, goal=goal, lo=lo, hi=hi,
                     progress=progress)
    if progress is not None:
        progress(1.0)
    return out


def _solve_for(scenario: Scenario, key: str, measure: str, target: float, *, seed: int,
               goal: str, lo, hi, progress) -> dict:
    spec = resolve_key(scenario, key)
    key = spec["key"]
    m = M.get(measure)
    if goal not in ("at_least", "at_most"):
        raise ValidationError({"goal": Msg("The goal must be “at least” or “at most”")})
    try:
        target = float(target)
    except (TypeError, ValueError):
        raise ValidationError({"target": Msg("The target must be a number")}) from None
    if not math.isfinite(target):
        raise ValidationError({"target": Msg("The target must be a finite number")})
    a, b = check_range(spec, lo, hi, "range") if lo is not None or hi is not None \
        else allowed_range(spec)
    ev = Evaluator(scenario, m, seed)
    sign = 1.0 if goal == "at_least" else -1.0
    expected = 40.0  # evaluations of a typical search (progress is an estimate until done)

    def g(x):  # ≥ 0 where the goal is met
        v = ev({key: x})["measure"]
        if progress is not None:
            progress(min(0.95, len(ev.cache) / expected))
        return sign * (v - target) if np.isfinite(v) else -1e12

    current = float(spec["value"])
    base = ev({key: min(max(current, a), b)})
    ga, gb = g(a), g(b)
    direction = "increasing" if ev({key: b})["measure"] >= ev({key: a})["measure"] \
        else "decreasing"
    out = {"key": key, "label_zh": spec["label_zh"], "label_en": spec["label_en"],
           "unit": spec["unit"], "measure": m.describe(), "target": target, "goal": goal,
           "range": [a, b], "current": current, "direction": direction,
           "baseline": {"value": current, "achieved": base["measure"], "cost": base["cost"],
                        "cost_per_order": base["cost_per_order"]}}
    rel = "≥" if goal == "at_least" else "≤"
    if ga < 0 and gb < 0:
        best = max(ev({key: a})["measure"], ev({key: b})["measure"]) if goal == "at_least" \
            else min(ev({key: a})["measure"], ev({key: b})["measure"])
        out.update(status="no_solution", value=None, achieved=None, cost=None,
                   cost_per_order=None, evaluations=len(ev.cache))
        out["message_zh"] = (f"在允许范围 {_fmt(a)}–{_fmt(b)} {spec['unit']} 内，{spec['label_zh']}"
                             f"取任何值都不能使{m.label_zh}{rel} {_fmt(target)}（范围两端最好为 "
                             f"{_fmt(best)} {m.unit}）。")
        out["message_en"] = (f"No value of {spec['label_en']} between {_fmt(a)} and {_fmt(b)} "
                             f"makes {m.label_en} {rel} {_fmt(target)} (best at the ends of the "
                             f"range: {_fmt(best)}).")
        return out
    if ga >= 0 and gb >= 0:
        # Both ends meet the goal: the cheapest end is the answer.
        x = a if ev({key: a})["cost"] <= ev({key: b})["cost"] else b
        r = ev({key: x})
        out.update(status="everywhere", value=x, achieved=r["measure"], cost=r["cost"],
                   cost_per_order=r["cost_per_order"], evaluations=len(ev.cache))
        out["message_zh"] = (f"在允许范围 {_fmt(a)}–{_fmt(b)} 内，{spec['label_zh']}取任何值时"
                             f"{m.label_zh}都已{rel} {_fmt(target)}；平台成本最低的取值为 "
                             f"{_fmt(x, decimals(spec))} {spec['unit']}。")
        out["message_en"] = (f"Every value of {spec['label_en']} between {_fmt(a)} and {_fmt(b)} "
                             f"already gives {m.label_en} {rel} {_fmt(target)}; the cheapest for "
                             f"the platform is {_fmt(x, decimals(spec))}.")
        return out
    # Narrow the bracket from today's value outwards before root finding: the allowed range
    # of money terms reaches 10,000 元, far from any sensible answer.
    c = min(max(current, a), b)
    lo_x, hi_x = _bracket(g, a, b, c, ga >= 0)
    d = decimals(spec)
    unit = 10.0 ** -d
    root = sopt.brentq(g, lo_x, hi_x, xtol=unit / 4, rtol=1e-10, maxiter=60)
    # Round to a presentable value on the side that meets the goal.
    meets_above = g(hi_x) >= 0
    x = (math.ceil(root / unit - 1e-9) if meets_above else math.floor(root / unit + 1e-9)) * unit
    x = round(min(max(x, a), b), d)
    for _ in range(3):
        if g(x) >= 0:
            break
        x = round(min(max(x + (unit if meets_above else -unit), a), b), d)
    r = ev({key: x})
    out.update(status="solved", value=x, achieved=r["measure"], cost=r["cost"],
               cost_per_order=r["cost_per_order"], evaluations=len(ev.cache))
    which_zh = "最低" if meets_above else "最高"
    which_en = "lowest" if meets_above else "highest"
    dc = r["cost"] - base["cost"]
    out["message_zh"] = (f"{spec['label_zh']}{which_zh}为 {_fmt(x, d)}{spec['unit']}时，"
                         f"{m.label_zh}{rel} {_fmt(target)}（达到 {_fmt(r['measure'])} {m.unit}）；"
                         f"平台每月净成本 {_fmt(r['cost'])} 元，比现行取值 {_fmt(current, d)} "
                         f"{'增加' if dc >= 0 else '减少'} {_fmt(abs(dc))} 元。")
    out["message_en"] = (f"The {which_en} {spec['label_en']} for which {m.label_en} is {rel} "
                         f"{_fmt(target)} is {_fmt(x, d)} (achieved {_fmt(r['measure'])}); "
                         f"platform net cost {_fmt(r['cost'])} a month, "
                         f"{'up' if dc >= 0 else 'down'} {_fmt(abs(dc))} from today's value "
                         f"{_fmt(current, d)}.")
    return out


def _bracket(g, a, b, c, a_meets):
    """A narrow [lo, hi] with a sign change of ``g``, stepping out from ``c`` geometrically."""
    gc = g(c)
    up = (gc >= 0) == a_meets          # the change lies between c and b
    end = b if up else a
    if c == end:
        return (a, b)
    step = max(abs(c) * 0.25, (b - a) * 1e-4, 1e-3)
    x = c
    while x != end:
        nx = min(b, x + step) if up else max(a, x - step)
        if (g(nx) >= 0) != (gc >= 0):
            return (x, nx) if up else (nx, x)
        x, step = nx, step * 2
    return (a, b)


# -- frontier --------------------------------------------------------------------------------

def efficient_mask(cost: np.ndarray, worker: np.ndarray, better: int = 1) -> np.ndarray:
    """True for the points no other point dominates (lower cost and better worker measure).

    A point dominates another when it is at least as good on both axes and strictly better on
    one. ``better`` = −1 when a lower worker measure is better (a share below the minimum).
    """
    c = np.asarray(cost, dtype=float)
    w = np.asarray(worker, dtype=float) * better
    ok = np.isfinite(c) & np.isfinite(w)
    le_c = c[None, :] <= c[:, None]   # [i, j]: j costs no more than i
    ge_w = w[None, :] >= w[:, None]
    strict = (c[None, :] < c[:, None]) | (w[None, :] > w[:, None])
    dominated = (le_c & ge_w & strict & ok[None, :]).any(axis=1)
    return ok & ~dominated


def _position(cost, worker, fc, fw, better):
    """Where a package (cost, worker) sits against frontier points (fc, fw)."""
    wb, fwb = worker * better, fw * better
    if np.any((fc <= cost) & (fwb >= wb) & ((fc < cost) | (fwb > wb))):
        return "dominated"
    if np.any((fc >= cost) & (fwb <= wb) & ((fc > cost) | (fwb < wb))):
        return "beyond"
    return "on_frontier"


def frontier(scenario: Scenario, x_key: str, y_key: str, *, measure: str, seed: int,
             x_range=None, y_range=None, n: int = 15, offers=None, chosen: int | None = None,
             grid_workers: int | None = None, check: bool = True,
             progress: Callable[[float], None] | None = None) -> dict:
    """Pareto-efficient packages over a grid of two terms: platform cost vs a worker measure.

    The grid (``n`` × ``n`` values) is evaluated on the scenario's whole population, all
    packages together on the same draws (:class:`~app.simulator.batch.Batch`); a caller may
    ask for a sub-population of ``grid_workers`` instead. ``table`` lists up to
    :data:`MAX_CHECKED` distinct efficient packages spread along the frontier; on a
    sub-population and with ``check`` they are evaluated again on the full population
    (``checked``). ``progress``, if given, is called with the fraction done (0…1).
    ``offers`` is a list of ``{"name": …, "terms": {term: value}}`` placed against the
    frontier; for offer index ``chosen`` the grid packages at least as good for both sides are
    listed in ``better_for_both``.
    """
    xs = resolve_key(scenario, x_key, "x_key")
    ys = resolve_key(scenario, y_key, "y_key")
    if xs["key"] == ys["key"]:
        raise ValidationError({"y_key": Msg("Choose two different parameters")})
    m = M.get(measure)
    if m.side != "worker":
        raise ValidationError({"measure": Msg("Choose a measure of the workers' side")})
    try:
        n = int(n)
    except (TypeError, ValueError):
        raise ValidationError({"n": Msg(
            "The number of grid points must be a whole number")}) from None
    if not 2 <= n <= MAX_GRID:
        raise ValidationError({"n": Msg(
            "The number of grid points must be between 2 and %(max)s", max=MAX_GRID)})
    xr = check_range(xs, *x_range, "x_range") if x_range else default_range(xs)
    yr = check_range(ys, *y_range, "y_range") if y_range else default_range(ys)
    full = scenario.workforce.n_workers
    small = scenario
    if grid_workers and full > grid_workers:
        small = scenario.with_values({"workforce.n_workers": grid_workers})
    ev = Evaluator(small, m, seed)
    gx = np.linspace(*xr, n)
    gy = np.linspace(*yr, n)
    pairs = [(float(xv), float(yv)) for yv in gy for xv in gx]
    grid = ev.many([{xs["key"]: xv, ys["key"]: yv} for xv, yv in pairs],
                   progress=(lambda f: progress(0.9 * f)) if progress is not None else None)
    points = [{"x": xv, "y": yv, "cost": r["cost"], "worker": r["measure"]}
              for (xv, yv), r in zip(pairs, grid)]
    cost = np.array([p["cost"] for p in points])
    worker = np.array([p["worker"] for p in points])
    eff = efficient_mask(cost, worker, m.better)
    for p, e in zip(points, eff):
        p["efficient"] = bool(e)
    front = sorted((p for p in points if p["efficient"]), key=lambda p: p["cost"])
    # Scale grid costs to the full population so offers and checks are comparable.
    scale = full / small.workforce.n_workers
    for p in points:
        p["cost"] *= scale
    table = spread(distinct(front), MAX_CHECKED)
    if check and small is not scenario:
        full_ev = Evaluator(scenario, m, seed)
        checked = full_ev.many([{xs["key"]: p["x"], ys["key"]: p["y"]} for p in table])
        for p, r in zip(table, checked):
            p["checked"] = {"cost": r["cost"], "worker": r["measure"]}
    current = ev({})
    out = {"x": _axis(xs, xr), "y": _axis(ys, yr), "measure": m.describe(), "n": n,
           "grid_workers": small.workforce.n_workers, "workers": full, "seed": seed,
           "points": points, "frontier": front, "table": table,
           "current": {"x": float(xs["value"]), "y": float(ys["value"]),
                       "cost": current["cost"] * scale, "worker": current["measure"]},
           "offers": []}
    fc = np.array([p["cost"] for p in front])
    fw = np.array([p["worker"] for p in front])
    pc = np.array([p["cost"] for p in points])
    pw = np.array([p["worker"] for p in points]) * m.better
    for i, offer in enumerate(offers or []):
        terms = pay_terms(offer.get("terms") or {})
        try:
            r = ev(terms)
        except ValidationError as e:
            out["offers"].append({"name": offer.get("name") or f"#{i + 1}", "error": e.errors})
            continue
        oc, ow = r["cost"] * scale, r["measure"]
        entry = {"name": offer.get("name") or f"#{i + 1}", "terms": terms, "cost": oc,
                 "worker": ow, "position": _position(oc, ow, fc, fw, m.better)}
        if chosen is not None and i == chosen:
            mask = (pc <= oc) & (pw >= ow * m.better)
            entry["better_for_both"] = [p for p, k in zip(points, mask) if k]
        out["offers"].append(entry)
    if progress is not None:
        progress(1.0)
    return out


def distinct(points: list) -> list:
    """Packages with the same cost and worker measure (a floor that does not bind) once."""
    seen, out = set(), []
    for p in points:
        key = (round(p["cost"], 2), round(p["worker"], 6))
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def spread(items: list, k: int) -> list:
    """At most ``k`` items evenly spread over ``items`` (first and last kept)."""
    if len(items) <= k:
        return list(items)
    step = (len(items) - 1) / (k - 1)
    return [items[round(i * step)] for i in range(k)]


def _axis(spec: dict, rng) -> dict:
    return {"key": spec["key"], "label_zh": spec["label_zh"], "label_en": spec["label_en"],
            "unit": spec["unit"], "range": [float(rng[0]), float(rng[1])],
            "decimals": decimals(spec)}
