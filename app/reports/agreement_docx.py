"""The agreement and the written procedure documents (要约书, minutes, …) as Word documents, for
the parties who edit in Word or WPS before the signing meeting.

Same content as the PDF: the text comes from the same functions (``pdf.print_articles``,
``pdf.grouped_standards``, ``agreement_annex.texts``, the document builders of
``procedure_documents``) and the same label table (``pdf.LABELS``); only the layout is Word's
(``docx_writer``). The annex's chart is not drawn here: its figures are the tables above it.
Access is the PDF's: the version is chosen through ``app.agreements.access`` like
``agreement.render_pdf``, the documents through ``procedure_documents.BUILDERS``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from app.agreements import access, document as A, versions
from app.errors import Msg, NotFound, ValidationError
from app.negotiations import floor
from app.negotiations import records as nrecords
from app.reports import agreement_annex, docx_writer as W, pdf, procedure_documents
from app.reports.agreement import annex_for

MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _party(agreement: Mapping, key: str, field: str, lang: str) -> str:
    party = agreement["parties"][key] or {}
    return (party.get(field) if lang == "zh" else party.get(f"{field}_en")) or ""


def agreement_docx(agreement: Mapping, *, lang: str = "zh", draft: bool = True,
                   annex: Mapping | None = None, signed_on: dt.date | None = None,
                   floor: Mapping | None = None) -> bytes:
    """The agreement as .docx bytes: the PDF's text (``pdf.agreement_html``), Word's layout."""
    if lang not in pdf.LANGS:
        raise ValueError(f"lang must be one of {pdf.LANGS}")

    def L(key):
        return pdf.label(key, lang)
    fmt_date = A.date_zh if lang == "zh" else A.date_en
    title = agreement["title_zh" if lang == "zh" else "title_en"]
    full = versions.fingerprint(agreement)
    doc = W.new_document(lang, title=title, author="; ".join(
        agreement["parties"][k]["name"] for k in ("worker", "employer")))
    W.page_furniture(doc, page_label=L("page"),
                     header_text=title + (f"（{L('draft')}）" if draft else ""),
                     footer_note=f"{L('fingerprint')} {versions.short_fingerprint(agreement)}")
    W.title(doc, pdf.title_lines(title, lang))
    if draft:
        W.centred(doc, f"（{L('draft')}）", size=W.Pt(12), color=W.ACCENT)
    W.centred(doc, f"{L('fingerprint')} SHA-256：{full[:32]}", size=W.Pt(9), color=W.MUTED)

    scope, term = agreement["scope"], agreement["term"]
    rows = [(L("worker_party") + "：", _party(agreement, "worker", "name", lang)),
            (L("chief") + "：", _party(agreement, "worker", "chief", lang) or "—"),
            (L("employer_party") + "：", _party(agreement, "employer", "name", lang)),
            (L("chief") + "：", _party(agreement, "employer", "chief", lang) or "—")]
    if agreement["parties"].get("mediator"):
        rows.append((L("witness") + "：", _party(agreement, "mediator", "name", lang)))
    region = scope["region"] if lang == "zh" else scope.get("region_en", "")
    rows.append((L("region") + "：", f"{region}\u3000{L('workers')}："
                 f"{scope['workers_count']:,}{'人' if lang == 'zh' else ''}"))
    rows.append((L("term") + "：", f"{fmt_date(dt.date.fromisoformat(term['effective']))} — "
                 f"{fmt_date(dt.date.fromisoformat(term['expires']))}"))
    W.table(doc, None, rows, widths_mm=(38, 118), borders=False, size=doc.styles[
        "Normal"].font.size)

    for art in pdf.print_articles(agreement, lang, floor):
        W.heading(doc, art["heading"], art["title"])
        for text in art["paragraphs"]:
            W.paragraph(doc, text)
        if art["key"] == "standards":
            _standards_table(doc, agreement, lang, L)

    W.paragraph(doc, L("signature_page"), indent=False)
    _signatures(doc, agreement, lang, L, fmt_date(signed_on) if signed_on else None)
    if annex:
        _annex(doc, annex, lang, L)
    return W.to_bytes(doc)


def _standards_table(doc, agreement, lang, L) -> None:
    rows, bold, n = [], [], 0
    for group in pdf.grouped_standards(agreement, lang):
        bold.append(len(rows))
        rows.append((group["title"],))
        for s in group["rows"]:
            n += 1
            rows.append((str(n), s["label_zh" if lang == "zh" else "label_en"], s["display"],
                         s["unit_zh" if lang == "zh" else "unit_en"],
                         s["measured_zh" if lang == "zh" else "measured_en"], s["effective"]))
    W.table(doc, [L(k) for k in ("no", "item", "standard", "unit", "measured", "effective")],
            rows, widths_mm=(10, 36, 18, 19, 51, 22), bold_rows=bold,
            align=("c", "l", "r", "c", "l", "c"))


def _signatures(doc, agreement, lang, L, signed_on: str | None) -> None:
    date = signed_on or L("blank_date")
    blocks = []
    for key, role in (("worker", "worker_party"), ("employer", "employer_party")):
        signer = _party(agreement, key, "chief", lang) if signed_on else W.BLANK
        blocks.append([L(role) + L("seal"), _party(agreement, key, "name", lang),
                       f"{L('sign_here')}：{signer}", f"{L('date')}：{date}"])
    rows = [blocks]
    if agreement["parties"].get("mediator"):
        chief = _party(agreement, "mediator", "chief", lang)
        signer = chief if signed_on and chief else W.BLANK
        rows.append([[L("witness") + L("seal"), _party(agreement, "mediator", "name", lang),
                      f"{L('witness_sign')}：{signer}\u3000{L('date')}：{date}"]])
    W.signature_table(doc, rows, size=doc.styles["Normal"].font.size)


def _annex(doc, annex, lang, L) -> None:
    text = agreement_annex.texts(annex, lang)
    W.page_break(doc)
    W.heading(doc, "", L("annex"), level=1)
    W.centred(doc, L("annex_title"), size=W.SIZE["heading"], bold=True)
    W.paragraph(doc, text["intro"])
    W.table(doc, [L("figure"), L("unit"), L("today"), L("package"), L("change")],
            [(f["label_zh" if lang == "zh" else "label_en"],
              f["unit_zh" if lang == "zh" else "unit_en"], f["baseline"], f["package"],
              f["change"]) for f in annex["figures"]],
            widths_mm=(62, 22, 24, 24, 24), align=("l", "c", "r", "r", "r"))
    if annex.get("readings"):
        W.paragraph(doc, text["readings_title"], indent=False, bold=True)
        W.paragraph(doc, text["readings_note"], indent=False, size=W.SIZE["note"],
                    color=W.MUTED)
        adopted = "★ 本方案采用的口径" if lang == "zh" else "★ the package's reading"
        W.table(doc, ["工作时间口径" if lang == "zh" else "Working time counted", L("today"),
                      L("package"), L("change")],
                [(f"{r['label']}{' ' + adopted if r['adopted'] else ''}\n{r['note']}",
                  r["baseline"], f"{r['package']} ±{r['se']}", r["change"])
                 for r in annex["readings"]],
                widths_mm=(82, 24, 26, 24), align=("l", "r", "r", "r"))
    W.paragraph(doc, text["note"], indent=False, size=W.SIZE["note"], color=W.MUTED)


# --- the agreement of a negotiation, with the PDF's access ----------------------------------------
def render_docx(session: Session, actor, negotiation_id: int, *, lang: str = "zh",
                number: Any = None, now: dt.datetime) -> tuple[str, bytes]:
    """``(filename, bytes)`` of the agreement as Word: the asked version, else the signed one,
    else the latest draft; the same version, annex and floor citation as ``render_pdf``."""
    if lang not in pdf.LANGS:
        raise ValidationError({"lang": Msg("Invalid language")})
    v = access.with_agreement(session, actor, negotiation_id)
    if number not in (None, ""):
        row = access.version(session, actor, negotiation_id, number)
    elif v.signed is not None:
        row = next(r for r in v.versions if r.number == v.signed.number)
    else:
        row = v.latest
    return _render(session, v.negotiation, row, v.signed, lang, now)


def render_docx_system(session: Session, negotiation_id: int, *, lang: str = "zh",
                       now: dt.datetime) -> tuple[str, bytes]:
    """For the command line (full rights): the signed text, or the latest draft, as Word."""
    negotiation, signed, row = access.for_system(session, negotiation_id)
    return _render(session, negotiation, row, signed, lang, now)


def _render(session, negotiation, row, signed, lang, now) -> tuple[str, bytes]:
    is_signed = signed is not None and row.number == signed.number
    cited = floor.for_version(session, negotiation, signed, row.number,
                              nrecords.local_today(now))
    data = agreement_docx(row.content, lang=lang, draft=not is_signed,
                          signed_on=signed.signed_on if is_signed else None,
                          annex=annex_for(negotiation, row.content, lang), floor=cited)
    suffix = "signed" if is_signed else f"v{row.number}"
    return f"agreement-{negotiation.id}-{suffix}-{lang}.docx", data


# --- the written documents of the procedure -------------------------------------------------------
def document_docx(kind: str, *, lang: str = "zh", number: str = "", addressee: str = "",
                  meta: Sequence[tuple[str, str]] = (), sections: Sequence[tuple[str, str]] = (),
                  terms: Sequence[Mapping] = (), signatures: Sequence[tuple[str, str]] = (),
                  issued_on: dt.date | None = None, terms_after: int | None = None) -> bytes:
    """A procedural document as .docx, from the arguments of ``pdf.document_html``."""
    if kind not in pdf.DOCUMENT_KINDS:
        raise ValueError(f"unknown document kind {kind!r}")

    def L(key):
        return pdf.label(key, lang)
    title = pdf.DOCUMENT_KINDS[kind][0 if lang == "zh" else 1]
    doc = W.new_document(lang, title=title)
    W.page_furniture(doc, page_label=L("page"), header_text=title, footer_note="")
    W.title(doc, pdf.title_lines(title, lang))
    if number:
        W.centred(doc, number, size=W.Pt(9), color=W.MUTED)
    if meta:
        W.table(doc, None, [(f"{k}：", v) for k, v in meta], widths_mm=(32, 124),
                borders=False, size=doc.styles["Normal"].font.size)
    if addressee:
        W.paragraph(doc, f"{addressee}：", indent=False, bold=True)

    def terms_table():
        W.table(doc, [L("no"), L("item"), L("standard"), L("unit")],
                [(str(i), t["label"], t["value"], t["unit"]) for i, t in enumerate(terms, 1)],
                widths_mm=(12, 84, 30, 30), align=("c", "l", "r", "c"))
    table_at = terms_after if terms_after is not None else len(sections) - 1
    for i, (head, text) in enumerate(sections):
        if head:
            W.heading(doc, "", head, level=2)
        for para in pdf.paragraphs(text):
            W.paragraph(doc, para)
        if terms and i == table_at:
            terms_table()
    if terms and not sections:
        terms_table()
    if signatures:
        date = A.date_zh(issued_on) if issued_on and lang == "zh" else (
            A.date_en(issued_on) if issued_on else L("blank_date"))
        sign = "Signature" if lang == "en" else "签字"
        blocks = [[x for x in (role, name, f"{sign}：{W.BLANK}", f"{L('date')}：{date}") if x]
                  for role, name in signatures]
        W.signature_table(doc, [blocks[i:i + 2] for i in range(0, len(blocks), 2)],
                          size=doc.styles["Normal"].font.size)
    return W.to_bytes(doc)


def render_document(session: Session, actor, negotiation_id: int, kind: str,
                    record_id: int) -> tuple[str, bytes]:
    """``(filename, .docx bytes)`` of one procedural document, access-checked like the PDF
    (printed in Chinese, like the PDF)."""
    if kind not in procedure_documents.BUILDERS:
        raise NotFound("document")
    filename, kwargs = procedure_documents.BUILDERS[kind](session, actor, negotiation_id,
                                                          record_id)
    return filename.removesuffix(".pdf") + ".docx", document_docx(kind, lang="zh", **kwargs)
