"""The lay-off notice check (《劳动合同法》第四十一条).

An employer that must cut 20 or more workers, or fewer than 20 but at least 10 % of its
workforce, explains the situation to the union or all staff **30 days in advance** (law), hears
their views, and *then* reports the plan to the labour administration; the law sets no period for
the report. 豫人社函〔2023〕137号 (Henan guidance, not law) asks the offices to guide enterprises
to report 30 days ahead as well. Xieshang flags a notice that is missing or late (law), a report
that is missing or came before the hearing (law), and, labelled as Henan guidance, a report made
fewer than 30 days before the lay-off date.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

NOTICE_DAYS = 30  # 《劳动合同法》第四十一条: notice to the union or all staff, 30 days ahead
#: 豫人社函〔2023〕137号 (Henan guidance, 2023): report 30 days ahead; the law sets no period.
REPORT_DAYS_HENAN = 30
#: Art. 41 applies from this many workers …
MASS_LAYOFF_WORKERS = 20
#: … or from this share of the workforce (per cent).
MASS_LAYOFF_SHARE_PCT = 10


@dataclass(frozen=True)
class LayoffCheck:
    applies: bool               # art. 41 procedure required (20+ workers or 10 %+)
    notice_days: int | None     # days between telling the union/workers and the lay-off
    report_days: int | None     # days between reporting to the labour bureau and the lay-off
    flagged: bool
    problems: tuple[str, ...]   # English source strings; the web layer translates

    @property
    def ok(self) -> bool:
        return not self.flagged


def check(layoff_on: date, workers_affected: int, workforce: int | None,
          union_told_on: date | None, reported_on: date | None) -> LayoffCheck:
    """Whether the plan gave 30 days' notice to the union/workers and to the labour bureau."""
    applies = workers_affected >= MASS_LAYOFF_WORKERS or bool(
        workforce and workers_affected * 100 >= MASS_LAYOFF_SHARE_PCT * workforce)
    notice_days = (layoff_on - union_told_on).days if union_told_on else None
    report_days = (layoff_on - reported_on).days if reported_on else None
    problems: list[str] = []
    if applies:
        if notice_days is None:
            problems.append("The union or the workers have not been told "
                            "(Labour Contract Law art. 41: 30 days ahead).")
        elif notice_days < NOTICE_DAYS:
            problems.append("The union or the workers were told fewer than 30 days ahead "
                            "(Labour Contract Law art. 41).")
        if report_days is None:
            problems.append("The plan has not been reported to the labour bureau "
                            "(Labour Contract Law art. 41, after hearing the union or workers).")
        elif union_told_on is not None and reported_on < union_told_on:
            problems.append("The plan was reported before the union or workers were heard "
                            "(Labour Contract Law art. 41).")
        if report_days is not None and report_days < REPORT_DAYS_HENAN:
            problems.append("The plan was reported to the labour bureau fewer than 30 days "
                            "ahead (Henan guidance 豫人社函〔2023〕137号, not a rule of law).")
    return LayoffCheck(applies, notice_days, report_days, bool(problems), tuple(problems))
