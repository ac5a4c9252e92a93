"""Template helpers for the procedure variants (rule sets): who files, who approves, and each
deadline of a rule set in words. Kept apart from ``negotiations`` to keep that module small."""
from __future__ import annotations

from flask_babel import get_locale, gettext as _, lazy_gettext as _l

from app.negotiations import variants

FILERS = {"employer": _l("The employer files"), "either": _l("Either side may file")}
APPROVERS = {
    "workers_congress": _l("Workers' congress or all employees"),
    "industry_congress": _l("Industry workers' congress"),
    "regional_congress": _l("Regional workers' congress"),
}
DEADLINES = {
    "reply_due": _l("Written reply to the offer"),
    "filing_due": _l("File with the labour authority"),
    "review_ends": _l("Review opinion delivered (else in force)"),
    "publication_due": _l("Publish to workers"),
    "next_round_due": _l("Next round of consultation"),
}
STARTS = {
    "offer_received": _l("receipt of the offer"), "signed": _l("signing"),
    "review_received": _l("receipt by the authority"), "effective": _l("taking effect"),
}


def periods(ruleset: variants.RuleSet) -> list[tuple[str, variants.Period, str]]:
    """``(deadline key, period, starting event)`` for every period the rule set has."""
    out = []
    if ruleset.reply:
        out.append(("reply_due", ruleset.reply, "offer_received"))
    if ruleset.filing:
        out.append(("filing_due", ruleset.filing, "signed"))
    if ruleset.review:
        out.append(("review_ends", ruleset.review, "review_received"))
    if ruleset.publication:
        out.append(("publication_due", ruleset.publication, ruleset.publication_from))
    if ruleset.next_round:
        start = "effective" if ruleset.filing_required else "signed"
        out.append(("next_round_due", ruleset.next_round, start))
    return out


def period_text(period: variants.Period, start: str) -> str:
    """E.g. "within 20 days of receipt of the offer"."""
    units = {"days": _("within %(n)s days of %(start)s", n=period.amount, start=STARTS[start]),
             "workdays": _("within %(n)s working days of %(start)s", n=period.amount,
                           start=STARTS[start]),
             "months": _("within %(n)s months of %(start)s", n=period.amount,
                         start=STARTS[start])}
    return units[period.unit]


def choices() -> list[tuple[str, str]]:
    """Every rule set as (key, label) in the request's language."""
    en = str(get_locale()).startswith("en")
    return [(r.key, r.label_en if en else r.label_zh) for r in variants.RULESETS.values()]


def vote_reasons(members: int, present: int, in_favour: int) -> list[str]:
    """Why a vote passed or not, in the request's language, citing both texts."""
    if 3 * present >= 2 * members:
        quorum = _("%(p)s of %(m)s present: at least two thirds, the number itself included; "
                   "the vote is valid (集体合同规定 第三十六条).", p=present, m=members)
    else:
        quorum = _("%(p)s of %(m)s present: fewer than two thirds; no quorum "
                   "(集体合同规定 第三十六条).", p=present, m=members)
    if 2 * in_favour > members:
        majority = _("%(f)s in favour: more than half of all %(m)s members "
                     "(企业民主管理规定 第二十条).", f=in_favour, m=members)
    elif 2 * in_favour == members:
        majority = _("%(f)s in favour: exactly half of all %(m)s members, which is not more "
                     "than half, so the draft is not passed (企业民主管理规定 第二十条).",
                     f=in_favour, m=members)
    else:
        majority = _("%(f)s in favour: not more than half of all %(m)s members "
                     "(企业民主管理规定 第二十条).", f=in_favour, m=members)
    return [quorum, majority]


BALLOTS = {"secret": _l("Secret ballot"), "show_of_hands": _l("Show of hands")}


def helpers() -> dict:
    return {
        "vote_reasons": vote_reasons,
        "ballot_label": lambda key: BALLOTS.get(key, ""),
        "variant_choices": choices,
        "variant_filer": lambda key: FILERS.get(key, ""),
        "variant_approver": lambda key: APPROVERS.get(key, ""),
        "variant_periods": periods,
        "variant_period_text": period_text,
        "variant_deadline_label": lambda key: DEADLINES.get(key, key),
    }
