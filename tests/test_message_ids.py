"""Every domain message is a message id (issue 14): no Han characters in a string put into
``errors[...]``, raised with an error (``raise XError("…")``, ``ValidationError({"k": "…"})``)
or returned as ``return None, f"…"`` anywhere in ``app/``. The Chinese lives in the catalogue."""
from __future__ import annotations

import ast
import re
from pathlib import Path

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
APP = Path(__file__).resolve().parent.parent / "app"


def _sentence(node) -> bool:
    """A literal (plain, f-string, concatenated or conditional) holding Han characters."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(HAN.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_sentence(part) for part in node.values)
    if isinstance(node, ast.BinOp):
        return _sentence(node.left) or _sentence(node.right)
    if isinstance(node, ast.IfExp):
        return _sentence(node.body) or _sentence(node.orelse)
    return False


def chinese_messages(source: str) -> list[int]:
    """The lines of ``source`` that write a message as a Chinese sentence."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name)
                and t.value.id.endswith("errors") for t in node.targets):
            values = [node.value]
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            values = [v for a in node.exc.args for v in (a.values if isinstance(a, ast.Dict)
                                                         else [a])]
        elif isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple) \
                and len(node.value.elts) == 2:
            values = [node.value.elts[1]]
        else:
            continue
        found += [node.lineno] if any(_sentence(v) for v in values) else []
    return found


def test_no_domain_message_is_a_chinese_sentence():
    offenders = [f"{path.relative_to(APP.parent)}:{line}" for path in sorted(APP.rglob("*.py"))
                 for line in chinese_messages(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_lint_catches_each_kind():
    bad = ('errors["x"] = "必须是数字"\n'
           'errors["y"] = f"{label}必须是整数" + "。"\n'
           'raise IllegalTransition(f"当前状态为“{s}”")\n'
           'raise ValidationError({"z": "请选择"})\n'
           'def f():\n    return None, f"{label}必须是数字"\n')
    assert chinese_messages(bad) == [1, 2, 3, 4, 6]
    good = ('errors["x"] = Msg("%(label)s must be a number", label=label)\n'
            'raise IllegalTransition(Msg("Unknown state: %(state)s", state=s))\n'
            'def f():\n    return None, Msg("Fill in %(label)s", label=Msg("the name"))\n'
            'names = "、".join(names)\n')
    assert chinese_messages(good) == []
