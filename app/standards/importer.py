"""Add minimum-wage records: one from the form, or many from a CSV in the seed file's format.

Every row is checked (known province, tier, non-negative amounts, a plausible monthly/hourly
ratio, a date, a source, no second record for the same province, tier and date unless it names
the record it corrects). A file with any problem is rejected as a whole and nothing is written;
``plan`` is the dry run: what each row would add or correct.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.db import atomic
from app.auth.permissions import require
from app.ids import parse_id
from app.standards import access  # noqa: F401  (registers the permission rules)
from app.standards import provinces
from app.standards.lookup import MinimumWage, StandardNotFound, minimum_wage, to_minimum_wage
from app.standards.models import MinimumWageRecord

MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000
MAX_PROBLEMS = 50
COLUMNS = ("province", "tier", "monthly", "hourly", "effective_from", "document", "source",
           "verified")
OPTIONAL = ("note", "corrects")
# Monthly ÷ hourly: the hourly minimum (non-full-time work) includes the employer's social
# insurance, so it runs above monthly ÷ 174 (21.75 days × 8 h, the statutory monthly hours).
# Every seeded standard lies between 88 and 112; below 60 or above 174 is a typo. Assumption.
RATIO_LOW, RATIO_HIGH = Decimal(60), Decimal(174)
EARLIEST, LATEST = date(1994, 1, 1), date(2100, 12, 31)   # 劳动法 came into force 1995


@dataclass(frozen=True)
class Problem:
    message: str                      # English source string with %(name)s placeholders
    row: int | None = None            # 1-based line of the file (the header is row 1)
    column: str | None = None
    params: dict = field(default_factory=dict)

    def text(self) -> str:
        return self.message % self.params if self.params else self.message


class ImportRejected(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems[:MAX_PROBLEMS]
        super().__init__("; ".join(
            (f"row {p.row}: " if p.row else "") + (f"{p.column}: " if p.column else "") + p.text()
            for p in self.problems))


@dataclass(frozen=True)
class Change:
    """One row of the dry run: the record it adds and what it replaces for its dates."""

    row: int
    values: dict
    previous: MinimumWage | None      # in force the day before (new) or the corrected record
    corrects_id: int | None

    @property
    def kind(self) -> str:
        return "correction" if self.corrects_id else "new"


def _decimal(raw: str, column: str, row: int, high: Decimal, problems: list) -> Decimal | None:
    try:
        value = Decimal(raw.strip())
    except (InvalidOperation, ValueError):
        problems.append(Problem("Enter a number.", row, column))
        return None
    if not value.is_finite():
        problems.append(Problem("Enter a number.", row, column))
    elif value < 0:
        problems.append(Problem("Must not be negative.", row, column))
    elif value == 0:
        problems.append(Problem("Must be more than 0.", row, column))
    elif value > high or value.as_tuple().exponent < -2:
        problems.append(Problem("Enter an amount up to %(high)s with at most two decimals.",
                                row, column, {"high": str(high)}))
    else:
        return value
    return None


def check_row(raw: dict, row: int) -> tuple[dict | None, list[Problem]]:
    """Check one row (text values by column); the cleaned values, or None, and the problems."""
    problems: list[Problem] = []
    text = {k: str(raw.get(k) or "").strip() for k in COLUMNS + OPTIONAL}
    province = provinces.normalise(text["province"])
    if province is None:
        problems.append(Problem("Unknown province “%(name)s”: use one of the 31 provincial "
                                "regions, e.g. 河南 or 河南省.", row, "province",
                                {"name": text["province"][:40]}))
    tier = parse_id(text["tier"])
    if tier is None or tier > 9:
        problems.append(Problem("Enter a tier from 1 to 9.", row, "tier"))
    monthly = _decimal(text["monthly"], "monthly", row, Decimal(100000), problems)
    hourly = _decimal(text["hourly"], "hourly", row, Decimal(1000), problems)
    if monthly is not None and hourly is not None and not (
            RATIO_LOW <= monthly / hourly <= RATIO_HIGH):
        problems.append(Problem("Monthly %(monthly)s and hourly %(hourly)s do not fit together: "
                                "monthly ÷ hourly is %(ratio)s, expected %(low)s to %(high)s.",
                                row, "hourly", {"monthly": str(monthly), "hourly": str(hourly),
                                                "ratio": f"{monthly / hourly:.0f}",
                                                "low": str(RATIO_LOW), "high": str(RATIO_HIGH)}))
    try:
        effective = date.fromisoformat(text["effective_from"])
        if not EARLIEST <= effective <= LATEST:
            raise ValueError
    except ValueError:
        effective = None
        problems.append(Problem("Enter a date as YYYY-MM-DD (1994 to 2100).", row,
                                "effective_from"))
    if not text["source"]:
        problems.append(Problem("Give the source: the address of the notice or the page that "
                                "reproduces it.", row, "source"))
    for column, limit in (("document", 200), ("source", 1000), ("note", 1000)):
        if len(text[column]) > limit:
            problems.append(Problem("At most %(n)s characters.", row, column, {"n": limit}))
        elif any(ord(c) < 32 or c == "\x7f" for c in text[column]):
            problems.append(Problem("Remove the control characters.", row, column))
    verified = {"yes": True, "no": False, "是": True, "否": False}.get(text["verified"].lower())
    if verified is None:
        problems.append(Problem("Enter yes or no.", row, "verified"))
    corrects = None
    if text["corrects"]:
        corrects = parse_id(text["corrects"])
        if corrects is None:
            problems.append(Problem("Enter the number of the record this one corrects.", row,
                                    "corrects"))
    if problems:
        return None, problems
    return {"province": province, "tier": tier, "monthly": monthly, "hourly": hourly,
            "effective_from": effective, "document": text["document"], "source": text["source"],
            "verified": verified, "note": text["note"], "corrects_id": corrects}, []


def read_csv(data: bytes) -> list[tuple[int, dict]]:
    """The rows of a CSV file (UTF-8, header row as in ``minimum_wages.csv``)."""
    if len(data) > MAX_BYTES:
        raise ImportRejected([Problem("The file is larger than %(n)s MB.", params={"n": 1})])
    try:
        reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        table = [row for row in reader]
    except (UnicodeDecodeError, csv.Error):
        raise ImportRejected([Problem("The CSV file could not be read (UTF-8 expected).")])
    if not table:
        raise ImportRejected([Problem("The file is empty.")])
    header = [h.strip() for h in table[0]]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [h for h in header if h not in COLUMNS + OPTIONAL]
    if missing or unknown or len(set(header)) != len(header):
        raise ImportRejected([Problem(
            "The header row must name the columns %(columns)s (optional: note, corrects).",
            1, params={"columns": ", ".join(COLUMNS)})])
    body = [(i, r) for i, r in enumerate(table[1:], start=2) if any(c.strip() for c in r)]
    if not body:
        raise ImportRejected([Problem("The file has no rows under its header.")])
    if len(body) > MAX_ROWS:
        raise ImportRejected([Problem("At most %(n)s rows in one file.", params={"n": MAX_ROWS})])
    return [(i, dict(zip(header, r))) for i, r in body]


def plan(session: Session, rows: list[tuple[int, dict]]) -> list[Change]:
    """The dry run: check every row against the others and the registry; raise on any problem."""
    problems: list[Problem] = []
    seen: dict[tuple, int] = {}
    changes: list[Change] = []
    for row, raw in rows:
        values, row_problems = check_row(raw, row)
        if values is None:
            problems.extend(row_problems)
            continue
        key = (values["province"], values["tier"], values["effective_from"])
        if key in seen:
            problems.append(Problem("Row %(other)s already gives %(province)s tier %(tier)s from "
                                    "%(date)s: the dates overlap.", row, "effective_from",
                                    {"other": seen[key], "province": key[0], "tier": key[1],
                                     "date": key[2].isoformat()}))
            continue
        seen[key] = row
        existing = session.scalars(select(MinimumWageRecord).where(
            MinimumWageRecord.province == key[0], MinimumWageRecord.tier == key[1],
            MinimumWageRecord.effective_from == key[2]).order_by(MinimumWageRecord.id)).all()
        corrects = values["corrects_id"]
        if corrects is None and existing:
            problems.append(Problem("Record %(id)s already gives %(province)s tier %(tier)s from "
                                    "%(date)s: the dates overlap. To correct it, put %(id)s in "
                                    "the corrects column.", row, "effective_from",
                                    {"id": existing[-1].id, "province": key[0], "tier": key[1],
                                     "date": key[2].isoformat()}))
            continue
        if corrects is not None and corrects not in {r.id for r in existing}:
            problems.append(Problem("Record %(id)s is not a record of this province, tier and "
                                    "date.", row, "corrects", {"id": corrects}))
            continue
        if corrects is not None:
            previous = to_minimum_wage(existing[-1])
        else:
            try:
                previous = minimum_wage(session, key[0], key[1], key[2] - timedelta(days=1))
            except StandardNotFound:
                previous = None
        changes.append(Change(row, values, previous, corrects))
    if problems:
        raise ImportRejected(problems)
    return changes


def apply(session: Session, actor, changes: list[Change], *, now: datetime,
          method: str) -> list[MinimumWageRecord]:
    """Write the planned records and one audit entry, in the caller's unit of work."""
    records = []
    for change in changes:
        record = MinimumWageRecord(**change.values, method=method, created_at=now,
                                   created_by_id=getattr(actor, "id", None))
        session.add(record)
        records.append(record)
    session.flush()
    audit.record(session, actor=actor, action=f"standards.minimum_wage.{method}",
                 target_type="minimum_wage_record", target_id=records[0].id if records else None,
                 after={"records": [r.snapshot() | {"id": r.id} for r in records]}, now=now)
    return records


@atomic
def import_csv(session: Session, actor, data: bytes, *, now: datetime,
               dry_run: bool = False) -> tuple[list[Change], list[MinimumWageRecord]]:
    """Check a CSV file and, unless ``dry_run``, store its rows in one transaction."""
    require(actor, "standards.manage")
    changes = plan(session, read_csv(data))
    if dry_run:
        session.rollback()
        return changes, []
    records = apply(session, actor, changes, now=now, method="import")
    return changes, records


@atomic
def add_one(session: Session, actor, form: dict, *, now: datetime) -> MinimumWageRecord:
    """Store one record from the administrator's form (same checks as a file row)."""
    require(actor, "standards.manage")
    changes = plan(session, [(0, form)])
    record = apply(session, actor, changes, now=now, method="form")[0]
    return record
