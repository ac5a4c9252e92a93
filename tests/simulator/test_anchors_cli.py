"""``flask anchors check``: every anchor of every preset inside its range for 5 seeds."""
from __future__ import annotations

import json

from click.testing import CliRunner

from app.simulator import presets
from app.web.anchors_cli import anchors


def test_every_anchor_of_every_preset_is_inside_for_five_seeds():
    res = CliRunner().invoke(anchors, ["check", "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["seeds"] == [1, 2, 3, 4, 5]
    assert set(d["presets"]) == set(presets.PRESETS)
    names = {n: {a["name"] for a in rows} for n, rows in d["presets"].items()}
    assert names["delivery"] == {"hf_gross_month", "online_per_day", "utilisation",
                                 "share_not_high_freq"}
    assert names["ride_hailing"] == {"utilisation_us", "commission_share"}
    for rows in d["presets"].values():
        for a in rows:
            assert a["inside"], a
            assert all(a["low"] <= v <= a["high"] for v in a["values"]), a
            assert a["se"] > 0 and a["definition"] and a["source"].startswith("http")
    assert d["all_inside"] is True


def test_an_anchor_outside_is_reported_and_fails():
    # the delivery preset of 2024 (late deductions, 6 元 an order, 3 orders an hour) misses
    from app.simulator.anchors import check_seeds
    from app.simulator import simulate
    old = presets.preset("delivery").with_values({
        "pay.base_per_order": 6.0, "market.orders_per_hour_mean": 3.0,
        "market.batching_factor": 1.6, "workforce.n_workers": 400})
    rows = {a["name"]: a for a in check_seeds(old, [1, 2], simulate)}
    assert not rows["hf_gross_month"]["inside"]
    assert rows["hf_gross_month"]["value"] < 6650
    res = CliRunner().invoke(anchors, ["check", "--preset", "freight"])
    assert res.exit_code == 0 and "no anchor" in res.output
