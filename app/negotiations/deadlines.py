"""Legal deadlines and warning flags computed from a negotiation's history.

The history is the same list of steps that ``workflow.replay`` checks (see the ``workflow``
module docstring for its form). Every date is recomputed from the recorded steps, so correcting
a step's date moves every deadline that depends on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from . import rules, variants
from .workflow import Event as E
from .workflow import Step, expires_on_of, checked_steps

class Deadline(NamedTuple):
    """One legal date computed from a history.

    The first four fields are (name, due, basis, status). ``status`` is one of
    ``"ok"``, ``"due_soon"``, ``"overdue"`` (not met yet, see ``rules.deadline_status``),
    ``"done"`` / ``"done_late"`` (met on ``met_on``, on time or after ``due``); the renewal window
    (key ``"renewal_window"``, ``due`` = the day it opens) has ``"ok"``/``"due_soon"`` before it
    opens, ``"open"`` while open, ``"lapsed"`` after expiry and ``"done"`` once renewal is opened.
    ``assumption`` names an entry of ``rules.ASSUMPTIONS`` when the rule is not confirmed.
    """

    name: str
    due: dt.date
    basis: str
    status: str
    key: str
    name_en: str
    start: dt.date
    met_on: dt.date | None = None
    assumption: str | None = None
    provisional: bool = False  # counted in working days beyond the years the calendar knows


OPEN_STATUSES = frozenset({"ok", "due_soon", "overdue", "open"})


class _Tracker:
    """Collects deadline entries while walking a history; entries may be updated in place."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []

    def open(self, key: str, name: str, name_en: str, start: dt.date, due: dt.date, basis: str,
             assumption: str | None = None, **extra: Any) -> dict[str, Any]:
        entry = dict(key=key, name=name, name_en=name_en, start=start, due=due, basis=basis,
                     met_on=None, assumption=assumption, provisional=False, **extra)
        self.entries.append(entry)
        return entry

    def period(self, key: str, name: str, name_en: str, start: dt.date,
               period: variants.Period) -> dict[str, Any]:
        """Open ``key`` due ``period`` after ``start`` (days, working days or months)."""
        due = variants.after(start, period)
        entry = dict(key=key, name=name, name_en=name_en, start=start, due=due.date,
                     basis=period.basis, met_on=None, assumption=period.assumption,
                     provisional=due.provisional)
        self.entries.append(entry)
        return entry

    def pending(self, key: str) -> list[dict[str, Any]]:
        return [e for e in self.entries if e["key"] == key and e["met_on"] is None]

    def close(self, key: str, on: dt.date, **match: Any) -> None:
        for entry in self.pending(key):
            if all(entry.get(k) == v for k, v in match.items()):
                entry["met_on"] = on
                return


def _status(entry: Mapping[str, Any], today: dt.date, soon_days: int) -> str:
    due, met_on = entry["due"], entry["met_on"]
    if met_on is not None:
        # Renewal is opened after its window opens, never "late".
        late = met_on > due and entry["key"] != "renewal_window"
        return "done_late" if late else "done"
    if entry["key"] == "renewal_window":
        if today > entry["expires_on"]:
            return "lapsed"
        if today >= due:
            return "open"
    return rules.deadline_status(due, today, soon_days)


def deadlines(history: Iterable[Step | tuple | Mapping[str, Any]], today: dt.date,
              soon_days: int = 5, *, ruleset: variants.RuleSet | None = None) -> list[Deadline]:
    """Every legal date that follows from ``history``, met or not, in the order they arose.

    Everything is recomputed from the recorded dates, so correcting a date in the history moves
    the deadlines that depend on it. The history is not validated here (see ``replay``).
    ``ruleset``: the negotiation's variant (default ``national``); it decides which periods
    apply, how long they are and when the publication clock starts.
    """
    rules.deadline_status(today, today, soon_days)  # validates today and soon_days
    rs = ruleset or variants.get(variants.NATIONAL)
    track = _Tracker()
    awaiting_reply = False
    published_on: dt.date | None = None
    for step in checked_steps(history):
        ev, on, data = step.event, step.on, step.data
        if ev == E.SEND_OFFER:
            received = data.get("received_on", on)
            if rs.reply:
                track.period("reply", "书面答复要约", "Written reply to the offer", received,
                             rs.reply)
                awaiting_reply = True
        elif ev in (E.ACCEPT, E.REFUSE, E.COUNTER_OFFER) and awaiting_reply:
            track.close("reply", on)
            awaiting_reply = False
        elif ev == E.SUSPEND and data.get("resume_on") is not None:
            track.open("resume", "约定恢复协商", "Agreed resumption", on, data["resume_on"],
                       "《集体合同规定》第三十五条")
        elif ev == E.RESUME:
            track.close("resume", on)
        elif ev == E.APPLY_COORDINATION:
            accepted = data.get("accepted_on", on)
            track.open("coordination", "协调处理完结", "Coordination finished", accepted,
                       rules.coordination_due(accepted), rules.BASIS["coordination"],
                       extension_days=0)
        elif ev == E.EXTEND_COORDINATION:
            for entry in track.pending("coordination"):
                total = entry["extension_days"] + data.get("extension_days", 0)
                total = min(total, rules.COORDINATION_MAX_EXTENSION_DAYS)
                entry.update(extension_days=total,
                             due=rules.coordination_due(entry["start"], total))
        elif ev == E.RECORD_COORDINATION_OUTCOME:
            track.close("coordination", on)
        elif ev == E.SIGN:
            if rs.filing:
                track.period("filing", "报送劳动行政部门审查", "File with the labour authority", on,
                             rs.filing)
            if rs.publication and rs.publication_from == "signed":
                track.period("publication", "向职工公布协商成果", "Publish the outcome to workers",
                             on, rs.publication)
            if rs.next_round and not rs.filing_required:
                track.period("next_round", "下一轮协商", "Next round of consultation", on,
                             rs.next_round)
        elif ev == E.FILE:
            track.close("filing", on)
            received = data.get("received_on", on)
            if rs.review:
                track.open("review", "审查期满（无异议即生效）",
                           "Review ends (in force if no objection)", received,
                           rules.effective_date(received), rs.review.basis)
        elif ev in (E.OBJECTION, E.TAKE_EFFECT):
            # 第四十五条: an objection counts from its delivery (送达), not its own date.
            track.close("review", data.get("delivered_on", on))
            if ev == E.TAKE_EFFECT and rs.publication and rs.publication_from == "effective":
                entry = track.period("publication", "生效后向职工公布",
                                     "Publish to workers once in force", on, rs.publication)
                entry["met_on"] = published_on  # published before it took effect: done
            if ev == E.TAKE_EFFECT and rs.next_round and rs.filing_required:
                track.period("next_round", "下一轮协商", "Next round of consultation", on,
                             rs.next_round)
            if ev == E.TAKE_EFFECT and (expires_on := expires_on_of(step)) is not None:
                track.open("expiry", "合同期满", "Term ends", on, expires_on, rules.BASIS["term"])
                track.open("renewal_window", "续订申请期开始", "Renewal window opens", on,
                           rules.renewal_window_opens(expires_on), rules.BASIS["renewal"],
                           expires_on=expires_on)
        elif ev == E.PUBLISH:
            published_on = on
            track.close("publication", on)
        elif ev == E.OPEN_RENEWAL:
            track.close("renewal_window", on)
        elif ev in (E.EXPIRE, E.TERMINATE):
            track.close("expiry", on)
        elif ev == E.VACANCY_AROSE:
            track.open("vacancy", "补足空缺代表", "Fill the vacant seat", on,
                       rules.vacancy_fill_due(on), rules.BASIS["vacancy"], seat=data.get("seat"))
        elif ev == E.VACANCY_FILLED:
            if data.get("seat") is not None:
                track.close("vacancy", on, seat=data["seat"])
            else:
                track.close("vacancy", on)
    return [
        Deadline(name=e["name"], due=e["due"], basis=e["basis"],
                 status=_status(e, today, soon_days), key=e["key"], name_en=e["name_en"],
                 start=e["start"], met_on=e["met_on"], assumption=e["assumption"],
                 provisional=e["provisional"])
        for e in track.entries
    ]


def next_deadline(entries: Iterable[Deadline]) -> Deadline | None:
    """The open entry due first (overdue ones come first by date), or None; for the dashboard."""
    pending = [e for e in entries if e.status in OPEN_STATUSES and e.key != "renewal_window"]
    return min(pending, key=lambda e: e.due, default=None)


class Flag(NamedTuple):
    """A warning about the conduct of a negotiation, with its date and both languages."""

    code: str
    message: str
    message_en: str
    on: dt.date


# Deadlines whose miss is flagged: key → (zh, en) of what was missed.
_FLAGGED = {
    "reply": ("未在法定期限内书面答复要约", "Offer not answered in writing in time"),
    "filing": ("未在期限内报送审查", "Not filed in time after signing"),
    "vacancy": ("空缺代表未在15日内补足", "Vacant seat not filled within 15 days"),
    "coordination": ("协调处理超过法定期限", "Coordination past its legal period"),
    "publication": ("协商成果未在期限内公布", "Outcome not published in time"),
}


def flags(history: Iterable[Step | tuple | Mapping[str, Any]], today: dt.date, *,
          dates: Iterable[Deadline] | None = None,
          ruleset: variants.RuleSet | None = None) -> list[Flag]:
    """Warnings on ``history`` as of ``today``, in the order the problems arose.

    Codes: ``refusal_without_reason``; ``<key>_overdue`` (still not done after the due date) and
    ``<key>_late`` (done after the due date) for key in reply, filing, vacancy, coordination,
    publication. ``dates``: ``deadlines(history, today)`` if the caller has it already.
    """
    steps = checked_steps(history)
    found: list[Flag] = []
    for step in steps:
        if step.event == E.REFUSE and not str(step.data.get("reason") or "").strip():
            found.append(Flag("refusal_without_reason",
                              "拒绝协商未说明理由，不得无正当理由拒绝协商（第三十二条）",
                              "Refusal without a stated reason (第三十二条)", step.on))
    for entry in (deadlines(steps, today, ruleset=ruleset) if dates is None else dates):
        if entry.key not in _FLAGGED or entry.status not in ("overdue", "done_late"):
            continue
        zh, en = _FLAGGED[entry.key]
        if entry.status == "overdue":
            found.append(Flag(f"{entry.key}_overdue",
                              f"{zh}：应于{entry.due.isoformat()}前完成，至今未完成（{entry.basis}）",
                              f"{en}: due {entry.due.isoformat()}, still open", entry.due))
        else:
            found.append(Flag(f"{entry.key}_late",
                              f"{zh}：应于{entry.due.isoformat()}前完成，"
                              f"实际于{entry.met_on.isoformat()}完成（{entry.basis}）",
                              f"{en}: due {entry.due.isoformat()}, done "
                              f"{entry.met_on.isoformat()}", entry.met_on))
    found.sort(key=lambda f: f.on)
    return found
