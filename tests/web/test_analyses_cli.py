"""``flask analyse``: solve-for, frontier, sensitivity and calibrate, as text and as JSON."""
from __future__ import annotations

import json

from click.testing import CliRunner

from app.simulator import presets
from app.simulator.calibrate import synthetic_records
from app.simulator.measures import MEASURES
from app.web.analyse_cli import analyse


def run(*args):
    return CliRunner().invoke(analyse, list(args), catch_exceptions=False)


def test_solve_for_text_and_json():
    r = run("solve-for", "--workers", "80", "--term", "base_per_order",
            "--measure", "p25_net_per_working_hour", "--target", "22")
    assert r.exit_code == 0 and "lowest" in r.output
    r = run("solve-for", "--workers", "80", "--term", "base_per_order",
            "--measure", "p25_net_per_working_hour", "--target", "1e6", "--range", "0:10",
            "--json")
    data = json.loads(r.output)
    assert data["status"] == "no_solution" and data["value"] is None


def test_frontier_and_sensitivity_json():
    r = run("frontier", "--workers", "60", "--x", "base_per_order", "--y", "per_km",
            "--n", "3", "--offer", "union:base_per_order=7,per_km=1.2", "--chosen", "0",
            "--json")
    data = json.loads(r.output)
    assert len(data["points"]) == 9 and data["offers"][0]["name"] == "union"
    assert "better_for_both" in data["offers"][0]
    r = run("sensitivity", "--workers", "60", "--measure", "mean_net_monthly", "--json")
    data = json.loads(r.output)
    assert data["rows"] and data["workers"] == 60
    assert run("sensitivity", "--workers", "60", "--top", "3").output.count("\n") >= 4


def test_calibrate_from_a_file(tmp_path):
    recs = synthetic_records(presets.preset("delivery"), 200, seed=1)
    path = tmp_path / "r.csv"
    path.write_text("hours,days\n" + "\n".join(
        f"{recs['hours_per_day'][i]:.2f},{recs['days_per_month'][i]:.0f}" for i in range(200)))
    data = json.loads(run("calibrate", "--workers", "100", "--file", str(path), "--json").output)
    assert data["used"] == 200 and "workforce.groups.casual.share" in data["values"]


def test_errors_are_reported_not_raised(tmp_path):
    r = run("solve-for", "--term", "nope", "--measure", "mean_net_monthly", "--target", "1")
    assert r.exit_code != 0 and "未知参数" in r.output
    r = run("frontier", "--x", "base_per_order", "--y", "per_km", "--x-range", "bad")
    assert r.exit_code != 0 and "LOW:HIGH" in r.output
    r = run("frontier", "--x", "base_per_order", "--y", "per_km", "--offer", "no-colon")
    assert r.exit_code != 0
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"")
    r = run("calibrate", "--file", str(empty))
    assert r.exit_code != 0 and "空" in r.output
    assert run("measures").output.count("\n") == len(MEASURES)  # one line each
