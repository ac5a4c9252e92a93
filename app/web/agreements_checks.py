"""What the agreement page shows before freezing: each article's problems (text against the
standards table, one language against the other) and the languages worded by hand, translated;
and the domain's messages about agreed standards and wording, listed so they are translated."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.agreements import clauses, consistency, summaries, wording
from app.web.errors import translated

LANG_LABEL = {"zh": _l("Chinese"), "en": _l("English"), "": _l("Both languages")}


def version_summary(row) -> str:
    """A version's summary (stored in Chinese) in the interface's language."""
    return translated(summaries.summary_message(row.summary, row.content))


def checks_of(v) -> dict:
    """``{article key: {"problems": [(language, message)], "hand": [language]}}``."""
    if v.content is None:
        return {}
    checks = {a["key"]: {"problems": [], "hand": [
        LANG_LABEL[lang] for lang in wording.hand_written(v.content, a)]}
        for a in v.content["articles"]}
    for p in consistency.problems(v.content):
        checks[p.article]["problems"].append((LANG_LABEL[p.lang], translated(p.message)))
    return checks


def input_value(s) -> str:
    """A standard's value in the unit the table shows (ratios in per cent)."""
    spec = clauses.STANDARD_BY_KEY.get(s["key"])
    return s["display"] if spec is not None and spec.kind == "ratio" else str(s["value"])


# Messages raised by app.agreements (English source strings), listed so they are translated.
AGREEMENT_MESSAGES = (
    _l("Enter a number."),
    _l("Enter a whole number."),
    _l("Enter at least %(n)s."),
    _l("Enter more than %(n)s."),
    _l("Enter at most %(n)s."),
    _l("Enter less than %(n)s."),
    _l("A forced rest of less than one minute stops nothing: enter the minutes dispatch stops "
       "after the continuous-hours limit."),
    _l("A continuous-hours limit needs the forced rest that follows it: agree the rest in "
       "minutes."),
    _l("A forced rest needs the continuous-hours limit that starts it."),
    _l("The continuous-hours limit (%(c)s h) cannot exceed the daily limit (%(d)s h)."),
    _l("Deductions are abolished (daily cap 0): a deduction per late order contradicts it."),
    _l("The guaranteed dispatch cannot exceed the dispatch cap."),
    _l("The commission rate cannot exceed its cap."),
    _l("The text states %(n)s where the standards table says: %(table)s."),
    _l("The text states %(n)s for “%(label)s”, which the standards table does not hold."),
    _l("Changed in the other language: check this text and save it (or tick that both were "
       "checked)."),
    _l("The Chinese and the English text state different numbers: %(numbers)s."),
    _l("The text cannot be frozen yet: %(articles)s contradict the standards table or their "
       "other language. Correct them (the agreement page shows what) and have both sides "
       "approve again."),
)
