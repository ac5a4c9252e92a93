"""Honest uncertainty (simulation-model decision 4): the reported standard error of a figure
matches its spread over independent seeds — each seed a new month of weather too."""
from __future__ import annotations

import numpy as np
import pytest

from app.simulator import presets, simulate
from app.simulator import uncertainty as U

FIGURES = [("share_below_hourly_minimum",), ("net_per_working_hour", "p10"),
           ("net_per_working_hour", "p25"), ("net_per_working_hour", "p50"),
           ("net_per_working_hour", "p90"), ("net_monthly", "p50"),
           ("platform", "cost_per_order"), ("platform", "net_cost")]


def _get(d, path):
    for p in path:
        d = d[p]
    return d


@pytest.fixture(scope="module")
def runs():
    # a threshold at which about half the riders fall below, so the share has a spread
    s = presets.preset("delivery").with_values({"workforce.n_workers": 1000,
                                                "thresholds.hourly_minimum_wage": 40})
    return [simulate(s, seed=k).to_dict() for k in range(100, 140)]


@pytest.mark.parametrize("path", FIGURES, ids=["/".join(p) for p in FIGURES])
def test_reported_standard_error_matches_the_spread_over_seeds(runs, path):
    values = np.array([_get(d, path) for d in runs])
    reported = np.array([_get(d["se"], path) for d in runs])
    ratio = reported.mean() / values.std(ddof=1)
    assert 0.7 <= ratio <= 1.4, (path, ratio, reported.mean(), values.std(ddof=1))


def test_totals_are_within_groups_and_shares_binomial_within_groups():
    g = np.repeat([0, 1], 500)
    x = np.where(g == 0, 10.0, 1000.0) + np.tile([-1.0, 1.0], 500)
    # the spread between groups is not noise: only ±1 within each group
    assert U.total_se(x, g) == pytest.approx(np.sqrt(1000 * np.var(x[:500], ddof=1)))
    flags = g == 1
    assert U.share_se(flags, g) == 0.0


@pytest.mark.parametrize("spread", [0.0, 0.001, 0.1, 10.0])
def test_masked_quantiles_select_the_same_values_as_numpy(spread):
    # small weather moves take the selection path (few candidate rows), large ones the sort
    rng = np.random.default_rng(7)
    q = (("p10", 0.1), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75), ("p90", 0.9))
    for _ in range(50):
        rows, cols = int(rng.integers(1, 300)), int(rng.integers(1, 20))
        values = rng.normal(size=rows)[:, None] * 5 + spread * rng.normal(size=(rows, cols))
        mask = np.broadcast_to(rng.random((rows, 1)) < 0.8, (rows, cols)).copy()
        if rng.random() < 0.3:
            mask &= rng.random((rows, cols)) < 0.9     # columns of different sizes
        got = U.masked_quantiles(values, mask, q)
        for j in range(cols):
            col = values[mask[:, j], j]
            want = np.quantile(col, [p for _, p in q]) if col.size else np.full(5, np.nan)
            np.testing.assert_allclose(got[j], want, rtol=1e-12, atol=1e-12)


def test_weather_totals_equal_the_sum_of_the_rebuilt_months():
    r = simulate(presets.preset("delivery").with_values({"workforce.n_workers": 300}), seed=3)
    wr = U.WeatherReplicates(r, r.scenario.market.weather_probabilities())
    for key in ("platform_cost", "gross", "orders"):
        np.testing.assert_allclose(wr.total(key), wr.rebuilt[key].sum(axis=0), rtol=1e-12)
