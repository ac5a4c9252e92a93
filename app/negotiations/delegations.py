"""The delegations of both sides and their checks (《集体合同规定》第十九、二十三、二十四条).

Split from ``rules`` (which re-exports these names) to keep each module to one responsibility.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from app.errors import Msg

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
        problems.append(Msg("%(side)s has only %(n)s representatives; each side needs at least "
                            "%(min)s (Art. 19)", side=label, n=n, min=MIN_REPRESENTATIVES))
    chiefs = [r for r in side if r.is_chief]
    if not chiefs:
        problems.append(Msg("%(side)s has no chief representative; each side needs one "
                            "(Art. 19)", side=label))
    elif len(chiefs) > 1:
        names = "、".join(r.name for r in chiefs)
        problems.append(Msg("%(side)s has %(n)s chief representatives (%(names)s); only one is "
                            "allowed (Art. 19)", side=label, n=len(chiefs), names=names))
    experts = [r for r in side if r.is_outside_expert]
    if len(experts) > MAX_OUTSIDE_EXPERT_SHARE * n:
        problems.append(
            Msg("%(side)s has %(experts)s outside experts, more than a third of its %(n)s "
                "representatives (Art. 23)", side=label, experts=len(experts), n=n)
        )
    for r in chiefs:
        if r.is_outside_expert:
            problems.append(Msg("%(side)s: the chief representative %(name)s is an outside "
                                "expert; an outside expert may not be chief (Art. 23)",
                                side=label, name=r.name))
    seen: set[str] = set()
    for r in side:
        key = r.identity()
        if key in seen:
            problems.append(Msg("%(side)s lists the representative %(name)s twice",
                                side=label, name=r.name))
        seen.add(key)
    return problems


def check_delegations(
    worker_side: Sequence[Representative], employer_side: Sequence[Representative]
) -> list[str]:
    """Every problem with the two delegations (``Msg``); an empty list means none.

    Checks: at least 3 per side and equal numbers (第十九条); exactly one chief per side
    (第十九条); outside experts at most a third of their side and never chief (第二十三条);
    nobody on both sides (第二十四条).
    """
    problems = (_side_problems(Msg("The worker side"), worker_side)
                + _side_problems(Msg("The employer side"), employer_side))
    if len(worker_side) != len(employer_side):
        problems.append(
            Msg("The sides have unequal numbers of representatives (worker side %(workers)s, "
                "employer side %(employers)s); they must be equal (Art. 19)",
                workers=len(worker_side), employers=len(employer_side))
        )
    employer_ids = {r.identity(): r for r in employer_side}
    reported: set[str] = set()
    for r in worker_side:
        key = r.identity()
        if key in employer_ids and key not in reported:
            reported.add(key)
            problems.append(Msg("%(name)s represents both sides; nobody may represent both "
                                "(Art. 24)", name=r.name))
    return problems
