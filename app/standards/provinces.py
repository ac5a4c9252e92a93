"""The 31 provincial-level regions of the mainland, by the short name the registry stores.

Full names (``河南省``) and short names (``河南``) are both accepted on input; records keep the
short name, the form MOHRSS's national table uses.
"""
from __future__ import annotations

# short name, full name, GB/T 2260 code
PROVINCES: tuple[tuple[str, str, str], ...] = (
    ("北京", "北京市", "110000"), ("天津", "天津市", "120000"), ("河北", "河北省", "130000"),
    ("山西", "山西省", "140000"), ("内蒙古", "内蒙古自治区", "150000"),
    ("辽宁", "辽宁省", "210000"), ("吉林", "吉林省", "220000"), ("黑龙江", "黑龙江省", "230000"),
    ("上海", "上海市", "310000"), ("江苏", "江苏省", "320000"), ("浙江", "浙江省", "330000"),
    ("安徽", "安徽省", "340000"), ("福建", "福建省", "350000"), ("江西", "江西省", "360000"),
    ("山东", "山东省", "370000"), ("河南", "河南省", "410000"), ("湖北", "湖北省", "420000"),
    ("湖南", "湖南省", "430000"), ("广东", "广东省", "440000"),
    ("广西", "广西壮族自治区", "450000"), ("海南", "海南省", "460000"),
    ("重庆", "重庆市", "500000"), ("四川", "四川省", "510000"), ("贵州", "贵州省", "520000"),
    ("云南", "云南省", "530000"), ("西藏", "西藏自治区", "540000"), ("陕西", "陕西省", "610000"),
    ("甘肃", "甘肃省", "620000"), ("青海", "青海省", "630000"),
    ("宁夏", "宁夏回族自治区", "640000"), ("新疆", "新疆维吾尔自治区", "650000"),
)
SHORT_NAMES: tuple[str, ...] = tuple(p[0] for p in PROVINCES)
# English names, as the national statistics yearbook spells them.
ENGLISH: dict[str, str] = dict(zip(SHORT_NAMES, (
    "Beijing", "Tianjin", "Hebei", "Shanxi", "Inner Mongolia", "Liaoning", "Jilin", "Heilongjiang",
    "Shanghai", "Jiangsu", "Zhejiang", "Anhui", "Fujian", "Jiangxi", "Shandong", "Henan", "Hubei",
    "Hunan", "Guangdong", "Guangxi", "Hainan", "Chongqing", "Sichuan", "Guizhou", "Yunnan", "Tibet",
    "Shaanxi", "Gansu", "Qinghai", "Ningxia", "Xinjiang")))
FULL_NAMES: dict[str, str] = {short: full for short, full, _code in PROVINCES}
_BY_NAME = {name: short for short, full, _code in PROVINCES for name in (short, full)}


def normalise(name) -> str | None:
    """The short name of the province called ``name`` (short or full), or None if unknown."""
    return _BY_NAME.get(str(name or "").strip())
