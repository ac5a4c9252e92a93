"""The agreement as printed: drafts and signed originals as PDF (with the simulated-effect
annex), and the check that an uploaded PDF is a signed original.

This is the adapter above ``app.agreements``: it reads through the agreement's access rules
(``app.agreements.access``) and hands ``print_signed`` to ``app.agreements.service.sign``.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agreements import access, document as A
from app.agreements.models import Agreement, SignedCopy
from app.negotiations import access as naccess, floor
from app.negotiations import records as nrecords
from app.errors import Msg, ValidationError
from app.negotiations.models import Negotiation
from app.reports import agreement_annex, pdf

MAX_PDF_UPLOAD = 20 * 1024 * 1024


def annex_for(negotiation: Negotiation, content: Mapping, lang: str = "zh") -> dict | None:
    """The simulated effect of the agreed standards vs the negotiation's current rules (the
    package effect every page shows: ``app.simulator.effect.package_effect``).

    Same inputs give the same figures (fixed seed), so results are cached by their inputs: a
    second download of the same version does not simulate again.
    """
    current = negotiation.current_rules if isinstance(negotiation.current_rules, Mapping) \
        else None
    package = {s["key"]: s["value"] for s in content["standards"]}
    sector = negotiation.sector if negotiation.sector in A.SECTORS else "delivery"
    key = json.dumps([current, package, sector, lang], sort_keys=True, default=str)
    return _annex(key)


@functools.lru_cache(maxsize=32)
def _annex(key: str) -> dict | None:
    current, package, sector, lang = json.loads(key)
    return agreement_annex.simulated_effect(current, package, sector=sector, lang=lang)


# --- printing and verification -------------------------------------------------------------------
def print_signed(negotiation: Negotiation, content: Mapping, *, signed_on: dt.date, lang: str,
                 floor: dict | None) -> bytes:
    """The signed original of ``content`` (PDF/A with its annex): the ``printer`` of
    ``app.agreements.service.sign``."""
    return pdf.render_signed(content, signed_on=signed_on, lang=lang,
                             annex=annex_for(negotiation, content, lang), floor=floor)


def render_pdf(session: Session, actor, negotiation_id: int, *, lang: str = "zh",
               number: Any = None, annex: bool = True,
               now: dt.datetime) -> tuple[str, bytes]:
    """``(filename, bytes)``: the signed original when signed (same language, no version asked),
    otherwise the draft of the asked or latest version with its watermark (its floor clause
    citing the minimum wage in force on ``now``'s day)."""
    if lang not in pdf.LANGS:
        raise ValidationError({"lang": Msg("Invalid language")})
    v = access.with_agreement(session, actor, negotiation_id)
    if v.signed is not None and number in (None, "") and lang == v.signed.lang:
        return f"agreement-{v.negotiation.id}-signed.pdf", v.signed.pdf
    if number not in (None, ""):
        row = access.version(session, actor, negotiation_id, number)
    elif v.signed is not None:  # the signed text in the other language: a rendition, no watermark
        row = next(r for r in v.versions if r.number == v.signed.number)
    else:
        row = v.latest
    is_signed = v.signed is not None and row.number == v.signed.number
    signed_on = v.signed.signed_on if is_signed else None
    annex_data = annex_for(v.negotiation, row.content, lang) if annex else None
    cited = floor.for_version(session, v.negotiation, v.signed, row.number,
                              nrecords.local_today(now))
    # A version never changes, so the same version, language, annex and citation print the same
    # bytes.
    key = (row.id, lang, is_signed, signed_on,
           json.dumps([annex_data, cited], sort_keys=True, default=str))
    data = _PRINTED.get(key)
    if data is None:
        data = pdf.render_agreement(row.content, lang=lang, draft=not is_signed,
                                    signed_on=signed_on, annex=annex_data, floor=cited)
        _PRINTED.put(key, data)
    return f"agreement-{v.negotiation.id}-v{row.number}-{lang}.pdf", data


class _LastPrinted:
    """The most recently printed PDFs of this process (rendering one takes about a second)."""

    def __init__(self, size: int = 16):
        self.size, self.items = size, {}

    def get(self, key):
        data = self.items.pop(key, None)
        if data is not None:
            self.items[key] = data  # most recent last
        return data

    def put(self, key, data: bytes) -> None:
        self.items[key] = data
        while len(self.items) > self.size:
            self.items.pop(next(iter(self.items)))


_PRINTED = _LastPrinted()


def render_pdf_system(session: Session, negotiation_id: int, *, lang: str = "zh",
                      now: dt.datetime) -> tuple[str, bytes]:
    """For the command line (full rights): the signed original, or the latest draft."""
    negotiation, signed, latest = access.for_system(session, negotiation_id)
    if signed is not None and signed.lang == lang:
        return f"agreement-{negotiation_id}-signed.pdf", signed.pdf
    data = pdf.render_agreement(latest.content, lang=lang, draft=signed is None,
                                annex=annex_for(negotiation, latest.content, lang),
                                signed_on=signed.signed_on if signed else None,
                                floor=floor.for_version(session, negotiation, signed,
                                                        latest.number, nrecords.local_today(now)))
    return f"agreement-{negotiation_id}-v{latest.number}-{lang}.pdf", data


@dataclass
class Verification:
    matches: bool
    sha256: str
    negotiation: Negotiation | None = None
    copy: SignedCopy | None = None


def verify_upload(session: Session, actor, data: bytes) -> Verification:
    """Whether ``data`` is byte for byte a signed original the actor may see (by SHA-256)."""
    if not data:
        raise ValidationError({"file": Msg("Choose the PDF file to verify")})
    if len(data) > MAX_PDF_UPLOAD:
        raise ValidationError({"file": Msg("The file is too large")})
    digest = pdf.sha256(data)
    for copy in session.scalars(select(SignedCopy).where(SignedCopy.sha256 == digest)):
        agreement = session.get(Agreement, copy.agreement_id)
        negotiation = agreement.negotiation
        if naccess.side_of(actor, negotiation) is not None and pdf.verify(data, copy.sha256):
            return Verification(True, digest, negotiation, copy)
    return Verification(False, digest)
