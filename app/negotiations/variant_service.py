"""Changing a negotiation's variant (rule set): allowed until the first offer is sent.

The kind of consultation decides the steps and deadlines; once an offer has gone out its reply
period is running under the chosen rule set, so the choice is then fixed (issue 18).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy.orm import Session

from app import audit
from app.db import atomic
from app.auth.permissions import require

from . import variant_fields
from . import records as nrecords
from app.errors import IllegalTransition, Msg
from .fields import raise_any
from .models import Negotiation
from .workflow import Event as E


def variant_fixed(session: Session, negotiation: Negotiation) -> bool:
    """Whether an offer has been sent (then the variant can no longer change)."""
    return any(step.event == E.SEND_OFFER for step in nrecords.history(session, negotiation))


@atomic
def change_variant(session: Session, actor, negotiation_id: int, form: Mapping, *,
                   now: dt.datetime) -> Negotiation:
    """Set ``variant`` (and ``representatives_paid``) of a negotiation with no offer sent yet."""
    negotiation = nrecords.get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.record", negotiation)
    errors: dict[str, str] = {}
    data = variant_fields.parse(form, errors)
    raise_any(errors)
    if variant_fixed(session, negotiation):
        raise IllegalTransition(Msg("An offer has been sent; the type of consultation can no "
                                    "longer be changed"), state=negotiation.state,
                                event="change_variant")
    before = {k: getattr(negotiation, k) for k in data}
    for key, value in data.items():
        setattr(negotiation, key, value)
    negotiation.updated_at = now
    session.flush()
    audit.record(session, actor=actor, action="negotiation.variant",
                 target_type="negotiation", target_id=negotiation.id, before=before,
                 after=data, now=now)
    return negotiation
