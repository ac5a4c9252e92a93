"""Evidence files: the allowed types, the size limit, and a check of the content's first bytes.

Files are kept in the database (``LedgerEvidence.data``); the type is decided here from the
extension and confirmed by the file's magic bytes, never taken from the browser.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

MAX_FILE_BYTES = 5 * 1024 * 1024
#: Allowed evidence files: extension → (content type, magic prefix or None for text).
FILE_TYPES = {
    ".pdf": ("application/pdf", b"%PDF"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              b"PK\x03\x04"),
    ".csv": ("text/csv", None),
    ".txt": ("text/plain", None),
}


# Characters that reorder the text around them (U+202E shows "evil‮fdp.exe" as "evilexe.pdf").
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def validate_upload(upload: Upload | None, errors: dict) -> tuple[str, str] | None:
    """(safe file name, content type) of an acceptable upload; None when there is no file or
    it is refused, in which case ``errors["file"]`` says why."""
    if upload is None or not upload.filename:
        return None
    name = upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].strip()[:200]
    if BIDI_CONTROLS.search(name):
        errors["file"] = "The file name contains invisible direction characters; rename it."
        return None
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in FILE_TYPES:
        errors["file"] = "Upload a PDF, PNG, JPEG, XLSX, DOCX, CSV or TXT file."
        return None
    if not upload.data:
        errors["file"] = "The file is empty."
        return None
    if len(upload.data) > MAX_FILE_BYTES:
        errors["file"] = "The file is larger than 5 MB."
        return None
    content_type, magic = FILE_TYPES[ext]
    if magic is not None and not upload.data.startswith(magic):
        errors["file"] = "The file's content does not match its type."
        return None
    if magic is None:
        try:
            upload.data.decode("utf-8")
        except UnicodeDecodeError:
            errors["file"] = "The file's content does not match its type."
            return None
    return name, content_type
