"""The ``simulate`` click command."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from app.web.simulate_cli import simulate

KEYS = ("workers", "worker_days", "orders", "seed", "net_per_working_hour",
        "net_per_online_hour", "net_monthly", "share_below_hourly_minimum", "platform")


@pytest.fixture(autouse=True)
def _app_context(sqlite_url, app_factory):
    """The command reads the minimum wage from the app's registry of standards."""
    with app_factory(sqlite_url).app_context():
        yield


def run(*args):
    return CliRunner().invoke(simulate, list(args))


def test_json_has_the_documented_keys():
    res = run("--preset", "delivery", "--set", "base_per_order=5.5", "--set",
              "max_daily_hours=10", "--workers", "200", "--days", "10", "--seed", "3", "--json")
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    for k in KEYS:
        assert k in d
    for k in ("net_per_working_hour", "net_per_online_hour", "net_monthly"):
        assert set(d[k]) == {"p10", "p25", "p50", "p75", "p90"}
    for k in ("worker_pay", "subsidies", "commission_revenue", "net_cost", "cost_per_order"):
        assert k in d["platform"]
    assert d["workers"] == 200 and d["seed"] == 3


def test_comparison_json_has_a_delta():
    res = run("--preset", "ride_hailing", "--set", "commission_rate=0.12", "--workers", "150",
              "--days", "10", "--baseline-preset", "ride_hailing", "--json")
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    delta = d["delta"]
    for k in KEYS[4:] + ("share_better_off", "share_worse_off"):
        assert k in delta
    assert delta["share_better_off"] > 0.5
    assert delta["platform"]["commission_revenue"] < 0


def test_table_output():
    res = run("--workers", "100", "--days", "5", "--baseline-set", "base_per_order=5")
    assert res.exit_code == 0, res.output
    assert "net per working hour" in res.output
    assert "better off" in res.output


def test_bad_set_gives_a_clean_error():
    for args in (["--set", "commission_rate=1.5"], ["--set", "nonsense=1"],
                 ["--set", "no_equals_sign"], ["--set", "base_per_order=abc"],
                 ["--preset", "taxi"], ["--baseline-set", "pay.max_daily_hours=30"]):
        res = run(*args, "--workers", "10", "--days", "2")
        assert res.exit_code == 2, (args, res.output)
        assert "Error" in res.output
        assert "Traceback" not in res.output
        assert res.exception is None or isinstance(res.exception, SystemExit)


def test_json_has_the_minimum_wage_of_the_place_and_date_and_every_reading():
    res = run("--preset", "delivery", "--workers", "150", "--days", "10", "--as-of",
              "2025-11-30", "--json")
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    for k in KEYS:
        assert k in d
    assert d["minimum_wage"]["hourly"] == 20.6 and d["minimum_wage"]["monthly"] == 2100
    assert {k: d["minimum_wage"][k] for k in ("effective_from", "region", "tier")} == \
        {"effective_from": "2024-01-01", "region": "河南", "tier": 1}
    assert d["minimum_wage"]["source"].startswith("https://")
    assert set(d["share_below_hourly_minimum_by_reading"]) == {
        "order_time", "working_time", "online_time", "net_online_time"}
    later = json.loads(run("--preset", "delivery", "--workers", "150", "--days", "10",
                           "--as-of", "2025-12-01", "--tier", "2", "--json").output)
    assert later["minimum_wage"]["hourly"] == 21.1
    today = json.loads(run("--preset", "delivery", "--workers", "150", "--days", "10",
                           "--json").output)
    assert today["minimum_wage"]["effective_from"] == "2025-12-01"  # the latest standard


def test_a_bad_date_gives_a_clean_error():
    for value in ("2023-01-01", "soon"):
        res = run("--as-of", value, "--json")
        assert res.exit_code == 2 and "--as-of" in res.output
def test_workers_csv_has_one_row_per_worker_and_adds_up(tmp_path):
    import csv as _csv

    from app.simulator import presets, simulate as engine_simulate
    path = tmp_path / "workers.csv"
    res = run("--preset", "ride_hailing", "--workers", "120", "--days", "30", "--seed", "4",
              "--json", "--workers-csv", str(path))
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    for k in KEYS + ("se", "by_group", "by_weather", "days", "scenario"):
        assert k in d
    rows = list(_csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    assert len(rows) == 120
    assert list(rows[0]) == ["group", "days_worked", "online_hours", "order_hours",
                             "working_hours", "orders", "km", "gross_pay", "subsidies",
                             "commission_paid", "customer_fares", "costs", "net_income"]
    assert {r["group"] for r in rows} == {"casual", "part_time", "full_time"}
    assert sum(float(r["orders"]) for r in rows) == d["orders"]
    r = engine_simulate(presets.preset("ride_hailing").with_values(
        {"workforce.n_workers": 120, "workforce.days": 30}), seed=4)
    total = sum(float(x["commission_paid"]) for x in rows)
    assert abs(total - d["platform"]["commission_revenue"]) < 0.01 * len(rows)
    for x in rows:
        assert float(x["order_hours"]) <= float(x["online_hours"]) + 1e-3
        assert abs(float(x["gross_pay"]) - float(x["costs"]) - float(x["net_income"])) < 0.01
    assert abs(sum(float(x["net_income"]) for x in rows) - r.workers.net_income.sum()) < 0.01 * 120


def test_refusals_read_in_chinese_on_the_command_line():
    """The command speaks the interface's default language, as before the message ids."""
    res = run("--set", "commission_rate=1.5", "--set", "max_continuous_hours=4",
              "--set", "rest_minutes=0", "--workers", "10", "--days", "2")
    assert res.exit_code == 2, res.output
    assert "抽成比例必须在 0 到 1 之间（不含 1）" in res.output
    res = run("--set", "max_continuous_hours=4", "--set", "rest_minutes=0",
              "--workers", "10", "--days", "2")
    assert "设置了连续接单时长上限时，强制休息时长必须大于 0" in res.output, res.output
    res = run("--baseline-preset", "ride_hailing", "--workers", "10", "--days", "2")
    assert res.exit_code == 2 and "对比的方案必须使用相同的劳动者人数" in res.output, res.output
