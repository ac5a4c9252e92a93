"""Versions of an agreement compared and identified: the canonical JSON and its SHA-256
fingerprint (printed in every footer), the machine-readable standards embedded in the archived
PDF, and the redline between two versions. Pure Python.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Mapping


# --- Identity ----------------------------------------------------------------------------------
def canonical_json(agreement: Mapping) -> str:
    """The agreement as canonical JSON (sorted keys, no spaces, UTF-8 characters kept)."""
    return json.dumps(agreement, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def fingerprint(agreement: Mapping) -> str:
    """SHA-256 (hex) of the canonical JSON: the document's identity, printed in every footer."""
    return hashlib.sha256(canonical_json(agreement).encode("utf-8")).hexdigest()


def short_fingerprint(agreement: Mapping) -> str:
    digest = fingerprint(agreement)[:16].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 16, 4))


def standards_document(agreement: Mapping) -> dict:
    """The machine-readable agreed standards embedded in the archived PDF as ``standards.json``."""
    return {
        "schema": "xieshang.agreed-standards/1",
        "title": agreement["title_zh"],
        "agreement_sha256": fingerprint(agreement),
        "parties": {k: v["name"] for k, v in agreement["parties"].items()},
        "scope": agreement["scope"], "term": agreement["term"],
        "standards": [{"key": s["key"], "value": s["value"], "unit": s["unit_zh"],
                       "effective": s["effective"], "measured": s["measured_zh"]}
                      for s in agreement["standards"]],
        "adjustment": agreement["adjustment"],
        "dispute_steps": [{"step": s["step"], "key": s["key"], "days": s["days"],
                           "limit": s["limit_zh"]} for s in agreement["dispute_steps"]],
    }


def standards_json_bytes(agreement: Mapping) -> bytes:
    return json.dumps(standards_document(agreement), sort_keys=True, ensure_ascii=False,
                      indent=2).encode("utf-8")


# --- Redline -----------------------------------------------------------------------------------
_TOKEN = re.compile(r"[A-Za-z0-9.%]+|\s+|.", re.S)


def diff_text(old: str, new: str) -> list[tuple[str, str]]:
    """Word-and-character level diff: ``[(op, text)]`` with op ``equal``/``insert``/``delete``.

    Chinese is compared character by character, Latin words and numbers as whole tokens so a
    changed figure shows as one replacement.
    """
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("equal", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                out.append(("delete", "".join(a[i1:i2])))
            if j2 > j1:
                out.append(("insert", "".join(b[j1:j2])))
    return out


def redline(old: Mapping, new: Mapping) -> dict:
    """What changed between two versions: articles (text diffs), standards (values), term/title."""
    old_articles = {a["key"]: a for a in old["articles"]}
    new_articles = {a["key"]: a for a in new["articles"]}
    articles = []
    order = [a["key"] for a in new["articles"]] + [k for k in old_articles if k not in new_articles]
    for key in order:
        a, b = old_articles.get(key), new_articles.get(key)
        status = "added" if a is None else "removed" if b is None else (
            "same" if a == b else "changed")
        a = a or {"title_zh": "", "title_en": "", "text_zh": "", "text_en": ""}
        b = b or {"title_zh": "", "title_en": "", "text_zh": "", "text_en": ""}
        articles.append({"key": key, "status": status,
                         "title_zh": b["title_zh"] or a["title_zh"],
                         "title_en": b["title_en"] or a["title_en"],
                         "zh": diff_text(a["text_zh"], b["text_zh"]),
                         "en": diff_text(a["text_en"], b["text_en"])})
    old_std = {s["key"]: s for s in old["standards"]}
    new_std = {s["key"]: s for s in new["standards"]}
    values = []
    for key in list(new_std) + [k for k in old_std if k not in new_std]:
        a, b = old_std.get(key), new_std.get(key)
        if a and b and a["value"] == b["value"] and a["effective"] == b["effective"]:
            continue
        ref = b or a
        values.append({"key": key, "label_zh": ref["label_zh"], "label_en": ref["label_en"],
                       "unit_zh": ref["unit_zh"], "unit_en": ref["unit_en"],
                       "old": a["display"] if a else None, "new": b["display"] if b else None,
                       "old_effective": a["effective"] if a else None,
                       "new_effective": b["effective"] if b else None})
    fields = []
    for label, path in (("title_zh", ("title_zh",)), ("title_en", ("title_en",)),
                        ("term.years", ("term", "years")),
                        ("term.effective", ("term", "effective")),
                        ("scope.workers_count", ("scope", "workers_count"))):
        x, y = old, new
        for p in path:
            x, y = x.get(p), y.get(p)
        if x != y:
            fields.append({"field": label, "old": x, "new": y})
    changed = sum(1 for a in articles if a["status"] != "same")
    return {"articles": articles, "values": values, "fields": fields,
            "changed": changed + len(values) + len(fields)}
