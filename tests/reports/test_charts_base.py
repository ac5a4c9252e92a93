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
