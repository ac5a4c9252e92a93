"""An example agreement: the Zhengzhou delivery pay agreement used by the benchmark and the
tests (fictional parties, marked 示例)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from .document import build_agreement


EXAMPLE_PACKAGE = {
    "base_per_order": 7.0, "per_km": 1.0, "included_km": 3.0, "peak_bonus_per_order": 1.0,
    "night_bonus_per_order": 1.0, "max_continuous_hours": 4.0,
    "rest_minutes": 20.0, "max_daily_hours": 12.0, "allowance_ratio": 0.15,
    "weather_subsidy_rain_per_order": 1.0, "weather_subsidy_snow_ice_per_order": 2.0,
    "weather_subsidy_cold_per_order": 1.0, "weather_subsidy_heat_per_order": 1.0,
    "heat_allowance_per_day": 15.0, "hourly_floor": 22.0, "late_penalty_per_order": 1.0,
    "penalty_cap_per_day": 10.0, "settlement_cycle_days": 7, "injury_insurance_per_day": 0.6,
}


def example_agreement(package: Mapping[str, Any] | None = None) -> dict:
    """The Zhengzhou delivery agreement used by the demo data, the benchmark and the tests."""
    return build_agreement(
        package or EXAMPLE_PACKAGE,
        worker={"name": "郑州市新就业形态劳动者工会联合会（示例）",
                "name_en": "Zhengzhou Federation of New-Employment Workers' Unions (example)",
                "chief": "李红梅", "chief_en": "Li Hongmei"},
        employer={"name": "速达外卖平台（示例）", "name_en": "Suda Delivery Platform (example)",
                  "chief": "王建国", "chief_en": "Wang Jianguo"},
        mediator={"name": "郑州市协调劳动关系三方办公室（示例）",
                  "name_en": "Zhengzhou Tripartite Labour Relations Office (example)",
                  "chief": "张敏", "chief_en": "Zhang Min"},
        scope={"region": "郑州市", "region_en": "Zhengzhou", "sector": "delivery",
               "workers_covered": "专送骑手、众包骑手和乐跑骑手",
               "workers_covered_en": "dedicated, crowd-sourced and part-time riders",
               "workers_count": 12000},
        term_years=2, effective=dt.date(2026, 12, 1))
