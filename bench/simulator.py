"""Benchmark of the income simulator (delivery preset). Prints one JSON line.

    .venv/bin/python bench/simulator.py [--runs 5]

- ``ms_2000x30``, ``ms_20000x30``: median wall time of ``simulate`` (after one warm-up run);
- ``ms_to_dict_2000x30``: median wall time of ``SimulationResult.to_dict`` of the 2,000 × 30
  result (its standard errors recomputed each time: the cost every page showing a result pays);
- ``orders_per_second``: simulated orders ÷ median time, 20,000 × 30;
- ``rng_floor_ratio``: engine time ÷ time to draw the same random variates alone (the draws of
  the 20,000 × 30 run replayed through :mod:`app.simulator.sampling`), the median over pairs of
  runs made one right after the other;
- ``peak_rss_mb_100000x30``: peak resident memory of a child process that imports the
  simulator and runs 100,000 × 30 (``getrusage(RUSAGE_CHILDREN)``);
- ``ms_200000x30``, ``ms_200000x30_two_processes``: median wall time of 200,000 × 30 in one
  process and with its chunks of workers split over two (``simulate(..., processes=2)``, the
  same result), and ``two_process_ratio`` = two ÷ one (target ≤ 0.6; the median over pairs
  of runs made one right after the other), with the load average beside it (``--skip-large``
  leaves them out); ``two_process_cpu_ratio``: CPU time of the two-process run (parent and
  children) ÷ that of the one-process run — the work added by splitting (1.0: none), which
  other load on a shared machine inflates less than the wall-clock ratio. The chunks are
  handed out in runs, shorter toward the end, as the processes come free, and the helper's
  results stream back meanwhile, so with two idle cores the wall-clock ratio is about half of
  this one plus the parent's serial share;
  ``two_process_busier_cpu_ratio``: the CPU time of the busier of the two processes (this one,
  which also takes runs of chunks, or its forked helper) ÷ the one-process run's — what the
  wall-clock ratio comes to when both cores are free.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from app.simulator import presets, sampling, simulate  # noqa: E402
from app.simulator.params import larger_runs  # noqa: E402


def scenario(n):
    return presets.preset("delivery").with_values({"workforce.n_workers": n,
                                                   "workforce.days": 30})


def timed(fn, runs):
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def engine_and_floor(engine, floor, runs):
    """Median engine time, its last result, and the median ratio engine ÷ floor over pairs of
    runs made one right after the other (so both see the same load on a shared machine)."""
    engine(), floor()
    times, ratios = [], []
    for _ in range(runs):
        t = time.perf_counter()
        out = engine()
        te = time.perf_counter() - t
        t = time.perf_counter()
        floor()
        times.append(te)
        ratios.append(te / (time.perf_counter() - t))
    return statistics.median(times), out, statistics.median(ratios)


def recorded_draws(s, seed):
    """Run once, recording every draw the engine asks for."""
    log = []
    original_init, original_counts = sampling.ChunkDraws.__init__, sampling.ChunkDraws.counts

    def init(self, *a, **kw):
        original_init(self, *a, **kw)
        log.append(self)
        self.means = []

    def counts(self, mean):
        self.means.append(mean)
        return original_counts(self, mean)

    sampling.ChunkDraws.__init__, sampling.ChunkDraws.counts = init, counts
    try:
        simulate(s, seed=seed)
    finally:
        sampling.ChunkDraws.__init__, sampling.ChunkDraws.counts = original_init, original_counts
    plan = []
    for d in log:
        order = [(k, v.size) for k, v in d._cache.items() if isinstance(k, tuple)]
        plan.append(((d.seed, d.chunk - 1, d.n, d.days), [k for k in d._cache if
                                                          isinstance(k, str)], d.means, order))
    return plan


def replay(plan):
    for args, grid, means, order in plan:
        d = sampling.ChunkDraws(*args)
        for k in grid:
            getattr(d, {"work": "work_u", "hours": "hours_z", "worker": "worker_z",
                        "rate": "rate_z"}[k])()
        for mean in means:
            d.counts(mean)
        for (kind, stream), size in order:
            {"u": d.order_uniform, "z": d.order_normal, "e": d.order_exponential}[kind](stream,
                                                                                   size)


CHILD = """
import sys
sys.path.insert(0, {root!r})
from app.simulator import presets, simulate
from app.simulator.params import larger_runs
with larger_runs():  # over the web's worker-days limit, as the command line may
    s = presets.preset("delivery").with_values({{"workforce.n_workers": 100000,
                                                 "workforce.days": 30}})
    r = simulate(s, seed=1)
print(int(r.workers.orders.sum()))
"""


def _cpu():
    t = os.times()
    return t.user + t.system, t.children_user + t.children_system


def two_processes(runs):
    """200,000 × 30 in one process and in two, in pairs of runs made one after the other."""
    s = scenario(200_000)
    one_t, two_t, ratios, load, cpu_ratios, paths = [], [], [], [], [], []
    for _ in range(max(1, runs)):
        t, c = time.perf_counter(), _cpu()
        simulate(s, seed=1)
        one, one_cpu = time.perf_counter() - t, _cpu()[0] - c[0]
        t, c = time.perf_counter(), _cpu()
        simulate(s, seed=1, processes=2)
        two, c2 = time.perf_counter() - t, _cpu()
        one_t.append(one)
        two_t.append(two)
        ratios.append(two / one)
        cpu_ratios.append((c2[0] - c[0] + c2[1] - c[1]) / one_cpu)
        paths.append(max(c2[0] - c[0], c2[1] - c[1]) / one_cpu)
        load.append(os.getloadavg()[0])
    return {"ms_200000x30": round(statistics.median(one_t) * 1000, 1),
            "ms_200000x30_two_processes": round(statistics.median(two_t) * 1000, 1),
            "two_process_ratio": round(statistics.median(ratios), 3),
            "two_process_cpu_ratio": round(statistics.median(cpu_ratios), 3),
            "two_process_busier_cpu_ratio": round(statistics.median(paths), 3),
            "large_runs": len(ratios),
            "load_average_1min_large": round(statistics.median(load), 2)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--large-runs", type=int, default=3)
    ap.add_argument("--skip-large", action="store_true")
    args = ap.parse_args()
    runs = max(5, args.runs)
    s2k, s20k = scenario(2000), scenario(20000)
    t2k, r2k = timed(lambda: simulate(s2k, seed=1), runs)

    def to_dict():
        r2k._se = r2k._totals = r2k._dict = None  # forget the cached figures: time it all
        return r2k.to_dict()

    tdict, _ = timed(to_dict, runs)
    plan = recorded_draws(s20k, 1)
    t20k, r20k, ratio = engine_and_floor(lambda: simulate(s20k, seed=1), lambda: replay(plan),
                                         runs)
    orders = float(r20k.workers.orders.sum())
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    subprocess.run([sys.executable, "-c", CHILD.format(root=root)], check=True,
                   capture_output=True)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    large = {} if args.skip_large else two_processes(args.large_runs)
    print(json.dumps({
        "ms_2000x30": round(t2k * 1000, 1),
        "ms_20000x30": round(t20k * 1000, 1),
        "ms_to_dict_2000x30": round(tdict * 1000, 1),
        "orders_per_second": round(orders / t20k),
        "rng_floor_ratio": round(ratio, 2),
        "peak_rss_mb_100000x30": round(peak_kb / 1024, 1),
        "orders_20000x30": int(orders),
        "runs": runs,
        **large,
        "machine": f"{platform.machine()} {os.cpu_count()} cpu, numpy "
                   + __import__("numpy").__version__,
    }))


if __name__ == "__main__":
    with larger_runs():  # 20,000 × 30 is over the web's worker-days limit
        main()
