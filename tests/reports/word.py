"""Reading a Word document back for the tests: its text in body order (paragraphs and table
cells, merged cells once), and the PDF's text (pypdf), both without whitespace."""
from __future__ import annotations

import io
import re

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PdfReader


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def docx_items(data: bytes) -> list[str]:
    """Every paragraph and table cell of the body, in order (a merged cell once)."""
    doc = Document(io.BytesIO(data))
    items = []
    for el in doc.element.body.iterchildren():
        if el.tag == qn("w:p"):
            items.append(Paragraph(el, doc).text)
        elif el.tag == qn("w:tbl"):
            for row in Table(el, doc).rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        items.append(cell.text)
    return [i for i in items if squash(i)]


def pdf_text(data: bytes) -> str:
    return squash("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def missing_from_pdf(docx: bytes, pdf: bytes) -> list[str]:
    """The Word document's paragraphs and cells that the PDF does not print."""
    text = pdf_text(pdf)
    return [i for i in docx_items(docx) if squash(i) not in text]


def in_order(needles: list[str], haystack: str) -> bool:
    at = 0
    for needle in needles:
        at = haystack.find(squash(needle), at)
        if at < 0:
            return False
        at += 1
    return True
