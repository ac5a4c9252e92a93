"""Demo negotiations (all fictional, marked 示例), recorded through the service as users would.

Dates are relative to the ``now`` the demo is loaded with: one offer awaiting its reply, one in
consultation after three rounds of offers and two meetings (with a vacant seat to fill), one
agreement in force. The tripartite office (``mediator``) mediates all three.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from app.auth.models import Role, User

from app.negotiations import service
from app.negotiations import offers as offer_service
from app.negotiations import records as nrecords
from app.negotiations import representatives as rep_service
from app.negotiations import steps as step_service

RIDE_PLATFORM_USER = ("ride-platform", "赵刚（示例·网约车平台代表）")


def _reps(session, actor_by_side, negotiation, on, worker_names, employer_names, now):
    for side, names in (("worker", worker_names), ("employer", employer_names)):
        for i, name in enumerate(names):
            expert = name.endswith("*")
            rep_service.add_representative(session, actor_by_side[side], negotiation.id, {
                "side": side, "name": name.rstrip("*"), "is_chief": i == 0,
                "is_outside_expert": expert, "appointed_on": on}, now=now)


def _offer(session, actor, negotiation, on, terms, rationale, now):
    form = {f"terms.{k}": v for k, v in terms.items()}
    form.update(rationale=rationale, on=on)
    return offer_service.send_offer(session, actor, negotiation.id, form, now=now)


def _meeting(session, actor, negotiation, on, place, agenda, minutes, outcome, now):
    return step_service.record_meeting(session, actor, negotiation.id, {
        "held_on": on, "place": place, "minute_taker": "陈静（三方办工作人员）",
        "agenda": agenda, "attendance": "双方协商代表全部出席；三方办派员列席",
        "minutes": minutes, "outcome": outcome}, now=now)


def load(session: Session, orgs: dict, users: dict, now: dt.datetime) -> None:
    """``app.demo`` loader: three negotiations in different states."""
    ride_user = User(username=RIDE_PLATFORM_USER[0], display_name=RIDE_PLATFORM_USER[1],
                     organisation=orgs["ride_hailing"], role=Role.member)
    ride_user.set_password("xieshang-demo")
    session.add(ride_user)
    session.flush()
    union, platform, mediator = users["union"], users["platform"], users["mediator"]
    today = nrecords.local_today(now)

    def d(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    common = {"worker_org_id": str(orgs["riders_union"].id), "province": "河南省",
              "city": "郑州市", "mediator_org_id": str(orgs["tripartite"].id)}

    # 1. In consultation: three rounds each side, two meetings, a vacant seat to fill.
    pay = service.create_negotiation(session, union, {
        **common, "title": "速达外卖骑手劳动报酬专项集体协商（示例）",
        "employer_org_id": str(orgs["delivery"].id),
        "partner_org_id": str(orgs["delivery_partner"].id), "sector": "delivery",
        "workers_covered": "在郑州市内接单的速达外卖专送和众包骑手", "workers_count": "8600"},
        now=now)
    sides = {"worker": union, "employer": platform}
    _reps(session, sides, pay, d(70), ["王建国", "刘芳", "孙磊", "周律师*"],
          ["李晓明", "何佳", "郑伟", "吴倩"], now)
    _offer(session, union, pay, d(60),
           {"base_per_order": 10.0, "hourly_floor": 26.0, "weather_subsidy_rain_per_order": 2.0},
           "要求提高单价，设立高于郑州小时最低工资的小时保底，雨天每单补贴2元。",
           now)
    _offer(session, platform, pay, d(48),
           {"base_per_order": 9.0, "hourly_floor": 23.0, "weather_subsidy_rain_per_order": 0.5},
           "单价每提高1元，平台月成本相应增加；同意以小时最低工资为保底，雨天每单补贴0.5元。", now)
    _meeting(session, mediator, pay, d(40), "郑州市协调劳动关系三方办公室第一会议室",
             "一、宣布议程和会议纪律；二、工会方首席代表陈述要约；三、平台方答复；四、双方讨论",
             "双方就单价和保底的测算口径交换意见；平台方同意提供分时段订单数据。",
             "约定两周内交换修订方案", now)
    _offer(session, union, pay, d(33),
           {"base_per_order": 9.8, "hourly_floor": 25.0, "weather_subsidy_rain_per_order": 1.5},
           "按平台提供的分时段数据重新测算，下调单价要求，保留雨天补贴。", now)
    _offer(session, platform, pay, d(26),
           {"base_per_order": 9.2, "hourly_floor": 23.5, "weather_subsidy_rain_per_order": 1.0},
           "可提高单价0.4元，雨天补贴每单1元。", now)
    _meeting(session, mediator, pay, d(19), "速达外卖郑州分公司会议室",
             "一、宣布议程；二、平台方首席代表陈述修订方案；三、工会方答复；四、首席代表总结",
             "双方在雨天补贴上接近一致，单价和保底仍有分歧。",
             "双方同意各自再提出一轮方案", now)
    _offer(session, union, pay, d(12),
           {"base_per_order": 9.6, "hourly_floor": 24.5, "weather_subsidy_rain_per_order": 1.0},
           "接受雨天补贴每单1元；单价9.6元，小时保底24.5元。", now)
    rep = next(r for r in rep_service.representatives(session, pay)
               if r.side == "worker" and r.name == "孙磊")
    rep_service.vacate_representative(session, union, pay.id, rep.id,
                                  {"on": d(10), "reason": "本人辞去协商代表职务"}, now=now)
    _offer(session, platform, pay, d(6),
           {"base_per_order": 9.4, "hourly_floor": 24.0, "weather_subsidy_rain_per_order": 1.0},
           "单价9.4元，小时保底24元。", now)

    # 2. An offer awaiting its reply.
    hours = service.create_negotiation(session, union, {
        **common, "title": "速达外卖平台算法与工作时间规则协商（示例）",
        "employer_org_id": str(orgs["delivery"].id), "sector": "delivery",
        "workers_covered": "速达外卖郑州市全部骑手", "workers_count": "12000"}, now=now)
    _reps(session, sides, hours, d(9), ["王建国", "刘芳", "赵红"], ["李晓明", "何佳", "郑伟"], now)
    offer_service.send_offer(session, union, hours.id, {
        "terms.max_daily_hours": "10", "terms.hourly_floor": "24",
        "terms.weather_subsidy_rain_per_order": "1.5",
        "rationale": "依据人社厅发〔2023〕50号，要求协商确定每日最长工作时间并公开派单算法。",
        "on": d(6), "received_on": d(5)}, now=now)

    # 3. An agreement in force (ride-hailing commission).
    ride = service.create_negotiation(session, union, {
        **common, "title": "畅行网约车驾驶员抽成比例集体合同（示例）",
        "employer_org_id": str(orgs["ride_hailing"].id),
        "partner_org_id": str(orgs["ride_partner"].id), "sector": "ride_hailing",
        "workers_covered": "在畅行平台注册、在郑州市内接单的网约车驾驶员",
        "workers_count": "5200"}, now=now)
    _reps(session, {"worker": union, "employer": ride_user}, ride, d(210),
          ["王建国", "马强", "林晓"], ["赵刚", "钱丽", "冯涛"], now)
    _offer(session, union, ride, d(200),
           {"commission_rate": 0.12, "commission_cap_per_order": 0.2,
            "monthly_average_commission_cap": 0.13},
           "依据交运发〔2021〕122号，要求设定抽成上限并向驾驶员公开每单抽成。", now)
    offer_service.reply_to_offer(session, ride_user, ride.id, {"answer": "accept", "on": d(190)},
                           now=now)
    _meeting(session, mediator, ride, d(180), "郑州市协调劳动关系三方办公室第二会议室",
             "一、宣布议程；二、工会方陈述要约；三、平台方答复", "平台方同意设定单笔抽成上限。",
             "平台方两周内提出方案", now)
    accepted = _offer(session, ride_user, ride, d(175),
                      {"commission_rate": 0.135, "commission_cap_per_order": 0.27,
                       "monthly_average_commission_cap": 0.15},
                      "平均抽成降至13.5%；单笔上限27%，月平均不超过15%。", now)
    _meeting(session, mediator, ride, d(160), "畅行网约车郑州运营中心",
             "一、宣布议程；二、平台方陈述方案；三、双方讨论；四、首席代表总结",
             "工会方同意平台方案。", "形成合同草案", now)
    for event, days, extra in (
            ("agree_draft", 150, {"offer_id": str(accepted.id), "signed_by_worker_chief": "1",
                                  "signed_by_employer_chief": "1"}),):
        step_service.record_step(session, mediator, ride.id, event, {"on": d(days), **extra},
                                 now=now)
    step_service.record_vote(session, mediator, ride.id, {
        "held_on": d(140), "body": "congress", "members": "120", "present": "96",
        "in_favour": "88"}, now=now)
    step_service.record_step(session, mediator, ride.id, "sign", {
        "on": d(135), "signed_by_worker_chief": "1", "signed_by_employer_chief": "1"}, now=now)
    step_service.record_step(session, union, ride.id, "publish", {
        "on": d(132), "channel": "平台驾驶员端公告、工会微信公众号"}, now=now)
    step_service.file_agreement(session, ride_user, ride.id, {
        "filed_on": d(130), "received_on": d(128), "copies": "3",
        "authority": "郑州市人力资源和社会保障局"}, now=now)
    step_service.record_step(session, mediator, ride.id, "take_effect",
                        {"on": d(112), "term_years": "2"}, now=now)

    # 4. Being prepared: delegations named, no offer yet.
    weather = service.create_negotiation(session, union, {
        **common, "title": "速达外卖骑手恶劣天气保障专项协商（示例）",
        "employer_org_id": str(orgs["delivery"].id), "sector": "delivery",
        "workers_covered": "速达外卖郑州市全部骑手", "workers_count": "12000"}, now=now)
    _reps(session, sides, weather, d(3), ["刘芳", "赵红", "孙丽"], ["何佳", "郑伟", "吴倩"], now)

    _load_variants(session, orgs, {"union": union, "platform": platform, "mediator": mediator,
                                   "ride": ride_user}, common, d, now)


def _load_variants(session, orgs, who, common, d, now) -> None:
    """Negotiations 5–7, one for each kind platforms most often hold (issue 18): a wage
    agreement under review, an industry agreement in consultation, and a platform-rules
    consultation signed and published. Added after the first four so their ids stay stable."""
    union, platform, mediator, ride_user = who["union"], who["platform"], who["mediator"], \
        who["ride"]
    sides = {"worker": union, "employer": platform}
    chiefs = {"signed_by_worker_chief": "1", "signed_by_employer_chief": "1"}

    # 5. Wage agreement (工资集体协商试行办法): voted by secret ballot, signed, filed in 7 days.
    wage = service.create_negotiation(session, union, {
        **common, "title": "速达外卖众包骑手工资专项集体协商（示例）", "variant": "wage",
        "employer_org_id": str(orgs["delivery"].id),
        "partner_org_id": str(orgs["delivery_partner"].id), "sector": "delivery",
        "workers_covered": "郑州众达人力服务有限公司派驻速达外卖的众包骑手",
        "workers_count": "3100"}, now=now)
    _reps(session, sides, wage, d(80), ["王建国", "刘芳", "赵红"], ["李晓明", "何佳", "郑伟"], now)
    _offer(session, union, wage, d(75),
           {"base_per_order": 9.6, "hourly_floor": 24.5, "weather_subsidy_rain_per_order": 1.0},
           "要求按年度工资集体协商确定单价和小时保底。", now)
    counter = _offer(session, platform, wage, d(62),
                     {"base_per_order": 9.3, "hourly_floor": 24.0,
                      "weather_subsidy_rain_per_order": 1.0},
                     "同意设立小时保底，单价9.3元。", now)
    _meeting(session, mediator, wage, d(50), "郑州众达人力服务有限公司会议室",
             "一、宣布议程；二、平台方陈述方案；三、双方讨论；四、首席代表总结",
             "工会方同意平台方案。", "形成工资专项集体合同草案", now)
    step_service.record_step(session, mediator, wage.id, "agree_draft",
                        {"on": d(40), "offer_id": str(counter.id), **chiefs}, now=now)
    step_service.record_vote(session, mediator, wage.id, {
        "held_on": d(30), "body": "all_employees", "members": "3100", "present": "2480",
        "in_favour": "1902", "ballot": "secret", "item_by_item": "1"}, now=now)
    step_service.record_step(session, mediator, wage.id, "sign", {"on": d(12), **chiefs}, now=now)
    step_service.file_agreement(session, platform, wage.id, {
        "filed_on": d(7), "received_on": d(6), "copies": "3",
        "authority": "郑州市人力资源和社会保障局"}, now=now)

    # 6. Industry agreement (行业性): the ride-hailing platform and its labour partner.
    industry = service.create_negotiation(session, union, {
        **common, "title": "郑州市网约车行业劳动定额和休息时间行业性集体协商（示例）",
        "variant": "industry", "employer_org_id": str(orgs["ride_hailing"].id),
        "partner_org_id": str(orgs["ride_partner"].id), "sector": "ride_hailing",
        "workers_covered": "郑州市内网约车平台及其合作企业的驾驶员", "workers_count": "21000"},
        now=now)
    _reps(session, {"worker": union, "employer": ride_user}, industry, d(30),
          ["王建国", "马强", "林晓"], ["赵刚", "钱丽", "冯涛"], now)
    _offer(session, union, industry, d(25),
           {"commission_rate": 0.13, "commission_cap_per_order": 0.25,
            "monthly_average_commission_cap": 0.14},
           "行业性协商：要求统一抽成上限并规定连续驾驶四小时后休息。", now)
    offer_service.reply_to_offer(session, ride_user, industry.id, {"answer": "accept", "on": d(16)},
                           now=now)
    _meeting(session, mediator, industry, d(8), "郑州市协调劳动关系三方办公室第一会议室",
             "一、宣布议程；二、工会方陈述要约；三、企业方答复", "双方同意分两轮讨论抽成和休息时间。",
             "两周内提出修订方案", now)

    # 7. Platform labour rules and algorithms (2026 guideline): no congress vote, published.
    rules_ = service.create_negotiation(session, union, {
        **common, "title": "速达外卖派单算法和配送时间规则协商（示例）",
        "variant": "platform_rules", "representatives_paid": "1",
        "employer_org_id": str(orgs["delivery"].id), "sector": "delivery",
        "workers_covered": "速达外卖郑州市全部骑手", "workers_count": "12000"}, now=now)
    _reps(session, sides, rules_, d(100), ["刘芳", "赵红", "孙丽"], ["何佳", "郑伟", "吴倩"], now)
    _offer(session, union, rules_, d(95),
           {"base_per_order": 9.4, "hourly_floor": 24.0, "weather_subsidy_rain_per_order": 1.0},
           "依据平台劳动规则和算法协商指引，要求公开派单规则、放宽配送时限。", now)
    agreed = _offer(session, platform, rules_, d(85),
                    {"base_per_order": 9.4, "hourly_floor": 24.0,
                     "weather_subsidy_rain_per_order": 1.0},
                    "同意“算法取中”，配送时限放宽，不设超时扣款。", now)
    _meeting(session, mediator, rules_, d(70), "速达外卖郑州分公司会议室",
             "订单分配；收入与抽成；工作时间与休息；配送时间预估与路线规划；考核；奖惩",
             "双方就派单和配送时限达成一致。", "形成协商纪要", now)
    step_service.record_step(session, mediator, rules_.id, "agree_draft",
                        {"on": d(60), "offer_id": str(agreed.id), **chiefs}, now=now)
    step_service.record_step(session, mediator, rules_.id, "sign", {"on": d(58), **chiefs}, now=now)
    step_service.record_step(session, union, rules_.id, "publish", {
        "on": d(52), "channel": "骑手端公告、工会微信公众号"}, now=now)
