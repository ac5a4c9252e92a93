"""A structure of the batched evaluator (:mod:`app.simulator.batch`): the orders one group of
packages keeps on one chunk of workers and their per-worker-day statistics, cached for the money
of every package that shares them (:mod:`app.simulator.batch_money`).
"""
from __future__ import annotations

import numpy as np

from app.simulator.batch_orders import KeptOrders


class Structure:
    """The orders one group of packages keeps on one chunk, and their per-worker-day
    statistics: its own :class:`KeptOrders`, or a ``parent`` structure's with the worker-days
    ``rows`` (where the day plans differ) re-thinned."""

    def __init__(self, pkg, plan, codes, cand, keep0, variates, parent=None, rows=None):
        span, cap, online, rate, works = plan
        nw, days = online.shape
        m = pkg.market
        self.mf_wd = np.broadcast_to(pkg.mfactor[codes][None, :], (nw, days)).ravel()
        load = rate * (m.minutes_per_order_mean * self.mf_wd.reshape(nw, days)) / 60.0 \
            / m.batching_factor
        self.cand, self.span, self.online, self.rate, self.works = cand, span, online, rate, works
        self.km_all, self.bm_all = variates
        self.market = m  # of the structure's first package: read only its ORDER_MARKET inputs
        self._cache = {}
        self.parent, self.rows = parent, rows
        args = (pkg, cand, keep0, variates, self.mf_wd, online.ravel(), load.ravel())
        self.orders = KeptOrders(*args, rows=rows, rate=rate)
        self.n = self._merge(lambda o: o.n)
        self.km_wd = self._merge(lambda o: o.km_wd)
        self.minutes_wd = self._merge(lambda o: o.minutes_wd)

    def sibling(self, pkg, km_all):
        """This structure (without a parent) for ``pkg``, whose kept orders are the same and
        whose market differs only in inputs that do not choose orders; ``km_all``: the km of
        its candidates."""
        out = object.__new__(Structure)
        out.__dict__.update(self.__dict__)
        out.market, out._cache, out.km_all = pkg.market, {}, km_all
        out.orders = self.orders.sibling(pkg.market, None if km_all is self.km_all else km_all)
        out.km_wd = out.orders.km_wd
        return out

    def _merge(self, get):
        """A per-worker-day statistic: the parent's, with the re-thinned rows replaced."""
        if self.parent is None:
            return get(self.orders)
        out = self.parent._merge(get).copy()
        out[self.rows] = get(self.orders)
        return out

    def _once(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def excess_km(self, included):
        return self._once(("excess", included),
                          lambda: self._merge(lambda o: o.excess_km(included)))

    def flags(self):
        return self._once("flags", lambda: (self._merge(lambda o: o.flags()[0]),
                                            self._merge(lambda o: o.flags()[1])))

    def late(self):
        return self._once("late", lambda: self._merge(lambda o: o.late()))

    def _per_order(self, pkg, floor_on, varying):
        if self.parent is None:
            return self.orders.per_order(pkg, floor_on, varying)
        base = self.parent._per_order(pkg, floor_on, varying)
        sub = self.orders.per_order(pkg, floor_on, varying)
        out = {}
        for k, v in base.items():
            out[k] = v.copy()
            out[k][self.rows] = sub[k]
        return out
