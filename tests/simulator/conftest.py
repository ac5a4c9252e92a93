"""Helpers for the simulator tests: a degenerate scenario with no variance."""
from __future__ import annotations

import pytest

from app.simulator import (Costs, Market, PayRules, Scenario, VehicleCost, WorkerGroup,
                           Workforce)


def flat_scenario(pay=None, market=None, n_workers=40, days=30, hours=8.0, group=None,
                  costs=None, **kw):
    """Every worker identical: works every day for exactly ``hours``, fixed km and minutes,
    fair weather, no overdispersion, no spread between workers."""
    m = dict(sector="delivery", km_per_order_mean=3.0, km_per_order_cv=0.0,
             minutes_per_order_mean=20.0, minutes_per_order_cv=0.0, km_minutes_correlation=0.0,
             deadhead_km_per_order=1.0, batching_factor=1.0, orders_per_hour_mean=1.0,
             orders_overdispersion=0.0, worker_rate_sigma=0.0, peak_share=0.0, night_share=0.0,
             late_probability=0.0, late_probability_per_load=0.0, p_rain=0.0, p_snow_ice=0.0,
             p_cold=0.0, p_heat_35=0.0, p_heat_37=0.0, p_heat_40=0.0)
    m.update(market or {})
    g = dict(name="full_time", share=1.0, days_per_month=30.0, hours_median=hours,
             hours_sigma=0.0, vehicle="e_bike", dedicated=False, monthly_test=True)
    g.update(group or {})
    c = costs or Costs(e_bike=VehicleCost(0.1, 2.0, 260.0))
    return Scenario(name=kw.get("name", "flat"), pay=PayRules(**(pay or {})), market=Market(**m),
                    workforce=Workforce(n_workers, days, (WorkerGroup(**g),)), costs=c)



@pytest.fixture(scope="session")
def flat():
    """The :func:`flat_scenario` builder."""
    return flat_scenario
