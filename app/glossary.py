"""The words of the consultation, each with its meaning and the legal text it comes from.

Sources are those recorded in the project's domain notes (consultation law, reference values,
pay standards, 2026 updates); where a rule is a local or platform one it says so. Each entry:
``key`` (the page anchor), Chinese and English term, Chinese and English meaning, source.
Workbench fields and page labels link here through ``FIELD_TERMS``.
"""
from __future__ import annotations

from typing import NamedTuple


class Term(NamedTuple):
    key: str
    zh: str
    en: str
    meaning_zh: str
    meaning_en: str
    source: str


TERMS: tuple[Term, ...] = (
    Term("offer", "要约", "Offer (written request to consult)",
         "一方以书面形式向另一方提出进行集体协商的要求。收到要约的一方应当在收到之日起20日内"
         "以书面形式答复，无正当理由不得拒绝进行集体协商。",
         "A written request by either side to consult on a collective contract or related "
         "matters. The other side must answer in writing within 20 days of receiving it and may "
         "not refuse without good reason.",
         "《集体合同规定》（劳动和社会保障部令第22号）第三十二条"),
    Term("counter_offer", "反要约", "Counter-offer",
         "收到要约的一方以自己的条件答复，或在协商中一方对另一方的条件提出新的方案。",
         "An answer to an offer with the answering side's own terms, or new terms put by a side "
         "during consultation.",
         "《集体合同规定》第三十二条、第三十四条"),
    Term("piece_rate", "计件单价", "Piece rate",
         "按完成每一单（件）计付的劳动报酬标准，是平台劳动报酬规则的核心。平台制定或修订计件单价"
         "等直接涉及劳动者权益的规则，应当充分听取工会或劳动者代表的意见。",
         "The pay for each order (piece) completed, the core of a platform's pay rules. A "
         "platform that sets or revises piece rates and other rules touching workers' interests "
         "must hear the union or worker representatives.",
         "人社部发〔2021〕56号《关于维护新就业形态劳动者劳动保障权益的指导意见》；"
         "协商内容见《集体合同规定》第八、九条"),
    Term("allowance_time", "宽放时间", "Allowance time",
         "劳动者合理的在线等单、服务准备、生理需求等时间。其标准由企业与工会或劳动者代表平等协商"
         "确定，计入工作时间。",
         "Time for reasonable waiting online for orders, preparation and physiological needs. "
         "Its standard is set by equal negotiation between the enterprise and the union or "
         "worker representatives, and it counts as working time.",
         "人社厅发〔2023〕50号《新就业形态劳动者休息和劳动报酬权益保障指引》第四条"),
    Term("working_time", "工作时间", "Working time",
         "平台劳动者的工作时间包括接单时间、宽放时间以及平台要求的在线时间。最长工作时间和宽放时间"
         "属于协商事项；适用劳动者提供劳动所在地的小时最低工资标准。",
         "A platform worker's working time is order time plus allowance time plus any online "
         "time the platform requires. Maximum hours and the allowance are matters for "
         "consultation; the hourly minimum wage of the place of work applies.",
         "人社厅发〔2023〕50号 第四、五条"),
    Term("minimum_wage", "最低工资", "Minimum wage",
         "劳动者在法定工作时间内提供正常劳动时应得的最低报酬。比较时不计入：延长工作时间工资；"
         "中班、夜班、高温、低温、井下、有毒有害等特殊工作环境条件下的津贴；法定福利待遇。",
         "The least pay for normal work in legal working hours. Not counted towards it: "
         "overtime pay; allowances for middle and night shifts, high and low temperature, "
         "underground, toxic or hazardous conditions; statutory welfare.",
         "《最低工资规定》（2004）第十二条；地方标准见最低工资登记簿"),
    Term("commission_ratio", "抽成比例", "Commission ratio",
         "每单抽成比例＝（乘客支付总额－驾驶员劳动报酬）÷乘客支付总额，平台应在每单完成后向驾驶员"
         "展示。各平台公布的上限为平台规则，不是法律标准。",
         "Per order: (passenger's total payment − driver's pay) ÷ passenger's total payment, "
         "shown to the driver after every order. The caps platforms publish are their own "
         "rules, not legal standards.",
         "交运发〔2021〕122号"),
    Term("special_contract", "专项集体合同", "Special collective contract",
         "就集体协商的某项内容（如劳动报酬）签订的专项书面协议。",
         "A written agreement on a single subject of collective consultation, such as pay.",
         "《集体合同规定》第三条"),
    Term("suspension", "中止协商", "Suspension of consultation",
         "协商未达成一致或出现事先未预料的问题时，经双方同意可以中止协商，并商定中止期限及下次协商"
         "的时间、地点、内容。",
         "When the sides cannot agree or an unforeseen problem arises, they may agree to "
         "suspend, fixing its length and the time, place and content of the next meeting.",
         "《集体合同规定》第三十五条"),
    Term("coordination", "协调处理", "Coordinated handling",
         "协商中发生争议、双方不能协商解决的，可以书面向劳动保障行政部门提出协调处理申请；"
         "应自受理之日起30日内结束，需延期的最长不超过15日。",
         "A dispute in consultation that the sides cannot settle may be taken in writing to the "
         "labour administration, which must finish within 30 days of accepting it, extendable "
         "by at most 15 days.",
         "《集体合同规定》第四十九条至第五十四条"),
)

BY_KEY = {t.key: t for t in TERMS}

#: Workbench fields (scenario keys) whose label links to a term.
FIELD_TERMS = {
    "pay.base_per_order": "piece_rate",
    "pay.per_km": "piece_rate",
    "pay.included_km": "piece_rate",
    "pay.per_engaged_minute": "piece_rate",
    "pay.per_order_minimum": "piece_rate",
    "pay.allowance_ratio": "allowance_time",
    "pay.required_online_hours": "working_time",
    "pay.max_continuous_hours": "working_time",
    "pay.rest_minutes": "working_time",
    "pay.max_daily_hours": "working_time",
    "pay.max_daily_order_hours": "working_time",
    "pay.hourly_floor": "minimum_wage",
    "pay.floor_period": "minimum_wage",
    "pay.night_bonus_per_order": "minimum_wage",
    "pay.heat_allowance_per_day": "minimum_wage",
    "pay.commission_rate": "commission_ratio",
    "pay.commission_cap_per_order": "commission_ratio",
    "pay.monthly_average_commission_cap": "commission_ratio",
    "pay.min_orders_for_monthly_cap": "commission_ratio",
    "market.commission_rate_sd": "commission_ratio",
    "thresholds.hourly_minimum_wage": "minimum_wage",
    "thresholds.monthly_minimum_wage": "minimum_wage",
    "workforce.groups.casual.monthly_test": "minimum_wage",
    "workforce.groups.part_time.monthly_test": "minimum_wage",
    "workforce.groups.full_time.monthly_test": "minimum_wage",
}
