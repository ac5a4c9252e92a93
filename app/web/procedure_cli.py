"""``flask procedure``: the consultation procedure's deadlines and vote check from the shell.

Scripts rely on the output exactly (issue 18):

* ``flask procedure timeline --variant V --event NAME=YYYY-MM-DD [...] --json`` prints one JSON
  object ``{deadline_name: "YYYY-MM-DD", ...}`` of every deadline the events determine;
* ``flask procedure vote --members N --present P --in-favour F --json`` prints
  ``{"quorum": bool, "passes": bool, "reasons": [...]}``.

Plain click commands; they need no application context and no database.
"""
from __future__ import annotations

import datetime as dt
import json

import click

from app.negotiations import rules, variants
from app.errors import ValidationError
from app.web.errors import field_messages

procedure = click.Group("procedure", help="Consultation procedure: deadlines and votes.")


def _events(pairs) -> dict[str, dt.date]:
    events: dict[str, dt.date] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or name not in variants.EVENTS:
            raise click.BadParameter(
                f"expected NAME=YYYY-MM-DD with NAME one of {', '.join(variants.EVENTS)}; "
                f"got {pair!r}", param_hint="--event")
        try:
            events[name] = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise click.BadParameter(f"not a date (YYYY-MM-DD): {value!r}",
                                     param_hint="--event") from None
    return events


@procedure.command("timeline")
@click.option("--variant", required=True, type=click.Choice(list(variants.RULESETS)))
@click.option("--event", "event_pairs", multiple=True, metavar="NAME=YYYY-MM-DD",
              help="An event and its date; repeat for several.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def timeline(variant, event_pairs, as_json):
    """Every deadline the given events determine under the variant's rule set."""
    dues = variants.timeline(variants.get(variant), _events(event_pairs))
    if as_json:
        click.echo(json.dumps({name: due.date.isoformat() for name, due in dues.items()},
                              sort_keys=True))
        return
    for name, due in dues.items():
        note = " (provisional)" if due.provisional else ""
        click.echo(f"{name}\t{due.date.isoformat()}{note}\t{due.basis}")


@procedure.command("vote")
@click.option("--members", required=True, type=int, help="All representatives or employees.")
@click.option("--present", required=True, type=int)
@click.option("--in-favour", "in_favour", required=True, type=int)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def vote(members, present, in_favour, as_json):
    """Quorum (two thirds present) and passing (more than half of all members in favour)."""
    try:
        result = rules.ratification_passes(members, present, in_favour)
    except ValidationError as exc:
        raise click.UsageError("; ".join(f"{k}: {v}"
                                         for k, v in field_messages(exc).items())) from None
    if as_json:
        click.echo(json.dumps({"quorum": result.quorum, "passes": result.passes,
                               "reasons": list(result.reasons)}, ensure_ascii=False))
        return
    click.echo("\n".join(result.reasons))
