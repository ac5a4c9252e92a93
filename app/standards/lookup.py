"""Which standard was in force where and when: minimum wages, place tiers, other standards.

A province's standard in force on a day is the one with the latest ``effective_from`` on or
before that day; a tier it does not have has no minimum wage (provinces merge tiers). Among
records of one province, tier and date the newest (a correction) wins.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.standards import provinces
from app.standards.models import DatedStandard, MinimumWageRecord, PlaceTierRecord


class StandardNotFound(LookupError):
    """No standard in force for this province (or tier, or place) on that day.

    Not an ``app.errors.NotFound``: a registry miss that every caller handles (a fallback or a
    message), never a record the user asked for."""


@dataclass(frozen=True)
class MinimumWage:
    """A minimum wage in force: 元/月 for full-time work, 元/时 for non-full-time work."""

    province: str
    tier: int
    monthly: float
    hourly: float
    effective_from: date
    document: str
    source: str
    verified: bool

    def as_dict(self) -> dict:
        return {"province": self.province, "tier": self.tier, "monthly": self.monthly,
                "hourly": self.hourly, "effective_from": self.effective_from.isoformat(),
                "document": self.document, "source": self.source, "verified": self.verified}


@dataclass(frozen=True)
class PlaceTier:
    """The tier of a place under the standard in force; ``tier`` None = to be confirmed."""

    province: str
    city: str
    tier: int | None
    standard_effective_from: date
    source: str
    verified: bool


def _money(value) -> float:
    number = float(value)
    return int(number) if number.is_integer() else number


def to_minimum_wage(record: MinimumWageRecord) -> MinimumWage:
    return MinimumWage(province=record.province, tier=record.tier,
                       monthly=_money(record.monthly), hourly=float(record.hourly),
                       effective_from=record.effective_from, document=record.document,
                       source=record.source, verified=record.verified)


def _province(name) -> str:
    short = provinces.normalise(name)
    if short is None:
        raise StandardNotFound(f"unknown province {name!r}")
    return short


def standard_date(session: Session, province: str, on: date) -> date | None:
    """The ``effective_from`` of the province's standard in force on ``on`` (None if none)."""
    return session.scalar(select(func.max(MinimumWageRecord.effective_from)).where(
        MinimumWageRecord.province == province, MinimumWageRecord.effective_from <= on))


def _current(records) -> dict[int, MinimumWageRecord]:
    """By tier, the newest record (corrections come later)."""
    by_tier: dict[int, MinimumWageRecord] = {}
    for record in sorted(records, key=lambda r: r.id):
        by_tier[record.tier] = record
    return by_tier


def _records_of(session: Session, province: str, effective_from: date):
    return session.scalars(select(MinimumWageRecord).where(
        MinimumWageRecord.province == province,
        MinimumWageRecord.effective_from == effective_from)).all()


def minimum_wage(session: Session, province: str, tier: int, on: date) -> MinimumWage:
    """The minimum wage of ``province`` (short or full name), ``tier``, in force on ``on``."""
    short = _province(province)
    when = standard_date(session, short, on)
    if when is None:
        raise StandardNotFound(f"no standard for {short} in force on {on.isoformat()}")
    record = _current(_records_of(session, short, when)).get(int(tier))
    if record is None:
        raise StandardNotFound(f"the {short} standard of {when.isoformat()} has no tier {tier}")
    return to_minimum_wage(record)


def minimum_wages_in_force(session: Session, on: date,
                           province: str | None = None) -> list[MinimumWage]:
    """Every province's standard in force on ``on``, one record per province and tier.

    In the order of ``provinces.PROVINCES`` and by tier; ``province`` narrows it to one.
    """
    query = select(MinimumWageRecord).where(MinimumWageRecord.effective_from <= on)
    if province is not None:
        query = query.where(MinimumWageRecord.province == _province(province))
    latest: dict[str, date] = {}
    records = session.scalars(query).all()
    for record in records:
        if record.effective_from > latest.get(record.province, date.min):
            latest[record.province] = record.effective_from
    result = []
    for short in provinces.SHORT_NAMES:
        if short not in latest:
            continue
        current = _current(r for r in records
                           if r.province == short and r.effective_from == latest[short])
        result.extend(to_minimum_wage(current[tier]) for tier in sorted(current))
    return result


def newer_minimum_wage(session: Session, province: str, tier: int, since: date,
                       on: date) -> MinimumWage | None:
    """The standard in force on ``on`` if it is newer than the one in force on ``since``.

    For the "a newer standard came into force" banner: ``since`` is the scenario's (or
    agreement's) date, ``on`` today. None when the same standard still applies, or when there
    is none for the tier on ``on``.
    """
    try:
        current = minimum_wage(session, province, tier, on)
    except StandardNotFound:
        return None
    before = standard_date(session, _province(province), since)
    if before is not None and current.effective_from <= before:
        return None
    return current


def place_tier(session: Session, province: str, city: str, on: date) -> PlaceTier:
    """The tier of ``city`` under the province's standard in force on ``on``.

    Raises :class:`StandardNotFound` if no standard is in force; a place without a record for
    that standard comes back with ``tier`` None ("tier to be confirmed").
    """
    short = _province(province)
    when = standard_date(session, short, on)
    if when is None:
        raise StandardNotFound(f"no standard for {short} in force on {on.isoformat()}")
    record = session.scalars(select(PlaceTierRecord).where(
        PlaceTierRecord.province == short, PlaceTierRecord.city == str(city).strip(),
        PlaceTierRecord.standard_effective_from == when)
        .order_by(PlaceTierRecord.id.desc()).limit(1)).first()
    if record is None:
        return PlaceTier(short, str(city).strip(), None, when, "", False)
    return PlaceTier(record.province, record.city, record.tier, when, record.source,
                     record.verified)


def places(session: Session, province: str, on: date) -> list[PlaceTier]:
    """Every recorded place of ``province`` (capital first, in the seed's order) with its tier
    under the standard in force."""
    short = _province(province)
    cities = session.scalars(select(PlaceTierRecord.city).where(
        PlaceTierRecord.province == short).group_by(PlaceTierRecord.city)
        .order_by(func.min(PlaceTierRecord.id))).all()
    return [place_tier(session, short, city, on) for city in cities]


def other_standards_in_force(session: Session, on: date, kind: str | None = None):
    """Dated standards other than minimum wages in force on ``on``: the latest per kind,
    province, sector and scheme (older ones are kept for dates before)."""
    query = select(DatedStandard).where(DatedStandard.effective_from <= on)
    if kind is not None:
        query = query.where(DatedStandard.kind == kind)
    latest: dict[tuple, DatedStandard] = {}
    for record in session.scalars(query.order_by(DatedStandard.effective_from,
                                                 DatedStandard.id)).all():
        latest[(record.kind, record.province, record.sector, record.scheme)] = record
    return sorted(latest.values(), key=lambda r: (r.kind, r.province, r.sector, r.scheme))


def standard_dates_after(session: Session, province: str, after: date) -> list[date]:
    """The dates of the province's standards recorded with ``effective_from`` after ``after``
    (those announced for a later day included), earliest first."""
    return list(session.scalars(select(MinimumWageRecord.effective_from).where(
        MinimumWageRecord.province == _province(province),
        MinimumWageRecord.effective_from > after).distinct()
        .order_by(MinimumWageRecord.effective_from)))
