"""Run a function over argument tuples in worker processes (stdlib only).

Used to spread the chunks of workers of a large simulation over the machine's cores. The
processes are forked where the platform allows it (the parent's imported modules and settings
carry over, nothing is re-imported), spawned elsewhere; results come back in argument order.
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def map_processes(fn, arg_tuples: list, processes: int | None = None) -> list:
    """``[fn(*args) for args in arg_tuples]`` in ``processes`` worker processes (default: one
    per call). Each process takes the next call as soon as it is free, so calls of unequal work
    spread evenly; results come back (and are unpickled by the parent) as they finish."""
    if len(arg_tuples) <= 1 or processes == 1:
        return [fn(*args) for args in arg_tuples]
    size = min(len(arg_tuples), processes or len(arg_tuples))
    with ProcessPoolExecutor(max_workers=size, mp_context=_context()) as pool:
        futures = [pool.submit(fn, *args) for args in arg_tuples]
        return [f.result() for f in futures]
