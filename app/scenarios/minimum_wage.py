"""The minimum wage of a place on a date: one lookup every scenario's threshold comes from.

Until the national registry of dated standards exists, the records are Henan's two most recent
standards (``domain/reference-values.md`` §1, ``domain/updates-2026.md`` §1). :func:`minimum_wage`
is the only entry point, so it can later be pointed at the registry without touching callers.
Which tier a city belongs to is not verified (the annex assigning places to tiers changed with
the 2025 notice): the user chooses the tier and every page shows the one used.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from app.simulator import ValidationError

PROVINCES = {"henan": ("河南省", "Henan")}
TIERS = {"1": ("一类", "tier 1"), "2": ("二类", "tier 2"), "3": ("三类", "tier 3")}
DEFAULT_PROVINCE, DEFAULT_TIER = "henan", "1"

_DAHE_2024 = "https://news.dahe.cn/2024/01-05/1357464.html"
_HENAN_2025 = ("https://news.china.com/socialgd/10000169/20260113/49160959.html ; "
               "https://www.china-payroll.com/china-updates-minimum-wage-standards-across-"
               "multiple-provinces-2025-overview")


@dataclass(frozen=True)
class MinimumWage:
    """One dated standard for one tier of one province (money in yuan)."""

    province: str
    tier: str
    monthly: float
    hourly: float
    effective_from: dt.date
    document: str
    source: str
    verified: bool

    def region_label(self, lang: str = "zh") -> str:
        """``河南省一类`` / ``Henan tier 1``."""
        if lang == "en":
            return f"{PROVINCES[self.province][1]} {TIERS[self.tier][1]}"
        return PROVINCES[self.province][0] + TIERS[self.tier][0]

    def to_dict(self) -> dict:
        return {"province": self.province, "tier": self.tier, "monthly": self.monthly,
                "hourly": self.hourly, "effective_from": self.effective_from.isoformat(),
                "document": self.document, "source": self.source, "verified": self.verified,
                "region": self.region_label()}


def _henan(on: dt.date, document: str, source: str, verified: bool, *figures):
    return [MinimumWage("henan", tier, monthly, hourly, on, document, source, verified)
            for tier, (monthly, hourly) in zip(("1", "2", "3"), figures)]


# Verified = read in the secondary reproductions named as source, not in the official text.
RECORDS: tuple[MinimumWage, ...] = tuple(
    _henan(dt.date(2024, 1, 1), "豫政〔2023〕43号", _DAHE_2024, False,
           (2100.0, 20.6), (2000.0, 19.6), (1800.0, 17.6))
    + _henan(dt.date(2025, 12, 1), "河南省2025年最低工资标准调整通知（文号未核实）", _HENAN_2025,
             False, (2350.0, 23.0), (2150.0, 21.1), (2000.0, 19.6)))
EARLIEST = min(r.effective_from for r in RECORDS)


def minimum_wage(province: str, tier: str, on: dt.date) -> MinimumWage:
    """The standard in force in ``province``/``tier`` on ``on``.

    Raises :class:`ValidationError` (keys ``province``, ``tier``, ``as_of``) for an unknown place
    or a date before the earliest record.
    """
    if province not in PROVINCES:
        raise ValidationError({"province": "未知的省份"})
    if tier not in TIERS:
        raise ValidationError({"tier": "请选择一类、二类或三类"})
    found = [r for r in RECORDS if r.province == province and r.tier == tier
             and r.effective_from <= on]
    if not found:
        raise ValidationError({"as_of": f"没有 {on.isoformat()} 时有效的最低工资标准记录"
                                        f"（最早为 {EARLIEST.isoformat()}）"})
    return max(found, key=lambda r: r.effective_from)


def parse_date(raw) -> dt.date:
    """A date from a form or the command line (``YYYY-MM-DD``), or ValidationError."""
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw or "").strip())
    except ValueError:
        raise ValidationError({"as_of": "请填写日期，格式为 年-月-日（如 2026-01-31）"}) from None


def place_of(hourly: float, valid_from: str) -> tuple[str, str, dt.date]:
    """The place and date a scenario stored before places existed is given: the tier whose
    hourly figure it holds in the standard named by ``valid_from`` (tier 1 if none matches)."""
    try:
        on = dt.date.fromisoformat(str(valid_from))
    except ValueError:
        on = EARLIEST
    on = max(on, EARLIEST)
    for r in RECORDS:
        if r.effective_from <= on and abs(r.hourly - hourly) < 1e-9 \
                and minimum_wage(r.province, r.tier, on) == r:
            return r.province, r.tier, on
    return DEFAULT_PROVINCE, DEFAULT_TIER, on


def with_minimum_wage(scenario, record: MinimumWage):
    """``scenario`` tested against ``record``: its thresholds and their sources replaced (the
    simulator stays pure; it receives the resolved figures)."""
    thresholds = dataclasses.replace(
        scenario.thresholds, hourly_minimum_wage=record.hourly,
        monthly_minimum_wage=record.monthly, region=record.region_label(),
        valid_from=record.effective_from.isoformat())
    sources = dict(scenario.sources)
    for name in ("hourly_minimum_wage", "monthly_minimum_wage", "region", "valid_from"):
        sources[f"thresholds.{name}"] = record.source
    return dataclasses.replace(scenario, thresholds=thresholds, sources=sources)
