"""Printing: agreements and the other written documents of the procedure as PDF (WeasyPrint).

The only module that imports ``weasyprint``. Templates live in ``templates/print/`` and are
rendered with plain Jinja (no Flask), so the CLI, the benchmark and the web layer print the
same way. The document language (``lang`` "zh" or "en") is chosen per print, independently of
the UI language, so the texts come from the agreement itself or from the small label table
``LABELS`` rather than from the UI catalogue.

Signed copies are archived as PDF/A-3b with the agreed standards attached as ``standards.json``;
they are identified by the SHA-256 of their bytes (``sha256``/``verify``).
"""
from __future__ import annotations

import datetime as dt
import gc
import hashlib
import io
import warnings
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from app.agreements import clauses
from app.agreements import document as A
from app.agreements import versions
from app.config import PROJECT_ROOT
from app.negotiations.floor import text as floor_text
from app.reports import agreement_annex

TEMPLATE_DIR = PROJECT_ROOT / "templates" / "print"
LANGS = A.LANGS
STANDARDS_ATTACHMENT = "standards.json"

LABELS = {
    "draft": ("草案", "DRAFT"),
    "watermark": ("草案 DRAFT", "草案 DRAFT"),
    "page": ("第 {n} 页 共 {m} 页", "Page {n} of {m}"),
    "fingerprint": ("文档指纹", "Fingerprint"),
    "worker_party": ("甲方（工会方）", "Party A (union)"),
    "employer_party": ("乙方（企业方）", "Party B (platform)"),
    "witness": ("见证方（协调机构）", "Witness (mediator)"),
    "chief": ("首席协商代表", "Chief representative"),
    "sign_here": ("首席协商代表（签字）", "Chief representative (signature)"),
    "witness_sign": ("见证人（签字）", "Witness (signature)"),
    "seal": ("（盖章）", " (seal)"),
    "date": ("日期", "Date"),
    "blank_date": ("　　年　　月　　日", "____ / ____ / ______"),
    "no": ("序号", "No."),
    "item": ("项目", "Item"),
    "standard": ("标准", "Standard"),
    "unit": ("单位", "Unit"),
    "measured": ("计量方法", "How measured"),
    "effective": ("生效日期", "Effective"),
    "annex": ("附件", "Annex"),
    "annex_title": ("方案效果测算", "Simulated effect of the package"),
    "figure": ("指标", "Figure"),
    "today": ("现行规则", "Today's rules"),
    "package": ("协议方案", "Agreed package"),
    "change": ("变化", "Change"),
    "signature_page": ("（以下无正文，为签字页）", "(No text follows; signature page)"),
    "signed_on": ("签署日期", "Signed on"),
    "term": ("期限", "Term"),
    "workers": ("覆盖人数", "Workers covered"),
    "region": ("地域", "Region"),
    "to": ("致", "To"),
    "from": ("发出方", "From"),
}


def label(key: str, lang: str) -> str:
    zh, en = LABELS[key]
    return zh if lang == "zh" else en


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["paras"] = _paragraphs
    return env


def _paragraphs(text: str) -> list[str]:
    """Split article text into paragraphs: every line is one (blank lines are dropped)."""
    return [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n") if p.strip()]


TITLE_LINE_CHARS = 22
# (marker, where to cut relative to where the marker starts)
_TITLE_BREAKS = (("专项集体", 0), ("劳动报酬", 0), ("行业", 2), ("（", 0))


def title_lines(title: str, lang: str = "zh") -> list[str]:
    """A long Chinese title split in two at a natural place near the middle (official style
    puts the break between phrases, never inside a word or before a lone bracket)."""
    if lang != "zh" or len(title) <= TITLE_LINE_CHARS:
        return [title]
    middle = len(title) / 2
    cuts = {i + offset for marker, offset in _TITLE_BREAKS for i in range(1, len(title))
            if title.startswith(marker, i) and 4 <= i + offset <= len(title) - 4}
    if not cuts:
        return [title]
    cut = min(cuts, key=lambda i: (abs(i - middle), i))
    return [title[:cut], title[cut:]]


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}")
    return lang


def _grouped_standards(agreement: Mapping, lang: str) -> list[dict]:
    groups: dict[str, list] = {}
    for s in agreement["standards"]:
        groups.setdefault(s.get("article", "pay"), []).append(s)
    out = []
    for key, (zh, en) in clauses.ARTICLE_GROUPS.items():
        if key in groups:
            out.append({"title": zh if lang == "zh" else en, "rows": groups[key]})
    return out


def print_articles(agreement: Mapping, lang: str, floor: Mapping | None) -> list[dict]:
    """The articles as printed (PDF and Word): key, heading (第一条), title, paragraphs; the
    floor citation follows the text of the agreed-standards article."""
    articles = []
    for n, art in enumerate(agreement["articles"], start=1):
        articles.append({"key": art["key"], "heading": clauses.article_heading(n, lang),
                         "title": art["title_zh" if lang == "zh" else "title_en"],
                         "paragraphs": _paragraphs(art["text_zh" if lang == "zh" else "text_en"])})
        if art["key"] == "standards" and floor:
            articles[-1]["paragraphs"].append(floor_text(floor, lang))
    return articles


def grouped_standards(agreement: Mapping, lang: str) -> list[dict]:
    """The agreed standards in the table's groups (pay, hours, …), as printed."""
    return _grouped_standards(agreement, lang)


def paragraphs(text: str) -> list[str]:
    """Text split into printed paragraphs (every non-blank line is one)."""
    return _paragraphs(text)


def agreement_html(agreement: Mapping, *, lang: str = "zh", draft: bool = True,
                   annex: Mapping | None = None, signed_on: dt.date | None = None,
                   floor: Mapping | None = None) -> str:
    """The print HTML of an agreement (also useful to inspect the layout in a browser).

    ``floor``: the minimum wage the floor clause cites (``app.negotiations.floor.cite``),
    printed after the text of the agreed-standards article.
    """
    _check_lang(lang)
    fp = versions.short_fingerprint(agreement)
    articles = print_articles(agreement, lang, floor)
    term = agreement["term"]
    effective = dt.date.fromisoformat(term["effective"])
    expires = dt.date.fromisoformat(term["expires"])
    fmt_date = A.date_zh if lang == "zh" else A.date_en
    return _env().get_template("agreement.html").render(
        a=agreement, lang=lang, draft=draft, annex=annex, articles=articles,
        annex_text=agreement_annex.texts(annex, lang) if annex else None,
        groups=_grouped_standards(agreement, lang), fingerprint=fp,
        full_fingerprint=versions.fingerprint(agreement),
        title=agreement["title_zh" if lang == "zh" else "title_en"],
        title_lines=title_lines(agreement["title_zh" if lang == "zh" else "title_en"], lang),
        effective=fmt_date(effective), expires=fmt_date(expires),
        signed_on=fmt_date(signed_on) if signed_on else None,
        L=lambda key: label(key, lang), css=_css(fp, agreement, lang, draft),
        fmt_date=lambda iso: fmt_date(dt.date.fromisoformat(iso)))


def _css(fp: str, agreement: Mapping | None, lang: str, draft: bool, title: str = "") -> Markup:
    page = LABELS["page"][0 if lang == "zh" else 1]
    before, _, rest = page.partition("{n}")
    middle, _, after = rest.partition("{m}")
    return Markup(_env().get_template("print.css").render(
        fingerprint=fp, fp_label=label("fingerprint", lang), lang=lang, draft=draft,
        page_before=before, page_middle=middle, page_after=after))


#: The only places a print template may load files from (fonts, images, CSS).
_FETCHABLE = (TEMPLATE_DIR.resolve(), (PROJECT_ROOT / "static").resolve())


def allowed_url(url: str) -> bool:
    """Only ``data:`` URLs and the app's own print and static files are fetched for a PDF:
    user text that ends up as a URL can neither read other files nor reach the network."""
    from pathlib import Path
    from urllib.parse import unquote, urlsplit
    parts = urlsplit(url)
    if parts.scheme == "data":
        return True
    if parts.scheme != "file":
        return False
    path = Path(unquote(parts.path)).resolve()
    return any(path.is_relative_to(root) for root in _FETCHABLE)


@lru_cache(maxsize=1)
def _fetcher():
    from weasyprint.urls import URLFetcher

    class AppFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if not allowed_url(url):
                raise ValueError(f"not fetched: {url[:80]}")
            return super().fetch(url, headers)

    return AppFilesOnly(allowed_protocols=("data", "file"))


def write(html: str, *, archive: bool = False, attachments: Sequence[tuple[str, bytes, str]] = (),
           title: str = "") -> bytes:
    from weasyprint import HTML, Attachment  # the only import of weasyprint in the app

    options: dict[str, Any] = {}
    if archive:
        options["pdf_variant"] = "pdf/a-3b"
    if attachments:
        options["attachments"] = [
            Attachment(file_obj=io.BytesIO(data), name=name, description=description,
                       relationship="Data")
            for name, data, description in attachments]
    if not archive:
        return HTML(string=html, base_url=str(TEMPLATE_DIR),
                    url_fetcher=_fetcher()).write_pdf(**options)
    # WeasyPrint's PDF/A output intent opens its sRGB profile and never closes it; collect it
    # here, with ResourceWarning muted, rather than leak a warning into the caller.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        document = HTML(string=html, base_url=str(TEMPLATE_DIR), url_fetcher=_fetcher()).render()
        data = document.write_pdf(**options)
        del document
        gc.collect()
    return data


def html_to_pdf(html: str, *, archive: bool = False,
                attachments: Sequence[tuple[str, bytes, str]] = ()) -> bytes:
    """The one WeasyPrint writer, for other printers (reports): print HTML as PDF bytes.

    ``archive`` makes a PDF/A-3b; ``attachments`` are (name, bytes, description) files.
    """
    return write(html, archive=archive, attachments=attachments)


def render_agreement(agreement: Mapping, *, lang: str = "zh", draft: bool = True,
                     annex: Mapping | None = None, signed_on: dt.date | None = None,
                     archive: bool = False, floor: Mapping | None = None) -> bytes:
    """The agreement as PDF bytes.

    ``draft`` prints the "草案 DRAFT" watermark; ``annex`` (from
    ``agreement_annex.simulated_effect``) adds the annex page; ``archive`` makes a PDF/A-3b
    with the agreed standards attached as ``standards.json``.
    """
    html = agreement_html(agreement, lang=lang, draft=draft, annex=annex, signed_on=signed_on,
                          floor=floor)
    attachments = ()
    if archive:
        attachments = ((STANDARDS_ATTACHMENT, versions.standards_json_bytes(agreement),
                        "Agreed standards (machine-readable)"),)
    return write(html, archive=archive, attachments=attachments)


def render_signed(agreement: Mapping, *, signed_on: dt.date, lang: str = "zh",
                  annex: Mapping | None = None, floor: Mapping | None = None) -> bytes:
    """The signed original: no watermark, PDF/A-3b, standards embedded."""
    return render_agreement(agreement, lang=lang, draft=False, annex=annex, signed_on=signed_on,
                            archive=True, floor=floor)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verify(data: bytes, expected_sha256: str) -> bool:
    """Whether ``data`` is byte for byte the document whose SHA-256 is ``expected_sha256``."""
    return hashlib.sha256(data or b"").hexdigest() == (expected_sha256 or "").lower()


# --- The other written documents ----------------------------------------------------------------
DOCUMENT_KINDS = {
    "offer": ("集体协商要约书", "Written offer for collective consultation"),
    "reply": ("集体协商回应书", "Written reply to the offer"),
    "minutes": ("集体协商会议纪要", "Minutes of the consultation meeting"),
    "coordination": ("集体协商争议协调处理协议书", "Coordination settlement record"),
}


def document_html(kind: str, *, lang: str = "zh", number: str = "", addressee: str = "",
                  meta: Sequence[tuple[str, str]] = (),
                  sections: Sequence[tuple[str, str]] = (),
                  terms: Sequence[Mapping] = (), signatures: Sequence[tuple[str, str]] = (),
                  issued_on: dt.date | None = None, draft: bool = False,
                  terms_after: int | None = None) -> str:
    """Print HTML of a procedural document.

    ``meta``: label/value rows under the title; ``sections``: (heading, text) with blank-line
    paragraphs; ``terms``: package rows ``{"label", "value", "unit"}``; ``signatures``:
    (role, name) pairs, printed with a line to sign on and a date; ``terms_after``: index of
    the section the terms table follows (default: the last).
    """
    _check_lang(lang)
    if kind not in DOCUMENT_KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    title = DOCUMENT_KINDS[kind][0 if lang == "zh" else 1]
    body = {"kind": kind, "number": number, "addressee": addressee, "meta": list(meta),
            "sections": [(h, _paragraphs(t)) for h, t in sections], "terms": list(terms),
            "signatures": list(signatures), "terms_after": terms_after}
    fp = hashlib.sha256(repr(sorted(body.items())).encode("utf-8")).hexdigest()[:16].upper()
    fp = " ".join(fp[i:i + 4] for i in range(0, 16, 4))
    fmt_date = A.date_zh if lang == "zh" else A.date_en
    return _env().get_template("document.html").render(
        d=body, title=title, title_lines=title_lines(title, lang), lang=lang, draft=draft,
        L=lambda key: label(key, lang),
        issued_on=fmt_date(issued_on) if issued_on else None,
        css=_css(fp, None, lang, draft))


def render_document(kind: str, **kwargs) -> bytes:
    """A procedural document (offer, reply, minutes, coordination record) as PDF bytes."""
    return write(document_html(kind, **kwargs))


def package_rows(package: Mapping[str, Any], lang: str = "zh") -> list[dict]:
    """Package terms as printable rows (for the offer and the reply)."""
    rows = []
    for spec in clauses.STANDARDS:
        if spec.key in package and package[spec.key] is not None:
            try:
                value = clauses.format_value(spec, package[spec.key])
            except (TypeError, ValueError):
                value = str(package[spec.key])
            rows.append({"label": spec.label_zh if lang == "zh" else spec.label_en,
                         "value": value, "unit": spec.unit_zh if lang == "zh" else spec.unit_en})
    return rows
