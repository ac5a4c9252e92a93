"""Measure and platform cost of many variants of one scenario, on one set of draws.

The analyses (solve-for, frontier, sensitivity) evaluate packages through :class:`Evaluator`,
which hands them to the batched evaluator (:class:`app.simulator.batch.Batch`): every package
on the scenario's full population, on common random numbers, each exactly as
``simulate(package, seed=seed, reference=scenario)`` would give it.
"""
from __future__ import annotations

import dataclasses
from typing import Callable

from app.errors import ValidationError
from app.simulator import measures as M
from app.simulator.batch import Batch
from app.simulator.params import Scenario, pay_field_names


def pay_terms(terms: dict) -> dict:
    """An offer's terms (bare pay-term names or dotted keys) as dotted keys."""
    names = set(pay_field_names())
    out = {}
    for k, v in (terms or {}).items():
        out["pay." + k if "." not in k and k in names else k] = v
    return out


def with_values(scenario: Scenario, values: dict) -> Scenario:
    """``scenario.with_values(values)``, by a shorter path when only pay terms change (the
    same validation, errors keyed by the same dotted keys)."""
    if not values:
        return scenario
    if not all(isinstance(k, str) and k.startswith("pay.")
                             and k[4:] in _PAY_FIELDS for k in values):
        return scenario.with_values(values)
    try:
        pay = dataclasses.replace(scenario.pay, **{k[4:]: v for k, v in values.items()})
    except ValidationError as e:
        raise e.prefixed("pay.") from None
    except (TypeError, ValueError):
        return scenario.with_values(values)
    sources = dict(scenario.sources)
    sources.update({k: "user" for k in values})
    return dataclasses.replace(scenario, pay=pay, sources=sources)


_PAY_FIELDS = frozenset(pay_field_names())


class Evaluator:
    """Measure and platform cost of ``scenario`` with some terms changed, cached per value;
    all evaluations share one :class:`~app.simulator.batch.Batch` (draws, day plans, orders)."""

    def __init__(self, scenario: Scenario, measure: M.Measure, seed: int):
        self.scenario, self.measure, self.seed = scenario, measure, seed
        self.batch = Batch(scenario, seed)
        self.cache: dict = {}

    @staticmethod
    def key(values: dict):
        return tuple(sorted((k, round(float(v), 12) if not isinstance(v, str) else v)
                            for k, v in values.items()))

    def __call__(self, values: dict) -> dict:
        return self.many([values])[0]

    def many(self, values_list, progress: Callable[[float], None] | None = None) -> list:
        """The figures of several packages, evaluated together (raises
        :class:`ValidationError` if any of them is invalid)."""
        keys = [self.key(v) for v in values_list]
        todo = {}
        for k, v in zip(keys, values_list):
            if k not in self.cache and k not in todo:
                todo[k] = with_values(self.scenario, v)
        if todo:
            results = self.batch.results(list(todo.values()), progress=progress)
            for k, result in zip(todo, results):
                self.cache[k] = {"measure": self.measure(result),
                                 "cost": M.platform_cost_month(result),
                                 "cost_per_order": M.MEASURES["platform_cost_per_order"](result)}
        elif progress is not None:
            progress(1.0)
        return [self.cache[k] for k in keys]
