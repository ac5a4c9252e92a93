"""The ledger item's life (整改一条消除一条): open → in progress → closed, and overdue standing.

Overdue is not a stored status: it is computed from the deadline and an injected ``today``, so it
can never go stale. An item closed after its deadline is "closed late", which the report counts.
"""
from __future__ import annotations

from datetime import date
from enum import StrEnum

from app.errors import IllegalTransition


class ItemStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


class ItemAction(StrEnum):
    START = "start"        # the enterprise or the office starts work on it
    CLOSE = "close"        # verified as put right; needs evidence
    REOPEN = "reopen"      # the problem came back or the evidence did not hold


class Source(StrEnum):
    MANUAL = "manual"          # entered by hand
    SCREENING = "screening"    # opened from a risk screening
    AGREEMENT = "agreement"    # follows up one standard of a signed agreement


#: (from, action) → to. Anything else is an illegal step (HTTP 409).
TRANSITIONS: dict[tuple[ItemStatus, ItemAction], ItemStatus] = {
    (ItemStatus.OPEN, ItemAction.START): ItemStatus.IN_PROGRESS,
    (ItemStatus.OPEN, ItemAction.CLOSE): ItemStatus.CLOSED,
    (ItemStatus.IN_PROGRESS, ItemAction.CLOSE): ItemStatus.CLOSED,
    (ItemStatus.CLOSED, ItemAction.REOPEN): ItemStatus.IN_PROGRESS,
}


def next_status(status: ItemStatus | str, action: ItemAction | str, *,
                evidence_count: int = 0) -> ItemStatus:
    """The status after ``action``; closing needs at least one piece of evidence."""
    status, action = ItemStatus(status), ItemAction(action)
    target = TRANSITIONS.get((status, action))
    if target is None:
        raise IllegalTransition("This step is not allowed in the item's current status.")
    if action is ItemAction.CLOSE and evidence_count < 1:
        raise IllegalTransition("Closing an item needs evidence: a note or a file.")
    return target


def allowed_actions(status: ItemStatus | str) -> list[ItemAction]:
    status = ItemStatus(status)
    return [a for (s, a) in TRANSITIONS if s is status]


def is_overdue(status: ItemStatus | str, deadline: date, today: date) -> bool:
    """Not closed and past its deadline (the deadline day itself is still in time)."""
    return ItemStatus(status) is not ItemStatus.CLOSED and today > deadline


def days_left(deadline: date, today: date) -> int:
    """Days until the deadline; negative when overdue."""
    return (deadline - today).days


def closed_late(status: ItemStatus | str, deadline: date, closed_on: date | None) -> bool:
    return (ItemStatus(status) is ItemStatus.CLOSED and closed_on is not None
            and closed_on > deadline)


def standing(status: ItemStatus | str, deadline: date, today: date) -> str:
    """What the ledger shows: ``open``, ``in_progress``, ``closed`` or ``overdue``."""
    return "overdue" if is_overdue(status, deadline, today) else ItemStatus(status).value
