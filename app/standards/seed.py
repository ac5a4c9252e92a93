"""The registry's seed data: readable CSV files in ``app/standards/data/``, read into row dicts.

The migration that creates the tables inserts these rows; later standards are added by an
administrator (form or CSV upload in the same format as ``minimum_wages.csv``).
"""
from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _read(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _yes(text: str) -> bool:
    return text.strip().lower() in ("yes", "true", "1", "是")


def minimum_wage_rows() -> list[dict]:
    return [{"province": r["province"], "tier": int(r["tier"]), "monthly": Decimal(r["monthly"]),
             "hourly": Decimal(r["hourly"]),
             "effective_from": date.fromisoformat(r["effective_from"]),
             "document": r["document"], "source": r["source"], "verified": _yes(r["verified"]),
             "note": r["note"], "method": "seed"}
            for r in _read("minimum_wages.csv")]


def place_rows() -> list[dict]:
    return [{"province": r["province"], "city": r["city"],
             "tier": int(r["tier"]) if r["tier"].strip() else None,
             "standard_effective_from": date.fromisoformat(r["standard_effective_from"]),
             "source": r["source"], "verified": _yes(r["verified"]), "note": r["note"]}
            for r in _read("places.csv")]


def other_rows() -> list[dict]:
    return [{"kind": r["kind"], "province": r["province"], "sector": r["sector"],
             "scheme": r["scheme"], "value": Decimal(r["value"]),
             "value_high": Decimal(r["value_high"]) if r["value_high"].strip() else None,
             "unit": r["unit"], "effective_from": date.fromisoformat(r["effective_from"]),
             "condition": r["condition"], "document": r["document"], "source": r["source"],
             "verified": _yes(r["verified"]), "note": r["note"]}
            for r in _read("other_standards.csv")]
