"""Issue 13, finding 10: file mode, headers, PDF resource fetching, file names."""
from __future__ import annotations

import io
import os
import stat

from sqlalchemy import func, select

from app.ledger.models import LedgerEvidence, LedgerItem
from tests.conftest import make_test_app

PDF = b"%PDF-1.4\n% evidence\n"


def test_a_new_sqlite_database_is_private(tmp_path):
    path = tmp_path / "fresh.sqlite3"
    app = make_test_app(f"sqlite:///{path}", tmp_path / "instance")
    with app.extensions["xieshang.engine"].connect() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    app.extensions["xieshang.engine"].dispose()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_hsts_with_https_and_a_permissions_policy(db_url, tmp_path):
    plain = make_test_app(db_url, tmp_path / "i1")
    response = plain.test_client().get("/login")
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers
    secure = make_test_app(db_url, tmp_path / "i2", XIESHANG_HTTPS=True)
    response = secure.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    for a in (plain, secure):
        a.extensions["xieshang.engine"].dispose()


def test_pdf_fetches_only_the_apps_own_files(tmp_path):
    from app.reports import pdf
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n")
    for url in (secret.as_uri(), "http://127.0.0.1:9/x.png", "file:///etc/passwd"):
        assert not pdf.allowed_url(url)
    assert pdf.allowed_url("data:text/plain,hello")
    assert pdf.allowed_url((pdf.TEMPLATE_DIR / "print.css").as_uri())
    html = f'<html><body><img src="{secret.as_uri()}"><p>x</p></body></html>'
    from weasyprint import HTML
    pages = HTML(string=html, url_fetcher=pdf._fetcher()).render().pages
    assert not any(box.element_tag == "img" for box in _boxes(pages[0]._page_box)
                   if getattr(box, "image", None) is not None)


def _boxes(box):
    yield box
    for child in getattr(box, "children", []):
        yield from _boxes(child)


def test_evidence_file_name_with_bidi_controls_is_refused(client, auth, session):
    auth.login("mediator")
    item_id = session.scalar(select(LedgerItem.id).order_by(LedgerItem.id))
    before = session.scalar(select(func.count()).select_from(LedgerEvidence))
    response = auth.post(f"/ledger/items/{item_id}/evidence", {
        "note": "x", "file": (io.BytesIO(PDF), "回单\u202efdp.exe.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 400 and 'id="err-file"' in response.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(LedgerEvidence)) == before
