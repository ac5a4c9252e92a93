"""Calibration: reading records, rejecting bad files, recovering known parameters."""
from __future__ import annotations

import io

import numpy as np
import pytest
from openpyxl import Workbook

from app.errors import ValidationError
from app.simulator import presets
from app.simulator import records as R
from app.simulator.calibrate import calibrate, calibrate_file, fit, synthetic_records
from tests.chinese import zh


@pytest.fixture(scope="module")
def delivery():
    return presets.preset("delivery").with_values({"workforce.n_workers": 300})


def _csv(recs, headers=("在线时长", "出勤天数", "单量", "里程", "收入"), n=None, sep=","):
    keys = ("hours_per_day", "days_per_month", "orders", "km", "earnings")
    n = n or len(recs["hours_per_day"])
    lines = [sep.join(headers)]
    for i in range(n):
        lines.append(sep.join(f"{recs[k][i]:.4f}" for k in keys[:len(headers)]))
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_fit_recovers_the_parameters_the_records_were_drawn_from(delivery):
    truth = delivery.with_values({
        "workforce.groups.casual.share": 0.5, "workforce.groups.part_time.share": 0.3,
        "workforce.groups.full_time.share": 0.2,
        "workforce.groups.casual.days_per_month": 4.0,
        "workforce.groups.full_time.hours_median": 10.5,
        "workforce.groups.part_time.hours_sigma": 0.3,
        "market.orders_per_hour_mean": 2.4, "market.worker_rate_sigma": 0.25,
        "market.km_per_order_mean": 3.6})
    recs = synthetic_records(truth, 20_000, seed=11)
    out = fit(delivery, recs)  # start from the preset, not the truth
    v = out["values"]
    for g in truth.workforce.groups:
        p = f"workforce.groups.{g.name}."
        assert v[p + "share"] == pytest.approx(g.share, abs=0.02), g.name
        assert v[p + "days_per_month"] == pytest.approx(g.days_per_month, rel=0.05), g.name
        assert v[p + "hours_median"] == pytest.approx(g.hours_median, rel=0.05), g.name
        assert v[p + "hours_sigma"] == pytest.approx(g.hours_sigma, rel=0.1), g.name
    assert sum(v[f"workforce.groups.{g.name}.share"] for g in truth.workforce.groups) \
        == pytest.approx(1.0, abs=1e-9)
    assert v["market.orders_per_hour_mean"] == pytest.approx(2.4, rel=0.03)
    assert v["market.worker_rate_sigma"] == pytest.approx(0.25, rel=0.05)
    assert v["market.km_per_order_mean"] == pytest.approx(3.6, rel=0.02)
    assert out["fits"]["hours_per_day"]["ks"] < 0.02
    assert out["fits"]["days_per_month"]["ks"] < 0.02
    assert out["fits"]["orders_per_hour"]["ks"] < 0.02


def test_calibrated_scenario_and_observed_vs_simulated(delivery):
    recs = synthetic_records(delivery, 3000, seed=2)
    out = calibrate(delivery, recs, seed=1)
    sc = out["scenario"]
    assert sc.market.orders_per_hour_mean == out["values"]["market.orders_per_hour_mean"]
    cmp = out["comparison"]
    assert set(cmp) == {"hours_per_day", "days_per_month", "orders", "earnings"}
    for name in ("days_per_month", "orders"):
        h = cmp[name]
        assert len(h["edges"]) == len(h["observed"]) + 1
        assert sum(h["observed"]) == pytest.approx(1.0) and sum(h["simulated"]) == pytest.approx(1.0)
        assert h["ks"] < 0.2, name


def test_csv_and_xlsx_with_chinese_or_english_headers(delivery):
    recs = synthetic_records(delivery, 200, seed=4)
    data = _csv(recs)
    headers, rows = R.read_table(data, "r.csv")
    m = R.guess_mapping(headers)
    assert m == {"hours_per_day": 0, "days_per_month": 1, "orders": 2, "km": 3,
                 "minutes_per_order": None, "earnings": 4}
    out = calibrate_file(delivery, data, "r.csv", None, seed=1)
    assert out["used"] == 200
    en = _csv(recs, headers=("Hours", "Days worked", "Orders"), sep=";")
    assert R.guess_mapping(R.read_table(en, "r.csv")[0])["orders"] == 2
    wb = Workbook()
    ws = wb.active
    ws.append(["days", "hours", "note"])
    for i in range(200):
        ws.append([float(recs["days_per_month"][i]), float(recs["hours_per_day"][i]), "x"])
    buf = io.BytesIO()
    wb.save(buf)
    out2 = calibrate_file(delivery, buf.getvalue(), "r.xlsx",
                          {"hours_per_day": "hours", "days_per_month": 0}, seed=1)
    assert out2["used"] == 200 and "market.orders_per_hour_mean" not in out2["values"]
    gbk = "在线时长,出勤天数\n" + "\n".join("8,20" for _ in range(30))
    assert R.read_table(gbk.encode("gb18030"), "r.csv")[0] == ["在线时长", "出勤天数"]


@pytest.mark.parametrize("data,name,field,words", [
    (b"", "a.csv", "file", "空"),
    ("在线时长,出勤天数\n".encode(), "a.csv", "file", "只有表头"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "a.xls", "file", ".xls"),
    (b"PK\x03\x04garbage", "a.xlsx", "file", "XLSX"),
    ("name,age\na,1\n".encode(), "a.csv", "hours_per_day", "请选择"),
    ("在线时长,出勤天数\n8,20\n八,20\n".encode(), "a.csv", "hours_per_day", "第 3 行不是数字"),
    ("在线时长,出勤天数\n8,20\n30,20\n".encode(), "a.csv", "hours_per_day", "超出范围"),
    ("在线时长,出勤天数\n8,\n".encode(), "a.csv", "days_per_month", "为空"),
    ("在线时长,出勤天数\n8,20\n8,20\n".encode(), "a.csv", "file", "有效记录太少"),
])
def test_malformed_files_are_rejected_with_a_message(delivery, data, name, field, words):
    with pytest.raises(ValidationError) as e:
        calibrate_file(delivery, data, name, None, seed=1)
    assert field in e.value.errors
    assert words in zh(e.value.errors[field])


def test_size_and_row_limits(delivery, monkeypatch):
    monkeypatch.setattr(R, "MAX_BYTES", 100)
    with pytest.raises(ValidationError) as e:
        R.read_table(b"x" * 101, "a.csv")
    assert "过大" in zh(e.value.errors["file"])
    monkeypatch.setattr(R, "MAX_BYTES", 10**6)
    monkeypatch.setattr(R, "MAX_ROWS", 10)
    data = ("h,d\n" + "8,20\n" * 12).encode()
    with pytest.raises(ValidationError) as e:
        R.read_table(data, "a.csv")
    assert "行数过多" in zh(e.value.errors["file"])


def test_mapping_errors(delivery):
    headers = ["a", "b", "c"]
    with pytest.raises(ValidationError) as e:
        R.check_mapping(headers, {"hours_per_day": 0, "days_per_month": 0})
    assert "同一列" in zh(e.value.errors["days_per_month"])
    with pytest.raises(ValidationError) as e:
        R.check_mapping(headers, {"hours_per_day": 7, "days_per_month": "zz"})
    assert set(e.value.errors) == {"hours_per_day", "days_per_month"}


def test_inactive_records_are_excluded_and_counted(delivery):
    recs = synthetic_records(delivery, 100, seed=5)
    recs["days_per_month"][:10] = 0
    out = fit(delivery, recs)
    assert out["used"] == 90 and out["excluded"] == 10
    assert np.isfinite(out["fits"]["hours_per_day"]["ks"])


def test_anchors_by_sector_and_by_hand(flat):
    from app.simulator import simulate
    from app.simulator.anchors import check
    r = simulate(flat(), seed=1)  # 8 h online, 20 min an order, every day
    got = {a["name"]: a for a in check(r)}
    assert set(got) == {"hf_gross_month", "online_per_day", "utilisation",
                        "share_not_high_freq"}
    w = r.workers
    assert got["online_per_day"]["value"] == pytest.approx(8.0)
    assert got["utilisation"]["value"] == pytest.approx(w.engaged_hours.sum()
                                                        / w.online_hours.sum())
    # high-frequency is ≥ 6 h of ORDER time a day: 8 h online at a third busy is not
    assert got["share_not_high_freq"]["value"] == 1.0 and got["share_not_high_freq"]["inside"]
    busy = simulate(flat(market=dict(orders_per_hour_mean=2.9)), seed=1)
    assert {a["name"]: a for a in check(busy)}["share_not_high_freq"]["value"] == 0.0
    ride = simulate(presets.preset("ride_hailing").with_values({"workforce.n_workers": 50}), seed=1)
    assert [a["name"] for a in check(ride)] == ["utilisation_us", "commission_share"]
    freight = simulate(presets.preset("freight").with_values({"workforce.n_workers": 50}), seed=1)
    assert check(freight) == []
