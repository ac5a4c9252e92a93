"""Demo negotiations (all fictional, marked 示例), recorded through the service as users would.

Dates are relative to the ``now`` the demo is loaded with: one offer awaiting its reply, one in
consultation after three rounds of offers and two meetings (with a vacant seat to fill), one
agreement in force. The tripartite office (``mediator``) mediates all three.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from app.auth.models import Role, User

from . import service

RIDE_PLATFORM_USER = ("ride-platform", "赵刚（示例·网约车平台代表）")


def _reps(session, actor_by_side, negotiation, on, worker_names, employer_names, now):
    for side, names in (("worker", worker_names), ("employer", employer_names)):
        for i, name in enumerate(names):
            expert = name.endswith("*")
            service.add_representative(session, actor_by_side[side], negotiation.id, {
                "side": side, "name": name.rstrip("*"), "is_chief": i == 0,
                "is_outside_expert": expert, "appointed_on": on}, now=now)


def _offer(session, actor, negotiation, on, terms, rationale, now):
    form = {f"terms.{k}": v for k, v in terms.items()}
    form.update(rationale=rationale, on=on)
    return service.send_offer(session, actor, negotiation.id, form, now=now)


def _meeting(session, actor, negotiation, on, place, agenda, minutes, outcome, now):
    return service.record_meeting(session, actor, negotiation.id, {
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
    today = service.local_today(now)

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
           {"base_per_order": 7.0, "hourly_floor": 24.0, "weather_subsidy_rain_per_order": 2.0,
            "late_penalty_per_order": 0.0},
           "测算显示约三成骑手扣除成本后的小时收入低于郑州小时最低工资，要求提高单价并设立小时保底。",
           now)
    _offer(session, platform, pay, d(48),
           {"base_per_order": 6.2, "hourly_floor": 20.6, "weather_subsidy_rain_per_order": 0.5,
            "late_penalty_per_order": 2.0},
           "单价每提高1元，月成本增加约九百万元；同意以最低工资为保底，超时扣款暂不调整。", now)
    _meeting(session, mediator, pay, d(40), "郑州市协调劳动关系三方办公室第一会议室",
             "一、宣布议程和会议纪律；二、工会方首席代表陈述要约；三、平台方答复；四、双方讨论",
             "双方就单价和保底的测算口径交换意见；平台方同意提供分时段订单数据。",
             "约定两周内交换修订方案", now)
    _offer(session, union, pay, d(33),
           {"base_per_order": 6.8, "hourly_floor": 23.0, "weather_subsidy_rain_per_order": 1.5,
            "late_penalty_per_order": 0.5},
           "按平台提供的数据重新测算，下调单价要求，保留雨天补贴。", now)
    _offer(session, platform, pay, d(26),
           {"base_per_order": 6.4, "hourly_floor": 21.5, "weather_subsidy_rain_per_order": 1.0,
            "late_penalty_per_order": 1.0},
           "可提高单价0.2元，雨天补贴每单1元。", now)
    _meeting(session, mediator, pay, d(19), "速达外卖郑州分公司会议室",
             "一、宣布议程；二、平台方首席代表陈述修订方案；三、工会方答复；四、首席代表总结",
             "双方在雨天补贴上接近一致，单价和保底仍有分歧。",
             "双方同意各自再提出一轮方案", now)
    _offer(session, union, pay, d(12),
           {"base_per_order": 6.6, "hourly_floor": 22.0, "weather_subsidy_rain_per_order": 1.0,
            "late_penalty_per_order": 0.5},
           "接受雨天补贴每单1元；单价6.6元可使九成骑手达到小时最低工资。", now)
    rep = next(r for r in service.representatives(session, pay)
               if r.side == "worker" and r.name == "孙磊")
    service.vacate_representative(session, union, pay.id, rep.id,
                                  {"on": d(10), "reason": "本人辞去协商代表职务"}, now=now)
    _offer(session, platform, pay, d(6),
           {"base_per_order": 6.5, "hourly_floor": 21.5, "weather_subsidy_rain_per_order": 1.0,
            "late_penalty_per_order": 1.0},
           "单价6.5元，超时扣款每单不超过1元。", now)

    # 2. An offer awaiting its reply.
    hours = service.create_negotiation(session, union, {
        **common, "title": "速达外卖平台算法与工作时间规则协商（示例）",
        "employer_org_id": str(orgs["delivery"].id), "sector": "delivery",
        "workers_covered": "速达外卖郑州市全部骑手", "workers_count": "12000"}, now=now)
    _reps(session, sides, hours, d(9), ["王建国", "刘芳", "赵红"], ["李晓明", "何佳", "郑伟"], now)
    service.send_offer(session, union, hours.id, {
        "terms.max_daily_hours": "10", "terms.hourly_floor": "22",
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
           {"commission_rate": 0.18, "commission_cap_per_order": 0.25,
            "monthly_average_commission_cap": 0.2},
           "依据交运发〔2021〕122号，要求设定抽成上限并向驾驶员公开每单抽成。", now)
    service.reply_to_offer(session, ride_user, ride.id, {"answer": "accept", "on": d(190)},
                           now=now)
    _meeting(session, mediator, ride, d(180), "郑州市协调劳动关系三方办公室第二会议室",
             "一、宣布议程；二、工会方陈述要约；三、平台方答复", "平台方同意设定单笔抽成上限。",
             "平台方两周内提出方案", now)
    accepted = _offer(session, ride_user, ride, d(175),
                      {"commission_rate": 0.2, "commission_cap_per_order": 0.27,
                       "monthly_average_commission_cap": 0.22},
                      "单笔上限27%，月平均不超过22%。", now)
    _meeting(session, mediator, ride, d(160), "畅行网约车郑州运营中心",
             "一、宣布议程；二、平台方陈述方案；三、双方讨论；四、首席代表总结",
             "工会方同意平台方案。", "形成合同草案", now)
    for event, days, extra in (
            ("agree_draft", 150, {"offer_id": str(accepted.id), "signed_by_worker_chief": "1",
                                  "signed_by_employer_chief": "1"}),):
        service.record_step(session, mediator, ride.id, event, {"on": d(days), **extra}, now=now)
    service.record_vote(session, mediator, ride.id, {
        "held_on": d(140), "body": "congress", "members": "120", "present": "96",
        "in_favour": "88"}, now=now)
    service.record_step(session, mediator, ride.id, "sign", {
        "on": d(135), "signed_by_worker_chief": "1", "signed_by_employer_chief": "1"}, now=now)
    service.record_step(session, union, ride.id, "publish", {
        "on": d(132), "channel": "平台驾驶员端公告、工会微信公众号"}, now=now)
    service.file_agreement(session, ride_user, ride.id, {
        "filed_on": d(130), "received_on": d(128), "copies": "3",
        "authority": "郑州市人力资源和社会保障局"}, now=now)
    service.record_step(session, mediator, ride.id, "take_effect",
                        {"on": d(112), "term_years": "2"}, now=now)

    # 4. Being prepared: delegations named, no offer yet.
    weather = service.create_negotiation(session, union, {
        **common, "title": "速达外卖骑手恶劣天气保障专项协商（示例）",
        "employer_org_id": str(orgs["delivery"].id), "sector": "delivery",
        "workers_covered": "速达外卖郑州市全部骑手", "workers_count": "12000"}, now=now)
    _reps(session, sides, weather, d(3), ["刘芳", "赵红", "孙丽"], ["何佳", "郑伟", "吴倩"], now)
