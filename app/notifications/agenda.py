"""Every dated thing a user should have in view: the legal deadlines of the negotiations their
organisation is party to, and the due dates of the ledger items they may see.

Nothing is computed here: negotiation deadlines come from ``negotiations.deadlines`` (over the
recorded history, so a corrected or new step moves them), ledger due dates from the items.
Each entry has a reference that stays the same when dates move (``reply-1`` is the first reply
deadline of a negotiation), so a calendar updates an event instead of adding a second one.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy.orm import Session

from app.ledger import service as ledger_service
from app.ledger.items import ItemStatus
from app.ledger.models import LedgerItem
from app.negotiations import service as negotiation_service
from app.negotiations import records as negotiation_records
from app.negotiations.deadlines import Deadline, deadlines
from app.errors import NotFound
from app.negotiations.models import Negotiation


class Entry(NamedTuple):
    """One dated thing. ``kind`` is ``"negotiation"`` or ``"ledger"``; ``ref`` names it within
    its record (``reply-1``; ``item`` for a ledger item); ``status`` as in ``Deadline`` (for a
    ledger item: its standing, ``open``, ``in_progress``, ``closed`` or ``overdue``)."""

    kind: str
    record_id: int
    ref: str
    due: dt.date
    name: str
    name_en: str
    record_title: str
    basis: str
    status: str
    met_on: dt.date | None = None

    @property
    def uid(self) -> str:
        return f"{self.kind}-{self.record_id}-{self.ref}@xieshang"

    @property
    def done(self) -> bool:
        return self.met_on is not None or self.status == "closed"


def deadline_refs(dates: Iterable) -> list[str]:
    """The reference of each deadline in ``dates`` (anything with a ``key``), in order:
    ``<key>-<n>``, the n-th deadline of that key in the order they arose."""
    seen: dict[str, int] = {}
    refs = []
    for d in dates:
        seen[d.key] = seen.get(d.key, 0) + 1
        refs.append(f"{d.key}-{seen[d.key]}")
    return refs


def negotiation_entries(negotiation: Negotiation, dates: list[Deadline]) -> list[Entry]:
    return [Entry("negotiation", negotiation.id, ref, d.due, d.name, d.name_en, negotiation.title,
                  d.basis, d.status, d.met_on)
            for ref, d in zip(deadline_refs(dates), dates)]


def ledger_entry(item: LedgerItem, today: dt.date) -> Entry:
    return Entry("ledger", item.id, "item", item.deadline, item.title, item.title,
                 item.enterprise.name, "", item.standing(today),
                 item.closed_on if item.status is ItemStatus.CLOSED else None)


def _negotiation_dates(session: Session, negotiation: Negotiation,
                       today: dt.date) -> list[Deadline]:
    return deadlines(negotiation_records.history(session, negotiation), today,
                     ruleset=negotiation.ruleset)


def for_user(session: Session, actor, *, now: dt.datetime) -> list[Entry]:
    """Every deadline of the actor's organisation's negotiations and of the ledger items the
    actor may see, by due date. An inactive user has none."""
    if not getattr(actor, "is_active", False):
        return []
    today = negotiation_records.local_today(now)
    entries: list[Entry] = []
    for negotiation in negotiation_service.negotiations_for(session, actor):
        entries += negotiation_entries(negotiation,
                                       _negotiation_dates(session, negotiation, today))
    entries += [ledger_entry(item, today)
                for item in ledger_service.visible_items(session, actor, today=today)]
    entries.sort(key=lambda e: (e.due, e.kind, e.record_id, e.ref))
    return entries


def negotiation_entry(session: Session, actor, negotiation_id: int, ref: str, *,
                      now: dt.datetime) -> Entry:
    """One deadline of a negotiation the actor sees; ``NotFound`` for an unknown reference."""
    negotiation = negotiation_records.get_negotiation(session, actor, negotiation_id)
    today = negotiation_records.local_today(now)
    for entry in negotiation_entries(negotiation,
                                     _negotiation_dates(session, negotiation, today)):
        if entry.ref == ref:
            return entry
    raise NotFound("deadline")


def item_entry(session: Session, actor, item_id: int, *, now: dt.datetime) -> Entry:
    """The due date of a ledger item the actor sees (``app.errors.NotFound`` otherwise)."""
    item = ledger_service.get_item(session, actor, item_id)
    return ledger_entry(item, negotiation_records.local_today(now))
