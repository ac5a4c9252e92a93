"""The platform's cost scaled from the simulated population to the workers a negotiation
covers (its recorded ``workers_count``), for scenarios and snapshots that belong to one."""
from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from app.negotiations import records as negotiation_records
from app.errors import NotFound
from app.web.database import db

bp = Blueprint("coverage", __name__)


def _negotiation_id(record) -> int | None:
    if getattr(record, "negotiation_id", None):
        return record.negotiation_id  # a snapshot shared into a negotiation
    label = getattr(record, "baseline_label", "") or ""
    if label.startswith("negotiation:") and label[12:].isdigit():
        return int(label[12:])
    return None


def covered_workers(record):
    """``(negotiation, workers_count)`` when ``record`` belongs to a negotiation the user sees
    and that records how many workers it covers; else None."""
    negotiation_id = _negotiation_id(record) if record is not None else None
    if negotiation_id is None or not current_user.is_authenticated:
        return None
    try:
        negotiation = negotiation_records.get_negotiation(db(), current_user, negotiation_id)
    except NotFound:
        return None
    if not negotiation.workers_count or negotiation.workers_count <= 0:
        return None
    return negotiation, negotiation.workers_count


@bp.app_context_processor
def _helpers():
    return {"covered_workers": covered_workers}
