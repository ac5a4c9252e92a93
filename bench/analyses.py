"""Benchmark of the analyses on the delivery preset (2,000 workers); prints one JSON line.

Targets (issue 19): 15×15 frontier ≤ 1.5 s, sensitivity over all numeric inputs ≤ 1.5 s,
solve-for ≤ 0.5 s, ``frontier_package_ratio`` ≤ 0.1; calibration of 50,000 records ≤ 2 s.
``sensitivity_two_processes_s``: the same sensitivity with its variants split over two processes
(the same figures; its CPU figure adds the child's).
Each figure is the median of ``--runs`` runs (wall clock, and the process's CPU time, which
other load on a shared machine inflates less; the load average is printed beside them).

Every analysis runs on the full population (``grid_workers`` = ``workers``) through the batched
evaluator (:mod:`app.simulator.batch`). ``frontier_package_ratio`` = frontier time ÷ (225 × the
time of one simulation of the same scenario); ``simulate_s`` is that one simulation.

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

from app.simulator import optimize, presets, sensitivity as sens, simulate  # noqa: E402
from app.simulator import records as R  # noqa: E402
from app.simulator.calibrate import calibrate, synthetic_records  # noqa: E402


CPU = {}


def _children_cpu():
    t = os.times()
    return t.children_user + t.children_system


def _time(fn, runs, name=None):
    """Median wall-clock seconds; the median CPU seconds of the process (and of the child
    processes it waited for) go to ``CPU[name]`` (a figure that other load on the machine does
    not inflate)."""
    times, cpu = [], []
    for _ in range(runs):
        t, c, k = time.perf_counter(), time.process_time(), _children_cpu()
        fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c + _children_cpu() - k)
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
    simulate(s, seed=1)  # warm-up
    sim_s = _time(lambda: simulate(s, seed=1), max(5, args.runs), "simulate_cpu_s")
    front = optimize.frontier(s, "base_per_order", "hourly_floor",
                              measure="p25_net_per_working_hour", seed=1, n=15,
                              y_range=(0.0, 31.0))
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
        "sensitivity_two_processes_s": _time(lambda: sens.sensitivity(
            s, measure="p25_net_per_working_hour", seed=1, processes=2), args.runs,
            "sensitivity_two_processes_cpu_s"),
        "sensitivity_inputs": n_inputs,
        "simulate_s": sim_s,
        "calibration_50k_s": _time(lambda: calibrate(s, recs, seed=1), args.runs,
                                   "calibration_50k_cpu_s"),
        "calibration_50k_from_csv_s": _time(calib_from_csv, args.runs),
        **CPU,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "grid_workers": front["grid_workers"],
        "sensitivity_workers": sens.sensitivity(s, measure="p25_net_per_working_hour",
                                                seed=1, keys=[])["workers"],
        "machine": f"{platform.machine()} {os.cpu_count()} cpu, python {platform.python_version()}",
    }
    out["frontier_package_ratio"] = round(out["frontier_15x15_s"] / (225 * sim_s), 4)
    out["frontier_package_ratio_cpu"] = round(
        CPU["frontier_15x15_cpu_s"] / (225 * CPU["simulate_cpu_s"]), 4)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
