"""The offer-history chart: one panel per term, both sides, text drawn as paths."""
from app.negotiations import overview
from app.reports import charts

LABELS = {"worker": "职工方", "employer": "企业方", "x": "轮次", "title": "历轮要约",
          "empty": "尚未发出要约"}


class FakeOffer:
    def __init__(self, side, round_, terms):
        self.side, self.round, self.terms, self.status = side, round_, terms, "sent"


def test_series_put_moving_terms_first_and_keep_each_side_apart():
    offers = [FakeOffer("worker", 1, {"base_per_order": 7.0, "per_km": 1.0}),
              FakeOffer("employer", 1, {"base_per_order": 6.2, "per_km": 1.0}),
              FakeOffer("worker", 2, {"base_per_order": 6.8, "per_km": 1.0})]
    series = overview.chart_series(offers, "zh")
    assert series[0]["key"] == "base_per_order"
    assert series[0]["worker"] == [(1, 7.0), (2, 6.8)]
    assert series[0]["employer"] == [(1, 6.2)]
    assert "每单基础单价" in series[0]["label"]


def test_chart_is_svg_with_title_and_no_font_dependency():
    svg = charts.offer_history_chart(
        [{"label": "每单基础单价（元/单）", "worker": [(1, 7.0), (2, 6.8)],
          "employer": [(1, 6.2), (2, 6.4)]}], labels=LABELS)
    assert svg.startswith("<svg") and "<title>历轮要约</title>" in svg
    assert "<text" not in svg  # Chinese drawn as paths: no boxes without the font
    empty = charts.offer_history_chart([], labels=LABELS)
    assert empty.startswith("<svg")
