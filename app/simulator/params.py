"""Inputs of the simulation: frozen, validated dataclasses with units.

Dotted keys (used by :func:`field_specs`, :meth:`Scenario.with_values` and in
:class:`~app.errors.ValidationError` raised while building a scenario):

- ``pay.<field>`` — :class:`PayRules` (the negotiable package), e.g. ``pay.base_per_order``;
- ``market.<field>`` — :class:`Market`, e.g. ``market.orders_per_hour_mean``;
- ``workforce.n_workers``, ``workforce.days`` and ``workforce.groups.<group name>.<field>``
  (groups are addressed by name, e.g. ``workforce.groups.full_time.share``);
- ``costs.<vehicle>.<field>``, e.g. ``costs.e_bike.per_km_yuan``;
- ``behaviour.<field>``, ``thresholds.<field>``.

Units are in the field metadata (``unit``) and in the names: money in yuan (元), time in hours
unless the name says minutes, distance in km. A month is 30 days.
"""
from __future__ import annotations

import contextlib
import contextvars
import dataclasses
from dataclasses import dataclass, field

from app.errors import Msg, ValidationError
from app.simulator.fieldspec import Validated, coerce, check_range, spec
from app.simulator.pay import PayRules  # noqa: F401  (re-exported)
from app.simulator.market import CONDITIONS, Market  # noqa: F401  (re-exported)

SCHEMA_VERSION = 1
VEHICLES = ("e_bike", "owned_car", "rented_car", "van")
GROUP_NAMES = ("casual", "part_time", "full_time", "crowd_sourced", "dedicated")
_MW_SOURCE = "https://news.dahe.cn/2024/01-05/1357464.html"

#: Largest simulated workers × days of a scenario built in a web request (assumption, measured
#: 2026-12 on the 2-core test machine: 150,000 worker-days simulate in ≤ 0.5 s, a comparison with
#: its baseline in ≤ 1 s). The command line lifts it (:func:`larger_runs`).
MAX_WORKER_DAYS = 150_000
_WORK_LIMIT: contextvars.ContextVar = contextvars.ContextVar("worker_days_limit",
                                                             default=MAX_WORKER_DAYS)


@contextlib.contextmanager
def larger_runs(limit: int | None = None):
    """Within the block, scenarios may exceed :data:`MAX_WORKER_DAYS` (``None``: only the
    field bounds). For the command line and benchmarks, which run off the request path."""
    token = _WORK_LIMIT.set(limit)
    try:
        yield
    finally:
        _WORK_LIMIT.reset(token)


def work_limit() -> int | None:
    """The worker-days limit in force in the current context."""
    return _WORK_LIMIT.get()


@dataclass(frozen=True)
class WorkerGroup(Validated):
    """One group of workers (casual, part-time, full-time …) and how much they work."""

    name: str = spec("full_time", zh="人群名称", en="Group name", group="workforce", kind="choice",
                     choices=GROUP_NAMES)
    share: float = spec(1.0, zh="人数比例", en="Share of workers", unit="比例", group="workforce",
                        min=0.0, max=1.0)
    days_per_month: float = spec(26.0, zh="每月出勤天数", en="Days worked per month",
                                 unit="天/月", group="workforce", min=0.0, max=30.0)
    hours_median: float = spec(9.0, zh="每个出勤日在线时长（中位数）",
                               en="Online hours per worked day (median)", unit="小时",
                               group="workforce", min=0.0, max=24.0, min_exclusive=True)
    hours_sigma: float = spec(0.25, zh="在线时长离散度（对数标准差）",
                              en="Spread of online hours (log-sd)", unit="", group="workforce",
                              min=0.0, max=3.0)
    vehicle: str = spec("e_bike", zh="交通工具", en="Vehicle", group="workforce", kind="choice",
                        choices=VEHICLES)
    dedicated: bool = spec(False, zh="专送/专职（享受保底派单）",
                           en="Dedicated (gets guaranteed dispatch)", group="workforce",
                           kind="bool")
    monthly_test: bool = spec(False, zh="适用月最低工资检验", en="Monthly minimum-wage test",
                              group="workforce", kind="bool")


def _default_groups():
    return (
        WorkerGroup("casual", 0.45, 6.0, 3.0, 0.45, "e_bike", False, False),
        WorkerGroup("part_time", 0.30, 15.0, 5.0, 0.35, "e_bike", False, False),
        WorkerGroup("full_time", 0.25, 26.0, 9.5, 0.2, "e_bike", True, True),
    )


@dataclass(frozen=True)
class Workforce(Validated):
    """The simulated population and period."""

    n_workers: int = spec(2000, zh="模拟劳动者人数", en="Simulated workers", unit="人",
                          group="workforce", min=1, max=1_000_000, kind="int")
    days: int = spec(30, zh="模拟天数", en="Simulated days", unit="天", group="workforce",
                     min=1, max=366, kind="int")
    groups: tuple = field(default_factory=_default_groups)

    def _extra_errors(self):
        errors = {}
        groups = tuple(self.groups)
        object.__setattr__(self, "groups", groups)
        if not groups:
            return {"groups": Msg("At least one group of workers is needed")}
        if not all(isinstance(g, WorkerGroup) for g in groups):
            return {"groups": Msg("Wrong format of the groups data")}
        names = [g.name for g in groups]
        if len(set(names)) != len(names):
            errors["groups"] = Msg("The names of the groups must differ")
        total = sum(g.share for g in groups)
        if abs(total - 1.0) > 1e-6:
            errors["groups"] = Msg("The shares of the groups must add up to 1 (now %(total)s)",
                                   total=f"{total:.4g}")
        limit = _WORK_LIMIT.get()
        if limit is not None and self.n_workers * self.days > limit:
            message = Msg("Simulated workers × simulated days may be at most %(limit)s (now "
                          "%(now)s); run larger simulations as a background job or with flask simulate",
                          limit=f"{limit:,}", now=f"{self.n_workers * self.days:,}")
            errors["n_workers"] = message
            errors["days"] = message
        return errors

    def to_dict(self):
        return {"n_workers": self.n_workers, "days": self.days,
                "groups": [g.to_dict() for g in self.groups]}

    @classmethod
    def from_dict(cls, data):
        if not isinstance(data, dict):
            raise ValidationError({"": Msg(
                "Wrong data format: an object (dictionary) is expected")})
        unknown = sorted(set(data) - {"n_workers", "days", "groups"})
        if unknown:
            raise ValidationError({k: Msg("Unknown parameter") for k in unknown})
        data = dict(data)
        errors = {}
        if "groups" in data:
            raw = data["groups"]
            if not isinstance(raw, (list, tuple)):
                raise ValidationError({"groups": Msg("Wrong format of the groups data")})
            groups = []
            for i, g in enumerate(raw):
                name = g.get("name", i) if isinstance(g, dict) else i
                try:
                    groups.append(g if isinstance(g, WorkerGroup) else WorkerGroup.from_dict(g))
                except ValidationError as e:
                    errors.update(e.prefixed(f"groups.{name}.").errors)
            data["groups"] = tuple(groups)
        if errors:
            raise ValidationError(errors)
        return cls(**data)


@dataclass(frozen=True)
class VehicleCost(Validated):
    """The worker's own costs for one kind of vehicle."""

    per_km_yuan: float = spec(0.08, zh="每公里成本（能耗+维修）", en="Cost per km (energy, upkeep)",
                              unit="元/公里", group="costs", min=0.0, max=100.0)
    per_day_yuan: float = spec(3.0, zh="每个出勤日成本（手机、流量等）",
                               en="Cost per worked day (phone, data)", unit="元/天",
                               group="costs", min=0.0, max=10_000.0)
    per_month_yuan: float = spec(200.0, zh="每月固定成本（租车/折旧、自付保险）",
                                 en="Cost per month (rent or depreciation, own insurance)",
                                 note_zh="按每月 26 个出勤日计，出勤较少者按比例分摊",
                                 unit="元/月", group="costs", min=0.0, max=100_000.0)


@dataclass(frozen=True)
class Costs(Validated):
    """Work-related costs by vehicle (all assumptions unless a preset says otherwise)."""

    e_bike: VehicleCost = field(default_factory=lambda: VehicleCost(0.08, 3.0, 200.0))
    owned_car: VehicleCost = field(default_factory=lambda: VehicleCost(0.45, 5.0, 1200.0))
    rented_car: VehicleCost = field(default_factory=lambda: VehicleCost(0.35, 5.0, 3500.0))
    van: VehicleCost = field(default_factory=lambda: VehicleCost(0.9, 5.0, 2500.0))

    def to_dict(self):
        return {v: getattr(self, v).to_dict() for v in VEHICLES}

    @classmethod
    def from_dict(cls, data):
        if not isinstance(data, dict):
            raise ValidationError({"": Msg(
                "Wrong data format: an object (dictionary) is expected")})
        unknown = sorted(set(data) - set(VEHICLES))
        if unknown:
            raise ValidationError({k: Msg("Unknown parameter") for k in unknown})
        built, errors = {}, {}
        for v, d in data.items():
            try:
                built[v] = d if isinstance(d, VehicleCost) else VehicleCost.from_dict(d)
            except ValidationError as e:
                errors.update(e.prefixed(v + ".").errors)
        if errors:
            raise ValidationError(errors)
        return cls(**built)


@dataclass(frozen=True)
class Behaviour(Validated):
    """Optional responses of workers and customers to a package (off by default).

    When ``enabled``, :func:`~app.simulator.engine.compare` solves each proposal's hours and
    orders per hour as a fixed point: cost change → price → demand; net pay → hours supplied;
    orders per hour = demand ÷ supply (then capped by the dispatch rules).
    """

    enabled: bool = spec(False, zh="启用行为响应", en="Behavioural response on",
                         group="behaviour", kind="bool")
    labour_supply_elasticity: float = spec(0.2, zh="劳动供给弹性", en="Labour-supply elasticity",
                                           group="behaviour", min=0.0, max=3.0)
    demand_price_elasticity: float = spec(0.5, zh="需求价格弹性", en="Demand price elasticity",
                                          group="behaviour", min=0.0, max=5.0)
    pass_through: float = spec(0.5, zh="成本转嫁给消费者的比例",
                               en="Share of a cost change passed to customers", unit="比例",
                               group="behaviour", min=0.0, max=1.0)
    max_hours_change: float = spec(0.5, zh="在线时长最大变动幅度",
                                   en="Largest relative change of hours", unit="比例",
                                   group="behaviour", min=0.0, max=1.0)
    reference_price_per_order: float = spec(
        0.0, zh="每单参考价格（0 = 用客单价或平台每单成本）",
        en="Reference price per order (0 = fare, or platform cost per order)", unit="元/单",
        group="behaviour", min=0.0, max=100_000.0)


@dataclass(frozen=True)
class Thresholds(Validated):
    """The minimum wages against which workers are tested (dated, by place and tier)."""

    hourly_minimum_wage: float = spec(20.6, zh="小时最低工资", en="Hourly minimum wage",
                                      unit="元/小时", group="thresholds", min=0.0, max=1000.0,
                                      min_exclusive=True, source=_MW_SOURCE)
    monthly_minimum_wage: float = spec(2100.0, zh="月最低工资", en="Monthly minimum wage",
                                       unit="元/月", group="thresholds", min=0.0,
                                       max=100_000.0, min_exclusive=True, source=_MW_SOURCE)
    region: str = spec("河南省一类（郑州）", zh="地区与档次", en="Region and tier",
                       group="thresholds", kind="text", source=_MW_SOURCE)
    valid_from: str = spec("2024-01-01", zh="标准生效日期", en="Standard valid from",
                           group="thresholds", kind="text", source=_MW_SOURCE)


_PARTS = (("pay", PayRules), ("market", Market), ("workforce", Workforce), ("costs", Costs),
          ("behaviour", Behaviour), ("thresholds", Thresholds))


@dataclass(frozen=True)
class Scenario:
    """A complete input: the package (``pay``) and the world it is applied to.

    ``sources`` maps dotted keys to the source of their value (an address, ``"assumption"``,
    or ``"user"`` once changed through :meth:`with_values`).
    """

    name: str = "scenario"
    pay: PayRules = field(default_factory=PayRules)
    market: Market = field(default_factory=Market)
    workforce: Workforce = field(default_factory=Workforce)
    costs: Costs = field(default_factory=Costs)
    behaviour: Behaviour = field(default_factory=Behaviour)
    thresholds: Thresholds = field(default_factory=Thresholds)
    sources: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        errors = {}
        if not isinstance(self.name, str):
            errors["name"] = Msg("The name of the scenario must be text")
        for part, cls in _PARTS:
            if not isinstance(getattr(self, part), cls):
                errors[part] = Msg("Wrong format of the %(part)s data", part=part)
        if not isinstance(self.sources, dict):
            errors["sources"] = Msg("Wrong format of the sources data")
        if errors:
            raise ValidationError(errors)

    # -- serialisation -------------------------------------------------------------------
    def to_dict(self) -> dict:
        """A JSON-ready dict with ``schema_version``."""
        out = {"schema_version": SCHEMA_VERSION, "name": self.name}
        for part, _ in _PARTS:
            out[part] = getattr(self, part).to_dict()
        out["sources"] = dict(self.sources)
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "Scenario":
        """Build from :meth:`to_dict` output; errors are keyed by dotted key."""
        if not isinstance(data, dict):
            raise ValidationError({"": Msg(
                "Wrong data format: an object (dictionary) is expected")})
        version = data.get("schema_version", SCHEMA_VERSION)
        if version != SCHEMA_VERSION:
            raise ValidationError({"schema_version": Msg(
                "Unsupported data version %(version)s (the current one is %(current)s)",
                version=repr(version), current=SCHEMA_VERSION)})
        known = {"schema_version", "name", "sources"} | {p for p, _ in _PARTS}
        errors = {k: Msg("Unknown parameter") for k in sorted(set(data) - known)}
        built = {}
        for part, klass in _PARTS:
            if part not in data:
                continue
            try:
                built[part] = klass.from_dict(data[part])
            except ValidationError as e:
                errors.update(e.prefixed(part + ".").errors)
        if errors:
            raise ValidationError(errors)
        return cls(name=data.get("name", "scenario"), sources=dict(data.get("sources") or {}),
                   **built)

    # -- editing -------------------------------------------------------------------------
    def with_values(self, values: dict, *, name: str | None = None) -> "Scenario":
        """A copy with some fields changed, by dotted key (see the module docstring).

        Values may be strings (from a form or the CLI); they are converted to the field's type.
        Raises :class:`ValidationError` keyed by the same dotted keys.
        """
        data = self.to_dict()
        specs = {s["key"]: s for s in field_specs(self)}
        errors = {}
        sources = dict(self.sources)
        for key, raw in values.items():
            if key not in specs:
                errors[key] = Msg("Unknown parameter")
                continue
            value, message = coerce(raw, specs[key])
            if message is None and specs[key]["type"] in ("float", "int"):
                message = check_range(value, specs[key])
            if message is not None:
                errors[key] = message
                continue
            _assign(data, key, value)
            sources[key] = "user"
        if errors:
            raise ValidationError(errors)
        data["sources"] = sources
        if name is not None:
            data["name"] = name
        return Scenario.from_dict(data)


def _assign(data: dict, key: str, value) -> None:
    parts = key.split(".")
    if parts[0] == "workforce" and len(parts) == 4 and parts[1] == "groups":
        for g in data["workforce"]["groups"]:
            if g["name"] == parts[2]:
                g[parts[3]] = value
                return
        raise KeyError(key)
    node = data
    for p in parts[:-1]:
        node = node[p]
    node[parts[-1]] = value


def _entries(prefix: str, obj) -> list[dict]:
    out = []
    for f in dataclasses.fields(obj):
        if "type" not in f.metadata:
            continue
        entry = dict(f.metadata)
        entry["key"] = prefix + f.name
        entry["name"] = f.name
        entry["value"] = getattr(obj, f.name)
        out.append(entry)
    return out


def field_specs(scenario: Scenario) -> list[dict]:
    """Flat list of every editable field of ``scenario``, in form order.

    Each entry is a dict with ``key`` (dotted), ``name`` (bare field name), ``value`` (current),
    ``type`` (``float``/``int``/``bool``/``choice``/``text``), ``label_zh``, ``label_en``,
    ``unit``, ``group``, ``min``, ``max``, ``min_exclusive``, ``max_exclusive``, ``choices``,
    ``note_zh`` and ``source`` (the source of the current value: the scenario's ``sources``
    entry if any, else the field's default source).
    """
    out = []
    out += _entries("pay.", scenario.pay)
    out += _entries("market.", scenario.market)
    out += _entries("workforce.", scenario.workforce)
    for g in scenario.workforce.groups:
        out += [e for e in _entries(f"workforce.groups.{g.name}.", g) if e["name"] != "name"]
    for v in VEHICLES:
        out += _entries(f"costs.{v}.", getattr(scenario.costs, v))
    out += _entries("behaviour.", scenario.behaviour)
    out += _entries("thresholds.", scenario.thresholds)
    for e in out:
        e["source"] = scenario.sources.get(e["key"], e["source"])
    return out


def pay_field_names() -> tuple[str, ...]:
    """Bare names of the :class:`PayRules` fields (the CLI accepts them as shorthand)."""
    return tuple(f.name for f in dataclasses.fields(PayRules))
