"""The regional year report for the tripartite office (年度书面材料, due 22 December).

Figures per city and sector for one calendar year, as of the year's end (or ``today`` if the
year is still running):

- offers made (SEND_OFFER steps dated in the year) and how many of them got a written reply
  (accept, counter-offer or refusal) within 20 days of receipt (第三十二条);
- negotiations in consultation at the end date (in consultation, suspended, in coordination,
  draft agreed or ratified), agreements signed in the year, agreements in force at the end date
  (for variants never filed — minutes, platform rules — once signed) and the workers covered;

Each negotiation counts under its own variant (``variants``): its reply period, and whether its
outcome needs a congress vote or a filing.
- the risk grade of each enterprise's latest screening in the year;
- ledger items opened and closed in the year, and items overdue at the end date.

Corrected procedure steps count with their corrected dates; the state at the end date replays
the effective steps up to that date through the workflow table.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import spreadsheet
from app.auth.models import Organisation
from app.auth.permissions import require
from app.ledger import access
from app.ledger.items import ItemStatus
from app.ledger.models import LedgerItem, RiskScreening
from app.ledger.scoring import GRADES
from app.negotiations import rules as negotiation_rules, variants
from app.negotiations.models import Negotiation, ProcedureStep
from app.negotiations.workflow import NO_VOTE_TRANSITIONS, TRANSITIONS, Event, State

REPLY_DAYS = negotiation_rules.REPLY_DAYS
REPLY_EVENTS = {Event.ACCEPT.value, Event.COUNTER_OFFER.value, Event.REFUSE.value}
CONSULTING_STATES = {State.IN_CONSULTATION, State.SUSPENDED, State.COORDINATION,
                     State.DRAFT_AGREED, State.RATIFIED}
NO_SECTOR = "other"

#: Report columns in order: key, Chinese heading, English heading.
COLUMNS = (
    ("offers", "发出要约", "Offers made"),
    ("replied_in_time", "20日内书面回应", "Replies within 20 days"),
    ("in_consultation", "协商中", "In consultation"),
    ("signed", "签订协议", "Agreements signed"),
    ("in_force", "生效协议", "Agreements in force"),
    ("workers_covered", "覆盖劳动者", "Workers covered"),
    ("grade_low", "低风险企业", "Low-risk enterprises"),
    ("grade_medium", "中风险企业", "Medium-risk enterprises"),
    ("grade_high", "高风险企业", "High-risk enterprises"),
    ("items_opened", "新增整改事项", "Ledger items opened"),
    ("items_closed", "完成整改事项", "Ledger items closed"),
    ("items_overdue", "逾期整改事项", "Ledger items overdue"),
)
KEYS = tuple(c[0] for c in COLUMNS)


@dataclass
class Row:
    city: str
    sector: str
    figures: dict = field(default_factory=lambda: dict.fromkeys(KEYS, 0))


@dataclass
class RegionReport:
    year: int
    as_of: date
    region: str
    rows: list[Row]
    totals: dict

    def by_key(self) -> dict[tuple[str, str], dict]:
        return {(r.city, r.sector): r.figures for r in self.rows}


def _region_filter(actor):
    """(province, city) the actor reports on; None for all (site administrators)."""
    if actor.is_site_admin:
        return None
    office = actor.organisation
    return office.province, office.city or None


def _in_region(region, province: str, city: str) -> bool:
    if region is None:
        return True
    return province == region[0] and (region[1] is None or city == region[1])


def _effective_steps(steps: list[ProcedureStep]) -> list[ProcedureStep]:
    """Steps in order, each original replaced by its latest correction."""
    latest: dict[int, ProcedureStep] = {}
    for step in sorted(steps, key=lambda s: s.id):
        if step.corrects_id is not None:
            latest[step.corrects_id] = step
    originals = [s for s in sorted(steps, key=lambda s: s.id) if s.corrects_id is None]

    def resolve(step):
        seen = set()
        while step.id in latest and step.id not in seen:
            seen.add(step.id)
            step = latest[step.id]
        return step
    return [resolve(s) for s in originals]


def _state_at(steps: list[ProcedureStep], end: date, ruleset: variants.RuleSet) -> State:
    # Each negotiation's own variant: outcomes without a congress vote are signed directly.
    extra = {} if ruleset.vote_required else NO_VOTE_TRANSITIONS
    state = State.PREPARING
    for step in steps:
        if step.on > end:
            break
        try:
            key = (state, Event(step.event))
        except ValueError:
            continue
        state = TRANSITIONS.get(key) or extra.get(key) or state
    return state


def _received(step: ProcedureStep) -> date:
    raw = (step.data or {}).get("received_on")
    try:
        return date.fromisoformat(raw) if isinstance(raw, str) else (raw or step.on)
    except ValueError:
        return step.on


def build(session: Session, actor, year: int, *, today: date) -> RegionReport:
    """The report for ``year`` over the actor's region (site administrators: everywhere)."""
    require(actor, "report.region")
    region = _region_filter(actor)
    start, end = date(year, 1, 1), min(date(year, 12, 31), today)
    rows: dict[tuple[str, str], Row] = {}

    def row(city, sector) -> dict:
        key = (city or "", sector or NO_SECTOR)
        if key not in rows:
            rows[key] = Row(*key)
        return rows[key].figures

    negotiations = [n for n in session.scalars(select(Negotiation))
                    if _in_region(region, n.province, n.city)]
    steps_by: dict[int, list[ProcedureStep]] = {}
    if negotiations:
        for step in session.scalars(select(ProcedureStep).where(
                ProcedureStep.negotiation_id.in_([n.id for n in negotiations]))):
            steps_by.setdefault(step.negotiation_id, []).append(step)
    for n in negotiations:
        figures = row(n.city, n.sector)
        steps = sorted(_effective_steps(steps_by.get(n.id, [])), key=lambda s: (s.on, s.id))
        for i, step in enumerate(steps):
            if step.on < start or step.on > end:
                continue
            if step.event == Event.SEND_OFFER.value:
                figures["offers"] += 1
                due = (variants.after(_received(step), n.ruleset.reply).date if n.ruleset.reply
                       else _received(step) + timedelta(days=REPLY_DAYS))
                following = next((s for s in steps[i + 1:] if s.event in REPLY_EVENTS
                                  or s.event == Event.SEND_OFFER.value), None)
                if following is not None and following.event in REPLY_EVENTS \
                        and following.on <= due and following.on <= end:
                    figures["replied_in_time"] += 1
            elif step.event == Event.SIGN.value:
                figures["signed"] += 1
        state = _state_at(steps, end, n.ruleset)
        # Minutes and platform-rule outcomes are never filed: binding once both chiefs signed.
        signed_outcome = state is State.SIGNED and not n.ruleset.filing_required
        if state in CONSULTING_STATES:
            figures["in_consultation"] += 1
        elif state is State.IN_FORCE or signed_outcome:
            figures["in_force"] += 1
            figures["workers_covered"] += n.workers_count or 0

    enterprises = {o.id: o for o in session.scalars(select(Organisation).where(
        Organisation.kind.in_(access.ENTERPRISE_KINDS))) if _in_region(region, o.province, o.city)}
    latest: dict[int, RiskScreening] = {}
    for s in session.scalars(select(RiskScreening).where(
            RiskScreening.screened_on >= start, RiskScreening.screened_on <= end)
            .order_by(RiskScreening.screened_on, RiskScreening.id)):
        if s.enterprise_id in enterprises:
            latest[s.enterprise_id] = s
    for enterprise_id, s in latest.items():
        ent = enterprises[enterprise_id]
        if s.grade in GRADES:
            row(ent.city, ent.sector.value if ent.sector else None)[f"grade_{s.grade}"] += 1

    for item in session.scalars(select(LedgerItem).where(LedgerItem.opened_on <= end)):
        ent = enterprises.get(item.enterprise_id)
        if ent is None:
            continue
        figures = row(ent.city, ent.sector.value if ent.sector else None)
        if item.opened_on >= start:
            figures["items_opened"] += 1
        closed = item.status is ItemStatus.CLOSED and item.closed_on is not None
        if closed and start <= item.closed_on <= end:
            figures["items_closed"] += 1
        open_at_end = not closed or item.closed_on > end
        if open_at_end and item.deadline < end:
            figures["items_overdue"] += 1

    ordered = [rows[k] for k in sorted(rows)]
    totals = {k: sum(r.figures[k] for r in ordered) for k in KEYS}
    label = "" if region is None else f"{region[0]}{region[1] or ''}"  # "" means everywhere
    return RegionReport(year, end, label, ordered, totals)


def to_csv(report: RegionReport, *, lang: str = "zh", sector_label=None) -> str:
    """CSV text (UTF-8 with BOM added by the caller if needed), one row per city and sector."""
    out = io.StringIO()
    writer = csv.writer(out)
    zh = lang == "zh"
    writer.writerow(["城市" if zh else "City", "行业" if zh else "Sector"]
                    + [c[1] if zh else c[2] for c in COLUMNS])
    label = sector_label or (lambda s: s)
    for r in report.rows:
        writer.writerow(spreadsheet.csv_row([r.city, label(r.sector)]
                                            + [r.figures[k] for k in KEYS]))
    writer.writerow(["合计" if zh else "Total", ""] + [report.totals[k] for k in KEYS])
    return out.getvalue()
