"""The legal conditions (guards) some events of the procedure must meet.

Each guard takes the ``facts`` of a step (its data plus ``on`` and the facts ``workflow`` derives
from earlier steps) and returns a reason in Chinese when the event may not happen, else None.
Split from ``workflow``, which applies them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from . import rules
from app.errors import Msg, ValidationError
from .procedure_events import GROUNDS, E, Event

# Labels the messages below take as parameters (message ids, translated with the message).
VOTE_LABELS = {E.VOTE_PASSED: Msg("Workers' vote passed"),
               E.VOTE_FAILED: Msg("Workers' vote failed"),
               E.VOTE_INQUORATE: Msg("Vote without the legal quorum")}
MISSING_CHIEFS = {(True, False): Msg("the worker side's"),
                  (False, True): Msg("the employer side's"), (True, True): Msg("both sides'")}

Facts = Mapping[str, Any]


def _date(facts: Facts, key: str) -> dt.date | None:
    value = facts.get(key)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return None


def _guard_offer(facts: Facts) -> str | None:
    if facts.get("in_writing") is False:
        return Msg("The offer must be made in writing (Art. 32)")
    return None


def _guard_suspend(facts: Facts) -> str | None:
    resume_on, on = _date(facts, "resume_on"), _date(facts, "on")
    if resume_on is None:
        return Msg("Suspending the consultation needs an agreed date to resume it (Art. 35)")
    if on is not None and resume_on < on:
        return Msg("The agreed date to resume cannot be before the suspension")
    return None


def _guard_resume(facts: Facts) -> str | None:
    if _date(facts, "resume_on") is None:
        return Msg("Without an agreed date to resume, the consultation cannot resume (Art. 35)")
    return None


def _guard_extend(facts: Facts) -> str | None:
    days, before = facts.get("extension_days"), facts.get("already_extended_days", 0)
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        return Msg("Fill in the days of the extension (a positive whole number)")
    if days + before > rules.COORDINATION_MAX_EXTENSION_DAYS:
        return Msg("Coordination may be extended by at most %(max)s days (Art. 52); it has been "
                   "extended by %(before)s days, so it cannot be extended by %(days)s more",
                   max=rules.COORDINATION_MAX_EXTENSION_DAYS, before=before, days=days)
    return None


def _chiefs_signed(facts: Facts, what: Msg, basis: Msg) -> Msg | None:
    missing = (not facts.get("signed_by_worker_chief"), not facts.get("signed_by_employer_chief"))
    if any(missing):
        return Msg("%(what)s must be signed by both chief representatives; %(sides)s chief has "
                   "not signed (%(basis)s)", what=what, sides=MISSING_CHIEFS[missing], basis=basis)
    return None


def _guard_coordination_outcome(facts: Facts) -> str | None:
    if not facts.get("signed_by_coordinators"):
        return Msg("The coordination settlement must be signed and sealed by the coordinators "
                   "(Art. 54)")
    return _chiefs_signed(facts, Msg("The coordination settlement"), Msg("Art. 54"))


def _vote_guard(expected: Event) -> Callable[[Facts], str | None]:
    def guard(facts: Facts) -> str | None:
        try:
            event = vote_event(facts.get("members"), facts.get("present"), facts.get("in_favour"))
        except ValidationError as exc:
            return Msg("The vote figures are wrong: %(problems)s",
                       problems=tuple(exc.errors.values()))
        if event != expected:
            return Msg("Record the vote as “%(event)s”, not “%(expected)s”",
                       event=VOTE_LABELS[event], expected=VOTE_LABELS[expected])
        return None
    return guard


def _guard_file(facts: Facts) -> str | None:
    copies = facts.get("copies")
    if copies is not None and (not isinstance(copies, int) or copies < rules.FILING_COPIES):
        return Msg("File %(copies)s copies of the contract (Art. 42)", copies=rules.FILING_COPIES)
    received_on, on = _date(facts, "received_on"), _date(facts, "on")
    if received_on is not None and on is not None and received_on < on:
        return Msg("The authority cannot have received the text before it was filed")
    return None


def _guard_objection(facts: Facts) -> str | None:
    # 第四十五条: what counts is the day the opinion was DELIVERED (送达), not its own date.
    received_on = _date(facts, "received_on")
    delivered_on = _date(facts, "delivered_on") or _date(facts, "on")
    if received_on is not None and delivered_on is not None:
        if delivered_on < received_on:
            return Msg("The review opinion cannot be delivered before the authority received "
                       "the text")
        if delivered_on > rules.review_ends(received_on):
            return Msg("The review opinion was delivered on %(delivered)s, after the review "
                       "period ended on %(ends)s; without an objection delivered within 15 days "
                       "the contract is in force (Arts. 45, 47)",
                       delivered=delivered_on.isoformat(),
                       ends=rules.review_ends(received_on).isoformat())
    return None


def _guard_take_effect(facts: Facts) -> str | None:
    received_on, on = _date(facts, "received_on"), _date(facts, "on")
    if received_on is None or on is None:
        return Msg("Record the day the authority received the text and the day it takes effect "
                   "(Art. 47)")
    # Wage agreements (local wage rules): in force when a no-objection opinion is delivered.
    approved_on = _date(facts, "opinion_delivered_on")
    if approved_on is not None and received_on <= approved_on <= rules.review_ends(received_on):
        if on < approved_on:
            return Msg("The no-objection opinion was delivered on %(on)s; the contract cannot "
                       "take effect before that", on=approved_on.isoformat())
    elif on < rules.effective_date(received_on):
        return Msg("The review period has not ended; without an objection the contract takes "
                   "effect on %(on)s (Art. 47)",
                   on=rules.effective_date(received_on).isoformat())
    years = facts.get("term_years")
    if years is None:
        return None
    if isinstance(years, bool) or not isinstance(years, int) \
            or not 1 <= years <= rules.TERM_LIMIT_YEARS:
        return Msg("The term must be a whole number of years from 1 to %(max)s",
                   max=rules.TERM_LIMIT_YEARS)
    warning = rules.term_warning(years)
    if warning and not facts.get("term_acknowledged"):
        return warning
    return None


def _guard_renewal(facts: Facts) -> str | None:
    expires_on, on = _date(facts, "expires_on"), _date(facts, "on")
    if expires_on is None or on is None:
        return Msg("Renewal needs the contract's expiry date and the date of the request, to "
                   "tell whether it falls in the renewal period (Art. 38)")
    opens = rules.renewal_window_opens(expires_on)
    if not opens <= on <= expires_on:
        return Msg("Renewal must be asked for in the last three months of the term, from "
                   "%(opens)s to %(expires)s (Art. 38)", opens=opens.isoformat(),
                   expires=expires_on.isoformat())
    return None


def _guard_ground(facts: Facts) -> str | None:
    if facts.get("ground") not in GROUNDS:
        return Msg("State the legal ground for the change or termination (Arts. 39, 40)")
    return None


def _guard_terminate(facts: Facts) -> str | None:
    reason = _guard_ground(facts)
    if reason:
        return reason
    if facts["ground"] != "agreed_condition" and not facts.get("procedure_completed"):
        return Msg("Terminating the contract needs the consultation procedure (Art. 41)")
    return None


def _guard_expire(facts: Facts) -> str | None:
    expires_on, on = _date(facts, "expires_on"), _date(facts, "on")
    if expires_on is not None and on is not None and on <= expires_on:
        return Msg("The term runs until %(on)s and has not ended (Art. 38)",
                   on=expires_on.isoformat())
    return None


GUARDS: dict[Event, Callable[[Facts], str | None]] = {
    E.SEND_OFFER: _guard_offer,
    E.SUSPEND: _guard_suspend,
    E.RESUME: _guard_resume,
    E.EXTEND_COORDINATION: _guard_extend,
    E.RECORD_COORDINATION_OUTCOME: _guard_coordination_outcome,
    E.AGREE_DRAFT: lambda facts: _chiefs_signed(facts, Msg("The draft"), Msg("Art. 34")),
    E.VOTE_PASSED: _vote_guard(E.VOTE_PASSED),
    E.VOTE_FAILED: _vote_guard(E.VOTE_FAILED),
    E.VOTE_INQUORATE: _vote_guard(E.VOTE_INQUORATE),
    E.SIGN: lambda facts: _chiefs_signed(facts, Msg("The collective contract"), Msg("Art. 37")),
    E.FILE: _guard_file,
    E.OBJECTION: _guard_objection,
    E.TAKE_EFFECT: _guard_take_effect,
    E.OPEN_RENEWAL: _guard_renewal,
    E.OPEN_CHANGE: _guard_ground,
    E.EXPIRE: _guard_expire,
    E.TERMINATE: _guard_terminate,
}


def vote_event(members: int, present: int, in_favour: int) -> Event:
    """The event that records a vote with these numbers (第三十六条); ValidationError if invalid."""
    result = rules.ratification_passes(members, present, in_favour)
    if not result.quorum:
        return E.VOTE_INQUORATE
    return E.VOTE_PASSED if result.passes else E.VOTE_FAILED
