"""The agreement that closes a negotiation, as structured data: build and edit it (``versions``
compares and fingerprints it).

Pure Python (no Flask, no database). An agreement is a JSON-ready ``dict`` (see
``build_agreement``): parties, scope, term, the agreed standards (value, unit, effective date,
how measured), the standard-adjustment procedure, the dispute procedure with its legal time
limits from :mod:`app.negotiations.rules`, and the articles (第一条…) whose wording the mediator
may edit. Every edit returns a new dict; the caller stores it as a new version.

Life of a draft (``Status``): ``drafting`` → ``frozen`` (for the workers' vote; no change
after) → ``signed`` (immutable). ``ensure_editable`` and ``check_transition`` say no with
``IllegalTransition``.
"""
from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from app.negotiations import rules
from app.errors import IllegalTransition, Msg, ValidationError

from . import clauses, limits, wording
from .wording import LANGS, SECTORS, date_en, date_zh  # noqa: F401 (the document's helpers)

SCHEMA = 1

DEFAULT_ADJUSTMENT = {
    "review_month": 10,           # the yearly review starts in this month
    "price_threshold_pct": 5,     # CPI or energy price move that lets either side reopen
    "reply_days": rules.REPLY_DAYS,
    "notice_days": 30,            # one month ahead for pricing rules (交运发〔2021〕122号)
}
# Who the agreement covers when the negotiation does not say (by sector).
WORKERS_COVERED = {"delivery": "专送、众包等各类配送劳动者", "ride_hailing": "网约车驾驶员",
                   "freight": "网络货运驾驶员"}
DEFAULT_DISPUTE = {
    "answer_days": 7,             # the platform answers a worker's complaint
    "consultation_days": 15,      # direct consultation between the parties
    "committee_days": 15,         # the joint supervision committee
    "arrears_days": 15,           # shortfalls made up after discovery
}


class Status(StrEnum):
    DRAFTING = "drafting"
    FROZEN = "frozen"
    SIGNED = "signed"


def _date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValidationError({field: Msg("Fill in the date")})
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: Msg("Fill in a valid date (YYYY-MM-DD)")}) from None


def _text(value: Any) -> str:
    return str(value or "").strip()


# --- Building ----------------------------------------------------------------------------------
def agreed_standards(package: Mapping[str, Any], effective: dt.date,
                     effective_overrides: Mapping[str, Any] | None = None) -> list[dict]:
    """The package's terms as standards, in catalogue order; unknown and neutral terms are skipped.

    Raises ``ValidationError`` for a value that is not a number where one is expected.
    """
    errors: dict[str, str] = {}
    out: list[dict] = []
    overrides = effective_overrides or {}
    for spec in clauses.STANDARDS:
        if spec.key not in package or package[spec.key] is None:
            continue
        raw = package[spec.key]
        if spec.kind in ("money", "ratio", "number", "int"):
            try:
                value = float(raw) if not isinstance(raw, bool) else None
            except (TypeError, ValueError):
                value = None
            if value is None:
                errors[spec.key] = Msg("Fill in a number")
                continue
            if clauses.NEUTRAL.get(spec.key) == value:
                continue
            problem = limits.value_error(spec, value)
            if problem is not None:
                errors[spec.key] = problem
                continue
            value = int(value) if spec.kind == "int" else value
        else:
            value = raw
        eff = _date(overrides.get(spec.key, effective), f"effective.{spec.key}")
        out.append({
            "key": spec.key, "value": value, "display": clauses.format_value(spec, value),
            "label_zh": spec.label_zh, "label_en": spec.label_en,
            "unit_zh": spec.unit_zh, "unit_en": spec.unit_en,
            "measured_zh": spec.measured_zh, "measured_en": spec.measured_en,
            "article": spec.article, "effective": eff.isoformat(),
        })
    if errors:
        raise ValidationError(errors)
    return out


def dispute_steps(dispute: Mapping[str, int]) -> list[dict]:
    """The ordered dispute procedure.

    Legal limits come from ``rules``; the agreed ones (first three steps) from ``dispute``.
    """
    c, x = rules.COORDINATION_DAYS, rules.COORDINATION_MAX_EXTENSION_DAYS
    return [
        {"step": 1, "key": "complaint", "name_zh": "劳动者申诉", "name_en": "Worker's complaint",
         "who_zh": "劳动者向平台申诉渠道或工会提出，平台答复",
         "who_en": "The worker complains to the platform's channel or the union; "
                   "the platform answers",
         "limit_zh": f"{dispute['answer_days']}日内答复",
         "limit_en": f"answer within {dispute['answer_days']} days",
         "days": dispute["answer_days"], "basis": "本协议约定"},
        {"step": 2, "key": "consultation", "name_zh": "双方直接协商",
         "name_en": "Direct consultation",
         "who_zh": "工会与平台企业协商代表", "who_en": "The union and the platform's representatives",
         "limit_zh": f"{dispute['consultation_days']}日内",
         "limit_en": f"within {dispute['consultation_days']} days",
         "days": dispute["consultation_days"], "basis": "本协议约定"},
        {"step": 3, "key": "committee", "name_zh": "协议履行监督委员会调处",
         "name_en": "Joint supervision committee",
         "who_zh": "双方等额组成的联合委员会",
         "who_en": "The joint committee with equal members from both sides",
         "limit_zh": f"{dispute['committee_days']}日内",
         "limit_en": f"within {dispute['committee_days']} days",
         "days": dispute["committee_days"], "basis": "本协议约定"},
        {"step": 4, "key": "coordination", "name_zh": "三方协调处理",
         "name_en": "Tripartite coordination",
         "who_zh": "劳动行政部门会同同级工会和企业组织",
         "who_en": "The labour administration with the union and employers' organisation at "
                   "the same level",
         "limit_zh": f"受理之日起{c}日内结束，最多延长{x}日",
         "limit_en": f"within {c} days of acceptance, extendable by at most {x} days",
         "days": c, "basis": rules.BASIS["coordination"]},
        {"step": 5, "key": "arbitration", "name_zh": "劳动争议仲裁", "name_en": "Labour arbitration",
         "who_zh": "劳动争议仲裁委员会", "who_en": "The labour dispute arbitration commission",
         "limit_zh": f"知道或应当知道权利被侵害之日起{rules.ARBITRATION_YEARS}年内申请",
         "limit_en": f"apply within {rules.ARBITRATION_YEARS} year of knowing of the infringement",
         "days": 365 * rules.ARBITRATION_YEARS, "basis": rules.BASIS["arbitration"]},
        {"step": 6, "key": "court", "name_zh": "人民法院诉讼", "name_en": "Court action",
         "who_zh": "人民法院", "who_en": "The people's court",
         "limit_zh": f"收到仲裁裁决书之日起{rules.COURT_DAYS}日内起诉",
         "limit_en": f"sue within {rules.COURT_DAYS} days of receiving the award",
         "days": rules.COURT_DAYS, "basis": rules.BASIS["court"]},
    ]


def _party(data: Mapping[str, Any] | None, field: str, errors: dict) -> dict:
    data = data or {}
    name = _text(data.get("name"))
    if not name:
        errors[f"{field}.name"] = Msg("Fill in the name")
    return {"name": name, "name_en": _text(data.get("name_en")) or name,
            "chief": _text(data.get("chief")), "chief_en": _text(data.get("chief_en"))
            or _text(data.get("chief"))}


def build_agreement(package: Mapping[str, Any], *, worker: Mapping, employer: Mapping,
                    mediator: Mapping | None = None, scope: Mapping, term_years: int,
                    effective: dt.date, title_zh: str | None = None, title_en: str | None = None,
                    adjustment: Mapping | None = None, dispute: Mapping | None = None,
                    dispatch_rules: Mapping[str, list] | None = None,
                    effective_overrides: Mapping[str, Any] | None = None) -> dict:
    """A first draft of the agreement from the accepted package (a flat dict of terms).

    ``worker``/``employer``/``mediator``: ``{"name", "name_en", "chief", "chief_en"}``.
    ``scope``: ``{"region", "region_en", "sector" (delivery|ride_hailing|freight),
    "workers_covered", "workers_covered_en", "workers_count"}``. ``term_years`` 1–3
    (第三十八条). Raises ``ValidationError`` keyed by field for anything missing or wrong.
    """
    errors: dict[str, str] = {}
    if not isinstance(package, Mapping):
        raise ValidationError({"package": Msg("The package data is malformed")})
    parties = {"worker": _party(worker, "worker", errors),
               "employer": _party(employer, "employer", errors)}
    if mediator:
        parties["mediator"] = _party(mediator, "mediator", errors)
    region = _text(scope.get("region"))
    if not region:
        errors["scope.region"] = Msg("Fill in the region covered")
    sector = scope.get("sector") or "delivery"
    if sector not in SECTORS:
        errors["scope.sector"] = Msg("Invalid sector")
        sector = "delivery"
    count = scope.get("workers_count")
    try:
        count = int(count)
        if count <= 0:
            raise ValueError
    except (TypeError, ValueError):
        errors["scope.workers_count"] = Msg(
            "The number of workers covered must be a positive whole number")
        count = 0
    try:
        eff = _date(effective, "effective")
        expires = rules.term_end(eff, term_years)
    except ValidationError as e:
        errors.update({("term_years" if k == "years" else k): v for k, v in e.errors.items()})
        eff = expires = None
    try:
        standards = agreed_standards(package, eff or dt.date(2000, 1, 1), effective_overrides)
    except ValidationError as e:
        errors.update({f"package.{k}": v for k, v in e.errors.items()})
        standards = []
    adj = {**DEFAULT_ADJUSTMENT, **(adjustment or {})}
    dis = {**DEFAULT_DISPUTE, **(dispute or {})}
    for key, value in list(adj.items()) + list(dis.items()):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            errors[key] = Msg("Fill in a positive whole number")
    if not 1 <= adj.get("review_month", 1) <= 12:
        errors["review_month"] = Msg("The month must be between 1 and 12")
    errors.update({f"package.{k}": v for k, v in limits.cross_errors(
        {s["key"]: s["value"] for s in standards}).items()})
    if errors:
        raise ValidationError(errors)

    sector_zh, sector_en = SECTORS[sector]
    workers_covered = _text(scope.get("workers_covered")) or WORKERS_COVERED[sector]
    scope_out = {"region": region, "region_en": _text(scope.get("region_en")) or region,
                 "sector": sector, "workers_covered": workers_covered,
                 "workers_covered_en": _text(scope.get("workers_covered_en")) or workers_covered,
                 "workers_count": count}
    employer_en = parties["employer"]["name_en"]
    content = {
        "schema": SCHEMA,
        "title_zh": _text(title_zh) or f"{parties['employer']['name']}{region}{sector_zh}"
                                       "劳动者劳动报酬和劳动保障专项集体合同",
        "title_en": _text(title_en) or f"Collective Agreement on Pay and Working Conditions: "
                                       f"{employer_en}, {scope_out['region_en']}",
        "parties": parties, "scope": scope_out,
        "term": {"years": term_years, "effective": eff.isoformat(), "expires": expires.isoformat()},
        "standards": standards,
        "dispatch_rules": {
            "zh": list((dispatch_rules or {}).get("zh") or clauses.DEFAULT_DISPATCH_RULES_ZH),
            "en": list((dispatch_rules or {}).get("en") or clauses.DEFAULT_DISPATCH_RULES_EN)},
        "adjustment": adj, "dispute": dis, "dispute_steps": dispute_steps(dis),
        "deadlines": {"filing_days": rules.FILING_DAYS, "filing_copies": rules.FILING_COPIES,
                      "review_days": rules.REVIEW_DAYS, "publication_days": rules.PUBLICATION_DAYS},
    }
    content["articles"] = wording.build_articles(content)
    return content


# --- Editing (each returns a new dict) -----------------------------------------------------------
MAX_ARTICLE_CHARS = 8000


def edit_article(agreement: Mapping, key: str, *, text_zh: str | None = None,
                 text_en: str | None = None, title_zh: str | None = None,
                 title_en: str | None = None, reviewed: bool = False,
                 regenerate: bool = False) -> dict:
    """The agreement with one article's wording replaced (blank text is refused).

    A text changed in one language alone marks the other as needing review (``article
    ["review"]``), unless ``reviewed`` says both were checked; changing the language under
    review answers the review. ``regenerate`` puts back the text the agreement's data
    generates, in both languages.
    """
    new = copy.deepcopy(dict(agreement))
    for article in new["articles"]:
        if article["key"] == key:
            break
    else:
        raise ValidationError({"article": Msg("There is no such article")})
    if regenerate:
        values = wording.values_of(new)
        for lang in LANGS:
            article[f"text_{lang}"] = wording.generated(key, values, lang) \
                or article[f"text_{lang}"]
        article.pop("review", None)
        return new
    errors = {}
    changed = set()
    for field, value in (("text_zh", text_zh), ("text_en", text_en), ("title_zh", title_zh),
                         ("title_en", title_en)):
        if value is None:
            continue
        value = value.replace("\r\n", "\n").strip()
        if not value:
            errors[field] = Msg("The text cannot be empty")
        elif len(value) > MAX_ARTICLE_CHARS:
            errors[field] = Msg("At most %(n)s characters", n=MAX_ARTICLE_CHARS)
        else:
            if article[field] != value:
                changed.add(field[-2:])
            article[field] = value
    if errors:
        raise ValidationError(errors)
    pending = set(article.get("review") or ())
    pending = set() if reviewed else (
        pending | {_OTHER[lang] for lang in changed if lang not in pending}) - changed
    if pending:
        article["review"] = sorted(pending)
    else:
        article.pop("review", None)
    return new


_OTHER = {"zh": "en", "en": "zh"}


def set_standard(agreement: Mapping, key: str, value: Any) -> dict:
    """The agreement with one standard's value changed (validated as when building, and against
    the other standards), and every article still in its generated wording rewritten from the
    new value in both languages."""
    new = copy.deepcopy(dict(agreement))
    for standard in new["standards"]:
        if standard["key"] == key:
            break
    else:
        raise ValidationError({"standard": Msg("There is no such standard")})
    spec = clauses.STANDARD_BY_KEY[key]
    built = agreed_standards({key: value}, _date(standard["effective"], "effective"))
    if not built:
        raise ValidationError({key: Msg(
            "This value means no standard; delete the clause instead of filling it in")})
    standard.update(value=built[0]["value"], display=clauses.format_value(spec, built[0]["value"]))
    crossed = limits.cross_errors({s["key"]: s["value"] for s in new["standards"]})
    before = limits.cross_errors({s["key"]: s["value"] for s in agreement["standards"]})
    # Only what this change breaks: an old draft's own contradiction must not block every edit.
    if any(k not in before for k in crossed):
        message = crossed.get(key) or next(m for k, m in crossed.items() if k not in before)
        raise ValidationError({key: message})
    return wording.regenerate(agreement, new)


# --- Life cycle ---------------------------------------------------------------------------------
def ensure_editable(status: str) -> None:
    """Refuse any change to a frozen or signed agreement (``IllegalTransition`` → 409)."""
    if status == Status.FROZEN:
        raise IllegalTransition(Msg("The draft is frozen and cannot be changed while the workers "
                                    "vote on it"), state=status, event="edit")
    if status == Status.SIGNED:
        raise IllegalTransition(Msg("The agreement is signed and cannot be changed"), state=status,
                                event="edit")


def check_freeze(status: str, approved_sides: set[str]) -> None:
    """A draft may be frozen for the vote once both sides approved its latest version."""
    if status != Status.DRAFTING:
        raise IllegalTransition(Msg("Only an agreement being drafted can be frozen"), state=status,
                                event="freeze")
    missing = {"worker", "employer"} - set(approved_sides)
    if missing:
        message = (Msg("Neither side has approved the current version; it cannot be frozen")
                   if len(missing) == 2 else
                   Msg("The union side has not approved the current version; it cannot be frozen")
                   if "worker" in missing else
                   Msg("The employer side has not approved the current version; it cannot be "
                       "frozen"))
        raise IllegalTransition(message, state=status, event="freeze")


def check_sign(status: str) -> None:
    if status == Status.SIGNED:
        raise IllegalTransition(Msg("The agreement is already signed"), state=status, event="sign")
    if status != Status.FROZEN:
        raise IllegalTransition(Msg("The agreement must be frozen and approved by the workers' "
                                    "vote before it is signed"), state=status, event="sign")
