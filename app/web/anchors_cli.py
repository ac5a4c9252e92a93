"""``flask anchors check``: does each preset land inside its published anchors?

A plain click group (no application context needed); registered by ``app.web.cli.init_app``.
"""
from __future__ import annotations

import json

import click

from app.simulator import presets, simulate
from app.simulator.anchors import check_seeds
from app.web.simulate_cli import clean_option


@click.group("anchors", help="Published anchors the presets are calibrated to.")
def anchors():
    pass


def _fmt(x, unit):
    if x is None:
        return "—"
    return f"{x:,.0f}" if unit.startswith("元") else f"{x:.4g}"


@anchors.command("check")
@click.option("--preset", "preset_name", type=click.Choice(list(presets.PRESETS)), default=None,
              help="One preset (default: all).")
@click.option("--seed", type=click.IntRange(0), default=1, show_default=True,
              help="First seed; the check runs --seeds consecutive seeds.")
@click.option("--seeds", type=click.IntRange(2, 50), default=5, show_default=True,
              help="Independent seeds (the uncertainty is their spread).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def check_cmd(preset_name, seed, seeds, as_json):
    """Each anchor: definition, simulated value ± standard error, published range, inside?"""
    names = [preset_name] if preset_name else list(presets.PRESETS)
    seed_list = list(range(seed, seed + seeds))
    out = {"seeds": seed_list, "presets": {}}
    for name in names:
        out["presets"][name] = check_seeds(presets.preset(name), seed_list, simulate)
    out["all_inside"] = all(a["inside"] for rows in out["presets"].values() for a in rows)
    out = clean_option(out)
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False))
    else:
        for name, rows in out["presets"].items():
            click.echo(f"{name}:" + ("" if rows else " no anchor with a verified source"))
            for a in rows:
                se = "—" if a["se"] is None else _fmt(a["se"], a["unit"])
                click.echo(f"  {'inside ' if a['inside'] else 'OUTSIDE'} {a['name']:22} "
                           f"{_fmt(a['value'], a['unit'])} ± {se} {a['unit']}  "
                           f"range {_fmt(a['low'], a['unit'])}–{_fmt(a['high'], a['unit'])}")
                click.echo(f"          {a['definition']}")
                click.echo(f"          source: {a['source']} ({a['note_en']})")
        click.echo(f"seeds {seed_list[0]}–{seed_list[-1]}: "
                   + ("every anchor inside its range" if out["all_inside"]
                      else "some anchors outside their range"))
    if not out["all_inside"]:
        raise SystemExit(1)
