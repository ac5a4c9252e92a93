"""Chunks of workers spread over two processes give exactly the single-process result."""
from __future__ import annotations

import json

import numpy as np

from app.simulator import engine, presets, simulate


def _same(a, b):
    for k, x in a.workers.arrays.items():
        assert np.array_equal(x, b.workers.arrays[k], equal_nan=x.dtype != bool), k
    for k, x in a.by_condition.items():
        assert np.array_equal(x, b.by_condition[k]), k
    for k, x in a.worker_conditions.items():
        assert np.array_equal(x, b.worker_conditions[k]), k
    assert json.dumps(a.to_dict(), sort_keys=True) == json.dumps(b.to_dict(), sort_keys=True)


def test_two_processes_equal_one(monkeypatch):
    monkeypatch.setattr(engine, "CHUNK_WORKERS", 64)  # 5 chunks of workers, split 3 + 2
    base = presets.preset("delivery").with_values({"workforce.n_workers": 300})
    package = base.with_values({"pay.hourly_floor": 25.0, "pay.max_daily_hours": 8.0})
    one = simulate(package, seed=9, reference=base, keep_days=True)
    two = simulate(package, seed=9, reference=base, keep_days=True, processes=2)
    _same(one, two)
    for k, x in one.days.items():
        assert np.array_equal(x, two.days[k]), k
    _same(simulate(base, seed=9), simulate(base, seed=9, processes=3))


def test_spread_over_sets_the_processes_of_every_simulation_in_its_block(monkeypatch):
    from app.simulator import parallel
    monkeypatch.setattr(engine, "CHUNK_WORKERS", 64)
    spread = []
    map_shared = parallel.map_shared
    monkeypatch.setattr(parallel, "map_shared", lambda fn, calls, processes: spread.append(
        processes) or map_shared(fn, calls, processes))
    base = presets.preset("delivery").with_values({"workforce.n_workers": 300})
    package = base.with_values({"pay.hourly_floor": 25.0})
    one = engine.compare(base, [package], seed=4)
    with parallel.spread_over(2):
        two = engine.compare(base, [package], seed=4)
        assert spread == [2]
        simulate(base, seed=4, processes=1)  # the call's own count wins
        assert spread == [2]
    simulate(base, seed=4)
    assert spread == [2]  # one process again after the block
    _same(one.baseline, two.baseline)
    _same(one.proposals[0], two.proposals[0])


def _pid_after(seconds):
    import os
    import time
    time.sleep(seconds)
    return os.getpid()


def test_map_processes_hands_out_calls_in_order_to_a_fixed_pool():
    from app.simulator import parallel
    args = [(1.0,)] + [(0.0,)] * 7  # the first call is slow: the other process takes the rest
    pids = parallel.map_processes(_pid_after, args, processes=2)
    assert len(pids) == 8 and len(set(pids)) == 2
    assert pids.count(pids[0]) == 1


def test_map_shared_works_in_this_process_and_a_forked_one():
    import os

    from app.simulator import parallel
    pids = parallel.map_shared(_pid_after, [(0.2,)] * 6, processes=2)
    assert len(pids) == 6 and os.getpid() in pids and len(set(pids)) == 2
    assert parallel.map_shared(_pid_after, [(0.0,)], processes=2) == [os.getpid()]


def _fail_in_helper(parent_pid):
    import os
    if os.getpid() != parent_pid:
        raise ValueError("a helper's failure")
    import time
    time.sleep(0.2)  # long enough for the helper to start and take a call
    return 1


def _fail_in_parent(parent_pid):
    import os
    import time
    if os.getpid() == parent_pid:
        raise ValueError("the parent's failure")
    time.sleep(0.05)
    return 1


def test_map_shared_raises_a_failure_of_either_process():
    import os

    import pytest

    from app.simulator import parallel
    for fn, message in ((_fail_in_helper, "a helper's failure"),
                        (_fail_in_parent, "the parent's failure")):
        with pytest.raises(ValueError, match=message):
            parallel.map_shared(fn, [(os.getpid(),)] * 8, processes=2)
