"""The workbench form: which fields go where, how values are shown and read back.

Terms of the package (``pay.*``) are grouped as negotiators think of them; the world they are
tested in (market, weather calendar, workforce, costs, behaviour, minimum wages) is folded away
below, every field labelled with its source or "assumption".
"""
from __future__ import annotations

from collections.abc import Mapping

from app.simulator import Scenario, field_specs
from app.simulator.fieldspec import coerce

TERM_GROUPS = ("piece_rate", "commission", "hours", "dispatch", "weather", "penalties", "floors",
               "protection")
ASSUMPTION_SECTIONS = ("market", "weather_calendar", "workforce", "costs", "behaviour",
                       "thresholds")


def dom_id(key: str) -> str:
    """An HTML id for a dotted key (dots would need escaping in CSS selectors)."""
    return key.replace(".", "-")


def show(value) -> str:
    """A field value as the form shows it (floats without a trailing ``.0``)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return "" if value is None else str(value)


def source_kind(source: str | None) -> str:
    """``"link"`` (an address), ``"user"`` (changed here) or ``"assumption"``."""
    source = source or "assumption"
    if source == "user":
        return "user"
    if source.startswith(("http://", "https://")):
        return "link"
    return "assumption"


def source_url(source: str | None) -> str | None:
    """The first address mentioned in a source note, if any."""
    for word in (source or "").replace("(", " ").replace(")", " ").split():
        if word.startswith(("http://", "https://")):
            return word
    return None


# Fixed by the preset, or (thresholds) looked up for the scenario's place and date: not on the
# form as numbers; the place-and-date fields choose them.
FIXED_KEYS = ("market.sector", "thresholds.hourly_minimum_wage",
              "thresholds.monthly_minimum_wage", "thresholds.region", "thresholds.valid_from")
PLACE_KEYS = ("province", "tier", "as_of")


def field_keys(scenario: Scenario) -> list[str]:
    """The dotted keys the form shows, in order."""
    return [e["key"] for e in field_specs(scenario) if e["key"] not in FIXED_KEYS]


def _section(entry: dict) -> str:
    key = entry["key"]
    if key.startswith("pay."):
        return entry["group"]
    if key.startswith("market.") and entry["group"] == "weather":
        return "weather_calendar"
    part = key.split(".")[0]
    return "market" if part == "market" else part


def layout(scenario: Scenario, baseline_pay: dict | None = None) -> dict:
    """Form sections: ``{"terms": [(group, entries)], "assumptions": [(section, entries)]}``.

    Each entry is a field spec plus ``id``, ``shown`` (the value as text), ``source_kind``,
    ``source_url``, ``baseline`` (today's value as text, terms only, when it differs) and, for
    workforce groups and vehicles, ``qualifier`` (the group or vehicle name).
    """
    sections: dict[str, list] = {}
    for entry in field_specs(scenario):
        entry = dict(entry)
        entry["id"] = dom_id(entry["key"])
        entry["shown"] = show(entry["value"])
        entry["source_kind"] = source_kind(entry["source"])
        entry["source_url"] = source_url(entry["source"])
        parts = entry["key"].split(".")
        if parts[0] == "workforce" and len(parts) == 4:
            entry["qualifier"] = parts[2]
        elif parts[0] == "costs":
            entry["qualifier"] = parts[1]
        else:
            entry["qualifier"] = None
        if parts[0] == "pay" and baseline_pay is not None and parts[1] in baseline_pay:
            today = show(baseline_pay[parts[1]])
            entry["baseline"] = today if today != entry["shown"] else None
        else:
            entry["baseline"] = None
        if entry["key"] in FIXED_KEYS:
            continue
        sections.setdefault(_section(entry), []).append(entry)
    return {"terms": [(g, sections[g]) for g in TERM_GROUPS if g in sections],
            "assumptions": [(s, sections[s]) for s in ASSUMPTION_SECTIONS if s in sections]}


def changed_values(scenario: Scenario, form: Mapping) -> dict:
    """The dotted keys whose submitted value differs from ``scenario`` (raw, unvalidated).

    Only changed fields are passed on, so untouched fields keep their source label.
    Unparseable values count as changed (validation reports them).
    """
    out = {}
    for entry in field_specs(scenario):
        key = entry["key"]
        if key not in form:
            continue
        raw = form[key]
        value, message = coerce(raw, entry)
        if message is not None or value != entry["value"]:
            out[key] = raw
    return out
