"""Run a function over argument tuples in worker processes (stdlib only).

Used to spread the chunks of workers of a large simulation over the machine's cores. The
processes are forked where the platform allows it (the parent's imported modules and settings
carry over, nothing is re-imported), spawned elsewhere; results come back in argument order.

Where fork is available (:func:`map_shared`) this process works too: it and ``processes`` − 1
forked helpers take the calls one at a time from a shared counter as each comes free, so calls
of unequal work spread evenly, no core waits for a slow part, and only the helpers' results
are pickled back.
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

#: (function, argument tuples, shared counter) of the :func:`map_shared` call in progress; the
#: helpers inherit it when they are forked (set just before, cleared after).
_SHARED = None


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


def _take(fn, arg_tuples, counter) -> dict:
    """Calls taken from the shared counter until none is left: {index: result}."""
    out = {}
    while True:
        with counter.get_lock():
            i = counter.value
            counter.value = i + 1
        if i >= len(arg_tuples):
            return out
        out[i] = fn(*arg_tuples[i])


def _helper():
    return _take(*_SHARED)


def map_shared(fn, arg_tuples: list, processes: int) -> list:
    """``[fn(*args) for args in arg_tuples]`` over this process and ``processes`` − 1 forked
    helpers, each taking the next call when it is free (see the module doc); where fork is not
    available, :func:`map_processes`."""
    global _SHARED
    processes = min(processes, len(arg_tuples))
    if processes <= 1:
        return [fn(*args) for args in arg_tuples]
    if "fork" not in multiprocessing.get_all_start_methods():
        return map_processes(fn, arg_tuples, processes)
    ctx = multiprocessing.get_context("fork")
    counter = ctx.Value("q", 0)
    _SHARED = (fn, arg_tuples, counter)
    try:
        with ProcessPoolExecutor(max_workers=processes - 1, mp_context=ctx) as pool:
            futures = [pool.submit(_helper) for _ in range(processes - 1)]
            done = _take(fn, arg_tuples, counter)
            for f in futures:
                done.update(f.result())
    finally:
        _SHARED = None
    return [done[i] for i in range(len(arg_tuples))]
