"""The chart base draws Chinese text as paths with the CJK font."""
from app.reports.charts import cjk_font, styled, to_svg


def test_svg_has_text_as_paths_and_title():
    assert cjk_font() == "Noto Sans CJK SC", "install fonts-noto-cjk (make test does)"
    with styled(4, 2) as fig:
        ax = fig.subplots()
        ax.bar(["今日规则", "方案"], [18.2, 21.4])
        ax.set_title("每工作小时净收入")
        svg = to_svg(fig, title="每工作小时净收入")
    assert svg.startswith("<svg") and "<title>每工作小时净收入</title>" in svg
    assert "<text" not in svg  # glyphs are paths, so no font is needed to show them
    assert svg.count("<path") > 20


def test_the_workbench_histogram_lies_where_matplotlib_draws_it():
    """The data layer is written without matplotlib: its outline must coincide with what
    ``Axes.stairs`` draws in the cached frame's axes box."""
    import re

    from app.reports import charts

    edges, base, pack = [8.0, 10.5, 13.0, 15.5, 18.0], [0.1, 0.4, 0.3, 0.2], [0.0, 0.3, 0.5, 0.2]
    labels = {k: k for k in ("baseline", "package", "minimum_wage", "x", "y", "title")}
    svg = charts.pay_distribution_chart(edges, base, pack, 13.0, labels=labels)
    data = svg[svg.index('<g class="data">'):]
    xlim, ylim = charts.distribution_limits(edges, [100 * v for v in base + pack], 13.0)
    with styled(*charts._DIST_SIZE) as fig:
        fig.set_layout_engine("none")
        ax = fig.add_axes(charts._DIST_RECT)
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.stairs([100 * v for v in base], edges, fill=True, clip_on=False)
        ax.stairs([100 * v for v in pack], edges, clip_on=False)
        reference = to_svg(fig)

    def outlines(text):
        return [[float(n) for n in re.findall(r"-?\d+\.?\d*", d)]
                for d in re.findall(r'<path d="(M [^"]*)"', text) if "L" in d]
    ours = outlines(data)
    theirs = [o for o in outlines(reference) if len(o) == len(ours[0])][-2:]
    assert len(ours) == 2 and len(theirs) == 2
    for a, b in zip(ours, theirs):
        assert max(abs(x - y) for x, y in zip(a, b)) < 1e-2


def test_the_workbench_frame_is_drawn_once_and_as_before(monkeypatch):
    """Saving a figure that has a layout engine (even ``set_layout_engine("none")``'s
    placeholder) draws it twice; the frame has none, and its SVG is the one drawn with it."""
    from matplotlib.figure import Figure

    from app.reports import charts

    labels = tuple(sorted({k: f"标签{k}" for k in ("baseline", "package", "minimum_wage", "x",
                                                  "y", "title")}.items()))
    draws = []
    real_draw = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, r: draws.append(1) or real_draw(self, r))
    svg = charts._distribution_frame.__wrapped__((5.0, 45.0), (0.0, 24.0), 19.6, labels)
    assert len(draws) == 1
    monkeypatch.setattr(charts, "styled", _with_placeholder_engine(charts.styled))
    assert charts._distribution_frame.__wrapped__((5.0, 45.0), (0.0, 24.0), 19.6, labels) == svg


def _with_placeholder_engine(styled):
    """``styled`` as the frame used it before: constrained layout, then switched off."""
    from contextlib import contextmanager

    @contextmanager
    def old(width_in, height_in, layout=None):
        with styled(width_in, height_in) as fig:
            fig.set_layout_engine("none")
            yield fig
    return old
