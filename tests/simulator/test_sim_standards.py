"""The pay-floor formulas against examples worked by hand from pay-standards.md."""
from __future__ import annotations

import numpy as np
import pytest

from app.simulator import standards as S


def test_contractor_equivalent_wage_nyc_tlc():
    # 15 × 1.06 / (1 − 0.0765) = 17.2171…, published as 17.22
    h = S.contractor_equivalent_wage(15.0, paid_leave_share=0.06, payroll_tax_share=0.0765)
    assert h == pytest.approx(15.9 / 0.9235)
    assert round(h, 2) == 17.22
    assert S.contractor_equivalent_wage(20.6) == pytest.approx(20.6)
    with pytest.raises(ValueError):
        S.contractor_equivalent_wage(20.6, payroll_tax_share=1.0)


def test_utilization_rates():
    per_min, per_km = S.utilization_rates(30.0, 0.5, 0.6)
    assert per_min == pytest.approx(30.0 / 60 / 0.6)  # 0.8333 元/min
    assert per_km == pytest.approx(0.5 / 0.6)
    a, b = S.utilization_rates(np.array([30.0, 60.0]), 0.5, np.array([0.5, 1.0]))
    np.testing.assert_allclose(a, [1.0, 1.0])
    np.testing.assert_allclose(b, [1.0, 0.5])
    with pytest.raises(ValueError):
        S.utilization_rates(30.0, 0.5, 0.0)


def test_per_order_floor():
    # Seattle 2024 shape: max(5.00, 0.44·t + 0.74·d); t = 10 min, d = 3 → 4.40 + 2.22 = 6.62
    assert S.per_order_floor(10, 3, 0.44, 0.74, 5.0) == pytest.approx(6.62)
    assert S.per_order_floor(2, 1, 0.44, 0.74, 5.0) == pytest.approx(5.0)
    np.testing.assert_allclose(S.per_order_floor(np.array([10, 2]), np.array([3, 1]), 0.44, 0.74,
                                                 5.0), [6.62, 5.0])


def test_engaged_time_floor():
    # 1.2 × 20.6 × 2 h + 0.3 × 10 km = 49.44 + 3 = 52.44
    assert S.engaged_time_floor(20.6, 1.2, 2.0, 0.3, 10.0) == pytest.approx(52.44)


def test_top_up_and_china_shortfall():
    assert S.top_up(40.0, 52.44) == pytest.approx(12.44)
    assert S.top_up(60.0, 52.44) == 0.0
    np.testing.assert_allclose(S.top_up(np.array([40.0, 60.0]), 52.44), [12.44, 0.0])
    # MW 20.6 × 6 h = 123.6; paid 100 → 23.6
    assert S.working_time_shortfall(100.0, 6.0, 20.6) == pytest.approx(23.6)
