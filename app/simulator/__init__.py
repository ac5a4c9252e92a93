"""Income simulator: pay packages → every worker's income and the platform's cost.

Pure numpy/scipy; no Flask, no SQLAlchemy. Public API::

    from app.simulator import Scenario, simulate, compare, presets
    result = simulate(presets.preset("delivery"), seed=1)
    result.to_dict()

Bad input raises ``app.errors.ValidationError`` (a ``ValueError``), one message per field.
"""
from app.simulator import presets, standards
from app.simulator.engine import compare, simulate
from app.simulator.market import Market
from app.simulator.params import (Behaviour, Costs, Scenario, Thresholds, VehicleCost,
                                  WorkerGroup, Workforce, field_specs)
from app.simulator.pay import PayRules

__all__ = ["Behaviour", "Costs", "Market", "PayRules", "Scenario", "Thresholds",
           "VehicleCost", "WorkerGroup", "Workforce", "compare",
           "field_specs", "presets", "simulate", "standards"]
