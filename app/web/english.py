"""The English forms of what the domain keeps in Chinese: legal citations, units, provinces.

The domain cites the law as the law is written (《集体合同规定》第三十二条) because the Chinese
documents print it so; the English interface shows "Art. 32, Collective Contract Provisions".
``english_citation`` turns a citation (or a short basis note made of citations and the phrases
of ``PHRASES``) into English; a part it cannot read stays as written, so nothing is lost.
Templates use the filters ``cite``, ``unit_name`` and ``province_name``, and ``msg`` to show a
domain message (``app.errors.Msg``) in the interface's language.
"""
from __future__ import annotations

import re

from flask_babel import get_locale

from app.simulator.fieldspec import UNITS_EN
from app.standards.provinces import ENGLISH, FULL_NAMES
from app.web.errors import translated

# Official or customary English titles of the texts the domain cites.
LAW_TITLES = {
    "集体合同规定": "Collective Contract Provisions",
    "企业民主管理规定": "Provisions on Democratic Management of Enterprises",
    "劳动合同法": "Labour Contract Law",
    "劳动争议调解仲裁法": "Labour Dispute Mediation and Arbitration Law",
    "民法典": "Civil Code",
    "最低工资规定": "Minimum Wage Provisions",
    "工资集体协商试行办法": "Trial Measures for Collective Wage Consultation",
    "新就业形态劳动者权益协商指引": "Guidelines on Consultation over the Rights of Workers in "
                                    "New Forms of Employment",
    "平台劳动规则和算法协商指引（试行）": "Guidelines on Consultation over Platform Labour Rules "
                                          "and Algorithms (Trial)",
    "河南省企业工资集体协商条例": "Henan Regulations on Collective Wage Consultation in "
                                  "Enterprises",
    "工会法": "Trade Union Law",
}
# The notes that accompany citations in the procedure's basis strings.
PHRASES = {
    "意见书须在15日内送达": "the review opinion must be delivered within 15 days",
    "地方规定10日": "10 days under local rules",
    "劳动和社会保障部令第22号": "Ministry of Labour and Social Security Order No. 22",
    "签字后7日内报送": "filed within 7 days of signing",
    "地方工资协商规定": "local rules on wage consultation",
    "送达无异议审查意见书即生效": "in force once a review opinion without objection is "
                                  "delivered",
    "生效后5日内公布": "published within 5 days of taking effect",
    "工资集体协商一般每年进行一次": "wage consultation is normally held once a year",
    "答复期限沿用": "reply period as in ",
    "原则上每年至少开展一次": "in principle at least once a year",
    "纪要不经职代会表决": "minutes are not put to the workers' congress",
    "“以上”包括本数": "“or more” includes the number itself",
    "须经全体过半数同意": "needs more than half of all members",
    "人社部发〔2021〕56号": "MOHRSS Document [2021] No. 56",
    "人社厅发〔2023〕50号": "MOHRSS General Office Document [2023] No. 50",
    "地方规定": "local rules",
}
_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_NUMERAL = "[零一二两三四五六七八九十百千]+"
_ARTICLES = re.compile(
    rf"(?:《(?P<title>[^》]+)》(?:（(?P<year>\d{{4}})）)?)?第(?P<first>{_NUMERAL})"
    rf"(?P<more>(?:[、至]{_NUMERAL})*)条(?:第（(?P<item>{_NUMERAL})）项)?"
    rf"(?P<joined>(?:、第{_NUMERAL}条(?:第（{_NUMERAL}）项)?)*)")
_TITLE = re.compile(r"《(?P<title>[^》]+)》(?:（(?P<year>\d{4})）)?")
_PUNCTUATION = {"；": "; ", "，": ", ", "：": ": ", "（": " (", "）": ")", "、": ", ", "。": ". "}


def chinese_number(text: str) -> int:
    """第三十二 → 32, 二百零一 → 201, 一千二百五十九 → 1259."""
    total, digit = 0, 0
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        else:
            unit = {"十": 10, "百": 100, "千": 1000}[char]
            total += (digit or 1) * unit
            digit = 0
    return total + digit


def _title(match_title: str | None, year: str | None) -> str:
    if not match_title:
        return ""
    english = LAW_TITLES.get(match_title, f"《{match_title}》")
    return f"{english} ({year})" if year else english


def _articles(match: re.Match) -> str:
    numbers = [str(chinese_number(match["first"]))]
    for sep, number in re.findall(rf"([、至])({_NUMERAL})", match["more"] or ""):
        numbers.append(("–" if sep == "至" else ", ") + str(chinese_number(number)))
    article = "Arts. " if len(numbers) > 1 or match["joined"] else "Art. "
    text = article + "".join(numbers)
    if match["item"]:
        text += f"({chinese_number(match['item'])})"
    for number, item in re.findall(rf"第({_NUMERAL})条(?:第（({_NUMERAL})）项)?",
                                   match["joined"] or ""):
        text += f", {chinese_number(number)}" + (f"({chinese_number(item)})" if item else "")
    title = _title(match["title"], match["year"])
    return f"{text}, {title}" if title else text


def english_citation(text) -> str:
    """``text`` (a citation or basis note) in English, as far as the tables above reach."""
    text = str(text or "")
    if not text:
        return text
    for chinese in sorted(PHRASES, key=len, reverse=True):
        text = text.replace(chinese, PHRASES[chinese])
    text = _ARTICLES.sub(_articles, text)
    text = _TITLE.sub(lambda m: _title(m["title"], m["year"]), text)
    for chinese, english in _PUNCTUATION.items():
        text = text.replace(chinese, english)
    return re.sub(r"\s+", " ", text).replace("( ", "(").strip()




def _english() -> bool:
    return str(get_locale()) == "en"


def unit_name(unit) -> str:
    """A unit in the interface's language."""
    unit = str(unit or "")
    return UNITS_EN.get(unit, unit) if _english() else unit


def province_name(name) -> str:
    """A province (short or full name; empty = the whole country) in the interface's language."""
    name = str(name or "")
    if not _english():
        return name or "全国"
    if not name or name == "全国":
        return "Nationwide"
    short = next((s for s, full in FULL_NAMES.items() if name in (s, full)), None)
    return ENGLISH.get(short, name) if short else name


def cite(text) -> str:
    """A citation in the interface's language (the domain's Chinese in the Chinese one)."""
    return english_citation(text) if _english() else str(text or "")


def init_app(app) -> None:
    app.jinja_env.filters.update(cite=cite, unit_name=unit_name, province_name=province_name,
                                 msg=translated)
