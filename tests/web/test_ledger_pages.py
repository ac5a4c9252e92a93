"""Ledger pages: forms with messages beside the field, uploads, 409s, htmx fragments, languages,
downloads and the CLI."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from app.auth.models import Organisation
from app.ledger.models import LedgerEvidence, LedgerItem, RiskScreening

PDF = b"%PDF-1.4\n% evidence\n"


def _org_id(session, part):
    return session.scalars(select(Organisation.id).where(Organisation.name.contains(part))).one()


def _count(session, model):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def _new_item(auth, session, **overrides):
    data = {"enterprise_id": _org_id(session, "众达人力"), "title": "补缴社会保险费",
            "responsible": "刘强", "deadline": "2026-12-31", "source": "manual"}
    data.update(overrides)
    return auth.post("/ledger/new", data)


def _item_id(response):
    return int(re.search(r"/ledger/items/(\d+)", response.headers["Location"]).group(1))


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_page_renders_in_both_languages(client, auth, session, lang):
    auth.login("mediator")
    auth.post("/lang", {"lang": lang, "next": "/dashboard"})
    item = session.scalars(select(LedgerItem.id)).first()
    screening = session.scalars(select(RiskScreening.id)).first()
    for url in ("/ledger/", "/ledger/?status=overdue", "/ledger/new", f"/ledger/items/{item}",
                f"/ledger/items/{item}/edit", "/ledger/screenings", "/ledger/screenings/new",
                f"/ledger/screenings/{screening}", "/ledger/import", "/ledger/layoffs",
                "/ledger/layoffs/new", "/reports/region"):
        response = client.get(url)
        body = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert ' style="' not in body and '<script>' not in body, url  # CSP: nothing inline
        if lang == "en":
            assert "整改台账" not in body, url
        else:
            assert "整改台账" in body, url


def test_ledger_list_shows_overdue_first_and_filters(client, auth):
    auth.login("mediator")
    body = client.get("/ledger/").get_data(as_text=True)
    rows = re.findall(r'<tr class="row-(\w+)"', body)
    assert rows[0] == "overdue" and "closed" in rows
    overdue = client.get("/ledger/?status=overdue").get_data(as_text=True)
    assert set(re.findall(r'<tr class="row-(\w+)"', overdue)) == {"overdue"}
    fragment = client.get("/ledger/?status=closed", headers={"HX-Request": "true",
                                                            "HX-Target": "ledger-list"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and text.strip().startswith('<div id="ledger-list">')
    assert set(re.findall(r'<tr class="row-(\w+)"', text)) == {"closed"}
    assert "Vary" in fragment.headers and "HX-Request" in fragment.headers["Vary"]
    assert client.get("/ledger/?status=nonsense&enterprise=abc").status_code == 200


def test_new_item_errors_beside_fields_and_nothing_written(client, auth, session):
    auth.login("mediator")
    before = _count(session, LedgerItem)
    response = _new_item(auth, session, title="", deadline="31/12/2026", responsible="")
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="err-title"' in body and 'id="err-deadline"' in body and "YYYY-MM-DD" in body
    assert 'id="err-responsible"' in body and "此项为必填项" in body
    assert _count(session, LedgerItem) == before


def test_item_life_through_the_pages(client, auth, session):
    auth.login("mediator")
    response = _new_item(auth, session)
    assert response.status_code == 302
    item_id = _item_id(response)
    page = client.get(f"/ledger/items/{item_id}").get_data(as_text=True)
    assert "补缴社会保险费" in page and "开始整改" in page
    assert auth.post(f"/ledger/items/{item_id}/start", {"version": "1"}).status_code == 302
    # a stale form (version 1 again) is a conflict
    assert auth.post(f"/ledger/items/{item_id}/start", {"version": "1"}).status_code == 409
    # closing with nothing is refused beside the note field; nothing written
    response = auth.post(f"/ledger/items/{item_id}/close", {"note": ""})
    assert response.status_code == 400 and 'id="err-note"' in response.get_data(as_text=True)
    assert _count(session, LedgerEvidence) == 1
    # a file of the wrong type is refused beside the file field
    response = auth.post(f"/ledger/items/{item_id}/close", {
        "note": "x", "file": (io.BytesIO(b"MZ"), "virus.exe")},
        content_type="multipart/form-data")
    assert response.status_code == 400 and 'id="err-file"' in response.get_data(as_text=True)
    response = auth.post(f"/ledger/items/{item_id}/close", {
        "note": "已补缴 3 个月社保", "file": (io.BytesIO(PDF), "回单.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(f"/ledger/items/{item_id}").get_data(as_text=True)
    assert "已销号" in page and "回单.pdf" in page and "已补缴 3 个月社保" in page
    evidence_id = int(re.search(r"/ledger/evidence/(\d+)", page).group(1))
    download = client.get(f"/ledger/evidence/{evidence_id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.mimetype == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]
    # closing again is an illegal step
    assert auth.post(f"/ledger/items/{item_id}/close", {"note": "again"}).status_code == 409
    assert auth.post(f"/ledger/items/{item_id}/reopen", {"note": ""}).status_code == 400
    assert auth.post(f"/ledger/items/{item_id}/reopen", {"note": "复查发现未缴"}).status_code == 302
    assert client.get("/ledger/items/999999").status_code == 404
    assert auth.post(f"/ledger/items/{item_id}/explode", {}).status_code == 404


def test_edit_form(client, auth, session):
    auth.login("mediator")
    item_id = _item_id(_new_item(auth, session))
    response = auth.post(f"/ledger/items/{item_id}/edit", {
        "title": "补缴社会保险费", "responsible": "", "deadline": "2027-01-15", "version": "1"})
    assert response.status_code == 400 and 'id="err-responsible"' in response.get_data(True)
    response = auth.post(f"/ledger/items/{item_id}/edit", {
        "title": "补缴社会保险费", "responsible": "王五", "deadline": "2027-01-15",
        "version": "1"})
    assert response.status_code == 302
    page = client.get(f"/ledger/items/{item_id}").get_data(as_text=True)
    assert "王五" in page and "信息已修改" in page
    assert auth.post(f"/ledger/items/{item_id}/edit", {
        "title": "t", "responsible": "r", "deadline": "2027-01-15", "version": "1"}
    ).status_code == 409


def test_screening_form_preview_and_one_click_items(client, auth, session):
    auth.login("mediator")
    freight = _org_id(session, "货运通")
    preview = auth.post("/ledger/screenings/preview", {"late_pay_cycles": "2", "complaints": "5"},
                        headers={"HX-Request": "true", "HX-Target": "screening-preview"})
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "<html" not in text and ">40<" in text
    assert "中风险" in text and "延期或不足额发放工资：2次（+30分）" in text
    bad = auth.post("/ledger/screenings/preview", {"complaints": "很多"},
                    headers={"HX-Request": "true", "HX-Target": "screening-preview"})
    assert "请输入数字" in bad.get_data(as_text=True)
    response = auth.post("/ledger/screenings/new", {"enterprise_id": freight,
                                                    "complaints": "-3"})
    assert response.status_code == 400 and 'id="err-complaints"' in response.get_data(True)
    response = auth.post("/ledger/screenings/new", {
        "enterprise_id": freight, "screened_on": "2026-11-01", "late_pay_cycles": "2",
        "social_insurance_months": "3"})
    assert response.status_code == 302
    screening_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/ledger/screenings/{screening_id}").get_data(as_text=True)
    assert "高风险" in page and "55" in page and 'name="keys"' in page
    response = auth.post(f"/ledger/screenings/{screening_id}/open",
                         {"keys": ["late_pay_cycles"], "responsible": ""})
    assert response.status_code == 400 and 'id="err-responsible"' in response.get_data(True)
    before = _count(session, LedgerItem)
    response = auth.post(f"/ledger/screenings/{screening_id}/open",
                         {"keys": ["late_pay_cycles", "social_insurance_months"],
                          "responsible": "吴经理"})
    assert response.status_code == 302 and _count(session, LedgerItem) == before + 2
    page = client.get(f"/ledger/screenings/{screening_id}").get_data(as_text=True)
    assert page.count("已建立") >= 2


def test_import_page_rejects_with_messages_and_accepts(client, auth, session):
    auth.login("mediator")
    before = _count(session, RiskScreening)
    bad = "企业名称,劳动者投诉,奇怪的列\n郑州众达人力服务有限公司（示例）,abc,1\n".encode("utf-8")
    response = auth.post("/ledger/import", {"file": (io.BytesIO(bad), "x.csv")},
                         content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "无法识别的列“奇怪的列”" in body
    assert _count(session, RiskScreening) == before
    response = auth.post("/ledger/import", {}, content_type="multipart/form-data")
    assert response.status_code == 400 and "文件为空" in response.get_data(True)
    response = auth.post("/ledger/import", {"file": (io.BytesIO(b"x"), "x.doc")},
                         content_type="multipart/form-data")
    assert response.status_code == 400
    good = "enterprise,complaints\n郑州众达人力服务有限公司（示例）,7\n".encode("utf-8")
    response = auth.post("/ledger/import", {"file": (io.BytesIO(good), "x.csv")},
                         content_type="multipart/form-data")
    assert response.status_code == 302 and _count(session, RiskScreening) == before + 1


def test_layoff_form_flags_short_notice(client, auth, session):
    auth.login("platform")
    delivery = _org_id(session, "速达外卖")
    response = auth.post("/ledger/layoffs/new", {"enterprise_id": delivery, "layoff_on": "x",
                                                 "workers_affected": "abc"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="err-layoff_on"' in body
    assert 'id="err-workers_affected"' in body
    response = auth.post("/ledger/layoffs/new", {
        "enterprise_id": delivery, "layoff_on": "2026-12-20", "workers_affected": "40",
        "union_told_on": "2026-12-01", "reported_on": "2026-11-01"})
    assert response.status_code == 302
    page = client.get("/ledger/layoffs").get_data(as_text=True)
    assert "不足30日" in page and "提前 19 天" in page and "速达外卖平台" in page
    assert "众达人力" not in page  # the partner's plans are not the platform's


def test_region_report_downloads(client, auth):
    auth.login("mediator")
    page = client.get("/reports/region").get_data(as_text=True)
    assert "<svg" in page and "分城市、分行业情况" in page and "郑州市" in page
    csv = client.get("/reports/region.csv")
    assert csv.mimetype == "text/csv" and csv.data.startswith("\ufeff".encode())
    assert "城市,行业,发出要约" in csv.get_data(as_text=True)
    # the PDF is prepared as a background job: tests/web/test_jobs_files.py
    for year in ("1999", "abc", "2999"):
        assert client.get(f"/reports/region?year={year}").status_code == 400


def test_cli_writes_csv_and_pdf(app, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "r.csv"
    result = runner.invoke(args=["report", "region", "--year", "2026", "--output", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8-sig")
    assert text.startswith("城市,行业") and "合计" in text
    pdf = tmp_path / "r.pdf"
    result = runner.invoke(args=["report", "region", "--year", "2026", "--output", str(pdf)])
    assert result.exit_code == 0 and pdf.read_bytes().startswith(b"%PDF")
    bad = runner.invoke(args=["report", "region", "--year", "2026", "--output",
                              str(tmp_path / "r.txt")])
    assert bad.exit_code != 0 and ".csv or .pdf" in bad.output


def test_dashboard_card_for_offices_and_enterprises(client, auth):
    auth.login("mediator")
    body = client.get("/dashboard").get_data(as_text=True)
    assert "ledger-dashboard" in body and "1 个裁员方案未提前30日" in body
    assert 'class="badge standing-overdue"' in body
    auth.logout()
    auth.login("union")
    assert "ledger-dashboard" not in client.get("/dashboard").get_data(as_text=True)
