"""A version's summary in the interface's language, read from the stored Chinese (issue 14).

``service`` stores each version's summary in Chinese, as the audit log records it, and rows
stored that way already exist. :func:`summary_message` reads the forms ``service`` and
``library`` write back as a message id whose parameters are the standards' labels and the
article's title in both languages, so the English interface shows it in English and the
Chinese one exactly as stored; a summary of any other form is shown as it is.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from app.errors import Bilingual, Message, Msg

from . import clauses

_FORMS = (  # the stored Chinese (service.py, library.py) → its message id
    (re.compile(r"依据方案起草"), lambda: Msg("Drafted from the scenario")),
    (re.compile(r"依据典型协议库第(?P<n>\d+)号起草"),
     lambda **p: Msg("Drafted from no. %(n)s of the library of typical agreements", **p)),
    (re.compile(r"修改标准：(?P<standards>.+)"),
     lambda **p: Msg("Standard changed: %(standards)s", **p)),
    (re.compile(r"修改条款：(?P<article>.+)"), lambda **p: Msg("Article changed: %(article)s", **p)),
    (re.compile(r"按约定标准重新生成条款：(?P<article>.+)"),
     lambda **p: Msg("Article regenerated from the agreed standards: %(article)s", **p)),
    (re.compile(r"采纳第(?P<n>\d+)次会议的结果：(?P<standards>.+)"),
     lambda **p: Msg("Results of meeting %(n)s adopted: %(standards)s", **p)),
)
_LABELS_EN = {s.label_zh: s.label_en for s in clauses.STANDARDS}


def summary_message(summary: str, content: Mapping | None = None) -> Message:
    """``summary`` as a message id with parameters, or as stored if it has another form.
    ``content`` (the version's) gives the English title of an edited article."""
    for pattern, message in _FORMS:
        found = pattern.fullmatch(summary or "")
        if found:
            return message(**{key: _words(key, value, content or {})
                              for key, value in found.groupdict().items()})
    return summary or ""


def _words(key: str, value: str, content: Mapping):
    if key == "standards":
        return Bilingual.joined(Bilingual(_LABELS_EN.get(label, label), label)
                                for label in value.split("、"))
    if key == "article":
        titles = {a.get("title_zh"): a.get("title_en") or a.get("title_zh")
                  for a in content.get("articles", []) if isinstance(a, Mapping)}
        return Bilingual(titles.get(value) or value, value)
    return value
