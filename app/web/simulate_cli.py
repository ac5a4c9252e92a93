"""``flask simulate``: run the income simulator from the command line.

Registered by the app with ``app.cli.add_command(simulate)``; the minimum wage of the place and
date comes from the app's registry of standards (the database).
"""
from __future__ import annotations

import datetime as dt
import json
import math

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect

from app import schema

from app.scenarios import minimum_wage as mwage
from app.errors import ValidationError
from app.simulator import compare, presets, simulate as run_simulation
from app.simulator.effect import adopted_reading
from app.simulator.parallel import spread_over
from app.simulator.export import write_workers_csv
from app.simulator.params import larger_runs, pay_field_names
from app.standards import thresholds
from app.web.errors import field_messages


def parse_sets(pairs, option: str) -> dict:
    values = {}
    shorthand = set(pay_field_names())
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise click.BadParameter(f"expected key=value, got {pair!r}", param_hint=option)
        if "." not in key and key in shorthand:
            key = "pay." + key
        values[key] = value.strip()
    return values


def _ensure_registry() -> None:
    """A database never migrated (a fresh clone's embedded SQLite file) is brought up to date
    first, so the command works before the app was ever started; a migrated one is left alone."""
    engine = current_app.extensions["xieshang.engine"]
    if not inspect(engine).has_table("minimum_wage_record"):
        schema.upgrade(current_app.config["DATABASE_URL"])


def _standard(province: str, tier: str, as_of) -> mwage.MinimumWage:
    """The minimum wage of ``province``/``tier`` on ``as_of`` (default: today in China)."""
    try:
        on = mwage.parse_date(as_of) if as_of else \
            dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
        _ensure_registry()
        with current_app.extensions["xieshang.sessions"]() as session:
            return mwage.minimum_wage(session, province, tier, on)
    except ValidationError as e:
        key = next(iter(e.errors))
        raise click.BadParameter("; ".join(field_messages(e).values()),
                                 param_hint=f"--{key.replace('_', '-')}") from None


def _place_json(record: mwage.MinimumWage) -> dict:
    return {"hourly": record.hourly, "monthly": record.monthly,
            "effective_from": record.effective_from.isoformat(), "region": record.province,
            "tier": record.tier, "source": record.source, "label": thresholds.region_label(record),
            "document": record.document, "verified": record.verified}


def build_scenario(preset_name: str, sets: dict, workers, days, option: str, standard=None):
    try:
        scenario = presets.preset(preset_name)
    except KeyError as e:
        raise click.BadParameter(str(e.args[0]), param_hint=option) from None
    if standard is not None:
        scenario = thresholds.with_minimum_wage(scenario, standard)
    values = dict(sets)
    if workers is not None:
        values["workforce.n_workers"] = workers
    if days is not None:
        values["workforce.days"] = days
    try:
        return scenario.with_values(values, name=preset_name if not sets else
                                    f"{preset_name} (modified)")
    except ValidationError as e:
        lines = "; ".join(f"{k}: {m}" for k, m in sorted(field_messages(e).items()))
        raise click.BadParameter(lines, param_hint=option) from None


def clean_option(x):
    """JSON-safe: NaN → null."""
    if isinstance(x, dict):
        return {k: clean_option(v) for k, v in x.items()}
    if isinstance(x, list):
        return [clean_option(v) for v in x]
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def _fmt(x, digits=2):
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    return f"{x:,.{digits}f}"


def _pct(x, sign=""):
    if x is None:
        return "—"
    return f"{x:{sign}.1%}"


def _table(d: dict, delta: dict | None) -> str:
    rows = [f"scenario {d['scenario']}  seed {d['seed']}  workers {d['workers']}  "
            f"worker-days {d['worker_days']}  orders {d['orders']}"]
    head = f"{'':32}" + "".join(f"{q:>11}" for q in ("p10", "p25", "p50", "p75", "p90"))
    rows.append(head)
    for key, label in (("net_per_working_hour", "net per working hour (元/h)"),
                       ("net_per_online_hour", "net per online hour (元/h)"),
                       ("net_monthly", "net per month (元)")):
        rows.append(f"{label:32}" + "".join(f"{_fmt(d[key][q]):>11}" for q in d[key]))
        if delta:
            rows.append(f"{'  change':32}" + "".join(f"{_fmt(delta[key][q]):>11}"
                                                     for q in delta[key]))
    mw = d["minimum_wage"]
    rows.append(f"hourly minimum wage {mw['hourly']} 元 ({mw['label']}, from "
                f"{mw['effective_from']}); share below it by reading of working time "
                f"(* = the package's):")
    for key, value in d["share_below_hourly_minimum_by_reading"].items():
        mark = "*" if key == d["adopted_reading"] else " "
        change = delta["share_below_hourly_minimum_by_reading"][key] if delta else None
        rows.append(f" {mark}{key:22}{_pct(value):>8}"
                    + (f"  (change {_pct(change, '+')})" if delta else ""))
    rows.append("platform:")
    for k, v in d["platform"].items():
        extra = f"  (change {_fmt(delta['platform'][k])})" if delta else ""
        rows.append(f"  {k:24}{_fmt(v):>16}{extra}")
    if delta:
        rows.append(f"better off {_pct(delta['share_better_off'])}   "
                    f"worse off {_pct(delta['share_worse_off'])}")
    return "\n".join(rows)


@click.command("simulate")
@click.option("--preset", "preset_name", default="delivery", show_default=True,
              help="delivery, ride_hailing or freight.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
              help="Change a term, e.g. base_per_order=5.5 or market.orders_per_hour_mean=2.5.")
@click.option("--workers", type=click.IntRange(1, 1_000_000), default=None,
              help="Simulated workers (default: the preset's).")
@click.option("--days", type=click.IntRange(1, 366), default=None,
              help="Simulated days (default 30).")
@click.option("--seed", type=click.IntRange(0), default=1, show_default=True)
@click.option("--as-of", "as_of", default=None, metavar="YYYY-MM-DD",
              help="Date of the minimum wage (default: today).")
@click.option("--province", default=mwage.DEFAULT_PROVINCE, show_default=True,
              help="Province of the place (short or full Chinese name).")
@click.option("--tier", type=click.Choice(sorted(mwage.TIERS)), default=mwage.DEFAULT_TIER,
              show_default=True, help="Minimum-wage tier of the place.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--baseline-preset", default=None, help="Compare against this preset.")
@click.option("--baseline-set", "baseline_sets", multiple=True, metavar="KEY=VALUE",
              help="Change a term of the baseline (implies a comparison).")
@click.option("--workers-csv", "workers_csv", type=click.File("w", encoding="utf-8"),
              default=None, help="Write one row per simulated worker (a month's totals).")
@click.option("--processes", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Spread the chunks of workers over this many processes (one per free core; "
                   "the same result).")
@with_appcontext
def simulate(preset_name, sets, workers, days, seed, as_of, province, tier, as_json,
             baseline_preset, baseline_sets, workers_csv, processes):
    """Simulate a month of every worker's income under a pay package."""
    # Off the request path: the population may exceed the web's worker-days limit.
    click.get_current_context().with_resource(larger_runs())
    click.get_current_context().with_resource(spread_over(processes))
    standard = _standard(province, tier, as_of)
    scenario = build_scenario(preset_name, parse_sets(sets, "--set"), workers, days, "--set",
                              standard)
    if baseline_preset or baseline_sets:
        base = build_scenario(baseline_preset or preset_name,
                              parse_sets(baseline_sets, "--baseline-set"),
                              workers, days, "--baseline-set", standard)
        try:
            comparison = compare(base, [scenario], seed=seed)
        except ValidationError as e:
            raise click.UsageError("; ".join(f"{k}: {m}" for k, m in
                                             sorted(field_messages(e).items()))) from None
        simulated = comparison.proposals[0]
        result = simulated.to_dict()
        delta = comparison.delta(comparison.proposals[0])
        result["delta"] = delta
        result["baseline"] = comparison.baseline.to_dict()
    else:
        simulated = run_simulation(scenario, seed=seed)
        result = simulated.to_dict()
        delta = None
    result["minimum_wage"] = _place_json(standard)
    result["adopted_reading"] = adopted_reading(scenario.pay)
    if workers_csv is not None:
        write_workers_csv(simulated, workers_csv)
    if as_json:
        click.echo(json.dumps(clean_option(result), ensure_ascii=False))
    else:
        click.echo(_table(clean_option(result), clean_option(delta) if delta else None))
