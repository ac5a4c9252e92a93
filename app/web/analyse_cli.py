"""``flask analyse``: solve-for, frontier, sensitivity and calibration from the command line.

A plain click group (no application context needed); registered by ``app.web.cli.init_app``.
Every command takes a preset and ``--set key=value`` changes like ``flask simulate``, prints a
short table, or one JSON document with ``--json``.
"""
from __future__ import annotations

import json
from pathlib import Path

import click

from app.errors import ValidationError
from app.simulator import measures as M
from app.simulator.calibrate import calibrate_file
from app.simulator.optimize import frontier, solve_for
from app.simulator.params import larger_runs
from app.simulator.sensitivity import sensitivity
from app.web.errors import field_messages
from app.web.simulate_cli import build_scenario, clean_option, parse_sets

_MEASURES = click.Choice(list(M.MEASURES))


def _scenario(preset, sets, workers):
    return build_scenario(preset, parse_sets(sets, "--set"), workers, None, "--set")


def _fail(e: ValidationError):
    raise click.ClickException("; ".join(f"{k}: {m}"
                                         for k, m in sorted(field_messages(e).items())))


def _range(text, option):
    if text is None:
        return None
    lo, sep, hi = text.partition(":")
    try:
        return float(lo), float(hi)
    except ValueError:
        raise click.BadParameter("expected LOW:HIGH, e.g. 3:9", param_hint=option) from None


def _out(data, as_json, text_fn):
    if as_json:
        click.echo(json.dumps(clean_option(data), ensure_ascii=False, default=str))
    else:
        click.echo(text_fn(data))


def _common(f):
    f = click.option("--json", "as_json", is_flag=True, help="Print one JSON document")(f)
    f = click.option("--seed", type=int, default=1, show_default=True)(f)
    f = click.option("--workers", type=int, help="Simulated workers (default: the preset's)")(f)
    f = click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
                     help="Change an input, e.g. base_per_order=6.5 or market.p_rain=0.3")(f)
    f = click.option("--preset", default="delivery", show_default=True,
                     help="delivery, ride_hailing or freight")(f)
    return f


@click.group("analyse", help="Analyses that find better packages.")
def analyse():
    # Off the request path: the population may exceed the web's worker-days limit.
    click.get_current_context().with_resource(larger_runs())


@analyse.command("measures")
def measures_cmd():
    """List the measures the analyses can aim at."""
    for m in M.MEASURES.values():
        click.echo(f"{m.name:34} {m.unit:8} {m.label_en}")


@analyse.command("solve-for")
@_common
@click.option("--term", required=True, help="The term to solve for, e.g. base_per_order")
@click.option("--measure", type=_MEASURES, required=True)
@click.option("--target", type=float, required=True)
@click.option("--at-most", is_flag=True, help="The measure must not exceed the target")
@click.option("--range", "rng", help="Search only LOW:HIGH (inside the allowed range)")
def solve_for_cmd(preset, sets, workers, seed, as_json, term, measure, target, at_most, rng):
    """The value of one term at which a measure reaches a target."""
    scenario = _scenario(preset, sets, workers)
    lo_hi = _range(rng, "--range") or (None, None)
    try:
        r = solve_for(scenario, term, measure, target, seed=seed,
                      goal="at_most" if at_most else "at_least", lo=lo_hi[0], hi=lo_hi[1])
    except ValidationError as e:
        _fail(e)

    def text(r):
        lines = [r["message_en"]]
        if r["status"] != "no_solution":
            lines.append(f"value {r['value']}  achieved {r['achieved']:.4g}  platform cost/month "
                         f"{r['cost']:,.0f}  (today {r['baseline']['cost']:,.0f})")
        return "\n".join(lines)
    _out(r, as_json, text)


def _offers(specs):
    offers = []
    for spec in specs:
        name, sep, rest = spec.partition(":")
        if not sep:
            raise click.BadParameter("expected NAME:key=value,key=value", param_hint="--offer")
        terms = parse_sets([p for p in rest.split(",") if p.strip()], "--offer")
        offers.append({"name": name, "terms": terms})
    return offers


@analyse.command("frontier")
@_common
@click.option("--x", "x_key", required=True, help="First term, e.g. base_per_order")
@click.option("--y", "y_key", required=True, help="Second term, e.g. per_km")
@click.option("--x-range", help="LOW:HIGH (default: today's value ±50 %)")
@click.option("--y-range", help="LOW:HIGH")
@click.option("--measure", type=_MEASURES, default="p25_net_per_working_hour", show_default=True)
@click.option("--n", type=int, default=15, show_default=True, help="Grid points per term")
@click.option("--offer", "offer_specs", multiple=True, metavar="NAME:K=V,K=V",
              help="An offer to place against the frontier")
@click.option("--chosen", type=int, help="Index (from 0) of the offer to list better packages for")
def frontier_cmd(preset, sets, workers, seed, as_json, x_key, y_key, x_range, y_range, measure,
                 n, offer_specs, chosen):
    """Pareto-efficient packages over two terms: platform cost vs a worker measure."""
    scenario = _scenario(preset, sets, workers)
    try:
        r = frontier(scenario, x_key, y_key, measure=measure, seed=seed,
                     x_range=_range(x_range, "--x-range"), y_range=_range(y_range, "--y-range"),
                     n=n, offers=_offers(offer_specs), chosen=chosen)
    except ValidationError as e:
        _fail(e)

    def text(r):
        lines = [f"{len(r['frontier'])} efficient of {len(r['points'])} packages "
                 f"({r['grid_workers']} workers per grid point)",
                 f"{r['x']['key']:>24} {r['y']['key']:>24} {'cost/month':>14} {measure:>12}"]
        for p in r["frontier"]:
            lines.append(f"{p['x']:24.4g} {p['y']:24.4g} {p['cost']:14,.0f} {p['worker']:12.4g}")
        for o in r["offers"]:
            if "error" in o:
                lines.append(f"offer {o['name']}: {o['error']}")
            else:
                lines.append(f"offer {o['name']}: cost {o['cost']:,.0f}, {o['worker']:.4g}, "
                             f"{o['position']}"
                             + (f", {len(o['better_for_both'])} packages better for both"
                                if "better_for_both" in o else ""))
        return "\n".join(lines)
    _out(r, as_json, text)


@analyse.command("sensitivity")
@_common
@click.option("--measure", type=_MEASURES, default="p25_net_per_working_hour", show_default=True)
@click.option("--step", type=float, default=0.1, show_default=True, help="Relative step (0.1 = ±10 %)")
@click.option("--top", type=int, default=15, show_default=True, help="Rows shown in the table")
def sensitivity_cmd(preset, sets, workers, seed, as_json, measure, step, top):
    """Each numeric input ±step → change of the measure, largest first (tornado data)."""
    scenario = _scenario(preset, sets, workers)
    try:
        r = sensitivity(scenario, measure=measure, seed=seed, step=step)
    except ValidationError as e:
        _fail(e)

    def text(r):
        lines = [f"{measure} = {r['base']:.4g} ({r['workers']} workers); ±{step:.0%}:"]
        for row in r["rows"][:top]:
            lines.append(f"{row['key']:44} {row['delta_low']:+10.4g} {row['delta_high']:+10.4g}")
        lines.append(f"{len(r['skipped'])} inputs skipped (zero, structural or unused)")
        return "\n".join(lines)
    _out(r, as_json, text)


@analyse.command("calibrate")
@_common
@click.option("--file", "path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--map", "maps", multiple=True, metavar="FIELD=COLUMN",
              help="Column of a record field (header or index); default: guessed from headers")
def calibrate_cmd(preset, sets, workers, seed, as_json, path, maps):
    """Fit the workforce and order distributions to worker records (CSV or XLSX)."""
    scenario = _scenario(preset, sets, workers)
    mapping = None
    if maps:
        mapping = {}
        for m in maps:
            k, sep, v = m.partition("=")
            if not sep:
                raise click.BadParameter("expected FIELD=COLUMN", param_hint="--map")
            mapping[k.strip()] = v.strip()
    p = Path(path)
    try:
        r = calibrate_file(scenario, p.read_bytes(), p.name, mapping, seed=seed)
    except ValidationError as e:
        _fail(e)
    r.pop("scenario")
    r.pop("comparison", None)

    def text(r):
        lines = [f"{r['used']} records used, {r['excluded']} excluded"]
        lines += [f"{k:48} {v}" for k, v in r["values"].items()]
        lines += [f"KS {k}: {v['ks']:.4f}" for k, v in r["fits"].items()]
        return "\n".join(lines)
    _out(r, as_json, text)
