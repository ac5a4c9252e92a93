"""Run a function over argument tuples in worker processes (stdlib only).

Used to spread the chunks of workers of a large simulation over the machine's cores. The
processes are forked where the platform allows it (the parent's imported modules and settings
carry over, nothing is re-imported), spawned elsewhere; results come back in argument order.

Where fork is available (:func:`map_shared`) this process works too: it and ``processes`` − 1
forked helpers take the calls one at a time from a shared counter as each comes free, so calls
of unequal work spread evenly and no core waits for a slow part. A helper sends each result as
soon as it has it, and a thread of this process receives it meanwhile, so little is left to
transfer when the last call ends.
"""
from __future__ import annotations

import contextlib
import contextvars
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor


#: With more than one process, :func:`map_runs` hands items out in runs of 1/(this × processes)
#: of those not yet handed out: long runs first (a run's items share set-up: the engine's chunks
#: share one workspace, about 5 ms a chunk), single items at the end, so no process is left
#: finishing a long run alone (guided scheduling).
GUIDED_SHARE = 4
#: Processes :func:`map_runs` spreads over when its caller does not say (see :func:`spread_over`).
_PROCESSES: contextvars.ContextVar = contextvars.ContextVar("processes", default=1)


@contextlib.contextmanager
def spread_over(processes: int):
    """Within the block, every simulation or comparison of more than one chunk of workers
    (and so the workbench's figures built on them) spreads its chunks over ``processes``
    processes, with the same result. For work off the request path (the command line,
    background jobs); the analyses' batched evaluator takes its own ``processes``."""
    token = _PROCESSES.set(max(1, int(processes)))
    try:
        yield
    finally:
        _PROCESSES.reset(token)


def map_runs(fn, args: tuple, n: int, processes: int | None = None) -> list:
    """``fn(*args, range(n))``, where ``fn`` maps a range of items to a list of one result
    each, over ``processes`` processes (``None``: as :func:`spread_over` says). The items are
    cut into contiguous runs, shorter toward the end, that the processes take as they come
    free (:func:`map_shared`): the engine's groups of workers are contiguous blocks of very
    unequal work, so a fixed half each would leave one idle."""
    processes = processes or _PROCESSES.get()
    if processes <= 1 or n <= 1:
        return fn(*args, range(n))
    runs, a = [], 0
    while a < n:
        size = max(1, (n - a) // (GUIDED_SHARE * processes))
        runs.append(range(a, a + size))
        a += size
    return [one for part in map_shared(fn, [args + (r,) for r in runs], processes)
            for one in part]


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


def _indices(counter, n: int):
    """The calls' indices taken from the shared counter, one at a time, until none is left."""
    while True:
        with counter.get_lock():
            i = counter.value
            counter.value = i + 1
        if i >= n:
            return
        yield i


def _help(fn, arg_tuples, counter, conn) -> None:
    """A forked helper: each taken call's ``(index, result)`` sent as it is done, then ``None``;
    a failure is sent as ``(None, exception)``."""
    try:
        for i in _indices(counter, len(arg_tuples)):
            conn.send((i, fn(*arg_tuples[i])))
        conn.send(None)
    except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it
        try:
            conn.send((None, exc))
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled
            conn.send((None, RuntimeError(repr(exc))))
    finally:
        conn.close()


def _receive(conn, done: dict, failures: list) -> None:
    """Store a helper's results in ``done`` as they arrive (a thread of the parent)."""
    try:
        while (message := conn.recv()) is not None:
            i, value = message
            if i is None:
                failures.append(value)
                return
            done[i] = value
    except EOFError:
        failures.append(RuntimeError("a helper process ended before sending its results"))
    finally:
        conn.close()


def map_shared(fn, arg_tuples: list, processes: int) -> list:
    """``[fn(*args) for args in arg_tuples]`` over this process and ``processes`` − 1 forked
    helpers, each taking the next call when it is free (see the module doc); where fork is not
    available, :func:`map_processes`."""
    processes = min(processes, len(arg_tuples))
    if processes <= 1:
        return [fn(*args) for args in arg_tuples]
    if "fork" not in multiprocessing.get_all_start_methods():
        return map_processes(fn, arg_tuples, processes)
    ctx = multiprocessing.get_context("fork")
    counter = ctx.Value("q", 0)
    done, failures, helpers, receivers = {}, [], [], []
    try:
        for _ in range(processes - 1):
            incoming, outgoing = ctx.Pipe(duplex=False)
            helper = ctx.Process(target=_help, args=(fn, arg_tuples, counter, outgoing),
                                 daemon=True)
            helper.start()
            outgoing.close()
            receiver = threading.Thread(target=_receive, args=(incoming, done, failures))
            receiver.start()
            helpers.append(helper)
            receivers.append(receiver)
        for i in _indices(counter, len(arg_tuples)):
            if failures:  # a helper failed: the result is lost, stop here
                break
            done[i] = fn(*arg_tuples[i])
    except BaseException:
        for helper in helpers:  # this process failed: the helpers' work is moot
            helper.terminate()
        raise
    finally:
        for receiver in receivers:
            receiver.join()
        for helper in helpers:
            helper.join()
    if failures:
        raise failures[0]
    return [done[i] for i in range(len(arg_tuples))]
