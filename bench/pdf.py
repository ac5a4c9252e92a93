"""Benchmark: print a complete agreement (articles, standards table, annex chart) as PDF.

Prints one JSON line: ``render_s`` (median of RUNS renders, HTML → PDF including the annex
chart already computed), ``pages``, ``bytes`` (draft), plus the signed PDF/A-3b size and the
time the annex simulation took once. Targets (issue 7): render ≤ 3 s, file ≤ 1.5 MB, ≥ 6 pages.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypdf import PdfReader  # noqa: E402

from app.agreements import example  # noqa: E402
from app.reports import agreement_annex, pdf  # noqa: E402

RUNS = 7


def main() -> None:
    agreement = example.example_agreement()
    start = time.perf_counter()
    annex = agreement_annex.simulated_effect(None, example.EXAMPLE_PACKAGE)
    annex_s = time.perf_counter() - start
    pdf.render_agreement(agreement, annex=annex)  # warm the font and template caches
    times, data = [], b""
    for _ in range(RUNS):
        start = time.perf_counter()
        data = pdf.render_agreement(agreement, annex=annex)
        times.append(time.perf_counter() - start)
    signed = pdf.render_signed(agreement, signed_on=dt.date(2026, 11, 20), annex=annex)
    print(json.dumps({
        "render_s": round(statistics.median(times), 3),
        "pages": len(PdfReader(io.BytesIO(data)).pages),
        "bytes": len(data),
        "signed_pdfa_bytes": len(signed),
        "annex_simulation_s": round(annex_s, 3),
        "runs": RUNS,
        "machine": f"{platform.machine()} {platform.python_version()}",
    }))




if __name__ == "__main__":
    main()
