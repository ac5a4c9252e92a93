"""The workbench form: the scenario a posted form describes (or every message by field), the
place it is dated at, the error slots of the form, and the headline figures of a package.
Used by ``app.web.scenarios``.
"""
from __future__ import annotations

from flask import Response, render_template

from app.scenarios import forms, service
from app.errors import ValidationError
from app.simulator.effect import package_effect
from app.web.database import db


def parse(record, form: dict):
    """The scenario the form describes, or ValidationError (nothing is saved)."""
    stored = service.to_scenario(record)
    errors, scenario, seed = {}, stored, record.seed
    try:
        scenario = service.apply_values(record, forms.changed_values(stored, form))
    except ValidationError as exc:
        errors.update(exc.errors)
    try:
        seed = service.clean_seed(form.get("seed", record.seed))
    except ValidationError as exc:
        errors.update(exc.errors)
    try:
        scenario = service.apply_place(db(), scenario, *place(record, form))
    except ValidationError as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    return scenario, seed


def place(record, form: dict) -> tuple:
    """(province, tier, as_of) from the form, the stored ones where absent."""
    return (form.get("province", record.province), form.get("tier", record.tier),
            form.get("as_of", record.as_of))


def place_errors(record, errors: dict) -> dict:
    """Messages about the worker groups as a whole also go next to each group's share."""
    errors = dict(errors)
    if "workforce.groups" in errors:
        for key in field_keys(record):
            if key.startswith("workforce.groups.") and key.endswith(".share"):
                errors.setdefault(key, errors["workforce.groups"])
    return errors


def field_keys(record) -> list[str]:
    """Every error slot on the workbench form."""
    return forms.field_keys(service.to_scenario(record)) + ["name", "notes", "seed",
                                                            *forms.PLACE_KEYS]


def field_errors_only(record, errors: dict, status: int = 400):
    """Field messages swapped out of band; the last good results stay on screen."""
    html = render_template("scenarios/_field_errors.html", errors=errors,
                           keys=field_keys(record), stale=True)
    response = Response(html, status=status)
    response.headers["HX-Reswap"] = "none"
    return response


def headline(record) -> dict:
    """The package's share below the minimum under its own reading, with its threshold."""
    scenario = service.to_scenario(record)
    effect = package_effect(scenario, service.baseline_of(scenario, record.baseline_pay),
                            record.seed)
    reading = effect["adopted_reading"]
    return {"share": effect["package"]["share_below_hourly_minimum_by_reading"][reading],
            "hourly": effect["threshold"]["hourly"],
            "effective_from": effect["threshold"]["effective_from"]}
