"""Export: CSV and XLSX carry the same numbers as the workbench page."""
from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook

from tests.web.test_scenarios_workbench import create


def page_share_below(client, sid) -> float:
    html = client.get(f"/scenarios/{sid}").get_data(as_text=True)
    return float(re.search(r'id="readings-working_time" data-value="([^"]+)"', html).group(1))


def page_median(client, sid) -> str:
    html = client.get(f"/scenarios/{sid}").get_data(as_text=True)
    return re.search(r'id="metric-median-hourly">¥([0-9.,]+)<', html).group(1)


def test_csv_and_xlsx_match_the_page(client, auth):
    auth.login("union")
    sid = create(auth, workers=200)
    auth.post(f"/scenarios/{sid}/save", {"pay.base_per_order": "4.5", "version": "1"})
    share = page_share_below(client, sid)
    median = page_median(client, sid)

    response = client.get(f"/scenarios/{sid}/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    by_measure = {r[1]: r for r in rows if len(r) >= 5 and r[0] == "主要指标"}
    assert float(by_measure["低于小时最低工资的比例"][3]) == share
    assert f"{float(by_measure['每工作小时净收入中位数'][3]):.2f}" == median
    assert any(r[1] == "pay.base_per_order" and r[3] == "4.5" for r in rows if len(r) > 3)

    response = client.get(f"/scenarios/{sid}/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.get_data()))
    results = {row[1]: row for row in book.worksheets[0].iter_rows(values_only=True)
               if row and len(row) >= 5 and row[0] == "主要指标"}
    assert results["低于小时最低工资的比例"][3] == share
    assert f"{results['每工作小时净收入中位数'][3]:.2f}" == median
    inputs = list(book.worksheets[1].iter_rows(values_only=True))
    assert any(r[1] == "pay.base_per_order" for r in inputs)
    assert client.get(f"/scenarios/{sid}/export.pdf").status_code == 404


def test_csv_carries_every_reading_the_adopted_one_and_the_threshold(client, auth):
    auth.login("union")
    sid = create(auth, workers=200)
    auth.post(f"/scenarios/{sid}/save", {"pay.allowance_ratio": "0.2", "version": "1"})
    html = client.get(f"/scenarios/{sid}").get_data(as_text=True)
    shown = dict(re.findall(r'id="readings-([a-z_]+)" data-value="([^"]+)"', html))
    text = client.get(f"/scenarios/{sid}/export.csv").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    readings = [r for r in rows if r and r[0] == "低于小时最低工资的比例（按工作时间口径）"]
    assert [r[1].split(" ★")[0] for r in readings] == [
        "接单时间", "工作时间（接单＋宽放＋平台要求的在线时间）", "全部在线时间", "在线时间（扣除成本）"]
    assert [float(r[3]) for r in readings] == [float(shown[k]) for k in (
        "order_time", "working_time", "online_time", "net_online_time")]
    assert [r[1].endswith("★ 本方案采用的口径") for r in readings] == [False, True, False, False]
    header = {r[0]: r[1] for r in rows[:10] if len(r) >= 2}
    assert header["小时最低工资（元）"] in ("20.6", "23.0")
    assert header["标准生效日期"] in ("2024-01-01", "2025-12-01")
    assert header["最低工资来源"].startswith("https://")
