"""Template helpers for the procedure variants (rule sets): who files, who approves, and each
deadline of a rule set in words. Kept apart from ``negotiations`` to keep that module small."""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l

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


def helpers() -> dict:
    return {
        "variant_filer": lambda key: FILERS.get(key, ""),
        "variant_approver": lambda key: APPROVERS.get(key, ""),
        "variant_periods": periods,
        "variant_period_text": period_text,
        "variant_deadline_label": lambda key: DEADLINES.get(key, key),
    }
