"""Charts as SVG, one module for pages and PDFs.

matplotlib renders server-side with the Agg-free SVG backend; text is drawn as paths so the SVG
shows Chinese correctly wherever it is embedded, without the viewer having the font. Chart
functions take plain numbers (no simulator or database objects) and return SVG text.
"""
from __future__ import annotations

import io
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
    }


@contextmanager
def styled(width_in: float = 7.0, height_in: float = 3.6) -> Iterator[Figure]:
    """Yield a figure in the app's style (CJK font, light grid); build and ``to_svg`` it inside::

        with styled(7, 3.2) as fig:
            ax = fig.subplots()
            ax.plot(...)
            return to_svg(fig, title="…")
    """
    with matplotlib.rc_context(_rc()):
        yield Figure(figsize=(width_in, height_in), dpi=100, layout="constrained")


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
