"""Chart legends stay inside their figure, measured in Chromium (issue 21: the frontier chart's
legend of long offer names was cut off at the figure's edge)."""
from __future__ import annotations

import pytest

from app.reports.charts import frontier_chart

LABELS = {"packages": "Packages tried", "frontier": "Efficient frontier",
          "current": "This package", "x": "Platform net cost per month (10,000 yuan)",
          "y": "Net income per working hour (25th percentile)", "title": "Frontier"}
ENGLISH = "Speedy Food Delivery dispatch algorithm and delivery-time rules consultation " \
          "(example) · {side} · round 1"
CHINESE = "速达外卖众包骑手工资专项集体协商与配送时间规则协商（示例） · {side} · 第1轮"


@pytest.mark.parametrize("template", [ENGLISH, CHINESE, "Offer {side}"])
def test_frontier_legend_inside_the_figure(browser, template):
    points = [(3e6 + i * 1e5, 18 + i) for i in range(30)]
    offers = [(template.format(side=side), 4.1e6 + i * 5e4, 28 + i)
              for i, side in enumerate(["platform", "workers", "企业方", "劳动者方"])]
    svg = frontier_chart(points, points[::3], offers, (5.1e6, 36.8), labels=LABELS)
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    try:
        page.set_content(f"<body style='margin:0'><div style='width:900px'>{svg}</div></body>")
        figure, legend = page.evaluate("""() => {
            const svg = document.querySelector('svg.chart');
            const box = (el) => { const r = el.getBoundingClientRect();
                                  return [r.left, r.top, r.right, r.bottom]; };
            return [box(svg), box(svg.querySelector('g[id^="legend"]'))];
        }""")
    finally:
        page.close()
    assert legend[0] >= figure[0] and legend[2] <= figure[2] + 0.5, (legend, figure)
    assert legend[1] >= figure[1] and legend[3] <= figure[3] + 0.5, (legend, figure)
