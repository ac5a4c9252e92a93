"""The minimum wage the floor clause cites ("任何一项标准不得低于…当地最低工资标准").

The agreement's place is its negotiation's ``province`` and ``city`` (the same place
``app.ledger.adjustments`` watches for a newer standard); the tier is the city's tier under the
standard in force (``standards.place_tier``). The citation is computed for a day:

* a signed agreement: its signing date. The citation is frozen into the signed copy when it is
  signed (``SignedCopy.floor``) and printed into the archived PDF, so a newer standard or a
  later correction in the registry never changes what the signed text cited;
* a draft (drafting or frozen for the vote): the day it is viewed or printed, because no
  signing date exists yet and the standard the parties must respect is the one in force now.
  The draft says so, and that the signed text will cite the standard of its signing date.

Where the registry has no standard for the place and day, or the city's tier is to be
confirmed, the citation says so plainly and gives no figure.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy.orm import Session

from app import standards
from app.standards import provinces


def place_wage(session: Session, province, city, on: dt.date):
    """``(province short name or None, PlaceTier or None, MinimumWage or None)`` for a place on
    a day: the rule both the floor clause and the adjustment trigger use."""
    short = provinces.normalise(province)
    if short is None:
        return None, None, None
    try:
        place = standards.place_tier(session, short, city, on)
    except standards.StandardNotFound:
        return short, None, None
    if place.tier is None:
        return short, place, None
    try:
        return short, place, standards.minimum_wage(session, short, place.tier, on)
    except standards.StandardNotFound:
        return short, place, None


def cite(session: Session, negotiation, on: dt.date, *, signed: bool) -> dict:
    """The citation of the minimum wage in force for the negotiation's place on ``on``."""
    short, place, wage = place_wage(session, negotiation.province, negotiation.city, on)
    out = {"on": on.isoformat(), "signed": signed, "province": short or negotiation.province,
           "city": negotiation.city, "found": wage is not None,
           "tier_pending": place is not None and place.tier is None}
    if wage is not None:
        out.update(tier=wage.tier, monthly=wage.monthly, hourly=wage.hourly,
                   effective_from=wage.effective_from.isoformat(), document=wage.document,
                   source=wage.source)
    return out


def _num(value) -> str:
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def _zh(day: str) -> str:
    d = dt.date.fromisoformat(day)
    return f"{d.year}年{d.month}月{d.day}日"


def _en(day: str) -> str:
    d = dt.date.fromisoformat(day)
    return f"{d.day} {d.strftime('%B')} {d.year}"


def text(citation: Mapping | None, lang: str = "zh") -> str:
    """The sentence the floor clause adds, in Chinese or English ("" without a citation)."""
    if not citation:
        return ""
    place = f"{citation['province']}{citation['city']}"
    on = citation["on"]
    if lang == "zh":
        when = f"{_zh(on)}（签署日期）" if citation["signed"] else f"{_zh(on)}（本草案出具日期）"
        if citation.get("found"):
            sentence = (f"本协议所称当地最低工资标准，指{when}{place}适用的最低工资标准："
                        f"{citation['province']}第{citation['tier']}档，月最低工资标准"
                        f"{_num(citation['monthly'])}元，小时最低工资标准"
                        f"{_num(citation['hourly'])}元，自{_zh(citation['effective_from'])}起执行"
                        + (f"，依据{citation['document']}" if citation.get("document") else "")
                        + "。")
        elif citation.get("tier_pending"):
            sentence = (f"{place}在{when}适用的最低工资标准中的档次尚待确认，本条暂不引用具体数额，"
                        f"以当地人力资源社会保障部门公布的标准为准。")
        else:
            sentence = (f"未查到{when}{place}适用的最低工资标准记录，本条不引用具体数额，"
                        f"以当地人力资源社会保障部门公布的标准为准。")
        if not citation["signed"]:
            sentence += "协议签署后，以签署日期适用的标准为准。"
        return sentence
    province_en = provinces.ENGLISH.get(citation["province"], citation["province"])
    place = f"{citation['city']}, {province_en}" if citation["city"] else province_en
    when = (f"{_en(on)} (the signing date)" if citation["signed"]
            else f"{_en(on)} (the date this copy of the draft was produced)")
    if citation.get("found"):
        sentence = (f"The local minimum wage referred to is the standard in force in {place} on "
                    f"{when}: {province_en} tier {citation['tier']}, "
                    f"{_num(citation['monthly'])} yuan a month and {_num(citation['hourly'])} "
                    f"yuan an hour, in force from {_en(citation['effective_from'])}"
                    + (f" under {citation['document']}" if citation.get("document") else "")
                    + ".")
    elif citation.get("tier_pending"):
        sentence = (f"The tier of {place} under the minimum wage standard in force on {when} is "
                    f"yet to be confirmed, so this article cites no figure; the standard "
                    f"published by the local human resources and social security department "
                    f"applies.")
    else:
        sentence = (f"No minimum wage standard in force in {place} on {when} is on record, so "
                    f"this article cites no figure; the standard published by the local human "
                    f"resources and social security department applies.")
    if not citation["signed"]:
        sentence += " Once signed, the agreement cites the standard in force on its signing date."
    return sentence


def for_version(session: Session, negotiation, signed, number: int | None,
                today: dt.date) -> dict:
    """The citation printed with version ``number`` (None: the latest): the one frozen into the
    signed copy for the signed version, otherwise the standard in force on ``today``."""
    if signed is not None and number in (None, signed.number):
        return signed.floor or cite(session, negotiation, signed.signed_on, signed=True)
    return cite(session, negotiation, today, signed=False)
