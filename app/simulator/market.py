"""Market: what the platform and the city look like (demand, trips, weather, prices)."""
from __future__ import annotations

from dataclasses import dataclass

from app.errors import Msg
from app.simulator.fieldspec import Validated, spec

SECTORS = ("delivery", "ride_hailing", "freight")
# Weather conditions, in the order of the integer codes used by the engine.
CONDITIONS = ("fair", "rain", "snow_ice", "cold", "heat_35", "heat_37", "heat_40")
HEAT_CODES = (4, 5, 6)


def _p(default, zh, en):
    return spec(default, zh=zh, en=en, unit="概率", group="weather", min=0.0, max=1.0)


def _factor(default, zh, en, lo_exclusive=False):
    return spec(default, zh=zh, en=en, unit="倍", group="weather", min=0.0, max=10.0,
                min_exclusive=lo_exclusive)


@dataclass(frozen=True)
class Market(Validated):
    """Demand, trip lengths, weather calendar and customer prices.

    Km and engaged minutes per order are log-normal with the given mean and coefficient of
    variation, correlated through ``km_minutes_correlation``. Orders per online hour are Poisson
    around a daily rate; ``orders_overdispersion`` (the squared CV of the daily rate, 0 = pure
    Poisson) mixes the rate log-normally, giving the same mean and variance as a negative
    binomial with shape 1/overdispersion. Probabilities of the weather conditions are for one
    day of the simulated month; "fair" takes the rest.
    """

    sector: str = spec("delivery", zh="行业", en="Sector", group="market", kind="choice",
                       choices=SECTORS)
    fare_base: float = spec(0.0, zh="客单价：起步价", en="Customer fare: base", unit="元/单",
                            group="market", min=0.0, max=100_000.0)
    fare_per_km: float = spec(0.0, zh="客单价：每公里", en="Customer fare per km", unit="元/公里",
                              group="market", min=0.0, max=1000.0)
    fare_per_minute: float = spec(0.0, zh="客单价：每分钟", en="Customer fare per minute",
                                  unit="元/分钟", group="market", min=0.0, max=1000.0)
    commission_rate_sd: float = spec(0.0, zh="单笔抽成比例的波动（标准差）",
                                     en="Spread of the per-order commission rate (sd)",
                                     unit="比例", group="market", min=0.0, max=0.5)
    km_per_order_mean: float = spec(3.0, zh="每单平均距离", en="Km per order (mean)",
                                    unit="公里", group="market", min=0.0, max=1000.0,
                                    min_exclusive=True)
    km_per_order_cv: float = spec(0.5, zh="每单距离变异系数", en="Km per order (CV)",
                                  group="market", min=0.0, max=5.0)
    minutes_per_order_mean: float = spec(28.0, zh="每单平均接单时长", en="Engaged minutes per order",
                                         unit="分钟", group="market", min=0.0, max=1440.0,
                                         min_exclusive=True)
    minutes_per_order_cv: float = spec(0.4, zh="每单时长变异系数", en="Minutes per order (CV)",
                                       group="market", min=0.0, max=5.0)
    km_minutes_correlation: float = spec(0.6, zh="距离与时长的相关系数",
                                         en="Correlation of km and minutes", group="market",
                                         min=0.0, max=0.99)
    deadhead_km_per_order: float = spec(1.0, zh="每单空驶距离", en="Empty km per order",
                                        unit="公里", group="market", min=0.0, max=1000.0)
    batching_factor: float = spec(1.6, zh="平均同时配送单数（重叠只计一次）",
                                  en="Orders carried at once (overlap counted once)", unit="单",
                                  group="market", min=1.0, max=10.0)
    orders_per_hour_mean: float = spec(3.0, zh="每在线小时平均单量", en="Orders per online hour",
                                       unit="单/小时", group="market", min=0.0, max=100.0)
    orders_overdispersion: float = spec(0.1, zh="日单量过度离散（日均单率的变异系数平方）",
                                        en="Overdispersion of daily orders (CV² of rate)",
                                        group="market", min=0.0, max=10.0)
    worker_rate_sigma: float = spec(0.15, zh="劳动者间接单效率差异（对数标准差）",
                                    en="Spread of orders per hour between workers (log-sd)",
                                    group="market", min=0.0, max=2.0)
    peak_share: float = spec(0.35, zh="高峰时段订单占比", en="Share of orders at peak",
                             unit="比例", group="market", min=0.0, max=1.0)
    night_share: float = spec(0.08, zh="夜间订单占比", en="Share of orders at night",
                              unit="比例", group="market", min=0.0, max=1.0)
    late_probability: float = spec(0.03, zh="超时概率（空闲时）", en="Late probability at no load",
                                   unit="概率", group="market", min=0.0, max=1.0)
    late_probability_per_load: float = spec(0.02, zh="超时概率随繁忙度增加",
                                            en="Late probability added per unit of load",
                                            unit="概率", group="market", min=0.0, max=1.0)
    pension_contribution_per_month: float = spec(
        700.0, zh="灵活就业养老保险缴费", en="Flexible-employment pension contribution",
        unit="元/月", group="protection", min=0.0, max=100_000.0)
    # weather calendar
    p_rain: float = _p(0.25, "雨天概率", "Probability of rain")
    p_snow_ice: float = _p(0.0, "冰雪天概率", "Probability of snow/ice")
    p_cold: float = _p(0.0, "严寒概率", "Probability of severe cold")
    p_heat_35: float = _p(0.2, "35–37℃ 高温概率", "Probability of 35–37 ℃")
    p_heat_37: float = _p(0.08, "37–40℃ 高温概率", "Probability of 37–40 ℃")
    p_heat_40: float = _p(0.01, "≥40℃ 高温概率", "Probability of ≥ 40 ℃")
    demand_factor_rain: float = _factor(1.2, "雨天需求倍数", "Demand factor, rain")
    demand_factor_snow_ice: float = _factor(1.3, "冰雪天需求倍数", "Demand factor, snow/ice")
    demand_factor_cold: float = _factor(1.1, "严寒需求倍数", "Demand factor, cold")
    demand_factor_heat: float = _factor(1.1, "高温需求倍数", "Demand factor, heat")
    minutes_factor_rain: float = _factor(1.15, "雨天配送时长倍数", "Minutes factor, rain", True)
    minutes_factor_snow_ice: float = _factor(1.4, "冰雪天配送时长倍数", "Minutes factor, snow/ice",
                                             True)
    minutes_factor_cold: float = _factor(1.1, "严寒配送时长倍数", "Minutes factor, cold", True)
    minutes_factor_heat: float = _factor(1.05, "高温配送时长倍数", "Minutes factor, heat", True)

    def _extra_errors(self):
        errors = {}
        total = self.p_rain + self.p_snow_ice + self.p_cold + self.p_heat_35 + self.p_heat_37 \
            + self.p_heat_40
        if total > 1 + 1e-9:
            errors["p_rain"] = Msg("The probabilities of the kinds of weather may add up to at "
                                   "most 1 (now %(total)s)", total=f"{total:.4g}")
        if self.peak_share + self.night_share > 1 + 1e-9:
            errors["night_share"] = Msg("The shares of peak and night orders may add up to "
                                        "at most 1")
        return errors

    def weather_probabilities(self):
        """Probabilities of the conditions, in the order of :data:`CONDITIONS`."""
        rest = [self.p_rain, self.p_snow_ice, self.p_cold, self.p_heat_35, self.p_heat_37,
                self.p_heat_40]
        return [max(0.0, 1.0 - sum(rest))] + rest

    def demand_factors(self):
        h = self.demand_factor_heat
        return [1.0, self.demand_factor_rain, self.demand_factor_snow_ice,
                self.demand_factor_cold, h, h, h]

    def minutes_factors(self):
        h = self.minutes_factor_heat
        return [1.0, self.minutes_factor_rain, self.minutes_factor_snow_ice,
                self.minutes_factor_cold, h, h, h]

    @property
    def has_fares(self) -> bool:
        return self.fare_base > 0 or self.fare_per_km > 0 or self.fare_per_minute > 0
