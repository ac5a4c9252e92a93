"""The text of each notice, in the user's language (the application's catalogues, read with
Babel directly: this runs in the background job, outside any request)."""
from __future__ import annotations

import functools

from babel import Locale
from babel.support import Translations

from app.config import PROJECT_ROOT

from .notices import Notice


@functools.cache
def _catalogue(lang: str) -> Translations:
    locale = Locale.parse("en" if lang == "en" else "zh_CN")
    return Translations.load(str(PROJECT_ROOT / "translations"), [locale], domain="messages")


def language(user) -> str:
    return "en" if (getattr(user, "locale", None) or "").startswith("en") else "zh"


def compose(notice: Notice, base_url: str) -> tuple[str, str]:
    """``(subject, body)`` of ``notice``; links start with ``base_url``."""
    lang = language(notice.user)
    catalogue = _catalogue(lang)

    def _(text: str, **params) -> str:
        out = catalogue.ugettext(text)
        return out % params if params else out

    side = {"worker": _("the worker side"), "employer": _("the employer side")}
    d = notice.data
    if notice.kind == "offer":
        what = _("A counter-offer") if d["counter"] else _("A written offer")
        subject = _("%(what)s from %(side)s: %(title)s", what=what,
                    side=side.get(d["side"], d["side"]), title=d["title"])
        body = [subject, "",
                _("Sent on %(date)s (round %(round)s). The side that receives an offer must "
                  "answer it in writing within the legal period.", date=d["sent_on"],
                  round=d["round"]),
                f"{base_url}/negotiations/{d['negotiation_id']}"]
    elif notice.kind == "comment":
        subject = _("A comment on the agreement draft: %(title)s", title=d["title"])
        body = [subject, "",
                _("%(org)s commented on version %(n)s:", org=d["organisation"], n=d["number"]),
                "", d["body"], "",
                f"{base_url}/negotiations/{d['negotiation_id']}/agreement"]
    else:
        entry = d["entry"]
        name = entry.name_en if lang == "en" else entry.name
        if notice.kind == "deadline_today":
            subject = _("Due today: %(name)s (%(record)s)", name=name, record=entry.record_title)
        else:
            subject = _("Due in %(n)s days: %(name)s (%(record)s)", n=d["days"], name=name,
                        record=entry.record_title)
        path = (f"/ledger/items/{entry.record_id}" if entry.kind == "ledger"
                else f"/negotiations/{entry.record_id}")
        body = [subject, "", _("Due: %(date)s", date=d["due"])]
        if entry.basis:
            body.append(_("Basis: %(basis)s", basis=entry.basis))
        body.append(f"{base_url}{path}")
    body += ["", "—", _("You receive this because you chose these notifications in your "
                        "settings: %(url)s", url=f"{base_url}/account/settings")]
    return subject, "\n".join(body)
