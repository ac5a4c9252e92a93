"""Sensitivity (tornado data): each numeric input ±step → change of the headline measure.

All evaluations share one seed and the base scenario's candidate orders (common random numbers,
also for inputs that change the order rate or the hours), so a change of the measure is the
effect of the input, not noise between runs. Inputs that cannot move the result are skipped and
listed with the reason: zero values (±10 % of nothing is nothing), group shares (they must add up
to one), the population size and simulated days, behaviour inputs while behaviour is off, and
the costs of vehicles no group uses.

Every variant is evaluated on the scenario's full population by the batched evaluator
(:class:`app.simulator.batch.Batch`): all variants together, on the draws of one seed, each
exactly as ``simulate(variant, seed=seed, reference=scenario)`` would give it.
"""
from __future__ import annotations

import math
from typing import Callable

from app.simulator import measures as M
from app.simulator.batch import Batch
from app.simulator.evaluator import with_values
from app.errors import Msg, ValidationError
from app.simulator.optimize import allowed_range
from app.simulator.params import Scenario, field_specs

#: Largest population the web runs a sensitivity on in a request (its work bound reads this;
#: assumption 2026-12: 2 × ~60 inputs of 2,000 workers × 30 days take about a second). The
#: analysis itself runs on the full population unless a caller passes a smaller ``workers``.
SENSITIVITY_WORKERS = 2000

_OWNERS = {"casual": ("零散", "Casual"), "part_time": ("兼职", "Part-time"),
           "full_time": ("全职", "Full-time"), "crowd_sourced": ("众包", "Crowd-sourced"),
           "dedicated": ("专送", "Dedicated"), "e_bike": ("电动车", "E-bike"),
           "owned_car": ("自有车辆", "Own car"), "rented_car": ("租赁车辆", "Rented car"),
           "van": ("货车", "Van")}


def labels(spec: dict) -> tuple[str, str]:
    """Chinese and English label of an input, naming its group or vehicle where it has one."""
    parts = spec["key"].split(".")
    owner = parts[2] if parts[0] == "workforce" and len(parts) == 4 else \
        parts[1] if parts[0] == "costs" else None
    zh, en = spec["label_zh"], spec["label_en"]
    if owner in _OWNERS:
        zh, en = f"{_OWNERS[owner][0]}·{zh}", f"{_OWNERS[owner][1]}: {en}"
    return zh, en


def _skip_reason(spec: dict, scenario: Scenario) -> str | None:
    key = spec["key"]
    if spec["type"] not in ("float", "int"):
        return "not_numeric"
    if key in ("workforce.n_workers", "workforce.days") or key.endswith(".share"):
        return "structural"
    if key.startswith("behaviour.") and not scenario.behaviour.enabled:
        return "behaviour_off"
    if key.startswith("costs."):
        vehicle = key.split(".")[1]
        if all(g.vehicle != vehicle for g in scenario.workforce.groups):
            return "unused_vehicle"
    if float(spec["value"]) == 0.0:
        return "zero"
    return None


def _shifted(spec: dict, factor: float):
    lo, hi = allowed_range(spec)
    v = float(spec["value"]) * factor
    v = min(max(v, lo), hi)
    if spec["type"] == "int":
        v = int(round(v))
    return v


def sensitivity(scenario: Scenario, *, measure: str, seed: int, step: float = 0.10,
                keys=None, workers: int | None = None,
                progress: Callable[[float], None] | None = None, processes: int = 1) -> dict:
    """Change of ``measure`` when each numeric input moves by −``step`` and +``step``.

    Returns ``{"measure", "step", "base", "rows", "skipped", "workers"}``; ``rows`` are sorted
    by the larger absolute change, each with ``key``, labels, ``unit``, ``value``, ``low`` /
    ``high`` (the input values tried; clipped to the allowed range), ``low_measure`` /
    ``high_measure`` and ``delta_low`` / ``delta_high`` (change from ``base``). The run is on
    the whole population unless ``workers`` asks for fewer; ``progress``, if given, is called
    with the fraction done (0…1). ``processes`` = 2 splits the variants over two processes
    (:meth:`Batch.results`; the same figures).
    """
    m = M.get(measure)
    try:
        step = float(step)
    except (TypeError, ValueError):
        raise ValidationError({"step": Msg("The step must be a number")}) from None
    if not (math.isfinite(step) and 0.001 <= step <= 0.9):
        raise ValidationError({"step": Msg(
            "The step must be between 0.001 and 0.9 (0.1 means ±10 per cent)")})
    small = scenario
    if workers and scenario.workforce.n_workers > workers:
        small = scenario.with_values({"workforce.n_workers": workers})
    specs = field_specs(small)
    if keys is not None:
        wanted = set(keys)
        unknown = wanted - {s["key"] for s in specs}
        if unknown:
            raise ValidationError({"keys": Msg("Unknown parameters: %(keys)s",
                                               keys=", ".join(sorted(unknown)))})
        specs = [s for s in specs if s["key"] in wanted]
    batch = Batch(small, seed)  # the reference of every variant below
    rows, skipped, variants = [], [], [small]
    for spec in specs:
        reason = _skip_reason(spec, small)
        if reason:
            if reason != "not_numeric":
                zh, en = labels(spec)
                skipped.append({"key": spec["key"], "label_zh": zh, "label_en": en,
                                "reason": reason})
            continue
        tried = []
        for factor in (1.0 - step, 1.0 + step):
            v = _shifted(spec, factor)
            if v == spec["value"]:
                tried.append((v, 0))  # the base scenario itself
                continue
            try:
                variants.append(with_values(small, {spec["key"]: v}))
            except ValidationError:
                # e.g. a probability pushed past what the other probabilities leave
                tried.append((v, None))
                continue
            tried.append((v, len(variants) - 1))
        rows.append((spec, tried))
    values = [m(r) for r in batch.results(variants, progress=progress,
                                                 processes=processes)]
    base = values[0]
    out_rows = []
    for spec, ((lv, li), (hv, hi)) in rows:
        lm = values[li] if li is not None else float("nan")
        hm = values[hi] if hi is not None else float("nan")
        zh, en = labels(spec)
        out_rows.append({"key": spec["key"], "label_zh": zh, "label_en": en,
                         "unit": spec["unit"], "value": spec["value"], "low": lv, "high": hv,
                         "low_measure": lm, "high_measure": hm,
                         "delta_low": lm - base, "delta_high": hm - base})
    rows = out_rows

    def size(r):
        d = [abs(x) for x in (r["delta_low"], r["delta_high"]) if math.isfinite(x)]
        return max(d) if d else -1.0
    rows.sort(key=size, reverse=True)
    return {"measure": m.describe(), "step": step, "base": base, "rows": rows,
            "skipped": skipped, "workers": small.workforce.n_workers, "seed": seed}
