"""Pure vectorised maths of the model. No randomness here: every function is deterministic.

Arrays of worker-days have shape ``(workers, days)``; order arrays are flat, with an index
``wd`` giving each order's flat worker-day (``worker * days + day``).
"""
from __future__ import annotations

import numpy as np


def lognormal_log_params(mean: float, cv: float) -> tuple[float, float]:
    """(mu, sigma) of the log of a log-normal with the given mean and coefficient of variation."""
    s2 = np.log1p(cv * cv)
    return float(np.log(mean) - s2 / 2.0), float(np.sqrt(s2))


def mean_one_lognormal(z: np.ndarray, sigma: float) -> np.ndarray:
    """exp(sigma·z − sigma²/2): a log-normal multiplier with mean 1 from standard normals."""
    if sigma == 0:
        return np.ones_like(z)
    return np.exp(sigma * z - 0.5 * sigma * sigma)


def online_hours(span: np.ndarray, max_continuous: float, rest_hours: float,
                 cap: np.ndarray | float) -> np.ndarray:
    """Hours available for dispatch in a logged-in span.

    After every ``max_continuous`` hours online, dispatch stops for ``rest_hours`` (forced rest;
    0 = no forced rest); online time stops at ``cap`` (forced offline: daily limit, heat limit).
    """
    if max_continuous > 0:
        cycle = max_continuous + rest_hours
        k = np.floor(span / cycle)
        within = span - k * cycle
        on = k * max_continuous + np.minimum(within, max_continuous)
    else:
        on = span
    return np.minimum(on, cap)


def dispatchable(s: np.ndarray, online: np.ndarray, max_continuous: float,
                 rest_hours: float) -> np.ndarray:
    """Whether an order arriving ``s`` hours into the span finds the worker dispatchable.

    ``online`` is :func:`online_hours` of the span (per order). Dispatchable time accumulated
    before ``s`` is strictly increasing on dispatchable instants, so "``s`` is dispatchable, before
    the end of the span and before the cap" is "``s`` is in an on-period and the online time
    before it is below the day's online hours". The dispatchable instants of a span therefore
    have total length ``online``.
    """
    if max_continuous > 0:
        cycle = max_continuous + rest_hours
        t = s * (1.0 / cycle)
        k = np.floor(t)
        t -= k  # position within the cycle, as a share of it
        ok = t < max_continuous / cycle
        k *= rest_hours
        np.subtract(s, k, out=k)  # online time before s = s − rests taken before s
        ok &= k < online
        return ok
    return s < online


def dispatch_rate(rate: np.ndarray, max_per_hour: float, min_per_hour: float,
                  guaranteed: np.ndarray) -> np.ndarray:
    """Orders per online hour after the dispatch rules (guarantee, then cap; 0 = none)."""
    if min_per_hour > 0:
        rate = np.where(guaranteed, np.maximum(rate, min_per_hour), rate)
    if max_per_hour > 0:
        rate = np.minimum(rate, max_per_hour)
    return rate


def piece_pay(km, minutes, base: float, per_km: float, included_km: float,
              per_minute: float):
    """Piece-rate pay of each order: base + per_km beyond included km + per engaged minute."""
    pay = base + per_minute * minutes
    if per_km:
        pay = pay + per_km * np.maximum(km - included_km, 0.0)
    return pay


def fare(km, minutes, fare_base: float, fare_per_km: float, fare_per_minute: float):
    """Customer's total payment per order."""
    return fare_base + fare_per_km * km + fare_per_minute * minutes


def capped_commission(fares, rate, cap: float):
    """Commission per order after the per-order cap (the excess is refunded with the order)."""
    return fares * np.minimum(rate, cap)


def per_offer_floor(pay, minutes, km, per_order_minimum: float, per_minute: float,
                    per_km: float):
    """Top-up that lifts each order's pay to max(F, a·t + b·d) (0 where pay already reaches it)."""
    floor = np.maximum(per_order_minimum, per_minute * minutes + per_km * km)
    return np.maximum(floor - pay, 0.0)


class Segments:
    """A flat array laid out in consecutive segments (one per worker-day) of given lengths.

    Sums use ``np.add.reduceat`` over the non-empty segments, which is several times faster
    than ``np.bincount`` with weights for sorted data.
    """

    def __init__(self, counts: np.ndarray):
        self.counts = np.asarray(counts, dtype=np.int64)
        ends = np.cumsum(self.counts)
        self.total = int(ends[-1]) if ends.size else 0
        self.nonempty = np.flatnonzero(self.counts)
        self.starts = (ends - self.counts)[self.nonempty]

    def sum(self, x) -> np.ndarray:
        """Sum of ``x`` (one value per element, or a scalar for every element) per segment."""
        if np.ndim(x) == 0:
            return self.counts * float(x)
        if x.dtype == bool:
            x = x.astype(np.float64)
        out = np.zeros(self.counts.size)
        if self.nonempty.size:
            out[self.nonempty] = np.add.reduceat(x, self.starts)
        return out

    def count(self, flags: np.ndarray) -> np.ndarray:
        """Number of true ``flags`` (booleans, one per element) per segment, as floats."""
        out = np.zeros(self.counts.size)
        if self.nonempty.size:
            out[self.nonempty] = np.add.reduceat(flags, self.starts, dtype=np.int64)
        return out

    def repeat(self, per_segment: np.ndarray) -> np.ndarray:
        """Each segment's value repeated for each of its elements."""
        return np.repeat(per_segment, self.counts)


class Workspace:
    """Reusable buffers for the large per-order temporaries of one run.

    Fresh arrays of millions of floats cost page faults on every chunk; a run hands the same
    buffers to every chunk and package instead (one workspace per run, never shared between
    threads). ``get`` returns an uninitialised view of ``size`` elements.
    """

    def __init__(self):
        self._bufs = {}

    def get(self, name: str, size: int, dtype=np.float64) -> np.ndarray:
        buf = self._bufs.get(name)
        if buf is None or buf.size < size or buf.dtype != np.dtype(dtype):
            buf = np.empty(size + size // 8, dtype=dtype)
            self._bufs[name] = buf
        return buf[:size]


def segment_cumsum(seg: "Segments", x: np.ndarray) -> np.ndarray:
    """Running sum of ``x`` within each segment (inclusive)."""
    c = np.cumsum(x)
    if c.size == 0:
        return c
    before = np.concatenate(([0.0], c))[np.cumsum(seg.counts) - seg.counts]
    return c - np.repeat(before, seg.counts)


def working_hours(order_hours, online, allowance_ratio: float, required_online: float = 0.0):
    """Working time (人社厅发〔2023〕50号: order time + allowance + online time the platform
    requires) on each worker-day, never more than online time.

    Where the order time with its allowance and the required online time overlap is not known;
    the larger of the two is counted (the overlap is complete), so the figure is a lower bound.
    """
    required = np.where(online > 0, required_online, 0.0)
    return np.minimum(np.maximum(order_hours * (1.0 + allowance_ratio), required), online)


def block_sums(x: np.ndarray, block_days: int) -> np.ndarray:
    """Sums over consecutive blocks of ``block_days`` days (last block may be shorter)."""
    n, days = x.shape
    if block_days >= days:
        return x.sum(axis=1, keepdims=True)
    if block_days == 1:
        return x
    starts = np.arange(0, days, block_days)
    return np.add.reduceat(x, starts, axis=1)


def period_top_up(countable_pay: np.ndarray, working: np.ndarray, hourly_floor: float,
                  block_days: int) -> np.ndarray:
    """Top-up per worker over periods of ``block_days``: Σ max(0, floor·W − P_c) per period."""
    if hourly_floor <= 0:
        return np.zeros(countable_pay.shape[0])
    short = hourly_floor * block_sums(working, block_days) - block_sums(countable_pay, block_days)
    return np.maximum(short, 0.0).sum(axis=1)


def top_up(paid, floor):
    """S = max(0, floor − paid)."""
    return np.maximum(np.asarray(floor, dtype=float) - np.asarray(paid, dtype=float), 0.0)


def monthly_commission_refund(commission, fares, orders, cap: float, min_orders: float):
    """Refund so that Σ commission ÷ Σ fare ≤ cap for workers with ≥ ``min_orders`` orders.

    The average is weighted by turnover (fares), as T3 publishes; whether Didi's is weighted the
    same way is unconfirmed.
    """
    if cap >= 1.0:
        return np.zeros_like(commission)
    excess = np.maximum(commission - cap * fares, 0.0)
    return np.where(orders >= min_orders, excess, 0.0)


def late_probability(base: float, per_load: float, load):
    """Probability an order is late, rising with the expected busy share of online time."""
    return np.clip(base + per_load * load, 0.0, 1.0)


def safe_ratio(num, den):
    """num / den where den > 0, NaN elsewhere."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out
