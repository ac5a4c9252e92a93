"""The consultation procedure as a state machine (its deadlines and flags: ``deadlines``).

The procedure (consultation-law.md §3–§8) is data: ``TRANSITIONS`` maps ``(State, Event)`` to the
next ``State``; ``GUARDS`` hold the legal conditions some events must meet. ``apply`` checks one
event; ``replay`` checks a whole history.

History: the input of ``replay`` here and of ``deadlines.deadlines`` and ``deadlines.flags``
---------------------------------------------------------------------------------------------
A history is a sequence of steps in the order they happened, each one of

* ``Step(event, on, data)`` (this module's frozen dataclass),
* a tuple ``(event, on)`` or ``(event, on, data)``,
* a mapping ``{"event": ..., "on": ..., "data": {...}}``,

where ``event`` is an ``Event`` or its string value, ``on`` the ``datetime.date`` (Asia/Shanghai)
on which the step happened, and ``data`` a plain dict of the facts of that step (JSON-friendly
except for dates). Store these rows as they are; a corrected date simply changes the computed
deadlines next time. The ``data`` keys read here:

=============================  ===============================================================
event                          data keys (optional unless marked *required*)
=============================  ===============================================================
SEND_OFFER                     ``received_on`` (date the other side received it; default ``on``),
                               ``in_writing`` (must not be False)
REFUSE                         ``reason`` (a refusal without one is allowed but flagged)
SUSPEND                        ``resume_on`` *required* — the agreed resume date (第三十五条)
RESUME                         ``resume_on`` (taken from the SUSPEND step by ``replay``)
APPLY_COORDINATION             ``accepted_on`` (acceptance by the administration; default ``on``)
EXTEND_COORDINATION            ``extension_days`` *required*, 1–15 in total (第五十二条)
RECORD_COORDINATION_OUTCOME    ``signed_by_coordinators``, ``signed_by_worker_chief``,
                               ``signed_by_employer_chief`` *required*, all true (第五十四条)
AGREE_DRAFT, SIGN              ``signed_by_worker_chief``, ``signed_by_employer_chief`` *required*
VOTE_PASSED / _FAILED /        ``members``, ``present``, ``in_favour`` *required*; the event must
VOTE_INQUORATE                 match ``rules.ratification_passes`` (use ``vote_event``)
FILE                           ``received_on`` (receipt by the administration; default ``on``),
                               ``copies`` (at least 3 when given)
TAKE_EFFECT                    ``term_years`` (1–3) or ``expires_on`` (last day of the term)
OPEN_CHANGE                    ``ground`` *required*, a key of ``GROUNDS``
TERMINATE                      ``ground`` *required*; ``procedure_completed`` true unless the
                               ground is ``agreed_condition``
VACANCY_AROSE / _FILLED        ``seat`` (any key pairing a vacancy with its filling; without
                               it the oldest open vacancy is filled)
=============================  ===============================================================

When ``apply`` is called directly, dates it needs from earlier steps (``received_on`` for
TAKE_EFFECT/OBJECTION, ``resume_on`` for RESUME, ``already_extended_days`` for
EXTEND_COORDINATION, ``expires_on`` for OPEN_RENEWAL/EXPIRE) must be in ``facts``:
``facts_for(history, step)`` builds exactly those facts for a new step, and
``advance(history, step)`` checks the whole history with the new step and returns the new state.

Changes, terminations and renewals follow the same procedure as a first contract (第四十一条). A
contract in force stays in force while that is negotiated, so OPEN_RENEWAL and OPEN_CHANGE leave
it ``IN_FORCE``: the caller opens a new, linked negotiation that starts at ``PREPARING``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from . import rules
from app.errors import Bilingual, IllegalTransition, Msg, ValidationError
from .guards import GUARDS, Facts, vote_event  # noqa: F401  (re-exported)
from .procedure_events import (EVENT_BASIS, EVENT_LABELS_EN, EVENT_LABELS_ZH,  # noqa: F401
                               GROUNDS, STATE_LABELS_EN, STATE_LABELS_ZH, E, Event, S, State,
                               event_label, state_label)

TERMINAL_STATES = frozenset({S.EXPIRED, S.TERMINATED, S.CLOSED})

TRANSITIONS: dict[tuple[State, Event], State] = {
    (S.PREPARING, E.SEND_OFFER): S.OFFER_SENT,
    # A counter-offer answers the offer in writing and opens consultation (第三十二条).
    (S.OFFER_SENT, E.ACCEPT): S.IN_CONSULTATION,
    (S.OFFER_SENT, E.COUNTER_OFFER): S.IN_CONSULTATION,
    (S.OFFER_SENT, E.REFUSE): S.REFUSED,
    (S.REFUSED, E.SEND_OFFER): S.OFFER_SENT,
    (S.IN_CONSULTATION, E.HOLD_MEETING): S.IN_CONSULTATION,
    (S.IN_CONSULTATION, E.COUNTER_OFFER): S.IN_CONSULTATION,
    (S.IN_CONSULTATION, E.SUSPEND): S.SUSPENDED,
    (S.IN_CONSULTATION, E.APPLY_COORDINATION): S.COORDINATION,
    (S.IN_CONSULTATION, E.AGREE_DRAFT): S.DRAFT_AGREED,
    (S.SUSPENDED, E.RESUME): S.IN_CONSULTATION,
    (S.SUSPENDED, E.APPLY_COORDINATION): S.COORDINATION,
    (S.COORDINATION, E.EXTEND_COORDINATION): S.COORDINATION,
    (S.COORDINATION, E.RECORD_COORDINATION_OUTCOME): S.IN_CONSULTATION,
    (S.DRAFT_AGREED, E.VOTE_PASSED): S.RATIFIED,
    # A rejected draft goes back to the representatives for renegotiation (consultation-law.md §5).
    (S.DRAFT_AGREED, E.VOTE_FAILED): S.IN_CONSULTATION,
    # Without a quorum nothing was decided; the vote is held again on the same draft.
    (S.DRAFT_AGREED, E.VOTE_INQUORATE): S.DRAFT_AGREED,
    (S.RATIFIED, E.SIGN): S.SIGNED,
    (S.SIGNED, E.FILE): S.FILED,
    (S.SIGNED, E.PUBLISH): S.SIGNED,
    # On an objection the disputed points are renegotiated, then signed and refiled (第四十六条).
    (S.FILED, E.OBJECTION): S.IN_CONSULTATION,
    (S.FILED, E.TAKE_EFFECT): S.IN_FORCE,
    (S.FILED, E.PUBLISH): S.FILED,
    (S.IN_FORCE, E.PUBLISH): S.IN_FORCE,
    (S.IN_FORCE, E.OPEN_RENEWAL): S.IN_FORCE,
    (S.IN_FORCE, E.OPEN_CHANGE): S.IN_FORCE,
    (S.IN_FORCE, E.EXPIRE): S.EXPIRED,
    (S.IN_FORCE, E.TERMINATE): S.TERMINATED,
}
for _state in (S.PREPARING, S.OFFER_SENT, S.REFUSED, S.IN_CONSULTATION, S.SUSPENDED,
               S.COORDINATION, S.DRAFT_AGREED):
    TRANSITIONS[(_state, E.WITHDRAW)] = S.CLOSED
# Seats fall vacant and are filled (第三十一条) at any stage while the negotiation is alive.
for _state in State:
    if _state not in TERMINAL_STATES:
        TRANSITIONS[(_state, E.VACANCY_AROSE)] = _state
        TRANSITIONS[(_state, E.VACANCY_FILLED)] = _state
del _state

def allowed_events(state: State | str, *, vote_required: bool = True) -> list[Event]:
    """Events the table allows in ``state``, in ``Event`` order (guards are not checked)."""
    state = State(state)
    extra = {} if vote_required else NO_VOTE_TRANSITIONS
    return [event for event in Event if (state, event) in TRANSITIONS or (state, event) in extra]


# Variants whose outcome needs no congress vote (minutes, platform rules): the chiefs sign the
# agreed draft directly. Used only when the facts say ``vote_required`` is False.
NO_VOTE_TRANSITIONS: dict[tuple[State, Event], State] = {(S.DRAFT_AGREED, E.SIGN): S.SIGNED}


def apply(state: State | str, event: Event | str, *, facts: Facts | None = None) -> State:
    """The state after ``event`` in ``state``; raises ``IllegalTransition`` saying why not.

    ``facts`` are the data of the step (see the module docstring) plus ``on``, its date.
    """
    try:
        state = State(state)
    except ValueError:
        raise IllegalTransition(Msg("Unknown state: %(state)s", state=state), state=state,
                                event=event) from None
    try:
        event = Event(event)
    except ValueError:
        raise IllegalTransition(Msg("Unknown action: %(event)s", event=event), state=state,
                                event=event) from None
    target = TRANSITIONS.get((state, event))
    if target is None and (facts or {}).get("vote_required") is False:
        target = NO_VOTE_TRANSITIONS.get((state, event))
    if target is None:
        allowed = Bilingual.joined(_event_words(e) for e in allowed_events(state)) \
            or Msg("none (the procedure has ended)")
        raise IllegalTransition(Msg(
            "In the state “%(state)s” the step “%(event)s” is not possible. Possible now: "
            "%(allowed)s", state=Bilingual(STATE_LABELS_EN[state], STATE_LABELS_ZH[state]),
            event=_event_words(event), allowed=allowed), state=state, event=event)
    guard = GUARDS.get(event)
    reason = guard(facts or {}) if guard else None
    if reason:
        raise IllegalTransition(reason, state=state, event=event)
    return target


def _event_words(event: Event) -> Bilingual:
    """A step's label in both languages, a parameter of a refusal."""
    return Bilingual(EVENT_LABELS_EN[event], EVENT_LABELS_ZH[event])


# --- Histories ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One recorded step of a negotiation: what happened (``event``), when (``on``), with what."""

    event: Event
    on: dt.date
    data: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "event", Event(self.event))
        except ValueError:
            raise ValidationError({"event": Msg("Unknown action: %(event)s",
                                                 event=self.event)}) from None
        if not isinstance(self.on, dt.date) or isinstance(self.on, dt.datetime):
            raise ValidationError({"on": Msg("Fill in the date")})
        object.__setattr__(self, "data", MappingProxyType(dict(self.data or {})))


def as_step(record: Step | tuple | Mapping[str, Any]) -> Step:
    """A ``Step`` from a ``Step``, an ``(event, on[, data])`` tuple or an event/on/data mapping."""
    if isinstance(record, Step):
        return record
    if isinstance(record, Mapping):
        return Step(record["event"], record["on"], record.get("data") or {})
    return Step(*record)


def checked_steps(history: Iterable[Step | tuple | Mapping[str, Any]]) -> list[Step]:
    return [as_step(record) for record in history]


def expires_on_of(step: Step) -> dt.date | None:
    expires_on = step.data.get("expires_on")
    if expires_on is not None:
        return expires_on
    years = step.data.get("term_years")
    if years is None:
        return None
    return rules.term_end(step.on, years, acknowledged=bool(step.data.get("term_acknowledged")))


def derived_facts(history: Iterable[Step | tuple | Mapping[str, Any]]) -> dict[str, Any]:
    """Facts from earlier steps that later guards need (see the module docstring)."""
    derived: dict[str, Any] = {}
    for step in checked_steps(history):
        if step.event == E.FILE:
            derived["received_on"] = step.data.get("received_on", step.on)
        elif step.event == E.SUSPEND:
            derived["resume_on"] = step.data.get("resume_on")
        elif step.event == E.RESUME:
            derived.pop("resume_on", None)
        elif step.event == E.APPLY_COORDINATION:
            derived["already_extended_days"] = 0
        elif step.event == E.EXTEND_COORDINATION:
            derived["already_extended_days"] = (derived.get("already_extended_days", 0)
                                                + step.data.get("extension_days", 0))
        elif step.event == E.TAKE_EFFECT:
            derived["expires_on"] = expires_on_of(step)
    return derived


# Which derived facts each event's guard reads; other events never see them, so a date from
# an earlier filing cannot leak into the check of a refiling.
_DERIVED_FOR: dict[Event, tuple[str, ...]] = {
    E.TAKE_EFFECT: ("received_on",),
    E.OBJECTION: ("received_on",),
    E.RESUME: ("resume_on",),
    E.EXTEND_COORDINATION: ("already_extended_days",),
    E.OPEN_RENEWAL: ("expires_on",),
    E.EXPIRE: ("expires_on",),
}


def _facts(derived: Mapping[str, Any], step: Step) -> dict[str, Any]:
    wanted = {k: derived[k] for k in _DERIVED_FOR.get(step.event, ()) if k in derived}
    return {**wanted, **step.data, "on": step.on}


def facts_for(history: Iterable[Step | tuple | Mapping[str, Any]],
              step: Step | tuple | Mapping[str, Any]) -> dict[str, Any]:
    """The ``facts`` to pass to ``apply`` for ``step`` recorded after ``history``."""
    return _facts(derived_facts(history), as_step(step))


def replay(history: Iterable[Step | tuple | Mapping[str, Any]],
           start: State = S.PREPARING, *, vote_required: bool = True) -> State:
    """The state after every step of ``history`` from ``start``; raises at the first bad step.

    Steps must be in date order; a step dated before the previous one raises IllegalTransition.
    ``vote_required`` False (the variant's rule set has no congress vote) lets the chiefs sign
    an agreed draft directly.
    """
    state, done = State(start), []
    for step in checked_steps(history):
        if done and step.on < done[-1].on:
            raise IllegalTransition(Msg(
                "The date of “%(event)s”, %(on)s, is before the date of the previous step, "
                "%(before)s", event=_event_words(step.event), on=step.on.isoformat(),
                before=done[-1].on.isoformat()), state=state, event=step.event)
        facts = _facts(derived_facts(done), step)
        if not vote_required:
            facts["vote_required"] = False
        state = apply(state, step.event, facts=facts)
        done.append(step)
    return state


def advance(history: Iterable[Step | tuple | Mapping[str, Any]],
            step: Step | tuple | Mapping[str, Any], *, vote_required: bool = True) -> State:
    """The state after adding ``step`` to a valid ``history``; raises ``IllegalTransition``."""
    steps = checked_steps(history)
    return replay([*steps, as_step(step)], vote_required=vote_required)
