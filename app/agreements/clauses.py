"""The agreed standards and the clause templates of an agreement, in Chinese and English.

Pure data and string formatting: no Flask, no database. ``STANDARDS`` describes every package
term an agreement can fix (label, unit, how it is measured, which article it belongs to);
``ARTICLES`` holds the article templates, filled with ``str.format_map`` from the values that
``agreements.build_agreement`` computes. Wording is the mediator's to change afterwards; the
templates only give the first version.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StandardSpec:
    """One negotiable term as an agreed standard."""

    key: str
    label_zh: str
    label_en: str
    unit_zh: str
    unit_en: str
    measured_zh: str
    measured_en: str
    kind: str = "money"  # money | ratio | number | int | bool | text
    article: str = "pay"  # the article whose table row this is


def _s(key, lzh, len_, uzh, uen, mzh, men, kind="money", article="pay"):
    return StandardSpec(key, lzh, len_, uzh, uen, mzh, men, kind, article)


STANDARDS: tuple[StandardSpec, ...] = (
    # pay (piece rate)
    _s("base_per_order", "每单基础单价", "Base pay per order", "元/单", "yuan/order",
       "每完成一单计付，按平台结算单据核对", "Paid per completed order; checked on the settlement statement"),
    _s("per_km", "超出距离每公里加价", "Pay per km beyond the included distance", "元/公里", "yuan/km",
       "按导航规划距离超出包含公里数的部分计付", "On the planned route distance beyond the included km"),
    _s("included_km", "单价包含的公里数", "Distance included in the base pay", "公里", "km",
       "按导航规划距离", "Planned route distance", kind="number"),
    _s("per_engaged_minute", "每接单分钟计件", "Pay per engaged minute", "元/分钟", "yuan/min",
       "按接单至送达的时长计付", "From accepting to completing the order"),
    _s("peak_bonus_per_order", "高峰时段每单奖励", "Peak bonus per order", "元/单", "yuan/order",
       "平台公示的高峰时段内完成的订单", "Orders completed in the published peak periods"),
    _s("night_bonus_per_order", "夜间每单补贴", "Night bonus per order", "元/单", "yuan/order",
       "22:00至次日6:00完成的订单，不计入最低工资", "Orders completed 22:00–06:00; excluded from the minimum wage"),
    _s("per_order_minimum", "每单最低报酬", "Minimum pay per order", "元/单", "yuan/order",
       "任何一单扣除抽成后的报酬不低于此数", "Pay for any single order after commission"),
    _s("hourly_floor", "每工作小时保底报酬", "Hourly pay floor per working hour", "元/小时", "yuan/hour",
       "报酬（不含特殊条件津贴）除以工作时间（接单时间＋宽放时间），按结算周期补足差额",
       "Pay excluding special-condition allowances ÷ working time (order time + allowance), "
       "shortfall topped up each settlement cycle"),
    # commission
    _s("commission_rate", "抽成比例", "Commission rate", "%", "%",
       "（乘客支付总额－劳动者所得）÷乘客支付总额，每单向劳动者展示",
       "(fare − worker's pay) ÷ fare, shown to the worker after every order", kind="ratio",
       article="commission"),
    _s("commission_cap_per_order", "单笔抽成上限", "Per-order commission cap", "%", "%",
       "每一单的抽成比例不超过此数，超出部分退还", "No single order above this ratio; any excess refunded",
       kind="ratio", article="commission"),
    _s("monthly_average_commission_cap", "月平均抽成上限", "Monthly average commission cap", "%", "%",
       "按自然月流水加权计算，超出部分于次月结算时退还",
       "Turnover-weighted over a calendar month; excess refunded with the next month's pay",
       kind="ratio", article="commission"),
    _s("min_orders_for_monthly_cap", "适用月平均上限的最低月单量", "Orders a month for the monthly cap",
       "单/月", "orders/month", "当月完成订单数", "Orders completed in the month", kind="int",
       article="commission"),
    _s("membership_fee_per_month", "会员费", "Membership fee", "元/月", "yuan/month",
       "计入有效抽成", "Counted in the effective commission", article="commission"),
    # hours
    _s("max_continuous_hours", "连续接单时长上限", "Maximum continuous order time", "小时", "hours",
       "自首单开始连续在线接单的时长，达到后推送休息提示并停止派单",
       "Continuous online order time; on reaching it the system prompts rest and stops dispatch",
       kind="number", article="hours"),
    _s("rest_minutes", "强制休息时长", "Forced rest", "分钟", "minutes",
       "停止派单的时长", "Time without dispatch", kind="number", article="hours"),
    _s("max_daily_hours", "每日工作时间上限", "Maximum daily working time", "小时", "hours",
       "自然日内累计在线时长，达到后当日停止派单", "Online time in a calendar day; dispatch stops on reaching it",
       kind="number", article="hours"),
    _s("allowance_ratio", "宽放时间", "Allowance time", "%", "%",
       "按接单时间的比例计入工作时间，用于合理等待、准备和生理需要",
       "Share of order time counted as working time for waiting, preparation and rest",
       kind="ratio", article="hours"),
    # dispatch
    _s("max_orders_per_hour", "每小时派单上限", "Dispatch cap", "单/小时", "orders/hour",
       "同一劳动者每小时派发订单数", "Orders dispatched to one worker per hour", kind="number",
       article="dispatch"),
    _s("min_orders_per_hour", "专送骑手保底派单量", "Guaranteed dispatch", "单/小时", "orders/hour",
       "专送骑手在线时每小时保底派单", "Per online hour of a dedicated rider", kind="number",
       article="dispatch"),
    # weather
    _s("weather_subsidy_rain_per_order", "雨天每单补贴", "Rain subsidy per order", "元/单", "yuan/order",
       "气象部门发布降雨预警期间完成的订单", "Orders completed during a published rain warning",
       article="weather"),
    _s("weather_subsidy_snow_ice_per_order", "冰雪天每单补贴", "Snow and ice subsidy per order", "元/单",
       "yuan/order", "冰雪天气期间完成的订单", "Orders completed in snow or ice", article="weather"),
    _s("weather_subsidy_cold_per_order", "严寒每单补贴", "Cold subsidy per order", "元/单", "yuan/order",
       "气温低于－10℃时完成的订单", "Orders completed below −10 °C", article="weather"),
    _s("weather_subsidy_heat_per_order", "高温每单补贴", "Heat subsidy per order", "元/单", "yuan/order",
       "气温35℃及以上时完成的订单", "Orders completed at 35 °C or above", article="weather"),
    _s("heat_allowance_per_day", "高温津贴", "Heat allowance", "元/天", "yuan/day",
       "6月至9月日最高气温35℃及以上的出勤日", "Working days June–September at 35 °C or above",
       article="weather"),
    # penalties
    _s("late_penalty_per_order", "超时每单扣款", "Late-delivery deduction per order", "元/单", "yuan/order",
       "超过预估送达时间且非劳动者原因除外", "Beyond the estimated time, except for causes outside the worker",
       article="penalties"),
    _s("penalty_cap_per_day", "每日扣款上限", "Daily deduction cap", "元/天", "yuan/day",
       "同一自然日全部扣款之和；0表示取消扣款", "All deductions in a calendar day; 0 abolishes them",
       article="penalties"),
    # settlement and protection
    _s("settlement_cycle_days", "结算周期", "Settlement cycle", "天", "days",
       "自上一结算日起算，到期支付至劳动者账户", "From the previous settlement day; paid into the worker's account",
       kind="int", article="settlement"),
    _s("injury_insurance_per_day", "职业伤害保障缴费", "Occupational injury cover", "元/天", "yuan/day",
       "平台按劳动者出勤日缴纳", "Paid by the platform per worked day", article="settlement"),
    _s("pension_subsidy_share", "养老保险补贴比例", "Pension subsidy share", "%", "%",
       "按个人缴费额计算", "Of the worker's own contribution", kind="ratio", article="settlement"),
)
STANDARD_BY_KEY = {s.key: s for s in STANDARDS}

# Values that mean "no such standard" and are left out of the agreement (see PayRules).
NEUTRAL = {"commission_cap_per_order": 1.0, "monthly_average_commission_cap": 1.0,
           "max_daily_hours": 24.0}

ARTICLE_GROUPS = {
    "pay": ("劳动报酬", "Pay"), "commission": ("抽成", "Commission"),
    "hours": ("工作时间与休息", "Working time and rest"), "dispatch": ("派单规则", "Dispatch"),
    "weather": ("恶劣天气与高温保障", "Bad weather and heat"),
    "penalties": ("考核与扣款", "Assessment and deductions"),
    "settlement": ("结算支付与保障", "Settlement, payment and protection"),
}

# Dispatch rules: free-text standards keyed ``dispatch_rules`` in the package (list of strings).
DEFAULT_DISPATCH_RULES_ZH = (
    "派单、预估送达时间和路线规划采用“算法取中”原则，不以最严算法确定订单量、准时率和在线率。",
    "派单规则、计价规则和算法调整前，平台应听取工会意见并提前公示。",
)
DEFAULT_DISPATCH_RULES_EN = (
    "Dispatch, estimated delivery times and routing follow the 'middle of the range' principle; "
    "order volume, on-time rate and online rate are not set by the strictest algorithm.",
    "Before changing dispatch or pricing rules or algorithms the platform hears the union and "
    "publishes the change in advance.",
)


def format_value(spec: StandardSpec, value, lang: str = "zh") -> str:
    """The value as printed in the agreement (ratios as percentages, money with 2 decimals)."""
    if spec.kind == "ratio":
        text = f"{float(value) * 100:.2f}".rstrip("0").rstrip(".")
        return text
    if spec.kind == "int":
        return str(int(value))
    if spec.kind == "bool":
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if spec.kind == "text":
        return str(value)
    if spec.kind == "money":
        return f"{float(value):.2f}"
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text


# --- Article templates -------------------------------------------------------------------------
# key → (title zh, title en, body zh, body en). Bodies use ``{name}`` placeholders from the
# values dict of agreements.build_agreement; an article whose ``requires`` key is missing is left
# out. Paragraphs are separated by a blank line.
ARTICLES: tuple[tuple[str, str, str, str, str, str | None], ...] = (
    ("purpose", "目的和依据", "Purpose and basis",
     "为维护新就业形态劳动者的劳动报酬、休息休假和劳动安全等合法权益，促进平台企业健康发展，"
     "根据《中华人民共和国劳动法》《中华人民共和国工会法》《集体合同规定》及《新就业形态劳动者休息和劳动报酬"
     "权益保障指引》等规定，{worker_name}与{employer_name}经平等协商，订立本协议。",
     "To protect the pay, rest and safety of workers in new forms of employment and to support the "
     "sound development of the platform, {worker_name_en} and {employer_name_en} conclude this "
     "agreement after equal consultation under the Labour Law, the Trade Union Law, the Provisions "
     "on Collective Contracts and the Guidelines on the Rest and Pay of Workers in New Forms of "
     "Employment.", None),
    ("scope", "适用范围", "Scope",
     "本协议适用于{region}范围内通过{employer_name}从事{sector_zh}服务的劳动者，"
     "包括{workers_covered}，约{workers_count}人。\n\n"
     "本协议对双方及其所代表的全体劳动者具有约束力。平台合作商、代理商和服务商招用的劳动者参照执行。",
     "This agreement covers the workers who provide {sector_en} services through "
     "{employer_name_en} in {region_en}, namely {workers_covered_en}, about {workers_count} "
     "people.\n\nIt binds both parties and all the workers they represent. Workers engaged by the "
     "platform's partners, agents and service providers are covered by analogy.", None),
    ("term", "协议期限", "Term",
     "本协议期限为{term_years}年，自{effective_zh}起至{expires_zh}止。\n\n"
     "协议期满前三个月内，任何一方均可书面提出续订或重新订立的要求。",
     "This agreement runs for {term_years} year(s), from {effective_en} to {expires_en}.\n\n"
     "Within the last three months of the term either party may ask in writing to renew it or to "
     "conclude a new agreement.", None),
    ("standards", "约定标准", "Agreed standards",
     "双方约定执行下表所列标准，各项标准自所列生效日期起执行，计量方法以表中说明为准。"
     "任何一项标准不得低于法律法规规定和当地最低工资标准。\n\n"
     "劳动者的报酬中，夜间补贴、恶劣天气补贴和高温津贴单独列示，不计入最低工资。",
     "The parties agree to apply the standards in the table below, each from the date shown and "
     "measured as stated. No standard may fall below the law or the local minimum wage.\n\n"
     "Night, bad-weather and heat allowances are shown separately on the pay statement and are not "
     "counted towards the minimum wage.", None),
    ("hours", "工作时间和休息", "Working time and rest",
     "劳动者连续接单达到{max_continuous_hours}小时的，平台应推送休息提示并停止派单{rest_minutes}分钟；"
     "每日工作时间累计达到{max_daily_hours}小时的，当日停止派单。\n\n"
     "工作时间包括接单时间和宽放时间，平台要求的在线时间计入工作时间。",
     "When a worker has taken orders continuously for {max_continuous_hours} hours the platform "
     "prompts a rest and stops dispatch for {rest_minutes} minutes; at {max_daily_hours} hours of "
     "working time in a day dispatch stops for that day.\n\nWorking time comprises order time and "
     "allowance time; online time the platform requires counts as working time.",
     "max_continuous_hours"),
    ("dispatch", "派单规则和算法", "Dispatch rules and algorithms",
     "{dispatch_rules_zh}",
     "{dispatch_rules_en}", None),
    ("weather", "恶劣天气和高温保障", "Bad weather and heat",
     "遇雨雪、冰冻、严寒、高温等恶劣天气，平台应延长预估送达时间、合理缩小配送范围，并按约定标准发放补贴。"
     "日最高气温达到40℃以上的，停止当日室外配送作业；37℃至40℃的，室外作业累计不超过6小时。\n\n"
     "因恶劣天气导致的超时和差评不作为考核扣款的依据。",
     "In rain, snow, ice, severe cold or heat the platform extends estimated delivery times, "
     "narrows the delivery radius where reasonable and pays the agreed subsidies. At 40 °C or "
     "above "
     "outdoor delivery stops for the day; at 37–40 °C outdoor work is limited to 6 hours.\n\n"
     "Lateness and bad ratings caused by bad weather are not grounds for deductions.", None),
    ("penalties", "考核和扣款", "Assessment and deductions",
     "平台对超时等情形的扣款不得超过约定标准，每日扣款合计不超过{penalty_cap_per_day}元。"
     "劳动者对扣款有异议的，可通过平台申诉渠道提出，平台应在7日内答复；非劳动者原因造成的超时不予扣款。",
     "Deductions for lateness and similar events may not exceed the agreed standards, and all "
     "deductions in a day are capped at {penalty_cap_per_day} yuan. A worker may appeal a "
     "deduction "
     "through the platform's appeal channel, which answers within 7 days; lateness not caused by "
     "the worker is never deducted.", "penalty_cap_per_day"),
    ("settlement", "结算和支付", "Settlement and payment",
     "平台每{settlement_cycle_days}日结算一次报酬，结算单应列明订单数、计件报酬、抽成、补贴、扣款等各项明细，"
     "并按时足额支付至劳动者本人账户，不得克扣或无故拖欠。",
     "Pay is settled every {settlement_cycle_days} days. The statement lists orders, piece pay, "
     "commission, allowances and deductions, and the pay is transferred in full and on time to the "
     "worker's own account, never withheld or delayed without cause.", "settlement_cycle_days"),
    ("adjustment", "标准调整机制", "Adjusting the standards",
     "双方每年至少开展一次标准评估和协商，于每年{review_month}月启动。\n\n"
     "有下列情形之一的，任何一方可书面提出调整约定标准的协商要求：（一）当地最低工资标准调整；"
     "（二）居民消费价格指数或能源价格较上次确定标准时累计变动超过{price_threshold_pct}%；"
     "（三）平台计价规则、派单规则或算法发生变化；（四）双方约定的其他情形。\n\n"
     "协商要求可由工会、平台企业或经本协议覆盖劳动者十分之一以上联名提出。另一方应在{reply_days}日内书面答复，"
     "协商按《集体合同规定》的程序进行，调整结果经职工代表大会或全体劳动者讨论通过后生效。\n\n"
     "平台调整计价规则、抽成比例等涉及劳动者报酬的规则，应至少提前{notice_days}日向劳动者公示并听取工会意见。",
     "The parties review the standards at least once a year, starting each year in month "
     "{review_month}.\n\nEither party may ask in writing to renegotiate the standards when: (1) "
     "the "
     "local minimum wage changes; (2) the consumer price index or energy prices have moved by more "
     "than {price_threshold_pct}% since the standards were set; (3) the platform's pricing or "
     "dispatch rules or algorithms change; (4) any other agreed event occurs.\n\nThe request may "
     "come from the union, the platform, or at least one tenth of the covered workers jointly. The "
     "other party answers in writing within {reply_days} days; the consultation follows the "
     "procedure of the Provisions on Collective Contracts and its outcome takes effect once the "
     "workers' congress or all workers have approved it.\n\nThe platform announces any change to "
     "its pricing rules, commission or other rules affecting pay at least {notice_days} days in "
     "advance and hears the union first.", None),
    ("disputes", "争议处理", "Disputes",
     "{dispute_steps_zh}",
     "{dispute_steps_en}", None),
    ("change", "协议的变更和解除", "Change and termination",
     "经双方协商一致，可以变更或解除本协议。有下列情形之一的，可以变更或解除本协议：（一）平台企业因兼并、"
     "解散、破产等原因致使本协议无法履行的；（二）因不可抗力致使本协议部分或全部不能履行的；"
     "（三）本协议约定的变更或解除条件出现的；（四）法律、法规规定的其他情形。\n\n"
     "变更或解除本协议，适用本协议订立的协商程序。首席代表变更不影响本协议的效力。",
     "The agreement may be changed or ended by mutual consent, and where: (1) the platform merges, "
     "dissolves or goes bankrupt so that it cannot be performed; (2) force majeure prevents its "
     "performance in whole or in part; (3) an agreed condition for change or termination occurs; "
     "(4) another ground set by law applies.\n\nA change or termination follows the same "
     "consultation procedure as this agreement. A change of chief representative does not affect "
     "its validity.", None),
    ("liability", "违约责任", "Liability for breach",
     "任何一方违反本协议的，另一方有权要求其限期改正。平台未按约定标准支付报酬的，应在发现之日起"
     "{arrears_days}日内足额补发；造成劳动者损失的，依法承担赔偿责任。\n\n"
     "平台违反本协议侵犯劳动者权益的，工会可以依法要求其承担责任；协商不成的，可以依法申请仲裁、提起诉讼。",
     "If either party breaches this agreement the other may require it to put things right within "
     "a set time. Pay short of the agreed standards is made up in full within {arrears_days} days "
     "of discovery, and any loss to workers is compensated under the law.\n\nIf the platform "
     "breaches "
     "the agreement to the detriment of workers, the union may hold it liable; failing agreement, "
     "it may go to arbitration and to court.", None),
    ("publication", "公示和备案", "Publication and filing",
     "本协议经双方首席代表签字后，由平台企业在{filing_days}日内报送劳动行政部门审查（一式三份）。"
     "劳动行政部门自收到之日起{review_days}日内未提出异议的，本协议即行生效。\n\n"
     "双方应自签字之日起{publication_days}日内，通过平台应用程序、站点公告栏等方式向全体覆盖劳动者公布本协议全文。",
     "Within {filing_days} days of the chiefs' signatures the platform files the agreement (three "
     "copies) with the labour administration. If the administration raises no objection within "
     "{review_days} days of receipt, the agreement takes effect.\n\nWithin {publication_days} days "
     "of signing, the parties publish the full text to every covered worker through the app and "
     "notice boards at the stations.", None),
    ("final", "附则", "Final provisions",
     "本协议一式五份，双方各执一份，报送劳动行政部门三份，具有同等效力。本协议未尽事宜，由双方协商解决。"
     "附件《方案效果测算》为说明性材料，不构成约定标准。",
     "This agreement is made in five copies of equal force: one for each party and three for the "
     "labour administration. Matters not covered are settled by consultation. The annex on the "
     "simulated effect of the package is explanatory and does not form part of the standards.",
     None),
)
ARTICLE_KEYS = tuple(a[0] for a in ARTICLES)

CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 21 → 二十一 (enough for article numbers up to 99)."""
    if not 0 < n < 100:
        raise ValueError("article numbers run from 1 to 99")
    tens, units = divmod(n, 10)
    text = ""
    if tens:
        text = ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十"
    if units:
        text += CHINESE_DIGITS[units]
    return text


def article_heading(n: int, lang: str) -> str:
    return f"第{chinese_number(n)}条" if lang == "zh" else f"Article {n}"
