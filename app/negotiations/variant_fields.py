"""Form fields of the procedure variants: the rule set chosen for a negotiation, whether the
worker representatives are paid (platform rules, 2026 guideline), and how a vote was held.

Kept apart from ``service`` so that module grows as little as possible.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.errors import Msg

from . import access, fields, rules, variants


def parse(form: Mapping, errors: dict) -> dict[str, Any]:
    """``variant`` (default ``national``), its version and ``representatives_paid``."""
    key = str(form.get("variant") or variants.NATIONAL).strip()
    if key not in variants.RULESETS:
        errors["variant"] = Msg("Choose the kind of consultation")
        key = variants.NATIONAL
    ruleset = variants.get(key)
    paid = None
    if ruleset.paid_representatives:
        raw = str(form.get("representatives_paid") or "").strip()
        if raw not in ("", "0", "1", "on"):
            errors["representatives_paid"] = Msg(
                "Choose whether the worker representatives are paid during the consultation")
        paid = fields.boolean(form, "representatives_paid") if raw else None
    return {"variant": key, "variant_version": ruleset.version, "representatives_paid": paid}


def ballot(form: Mapping, errors: dict) -> dict[str, Any]:
    """How the vote was held: ``ballot`` (secret or show of hands) and ``item_by_item``.

    Important items are voted by secret ballot, item by item (updates-2026.md §6); an empty
    choice records nothing, so votes recorded before this field existed stay valid.
    """
    raw = str(form.get("ballot") or "").strip()
    if not raw:
        return {}
    if raw not in rules.BALLOTS:
        errors["ballot"] = Msg("Choose how the vote was held")
        return {}
    return {"ballot": raw, "item_by_item": fields.boolean(form, "item_by_item")}


def check_acknowledgement(actor, negotiation, data: Mapping, errors: dict) -> None:
    """A term outside the usual 1-3 years (第三十八条 一般) is acknowledged by the mediator; a
    negotiation without a mediator lets its parties acknowledge it."""
    if not data.get("term_acknowledged"):
        return
    if negotiation.mediator_org_id is not None \
            and access.side_of(actor, negotiation) != access.MEDIATOR:
        errors["term_acknowledged"] = Msg("A term outside the usual 1 to 3 years must be "
                                          "acknowledged by the mediator")
