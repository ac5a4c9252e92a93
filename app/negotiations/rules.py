"""The legal periods and checks of collective consultation, as pure functions.

Spec: ``shared/domain/consultation-law.md``. Article numbers (第N条) refer to 《集体合同规定》
(劳动和社会保障部令第22号, 2004) unless another law is named; LDMAL = 《劳动争议调解仲裁法》.

How days are counted
--------------------
Days are calendar days (DESIGN.md). The day of the triggering event is not counted; day 1 is the
next day (《民法典》第二百零一条). A period of N days therefore runs out (届满) at the end of day
``start + N``, and because 以内/届满 include the number itself (《民法典》第一千二百五十九条, quoted in
consultation-law.md §5), an act done on ``start + N`` is in time and one done on ``start + N + 1``
is late. Every ``*_due`` function returns that last day on which the act is still in time.

Month and year periods end on the corresponding day of the target month; where that month has no
such day, on its last day (《民法典》第二百零二条), e.g. 31 May minus 3 months is 28/29 February.

No function reads the clock: callers pass the dates, including "today".
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import NamedTuple

from .delegations import (MAX_OUTSIDE_EXPERT_SHARE, MIN_REPRESENTATIVES,  # noqa: F401
                          Representative, check_delegations)
from app.errors import Msg, ValidationError

# --- Legal periods (calendar days unless named otherwise) -------------------------------------
REPLY_DAYS = 20  # 《集体合同规定》第三十二条: written reply within 20 days of receiving the request
VACANCY_FILL_DAYS = 15  # 《集体合同规定》第三十一条: a vacant representative seat filled within 15 days
FILING_DAYS = 10  # 《集体合同规定》第四十二条: file (3 copies) within 10 days of the chiefs signing
FILING_COPIES = 3  # 《集体合同规定》第四十二条
REVIEW_DAYS = 15  # 《集体合同规定》第四十五、四十七条: objection within 15 days, else in force
PUBLICATION_DAYS = 10  # 《新就业形态劳动者权益协商指引》(2024): publish outcomes within 10 days
RENEWAL_WINDOW_MONTHS = 3  # 《集体合同规定》第三十八条: renewal may be asked in the last 3 months
TERM_MIN_YEARS = 1  # 《集体合同规定》第三十八条: term normally 1 to 3 years
TERM_MAX_YEARS = 3  # 《集体合同规定》第三十八条
TERM_LIMIT_YEARS = 10  # assumption: an input bound only (a typing error guard), not a legal limit
COORDINATION_DAYS = 30  # 《集体合同规定》第五十二条: coordination finished within 30 days of acceptance
COORDINATION_MAX_EXTENSION_DAYS = 15  # 《集体合同规定》第五十二条: extended by at most 15 days
ARBITRATION_YEARS = 1  # 《劳动争议调解仲裁法》第二十七条: apply within 1 year of knowing
COURT_DAYS = 15  # 《劳动争议调解仲裁法》第四十八、五十条: sue within 15 days of receiving the award

BASIS = {
    "reply": "《集体合同规定》第三十二条",
    "vacancy": "《集体合同规定》第三十一条",
    "filing": "《集体合同规定》第四十二条",
    "review": "《集体合同规定》第四十五、四十七条",
    "publication": "《新就业形态劳动者权益协商指引》（2024）",
    "renewal": "《集体合同规定》第三十八条",
    "term": "《集体合同规定》第三十八条",
    "coordination": "《集体合同规定》第五十二条",
    "arbitration": "《劳动争议调解仲裁法》第二十七条",
    "court": "《劳动争议调解仲裁法》第四十八、五十条",
    "ratification": "《集体合同规定》第三十六条",
    "majority": "《企业民主管理规定》第二十条",
    "delegations": "《集体合同规定》第十九、二十三、二十四条",
}

# Rules the app encodes although consultation-law.md marks them UNCONFIRMED, or interpretations
# the app had to choose. The UI shows these as assumptions. key → (text zh, text en, source).
ASSUMPTIONS: dict[str, tuple[str, str, str]] = {
    "publication_start": (
        "平台协商成果10日内公示，起算点按双方首席代表签字之日计算（起算点未经核实）。",
        "Platform outcomes are published within 10 days, counted from the chiefs' signing "
        "(the start point is UNCONFIRMED).",
        "《新就业形态劳动者权益协商指引》（2024）; consultation-law.md §10, §12",
    ),
    "publication_after_effect": (
        "集体合同生效后应及时公布（第四十八条措辞未经核实）。",
        "Once in force the contract is published promptly (wording of 第四十八条 UNCONFIRMED).",
        "《集体合同规定》第四十八条; consultation-law.md §6",
    ),
    "refusal_sanction_article": (
        "用人单位无正当理由拒绝协商，依照工会法等处理（条文编号第五十六条未经核实）。",
        "An employer refusing without good reason is dealt with under the Trade Union Law "
        "(article number 第五十六条 UNCONFIRMED).",
        "《集体合同规定》第五十六条; consultation-law.md §3",
    ),
    "performance_dispute_article": (
        "履行集体合同发生争议、协商不成的，可申请劳动争议仲裁（条文编号第五十五条未经核实）。",
        "Performance disputes not settled by negotiation go to arbitration (article number "
        "第五十五条 UNCONFIRMED).",
        "《集体合同规定》第五十五条; consultation-law.md §9",
    ),
    "platform_reply_period": (
        "平台规则和算法协商的答复期限未经核实，本系统沿用第三十二条的20日。",
        "The reply period of the 2026 rule-and-algorithm guideline is UNCONFIRMED; the app uses "
        "the 20 days of 第三十二条.",
        "《平台劳动规则和算法协商指引（试行）》; consultation-law.md §10",
    ),
    "day_counting": (
        "期间开始的当日不计入，自下一日起算；期间最后一日为法定节假日时顺延的规则未适用，一律按日历日计算。",
        "The start day is not counted (Art. 201, Civil Code); the holiday roll-over of Art. 203 "
        "is not applied: all periods are plain calendar days.",
        "《民法典》第二百零一、二百零三条",
    ),
    "wage_local_rules": (
        "工资协议送达无异议审查意见书即生效、生效后5日内公布，系地方工资协商规定的做法（示例），"
        "本系统按此计算；当地规定不同的，以当地规定为准。",
        "A wage agreement in force on delivery of a no-objection opinion and published within 5 "
        "days follows local wage rules (an example); the app computes so, local rules prevail.",
        "updates-2026.md §6; http://fsou.com/html/text/lar/172846/17284657_3.html",
    ),
    "agreed_condition_termination": (
        "约定的终止条件出现时合同即行终止（第三十八条），无需再履行协商程序；其他解除理由须按第四十一条履行协商程序。",
        "When an agreed termination condition occurs the contract ends at once (第三十八条) without "
        "a new procedure; other grounds go through the procedure of 第四十一条 (interpretation).",
        "《集体合同规定》第三十八、四十、四十一条",
    ),
}


# --- Date arithmetic ---------------------------------------------------------------------------
def _check_date(value: object, field: str) -> dt.date:
    # datetime is a subclass of date; a timestamp here means a caller mixed UTC times with legal
    # dates, which would silently shift deadlines by a day.
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError({field: Msg("Fill in the date")})
    return value


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months (negative moves back), clamped to month end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def _after_days(start: dt.date, days: int, field: str) -> dt.date:
    return _check_date(start, field) + dt.timedelta(days=days)


def reply_due(received: dt.date) -> dt.date:
    """Last day for the written reply to an offer received on ``received`` (第三十二条, 20 days).

    Received on 1 March → due 21 March; a reply on 21 March is in time, on 22 March late.
    """
    return _after_days(received, REPLY_DAYS, "received")


def filing_due(signed: dt.date) -> dt.date:
    """Last day to file the contract signed by both chiefs on ``signed`` (第四十二条, 10 days)."""
    return _after_days(signed, FILING_DAYS, "signed")


def review_ends(received_by_authority: dt.date) -> dt.date:
    """Last day on which the administration may object (第四十五条, 15 days, 以内 includes day 15)."""
    return _after_days(received_by_authority, REVIEW_DAYS, "received_by_authority")


def effective_date(received_by_authority: dt.date) -> dt.date:
    """Day the contract takes effect if the administration raises no objection: receipt + 16 days.

    第四十七条 (consultation-law.md §6): "if no objection is raised within 15 days of receipt, the
    contract takes effect". Day 1 of the 15 is the day after receipt, and 以内 includes the number
    itself (consultation-law.md §5), so a review opinion issued on day 15 (``receipt + 15``) is
    still in time. Only once day 15 has passed without objection is the condition met, so the
    contract is in force from day 16: received 1 March → may object up to 16 March → in force
    on 17 March.
    """
    return review_ends(received_by_authority) + dt.timedelta(days=1)


def coordination_due(accepted: dt.date, extension_days: int = 0) -> dt.date:
    """Last day of coordinated handling accepted on ``accepted`` (第五十二条, 30 + at most 15 days)."""
    if (
        isinstance(extension_days, bool)
        or not isinstance(extension_days, int)
        or not 0 <= extension_days <= COORDINATION_MAX_EXTENSION_DAYS
    ):
        raise ValidationError(
            {"extension_days": Msg("Coordinated handling can be extended by at most %(n)s days "
                                   "(Art. 52, Collective Contract Provisions)",
                                   n=COORDINATION_MAX_EXTENSION_DAYS)}
        )
    return _after_days(accepted, COORDINATION_DAYS + extension_days, "accepted")


def publication_due(signed: dt.date) -> dt.date:
    """Last day to publish a platform outcome signed on ``signed`` (2024 协商指引, 10 days).

    The start point is UNCONFIRMED (see ``ASSUMPTIONS["publication_start"]``).
    """
    return _after_days(signed, PUBLICATION_DAYS, "signed")


def renewal_window_opens(expires: dt.date) -> dt.date:
    """First day on which renewal may be asked: 3 months before ``expires`` (第三十八条).

    ``expires`` is the last day of the term (see ``term_end``); the window runs from the returned
    day to ``expires`` inclusive. 31 May → 29 February in a leap year, 28 February otherwise.
    """
    return add_months(_check_date(expires, "expires"), -RENEWAL_WINDOW_MONTHS)


def in_renewal_window(expires: dt.date, today: dt.date) -> bool:
    """Whether ``today`` lies in the renewal window of a term ending on ``expires``."""
    return renewal_window_opens(expires) <= _check_date(today, "today") <= expires


def vacancy_fill_due(arose: dt.date) -> dt.date:
    """Last day to fill a representative seat that fell vacant on ``arose`` (第三十一条, 15 days)."""
    return _after_days(arose, VACANCY_FILL_DAYS, "arose")


def arbitration_deadline(knew: dt.date) -> dt.date:
    """Last day to apply for arbitration, 1 year after knowing of the infringement (LDMAL 第二十七条).

    Knew on 29 February 2024 → 28 February 2025 (no corresponding day → month end).
    """
    return add_months(_check_date(knew, "knew"), 12 * ARBITRATION_YEARS)


def court_deadline(award_received: dt.date) -> dt.date:
    """Last day to sue after receiving an award on ``award_received`` (LDMAL 第四十八、五十条, 15 days)."""
    return _after_days(award_received, COURT_DAYS, "award_received")


def term_warning(years: int) -> Msg | None:
    """The warning for a term outside the usual 1–3 years (第三十八条 says 一般), else None."""
    if TERM_MIN_YEARS <= years <= TERM_MAX_YEARS:
        return None
    return Msg("A collective contract normally runs %(min)s to %(max)s years (Art. 38); a term "
               "of %(years)s years is outside that and is recorded only when the mediator "
               "confirms it", min=TERM_MIN_YEARS, max=TERM_MAX_YEARS, years=years)


def term_end(effective: dt.date, years: int, *, acknowledged: bool = False) -> dt.date:
    """Last day in force of a contract effective on ``effective`` for ``years`` years (第三十八条).

    The effective day is the first day of the term, so the term ends the day before the
    anniversary: 1 January 2024 + 3 years → 31 December 2026. A term starting on 29 February
    has its anniversary on 1 March of a common year, so it ends on 28 February.

    第三十八条 says the term is 一般 (normally) 1 to 3 years: a term outside that range is a
    warning, not a refusal. Without ``acknowledged`` such a term raises ``ValidationError``
    carrying the warning; with it, terms up to ``TERM_LIMIT_YEARS`` are accepted.
    """
    _check_date(effective, "effective")
    if isinstance(years, bool) or not isinstance(years, int) \
            or not 1 <= years <= TERM_LIMIT_YEARS:
        raise ValidationError({"years": Msg("The term must be a whole number of years, 1 to "
                                            "%(max)s", max=TERM_LIMIT_YEARS)})
    warning = term_warning(years)
    if warning and not acknowledged:
        raise ValidationError({"years": warning})
    year = effective.year + years
    if effective.month == 2 and effective.day == 29 and not calendar.isleap(year):
        anniversary = dt.date(year, 3, 1)
    else:
        anniversary = effective.replace(year=year)
    return anniversary - dt.timedelta(days=1)


def deadline_status(due: dt.date, today: dt.date, soon_days: int = 5) -> str:
    """Status of a deadline on ``today`` for the dashboard.

    ``"overdue"`` after ``due``; ``"due_soon"`` from ``soon_days`` days before ``due`` up to and
    including ``due``; ``"ok"`` before that.
    """
    _check_date(due, "due")
    _check_date(today, "today")
    if isinstance(soon_days, bool) or not isinstance(soon_days, int) or soon_days < 0:
        raise ValidationError({"soon_days": Msg(
            "The reminder days must be a whole number, zero or more")})
    if today > due:
        return "overdue"
    if (due - today).days <= soon_days:
        return "due_soon"
    return "ok"


# --- Workers' approval vote (第三十六条) ----------------------------------------------------------
class Ratification(NamedTuple):
    """Outcome of a vote on a draft: ``quorum`` reached, ``passes`` overall, and why in words."""

    quorum: bool
    passes: bool
    reasons: tuple[str, ...]


def _count(value: object, field: str, errors: dict[str, str]) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        errors[field] = Msg("Fill in a whole number")
        return None
    if value < 0:
        errors[field] = Msg("The number of people cannot be negative")
        return None
    return value


BALLOTS = ("secret", "show_of_hands")  # 企业民主管理规定: important items by secret ballot


def ratification_passes(members: int, present: int, in_favour: int) -> Ratification:
    """Check a vote of the workers' congress or of all employees on a draft.

    Quorum (《集体合同规定》第三十六条): at least two thirds of ``members`` present,
    ``3·present ≥ 2·members`` (以上 includes the number: 67 of 100 is a quorum, 66 is not).
    Passing (《企业民主管理规定》第二十条, 过半数): MORE than half of ALL ``members`` in favour,
    ``2·in_favour > members``, and quorum reached: 51 of 100 passes, exactly 50 does not.
    Integer arithmetic avoids rounding at exactly two thirds or one half.

    Raises ``ValidationError`` for non-integers, negatives, no members, more present than
    members, or more in favour than present.
    """
    errors: dict[str, str] = {}
    members_ = _count(members, "members", errors)
    present_ = _count(present, "present", errors)
    in_favour_ = _count(in_favour, "in_favour", errors)
    if members_ == 0:
        errors["members"] = Msg("The number of members must be more than zero")
    if members_ is not None and present_ is not None and present_ > members_:
        errors["present"] = Msg("The number present cannot exceed the number of members")
    if present_ is not None and in_favour_ is not None and in_favour_ > present_:
        errors["in_favour"] = Msg("The number in favour cannot exceed the number present")
    if errors:
        raise ValidationError(errors)
    assert members_ is not None and present_ is not None and in_favour_ is not None

    quorum = 3 * present_ >= 2 * members_
    majority = 2 * in_favour_ > members_
    reasons = [
        f"实到{present_}人，应到{members_}人，"
        + ("达到三分之二以上，会议有效" if quorum else "不足三分之二，未达到法定人数")
        + f"（{BASIS['ratification']}，“以上”包括本数）"
    ]
    if majority:
        verdict = "超过全体人员半数"
    elif 2 * in_favour_ == members_:
        verdict = "恰为全体人员的一半，未超过半数"
    else:
        verdict = "未超过全体人员半数"
    reasons.append(f"赞成{in_favour_}人，{verdict}（{BASIS['majority']}，须经全体过半数同意）")
    passes = quorum and majority
    reasons.append("草案获得通过" if passes else "草案未获通过")
    return Ratification(quorum=quorum, passes=passes, reasons=tuple(reasons))
