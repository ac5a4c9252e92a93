"""Charts as SVG, one module for pages and PDFs.

matplotlib renders server-side with the Agg-free SVG backend; text is drawn as paths so the SVG
shows Chinese correctly wherever it is embedded, without the viewer having the font. Chart
functions take plain numbers (no simulator or database objects) and return SVG text.
"""
from __future__ import annotations

import io
import re
from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator

import matplotlib

matplotlib.use("svg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

CJK_FONT_CANDIDATES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
                       "WenQuanYi Zen Hei")
PALETTE = {"baseline": "#8a94a6", "proposal": "#b42318", "accent": "#0b6e99",
           "ok": "#1b7f3b", "warn": "#b54708", "grid": "#e4e7ec", "ink": "#1f2933"}
SERIES_COLOURS = ("#b42318", "#0b6e99", "#1b7f3b", "#b54708", "#6941c6", "#8a94a6")


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The first installed CJK font family (Debian's fonts-noto-cjk gives Noto Sans CJK SC)."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONT_CANDIDATES:
        if name in installed:
            return name
    return None


def _rc() -> dict:
    font = cjk_font()
    return {
        "font.family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"],
        "font.size": 9.5,
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "xieshang",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "#98a2b3",
        "axes.grid": True,
        "grid.color": PALETTE["grid"],
        "grid.linewidth": 0.8,
        "axes.axisbelow": True,
        "legend.frameon": False,
        # Labels carry user text (negotiation titles, scenario names): "$…$" in them is text,
        # never matplotlib math, which fails on unknown commands.
        "text.parse_math": False,
    }


@contextmanager
def styled(width_in: float = 7.0, height_in: float = 3.6, layout="constrained") -> Iterator[Figure]:
    """Yield a figure in the app's style (CJK font, light grid); build and ``to_svg`` it inside::

        with styled(7, 3.2) as fig:
            ax = fig.subplots()
            ax.plot(...)
            return to_svg(fig, title="…")
    """
    with matplotlib.rc_context(_rc()):
        yield Figure(figsize=(width_in, height_in), dpi=100, layout=layout)


def to_svg(fig: Figure, *, title: str | None = None) -> str:
    """Serialise ``fig`` to SVG text (no XML prolog, scalable width), with an accessible title."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    start = svg.find("<svg")
    svg = svg[start:]
    svg = svg.replace("<svg ", '<svg class="chart" role="img" preserveAspectRatio="xMidYMid meet" ', 1)
    if title:
        from xml.sax.saxutils import escape
        close = svg.find(">") + 1
        svg = svg[:close] + f"<title>{escape(title)}</title>" + svg[close:]
    return svg


# -- Scenario workbench ------------------------------------------------------------------------

def pay_distribution_chart(edges, baseline, package, minimum_wage: float, *,
                           labels: dict) -> str:
    """Distribution of net pay per working hour under today's rules and under the package.

    ``edges`` are the bin edges (yuan/hour), ``baseline``/``package`` the share of workers in each
    bin, ``labels`` the texts ``baseline``, ``package``, ``minimum_wage``, ``x``, ``y``, ``title``.

    The workbench redraws this chart on every change of a term, so it is drawn in two layers
    with the same size, axes box and limits: the frame (axes, ticks, labels, legend, minimum-wage
    line; all the text) is cached by its limits and labels, and only the two step lines are drawn
    anew and laid over it.
    """
    edges = [float(e) for e in edges]
    base = [100 * float(v) for v in baseline]
    pack = [100 * float(v) for v in package]
    xlim, ylim = distribution_limits(edges, base + pack, minimum_wage)
    frame = _distribution_frame(xlim, ylim, float(minimum_wage),
                                tuple(sorted((k, str(v)) for k, v in labels.items())))
    if len(edges) < 2:
        return frame
    box = _data_box(xlim, ylim)
    paths = (f'<path d="{_stairs_path(edges, base, box)}" fill="{PALETTE["baseline"]}" '
             'opacity="0.45"/>'
             f'<path d="{_stairs_path(edges, pack, box)}" fill="none" '
             f'stroke="{PALETTE["proposal"]}" stroke-width="1.8" stroke-linejoin="miter"/>')
    close = frame.rfind("</svg>")
    return frame[:close] + f'<g class="data">{paths}</g>' + frame[close:]


def _data_box(xlim, ylim):
    """``(x, y)`` → SVG points of the frame's axes box (matplotlib's layout of ``_DIST_RECT``
    in a ``_DIST_SIZE`` figure, 72 points per inch, y downwards)."""
    width, height = _DIST_SIZE[0] * 72, _DIST_SIZE[1] * 72
    left, bottom, w, h = _DIST_RECT
    (x0, x1), (y0, y1) = xlim, ylim

    def point(x, y):
        return (width * (left + w * (x - x0) / (x1 - x0)),
                height * (1 - bottom - h * (y - y0) / (y1 - y0)))
    return point


def _stairs_path(edges, values, point) -> str:
    """The outline of a step histogram from the axis up and back (as ``Axes.stairs`` draws it);
    the data layer is written directly: it changes on every edit, and laying out a matplotlib
    figure for it took about 15 ms, this well under one."""
    steps = [point(edges[0], 0.0)]
    for lo, hi, v in zip(edges, edges[1:], values):
        steps += [point(lo, v), point(hi, v)]
    steps.append(point(edges[-1], 0.0))
    return "M " + " L ".join(f"{x:.3f} {y:.3f}" for x, y in steps)


def distribution_limits(edges, percents, minimum_wage: float) -> tuple:
    """``(xlim, ylim)`` of the distribution chart: the bins, and a round top above the tallest
    (so small changes of a term keep the frame)."""
    if len(edges) < 2:
        return (minimum_wage * 0.5, minimum_wage * 1.5), (0.0, 10.0)
    top = max(list(percents) + [1.0])
    step = 2.0 if top <= 20 else 5.0 if top <= 50 else 10.0
    return (edges[0], edges[-1]), (0.0, step * -(-top * 1.05 // step))


_DIST_SIZE = (7.2, 3.0)
_DIST_RECT = (0.085, 0.16, 0.88, 0.8)  # room on the right for the last tick label


@lru_cache(maxsize=128)
def _distribution_frame(xlim, ylim, minimum_wage: float, labels: tuple) -> str:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    text = dict(labels)
    # No layout engine, not even set_layout_engine("none")'s placeholder: saving would draw twice.
    with styled(*_DIST_SIZE, layout=None) as fig:
        ax = fig.add_axes(_DIST_RECT)
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.axvline(minimum_wage, color=PALETTE["ink"], linestyle="--", linewidth=1.1)
        ax.annotate(f"{text['minimum_wage']} {minimum_wage:g}", xy=(minimum_wage, 1),
                    xycoords=("data", "axes fraction"), xytext=(4, -4),
                    textcoords="offset points", va="top", fontsize=8.5, color=PALETTE["ink"])
        ax.set_xlabel(text["x"])
        ax.set_ylabel(text["y"])
        ax.legend(handles=[Patch(color=PALETTE["baseline"], alpha=0.45, label=text["baseline"]),
                           Line2D([], [], color=PALETTE["proposal"], linewidth=1.8,
                                  label=text["package"])],
                  loc="upper right", fontsize=8.5)
        return csp_safe_svg(to_svg(fig, title=text["title"]))


_STYLE_ATTR = re.compile(r'style="([^"]*)"')


def csp_safe_svg(svg: str) -> str:
    """Inline SVG that a ``style-src 'self'`` Content-Security-Policy still draws.

    Browsers drop ``style`` attributes and ``<style>`` blocks under that policy, which leaves
    every shape black; SVG presentation attributes (``fill="…"``) are not styles and survive.
    """
    def attributes(match):
        pairs = (item.split(":", 1) for item in match.group(1).split(";") if ":" in item)
        return " ".join(f'{k.strip()}="{v.strip()}"' for k, v in pairs)
    svg = re.sub(r"<style[^>]*>.*?</style>", "", svg, flags=re.S)
    svg = svg.replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" ', 1)
    return _STYLE_ATTR.sub(attributes, svg)


# --- Agreement annex (issue 7) -------------------------------------------------------------------
def agreement_hourly_distribution(histogram, *, minimum_wage: float, lang: str = "zh") -> str:
    """Histogram of net pay per working hour, today's rules vs the agreed package.

    ``histogram`` is the package effect's ``{"edges", "baseline", "package"}`` (shares of
    workers per bin, ``app.simulator.effect``), so the annex draws the figures every page shows;
    a dashed line marks the hourly minimum wage.
    """
    import numpy as np

    edges = np.asarray(histogram.get("edges") or [0.0, 1.0], dtype=float)
    a = 100 * np.asarray(histogram.get("baseline") or [0.0], dtype=float)
    b = 100 * np.asarray(histogram.get("package") or [0.0], dtype=float)
    zh = lang == "zh"
    with styled(6.6, 3.0) as fig:
        ax = fig.subplots()
        ax.stairs(a, edges, fill=True, color=PALETTE["baseline"], alpha=0.55,
                  label="现行规则" if zh else "Today's rules")
        ax.stairs(b, edges, linewidth=1.8, color=PALETTE["proposal"],
                  label="协议方案" if zh else "Agreed package")
        ax.axvline(minimum_wage, color=PALETTE["ink"], linestyle="--", linewidth=1)
        ax.annotate((f"小时最低工资 {minimum_wage:g} 元" if zh
                     else f"hourly minimum wage {minimum_wage:g} yuan"),
                    xy=(minimum_wage, 1), xycoords=("data", "axes fraction"),
                    xytext=(4, -12), textcoords="offset points", fontsize=8.5,
                    color=PALETTE["ink"])
        ax.set_xlabel("每工作小时净收入（元）" if zh else "Net pay per working hour (yuan)")
        ax.set_ylabel("劳动者占比（%）" if zh else "Share of workers (%)")
        ax.legend(loc="upper right")
        return to_svg(fig, title=("每工作小时净收入分布" if zh
                                  else "Distribution of net pay per working hour"))


# -- Regional report (ledger) ---------------------------------------------------------------------

def region_bars(categories, series, *, title: str, stacked: bool = False,
                colours=None, ylabel: str = "") -> str:
    """Bars per category (e.g. "郑州市 · 外卖"): ``series`` is [(label, [value per category])].

    Grouped side by side, or ``stacked`` (risk grades). Whole-number axis; values over the bars.
    """
    from matplotlib.ticker import MaxNLocator

    categories = list(categories) or ["—"]
    count = max(len(series), 1)
    colours = list(colours or SERIES_COLOURS)
    height = 3.0 + 0.1 * max(0, len(categories) - 4)
    with styled(5.6, height) as fig:
        ax = fig.subplots()
        positions = list(range(len(categories)))
        width = 0.7 if stacked else 0.8 / count
        bottoms = [0.0] * len(categories)
        for index, (label, values) in enumerate(series):
            values = list(values) or [0] * len(categories)
            if stacked:
                xs = positions
            else:
                xs = [p - 0.4 + width * (index + 0.5) for p in positions]
            bars = ax.bar(xs, values, width=width, bottom=bottoms if stacked else None,
                          color=colours[index % len(colours)], label=label)
            if not stacked:
                ax.bar_label(bars, labels=[str(v) if v else "" for v in values], fontsize=8,
                             padding=1.5, color=PALETTE["ink"])
            if stacked:
                bottoms = [b + v for b, v in zip(bottoms, values)]
        if stacked:
            for x, total in zip(positions, bottoms):
                if total:
                    ax.annotate(str(int(total)), (x, total), ha="center", va="bottom",
                                fontsize=8, xytext=(0, 1.5), textcoords="offset points")
        ax.set_xticks(positions, categories, rotation=0 if len(categories) <= 5 else 20,
                      ha="center" if len(categories) <= 5 else "right")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="x", visible=False)
        ax.margins(y=0.18)
        if ylabel:
            ax.set_ylabel(ylabel)
        # Below the bars, so a narrow card keeps the whole width for the categories.
        fig.legend(loc="outside lower center", ncol=min(count, 3), fontsize=8.5)
        return to_svg(fig, title=title)


# -- Negotiations: offer history ----------------------------------------------------------------

def offer_history_chart(terms: list[dict], *, labels: dict) -> str:
    """Each side's position on key terms over the rounds of offers, one small panel per term.

    ``terms``: ``{"label": str, "worker": [(round, value)], "employer": [(round, value)]}``;
    ``labels``: texts ``worker``, ``employer``, ``x`` (the round axis), ``title``, ``empty``.
    """
    count = max(1, len(terms))
    cols = min(count, 2)
    rows = (count + cols - 1) // cols
    with styled(7.2, 2.4 * rows) as fig:
        axes = fig.subplots(rows, cols, squeeze=False).ravel()
        if not terms:
            axes[0].text(0.5, 0.5, labels["empty"], ha="center", va="center",
                         transform=axes[0].transAxes, color=PALETTE["baseline"])
            axes[0].set_axis_off()
        for ax, term in zip(axes, terms):
            for side, colour, marker in (("worker", PALETTE["proposal"], "o"),
                                         ("employer", PALETTE["accent"], "s")):
                points = term.get(side) or []
                if points:
                    ax.plot([p[0] for p in points], [p[1] for p in points], color=colour,
                            marker=marker, linewidth=1.8, markersize=5, label=labels[side])
            ax.set_title(term["label"], fontsize=9.5, loc="left")
            ax.set_xlabel(labels["x"], fontsize=8.5)
            rounds = [p[0] for side in ("worker", "employer") for p in term.get(side) or []]
            last = max(rounds, default=1)
            ax.set_xlim(0.6, last + 0.4)
            ax.set_xticks(range(1, last + 1))
            ax.margins(y=0.2)
            ax.legend(loc="best", fontsize=8)
        for ax in axes[len(terms) or 1:]:
            ax.set_axis_off()
        return to_svg(fig, title=labels["title"])


# --- Analyses (issue 6): frontier, tornado, calibration ------------------------------------------

def frontier_chart(points, frontier, offers, current, *, labels: dict) -> str:
    """Platform cost (x, yuan/month) against a worker measure (y) for every package of a grid.
    ``points``, ``frontier``: ``(cost, worker)`` pairs; ``offers``: ``(name, cost, worker)``;
    ``current``: one pair or None; ``labels``: packages, frontier, current, x, y, title."""
    from unicodedata import east_asian_width as eaw
    # Long offer names: one column, wrapped (at a space, anywhere in Chinese), never clipped.
    short = all(sum(2 if eaw(c) in "WF" else 1 for c in o[0]) <= 50 for o in offers)
    ncols, lines, wrapped = 2 if short else 1, 3, []
    for name, cost, worker in offers:
        out, line = [], ""
        for ch in name:
            line += ch
            if sum(2 if eaw(c) in "WF" else 1 for c in line) > 112:
                cut = line.rfind(" ") if " " in line.strip() else len(line) - 1
                out, line = out + [line[:cut].rstrip()], line[cut:].lstrip()
        wrapped.append(("\n".join(out + [line]), cost, worker))
        lines += len(out) + 1
    with styled(7.2, 3.6 + 0.19 * -(-lines // ncols)) as fig:
        ax = fig.subplots()
        if points:
            ax.scatter([p[0] / 1e4 for p in points], [p[1] for p in points], s=12,
                       color=PALETTE["baseline"], alpha=0.55, label=labels["packages"])
        if frontier:
            f = sorted(frontier)
            ax.plot([p[0] / 1e4 for p in f], [p[1] for p in f], color=PALETTE["accent"],
                    linewidth=2, marker="o", markersize=3.5, label=labels["frontier"])
        if current is not None:
            ax.scatter([current[0] / 1e4], [current[1]], marker="s", s=50, color=PALETTE["ink"],
                       label=labels["current"], zorder=4)
        for i, (name, cost, worker) in enumerate(wrapped):
            colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
            ax.scatter([cost / 1e4], [worker], marker="D", s=46, color=colour, zorder=5,
                       label=name)
        ax.set_xlabel(labels["x"])
        ax.set_ylabel(labels["y"])
        fig.legend(loc="outside lower center", ncols=ncols, fontsize=8)
        return csp_safe_svg(to_svg(fig, title=labels["title"]))


def tornado_chart(names, low, high, *, labels: dict) -> str:
    """Horizontal bars of the change of a measure when each input goes down (``low``) or up
    (``high``) by the step; ``names`` top to bottom. ``labels``: ``down``, ``up``, ``x``,
    ``title``."""
    n = len(names)
    with styled(7.2, max(2.2, 0.32 * n + 1.0)) as fig:
        ax = fig.subplots()
        ys = list(range(n))[::-1]
        ax.barh(ys, [0.0 if v != v else v for v in low], color=PALETTE["baseline"],
                label=labels["down"], height=0.7)
        ax.barh(ys, [0.0 if v != v else v for v in high], color=PALETTE["accent"],
                label=labels["up"], height=0.7, alpha=0.85)
        ax.axvline(0, color=PALETTE["ink"], linewidth=0.9)
        ax.set_yticks(ys)
        ax.set_yticklabels(names, fontsize=8.5)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(labels["x"])
        ax.legend(loc="lower right", fontsize=8)
        return csp_safe_svg(to_svg(fig, title=labels["title"]))


def observed_simulated_chart(panels, *, labels: dict) -> str:
    """Small multiples of observed vs simulated histograms.

    ``panels`` is a list of ``(title, edges, observed shares, simulated shares)``; ``labels``:
    ``observed``, ``simulated``, ``y``, ``title``.
    """
    cols = 2
    rows = max(1, (len(panels) + 1) // 2)
    with styled(7.2, 2.3 * rows + 0.4) as fig:
        axes = fig.subplots(rows, cols, squeeze=False)
        for ax in axes.flat[len(panels):]:
            ax.set_visible(False)
        for ax, (title, edges, obs, sim) in zip(axes.flat, panels):
            ax.stairs([100 * v for v in obs], edges, fill=True, color=PALETTE["baseline"],
                      alpha=0.5, label=labels["observed"])
            ax.stairs([100 * v for v in sim], edges, color=PALETTE["proposal"], linewidth=1.6,
                      label=labels["simulated"])
            ax.set_title(title, fontsize=9)
            ax.set_ylabel(labels["y"], fontsize=8)
        axes.flat[0].legend(loc="upper right", fontsize=7.5)
        return csp_safe_svg(to_svg(fig, title=labels["title"]))
