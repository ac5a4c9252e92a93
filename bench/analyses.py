"""Benchmark of the analyses on the delivery preset (2,000 workers); prints one JSON line.

Targets: solve-for ≤ 2 s, 15×15 frontier ≤ 10 s, sensitivity over all numeric inputs ≤ 5 s,
calibration of 50,000 records ≤ 2 s. Each figure is the median of ``--runs`` runs.

The frontier grid and the sensitivity run are evaluated on a reduced population
(``optimize.GRID_WORKERS`` / ``sensitivity.SENSITIVITY_WORKERS``) on common draws; the frontier's
efficient packages are then checked on all 2,000 workers (``optimize.MAX_CHECKED`` of them).

Usage: .venv/bin/python bench/analyses.py [--runs 3]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from app.simulator import optimize, presets, sensitivity as sens  # noqa: E402
from app.simulator import records as R  # noqa: E402
from app.simulator.calibrate import calibrate, synthetic_records  # noqa: E402


CPU = {}


def _time(fn, runs, name=None):
    """Median wall-clock seconds; the median CPU seconds of the process go to ``CPU[name]``
    (a figure that other load on the machine does not inflate)."""
    times, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    if name:
        CPU[name] = round(statistics.median(cpu), 3)
    return round(statistics.median(times), 3)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    s = presets.preset("delivery")
    assert s.workforce.n_workers == 2000
    recs = synthetic_records(s, 50_000, seed=7)
    keys = ("hours_per_day", "days_per_month", "orders", "km", "earnings")
    csv_bytes = ("\n".join([",".join(keys)] + [
        ",".join(f"{recs[k][i]:.3f}" for k in keys) for i in range(50_000)]) + "\n").encode()

    def calib_from_csv():
        headers, rows = R.read_table(csv_bytes, "records.csv")
        calibrate(s, R.extract(headers, rows, R.guess_mapping(headers)), seed=1)

    n_inputs = len(sens.sensitivity(s, measure="p25_net_per_working_hour", seed=1)["rows"])
    out = {
        "bench": "analyses", "preset": "delivery", "workers": 2000, "runs": args.runs,
        "solve_for_s": _time(lambda: optimize.solve_for(
            s, "base_per_order", "p25_net_per_working_hour", 24.0, seed=1), args.runs,
            "solve_for_cpu_s"),
        "frontier_15x15_s": _time(lambda: optimize.frontier(
            s, "base_per_order", "hourly_floor", measure="p25_net_per_working_hour", seed=1, n=15,
            y_range=(0.0, 31.0)), args.runs, "frontier_15x15_cpu_s"),
        "sensitivity_s": _time(lambda: sens.sensitivity(
            s, measure="p25_net_per_working_hour", seed=1), args.runs, "sensitivity_cpu_s"),
        "sensitivity_inputs": n_inputs,
        "calibration_50k_s": _time(lambda: calibrate(s, recs, seed=1), args.runs,
                                   "calibration_50k_cpu_s"),
        "calibration_50k_from_csv_s": _time(calib_from_csv, args.runs),
        **CPU,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "grid_workers": optimize.GRID_WORKERS, "frontier_checked": optimize.MAX_CHECKED,
        "sensitivity_workers": sens.SENSITIVITY_WORKERS,
        "machine": f"{platform.machine()} {os.cpu_count()} cpu, python {platform.python_version()}",
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
