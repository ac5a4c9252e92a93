"""A scenario tested against a record of the registry: the thresholds it carries, labelled with
the place and sourced like the record (one home for scenarios and negotiations alike)."""
from __future__ import annotations

import dataclasses

from app.standards import provinces
from app.standards.lookup import MinimumWage

TIERS = {"1": ("一类", "tier 1"), "2": ("二类", "tier 2"), "3": ("三类", "tier 3"),
         "4": ("四类", "tier 4")}


def region_label(record: MinimumWage, lang: str = "zh") -> str:
    """``河南省一类`` / ``Henan tier 1``."""
    tier = TIERS.get(str(record.tier), (f"{record.tier}类", f"tier {record.tier}"))
    if lang == "en":
        return f"{provinces.ENGLISH[record.province]} {tier[1]}"
    return provinces.FULL_NAMES[record.province] + tier[0]


def with_minimum_wage(scenario, record: MinimumWage):
    """``scenario`` tested against ``record``: its thresholds and their sources replaced (the
    simulator stays pure; it receives the resolved figures)."""
    thresholds = dataclasses.replace(
        scenario.thresholds, hourly_minimum_wage=record.hourly,
        monthly_minimum_wage=float(record.monthly), region=region_label(record),
        valid_from=record.effective_from.isoformat())
    sources = dict(scenario.sources)
    for name in ("hourly_minimum_wage", "monthly_minimum_wage", "region", "valid_from"):
        sources[f"thresholds.{name}"] = record.source
    return dataclasses.replace(scenario, thresholds=thresholds, sources=sources)
