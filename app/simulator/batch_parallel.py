"""The packages of one batched call on one chunk split over this process and a forked one.

:meth:`app.simulator.batch.Batch.results` with ``processes=2``: this process makes the chunk's
draws and the first package's structure (the parent the others re-thin a few days of, as in one
process), then forks; the child evaluates one part of the packages on its copy of the chunk, this
process the other, and the child's per-worker totals come back by pickle. Packages that draw on
the same candidate set (the same layers of the pool) stay in one process, so no set is built
twice; the parts are balanced by an estimate of their work (greedy, largest first). Each
package's figures are those of one process: a package's result depends only on its structure,
which is the same orders whichever cached structure it was derived from (see ``batch``).
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

#: The job and chunk the forked child works on (set just before the fork, cleared after).
_STATE = None


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _child(indices):
    job, chunk = _STATE
    return job.run(chunk, indices, lambda i: None)


def _weights(job, chunk, order):
    """Estimated work of each group of packages drawing on one candidate set, by set."""
    base = chunk.pool_level(job.base_key(chunk)[0], None)
    groups = {}
    for i, key in zip(order, [job.skeys(chunk)[i] for i in order]):
        level = chunk.pool_level(key[0], None)
        size = 2.0 ** (level[0] + level[1]) * (1.3 if level[2] else 1.0)
        w, members = groups.get(level, (30.0 * size if level != base else 0.0, []))
        structure = 0.0 if key in chunk.structures else size
        groups[level] = (w + 0.4 + structure, members + [i])
    return groups


def split(job, chunk, order, step) -> dict:
    """Per-worker totals of the packages ``order`` (see the module doc)."""
    global _STATE
    out = job.run(chunk, order[:1], step)
    rest = order[1:]
    if not rest:
        return out
    groups = sorted(_weights(job, chunk, rest).values(), key=lambda g: -g[0])
    loads, parts = [0.0, 0.0], [[], []]
    for w, members in groups:
        k = 0 if loads[0] <= loads[1] else 1
        loads[k] += w
        parts[k] += members
    rank = {i: n for n, i in enumerate(rest)}
    mine, theirs = (sorted(p, key=rank.get) for p in parts)
    if not theirs or not mine:
        out.update(job.run(chunk, rest, step))
        return out
    _STATE = (job, chunk)
    try:
        with ProcessPoolExecutor(max_workers=1,
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            future = pool.submit(_child, theirs)
            out.update(job.run(chunk, mine, step))
            got = future.result()
    finally:
        _STATE = None
    for i in theirs:
        step(i)
    out.update(got)
    return out
