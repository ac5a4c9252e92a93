"""The delegations of both sides and their checks (《集体合同规定》第十九、二十三、二十四条).

Split from ``rules`` (which re-exports these names) to keep each module to one responsibility.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

MIN_REPRESENTATIVES = 3  # 《集体合同规定》第十九条: at least 3 per side, equal numbers, one chief
MAX_OUTSIDE_EXPERT_SHARE = Fraction(1, 3)  # 《集体合同规定》第二十三条: outside experts ≤ 1/3, never chief


# --- Delegations (第十九、二十三、二十四条) --------------------------------------------------------
@dataclass(frozen=True)
class Representative:
    """One consultation representative (协商代表).

    ``person_id`` identifies the person across sides when known (e.g. a user or ID-card hash);
    without it, people are matched by name with surrounding blanks removed.
    """

    name: str
    is_chief: bool = False
    is_outside_expert: bool = False
    person_id: str | None = None

    def identity(self) -> str:
        if self.person_id:
            return "id:" + self.person_id
        return "name:" + self.name.strip()


def _side_problems(label: str, side: Sequence[Representative]) -> list[str]:
    problems: list[str] = []
    n = len(side)
    if n < MIN_REPRESENTATIVES:
        problems.append(f"{label}协商代表只有{n}人，每方至少{MIN_REPRESENTATIVES}人（第十九条）")
    chiefs = [r for r in side if r.is_chief]
    if not chiefs:
        problems.append(f"{label}未指定首席代表，每方须有一名首席代表（第十九条）")
    elif len(chiefs) > 1:
        names = "、".join(r.name for r in chiefs)
        problems.append(f"{label}有{len(chiefs)}名首席代表（{names}），只能有一名（第十九条）")
    experts = [r for r in side if r.is_outside_expert]
    if len(experts) > MAX_OUTSIDE_EXPERT_SHARE * n:
        problems.append(
            f"{label}外聘专业人员{len(experts)}人，超过本方代表{n}人的三分之一（第二十三条）"
        )
    for r in chiefs:
        if r.is_outside_expert:
            problems.append(f"{label}首席代表{r.name}是外聘人员，首席代表不得由外聘人员担任（第二十三条）")
    seen: set[str] = set()
    for r in side:
        key = r.identity()
        if key in seen:
            problems.append(f"{label}代表{r.name}重复列出")
        seen.add(key)
    return problems


def check_delegations(
    worker_side: Sequence[Representative], employer_side: Sequence[Representative]
) -> list[str]:
    """Every problem with the two delegations, in plain Chinese; an empty list means none.

    Checks: at least 3 per side and equal numbers (第十九条); exactly one chief per side
    (第十九条); outside experts at most a third of their side and never chief (第二十三条);
    nobody on both sides (第二十四条).
    """
    problems = _side_problems("职工方", worker_side) + _side_problems("企业方", employer_side)
    if len(worker_side) != len(employer_side):
        problems.append(
            f"双方代表人数不等（职工方{len(worker_side)}人，企业方{len(employer_side)}人），"
            "双方人数应当对等（第十九条）"
        )
    employer_ids = {r.identity(): r for r in employer_side}
    reported: set[str] = set()
    for r in worker_side:
        key = r.identity()
        if key in employer_ids and key not in reported:
            reported.add(key)
            problems.append(f"{r.name}同时担任双方协商代表，任何人不得代表双方（第二十四条）")
    return problems
