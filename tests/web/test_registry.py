"""The registry's pages, downloads and the ``flask standards`` command line contract."""
from __future__ import annotations

import io
import json
import re

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.standards.models import MinimumWageRecord

HEADER = "province,tier,monthly,hourly,effective_from,document,source,verified"


def test_cli_minimum_wage_contract(runner):
    out = runner.invoke(args=["standards", "minimum-wage", "--province", "河南", "--tier", "1",
                              "--as-of", "2026-12-01", "--json"])
    assert out.exit_code == 0, out.output
    record = json.loads(out.output)
    assert {k: record[k] for k in ("province", "tier", "monthly", "hourly", "effective_from")} \
        == {"province": "河南", "tier": 1, "monthly": 2350, "hourly": 23.0,
            "effective_from": "2025-12-01"}
    assert record["source"].startswith("http")
    older = json.loads(runner.invoke(args=[
        "standards", "minimum-wage", "--province", "河南", "--tier", "1", "--as-of",
        "2025-06-01", "--json"]).output)
    assert (older["monthly"], older["hourly"], older["effective_from"]) == (
        2100, 20.6, "2024-01-01")


def test_cli_list_has_one_record_per_province_and_tier(runner):
    out = runner.invoke(args=["standards", "minimum-wage", "--list", "--as-of", "2026-12-01",
                              "--json"])
    records = json.loads(out.output)
    assert len({r["province"] for r in records}) == 31
    assert len({(r["province"], r["tier"]) for r in records}) == len(records)


def test_cli_import_dry_run_then_import(runner, tmp_path, session):
    path = tmp_path / "new.csv"
    path.write_text(HEADER + "\n河南,1,2500,24.5,2027-01-01,,https://example.org/a,no\n",
                    encoding="utf-8")
    count = session.scalar(select(func.count()).select_from(MinimumWageRecord))
    dry = runner.invoke(args=["standards", "import", str(path), "--dry-run"])
    assert dry.exit_code == 0 and "was 2350" in dry.output
    assert session.scalar(select(func.count()).select_from(MinimumWageRecord)) == count
    done = runner.invoke(args=["standards", "import", str(path)])
    assert done.exit_code == 0, done.output
    assert session.scalar(select(func.count()).select_from(MinimumWageRecord)) == count + 1
    again = runner.invoke(args=["standards", "import", str(path)])
    assert again.exit_code != 0 and "overlap" in again.output


def test_reference_page_filters_and_shows_sources(client, auth):
    auth.login("union")
    page = client.get("/registry/?province=河南省&on=2025-06-01").get_data(as_text=True)
    assert "2100" in page and "news.dahe.cn" in page and "郑州市" in page
    assert client.get("/registry/?province=火星").status_code == 400


def test_downloads_read_back(client, auth):
    auth.login("platform")
    text = client.get("/registry/minimum-wages.csv?province=河南&on=2026-12-01") \
        .data.decode("utf-8-sig")
    assert text.splitlines()[0] == HEADER and "河南,1,2350,23.0,2025-12-01" in text
    book = load_workbook(io.BytesIO(client.get("/registry/minimum-wages.xlsx?on=2026-12-01").data))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "province" and len({r[0] for r in rows[1:]}) == 31


def test_admin_form_shows_the_error_beside_the_field(client, auth, session):
    auth.login("admin")
    count = session.scalar(select(func.count()).select_from(MinimumWageRecord))
    answer = auth.post("/registry/admin", data={
        "province": "河南", "tier": "1", "monthly": "2500", "hourly": "250",
        "effective_from": "2027-01-01", "source": "https://example.org", "verified": "no"})
    assert answer.status_code == 400
    assert re.search(r'id="err-hourly">[^<]+', answer.get_data(as_text=True))
    assert session.scalar(select(func.count()).select_from(MinimumWageRecord)) == count
    ok = auth.post("/registry/admin", data={
        "province": "河南", "tier": "1", "monthly": "2500", "hourly": "25",
        "effective_from": "2027-01-01", "source": "https://example.org", "verified": "no"})
    assert ok.status_code == 302
    assert session.scalar(select(func.count()).select_from(MinimumWageRecord)) == count + 1


def test_upload_dry_run_then_confirm(client, auth, session):
    auth.login("admin")
    body = HEADER + "\n河北,1,2500,25,2027-01-01,,https://example.org,no\n"
    count = session.scalar(select(func.count()).select_from(MinimumWageRecord))
    dry = auth.post("/registry/admin/import", data={
        "action": "check", "file": (io.BytesIO(body.encode()), "new.csv")},
        content_type="multipart/form-data")
    page = dry.get_data(as_text=True)
    assert dry.status_code == 200 and "2380" in page and 'name="content"' in page
    assert session.scalar(select(func.count()).select_from(MinimumWageRecord)) == count
    done = auth.post("/registry/admin/import", data={"action": "import", "content": body})
    assert done.status_code == 302
    assert session.scalar(select(func.count()).select_from(MinimumWageRecord)) == count + 1


def test_members_cannot_add_records(client, auth):
    auth.login("union")
    assert client.get("/registry/admin").status_code == 403
    assert auth.post("/registry/admin/import", data={"content": HEADER}).status_code == 403
