"""Charts of a survey's aggregates (already suppressed: small bins arrive empty).

Built with :mod:`app.reports.charts` (same style, CJK font, text as paths, CSP-safe SVG).
"""
from __future__ import annotations

from functools import lru_cache

from app.reports.charts import PALETTE, csp_safe_svg, styled, to_svg


def distribution_chart(edges, counts, *, title: str, xlabel: str, ylabel: str) -> str:
    """Respondents per bin of one answer (bars); the last bin holds everything above it.

    Cached by its numbers: the results page is opened far more often than answers arrive."""
    return _distribution(tuple(float(e) for e in edges), tuple(int(c) for c in counts),
                         title, xlabel, ylabel)


@lru_cache(maxsize=256)
def _distribution(edges, counts, title: str, xlabel: str, ylabel: str) -> str:
    from matplotlib.ticker import MaxNLocator

    edges = list(edges)
    with styled(4.6, 2.4) as fig:
        ax = fig.subplots()
        widths = [b - a for a, b in zip(edges, edges[1:])]
        ax.bar(edges[:-1], list(counts), width=widths, align="edge", color=PALETTE["accent"],
               edgecolor="white", linewidth=0.6)
        ax.set_xlim(edges[0], edges[-1])
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="x", visible=False)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        return csp_safe_svg(to_svg(fig, title=title))


def timeline_chart(days, cumulative, *, title: str, ylabel: str) -> str:
    """Responses received so far, day by day."""
    return _timeline(tuple(days), tuple(cumulative), title, ylabel)


@lru_cache(maxsize=64)
def _timeline(days, cumulative, title: str, ylabel: str) -> str:
    from datetime import timedelta

    import matplotlib.dates as mdates
    from matplotlib.ticker import MaxNLocator

    days = list(days)
    span = (days[-1] - days[0]).days if days else 0
    with styled(4.6, 2.4) as fig:
        ax = fig.subplots()
        ax.step(days, list(cumulative), where="post", color=PALETTE["proposal"],
                linewidth=1.8)
        if days:
            ax.set_xlim(days[0] - timedelta(days=1), days[-1] + timedelta(days=1))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d"))
        ax.xaxis.set_major_locator(mdates.DayLocator(interval=max(1, (span + 2) // 5)))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(bottom=0)
        ax.set_ylabel(ylabel)
        return csp_safe_svg(to_svg(fig, title=title))
