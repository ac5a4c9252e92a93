"""Word (.docx) writing for the printed documents: the page, the fonts and the building blocks
(title, article heading, indented paragraph, bordered table, signature block).

The only module besides ``agreement_docx`` that imports ``python-docx``. The layout follows the
PDF (``templates/print/print.css``: A4, the same margins, title centred, paragraphs indented two
characters) in the way a Chinese office types a contract in Word or WPS: body text in 宋体, the
headings in 黑体, the title in 宋体 bold; Latin text in Times New Roman. The East-Asian font is
set with ``w:eastAsia`` on every style and run: Word and WPS otherwise show Chinese in the Latin
font's fallback (often a different face per machine). Page numbers are Word fields (PAGE,
NUMPAGES), so they stay right after the parties edit the text.
"""
from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

SONG = "宋体"       # body text (SimSun in Word, 宋体 in WPS; both map the name)
HEI = "黑体"        # headings (SimHei)
LATIN = "Times New Roman"
MUTED = RGBColor(0x55, 0x55, 0x55)
ACCENT = RGBColor(0x9B, 0x1C, 0x1C)
# The PDF's page (print.css @page): A4, margins top 30, right 26, bottom 28, left 28 mm.
PAGE = {"width": Mm(210), "height": Mm(297), "top": Mm(30), "right": Mm(26), "bottom": Mm(28),
        "left": Mm(28)}
# Font sizes by their Chinese names: 小二 18pt (title), 四号 14pt, 小四 12pt, 五号 10.5pt (body,
# as in the PDF), 小五 9pt (tables).
SIZE = {"title": Pt(18), "heading": Pt(14), "body_zh": Pt(10.5), "body_en": Pt(10),
        "table": Pt(9), "note": Pt(8.5)}


def set_fonts(element, *, latin: str = LATIN, east_asia: str = SONG) -> None:
    """Set the Latin and East-Asian fonts on a style's or a run's ``w:rPr``."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def new_document(lang: str, *, title: str, author: str = "") -> DocumentType:
    """An empty A4 document with the Chinese office styles of this module."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE["width"], PAGE["height"]
    section.top_margin, section.right_margin = PAGE["top"], PAGE["right"]
    section.bottom_margin, section.left_margin = PAGE["bottom"], PAGE["left"]
    normal = doc.styles["Normal"]
    normal.font.name = LATIN
    normal.font.size = SIZE["body_zh" if lang == "zh" else "body_en"]
    set_fonts(normal.element)
    normal.paragraph_format.line_spacing = 1.5
    normal.paragraph_format.space_after = Pt(2)
    for name, size, font in (("Title", SIZE["title"], SONG), ("Heading 1", SIZE["heading"], HEI),
                             ("Heading 2", normal.font.size, HEI)):
        style = doc.styles[name]
        style.font.name, style.font.size = LATIN, size
        style.font.bold = name != "Heading 2" or lang == "en"
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        set_fonts(style.element, east_asia=font)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(6), Pt(2)
        fmt.keep_with_next = True
        fmt.line_spacing = 1.5
    title_fmt = doc.styles["Title"].paragraph_format
    title_fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_fmt.space_before, title_fmt.space_after = Pt(12), Pt(6)
    _no_border(doc.styles["Title"].element)
    doc.core_properties.title = title
    doc.core_properties.author = author
    doc.core_properties.language = "zh-CN" if lang == "zh" else "en"
    return doc


def _no_border(style_element) -> None:
    """The built-in Title style has a blue rule under it; an official document does not."""
    ppr = style_element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def run(paragraph, text: str, *, bold: bool = False, size=None, color=None,
        east_asia: str | None = None):
    r = paragraph.add_run(text)
    r.bold = bold or None
    if size is not None:
        r.font.size = size
    if color is not None:
        r.font.color.rgb = color
    if east_asia is not None:
        set_fonts(r._r, east_asia=east_asia)
    return r


def title(doc, lines: Sequence[str]):
    """The document title, its lines broken where the PDF breaks them."""
    p = doc.add_paragraph(style="Title")
    for i, line in enumerate(lines):
        r = run(p, line)
        if i < len(lines) - 1:
            r.add_break(WD_BREAK.LINE)
    return p


def centred(doc, text: str, *, size=None, color=None, bold: bool = False):
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(p, text, size=size, color=color, bold=bold)
    return p


def paragraph(doc, text: str, *, indent: bool = True, size=None, color=None, bold=False):
    """A body paragraph, its first line indented two characters (首行缩进两字符)."""
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        body = size or doc.styles["Normal"].font.size
        p.paragraph_format.first_line_indent = body * 2
    run(p, text, size=size, color=color, bold=bold)
    return p


def heading(doc, number: str, text: str, *, level: int = 2):
    """``第一条　标题`` as a Word heading (it shows in the navigation pane)."""
    p = doc.add_paragraph(style=f"Heading {level}")
    if number:
        run(p, number + "\u3000")
    run(p, text)
    return p


def table(doc, header: Sequence[str] | None, rows: Sequence[Sequence[str]], *,
          widths_mm: Sequence[float] | None = None, borders: bool = True,
          bold_rows: Sequence[int] = (), size=None, align: Sequence[str] | None = None):
    """A table of text cells (``header`` repeated on every page). ``bold_rows``: indexes of
    ``rows`` printed bold (group rows); ``align``: per column "l", "c" or "r"."""
    ncols = len(header) if header else max(len(r) for r in rows)
    t = doc.add_table(rows=0, cols=ncols)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    if borders:
        t.style = doc.styles["Table Grid"]
    size = size or SIZE["table"]
    aligns = {"l": WD_ALIGN_PARAGRAPH.LEFT, "c": WD_ALIGN_PARAGRAPH.CENTER,
              "r": WD_ALIGN_PARAGRAPH.RIGHT}

    def add(cells: Sequence[str], *, bold: bool, head: bool = False):
        row = t.add_row()
        if head:
            _repeat_header(row)
        merged = len(cells) < ncols
        if merged:
            row.cells[0].merge(row.cells[ncols - 1])
        for i, value in enumerate(cells):
            p = row.cells[i].paragraphs[0]
            if head:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif align and not merged:
                p.alignment = aligns[align[i]]
            run(p, str(value), bold=bold or head, size=size)

    if header:
        add(header, bold=True, head=True)
    for i, cells in enumerate(rows):
        add(cells, bold=i in bold_rows)
    if widths_mm:
        for row in t.rows:
            for cell, width in zip(row.cells, widths_mm):
                cell.width = Mm(width)
    return t


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _field(paragraph, code: str) -> None:
    """A Word field (``PAGE``, ``NUMPAGES``), shown as 1 until Word or WPS updates it."""
    for kind, text in (("begin", None), ("instr", code), ("separate", None), ("text", "1"),
                       ("end", None)):
        r = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            r._r.append(instr)
        elif kind == "text":
            r.text = text
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            r._r.append(char)


def page_furniture(doc, *, page_label: str, header_text: str, footer_note: str) -> None:
    """Running header (not on the first page, like the PDF), "第 X 页 共 Y 页" and a note (the
    fingerprint) in the footer. ``page_label`` is the PDF's label with ``{n}`` and ``{m}``."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(header, header_text, size=SIZE["note"], color=MUTED)
    for footer in (section.footer, section.first_page_footer):
        p = footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        before, _, rest = page_label.partition("{n}")
        middle, _, after = rest.partition("{m}")
        run(p, before, size=SIZE["note"])
        _field(p, "PAGE")
        run(p, middle, size=SIZE["note"])
        _field(p, "NUMPAGES")
        run(p, after, size=SIZE["note"])
        note = footer.add_paragraph()
        note.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run(note, footer_note, size=Pt(6.5), color=MUTED)


def page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def to_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


BLANK = "{line}"  # in a signature line: an underlined blank to sign on


def signature_table(doc, rows: Sequence[Sequence[Sequence[str]]], *, size=None) -> None:
    """Signature blocks, two to a row: each block is a list of lines, its first line bold;
    ``BLANK`` in a line is an underlined space to sign on (as the PDF's line)."""
    t = doc.add_table(rows=0, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for blocks in rows:
        row = t.add_row()
        if len(blocks) < 2:
            row.cells[0].merge(row.cells[1])
        for cell, lines in zip(row.cells, blocks):
            cell.width = Mm(78)
            for i, line in enumerate(lines):
                p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                p.paragraph_format.line_spacing = 2.0
                before, marker, after = line.partition(BLANK)
                run(p, before, bold=i == 0, size=size)
                if marker:
                    blank = run(p, "\u3000" * 7, size=size)
                    blank.underline = True
                if after:
                    run(p, after, size=size)
