"""One rule for committing: every service is one unit of work (``app.db.atomic``); a view that
combines services opens one ``transaction``. Nothing else in ``app/`` calls ``commit()``."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db import transaction
from app.scenarios import service as sservice
from app.scenarios.models import SavedScenario
from tests.negotiations.helpers import NOW, user

APP = Path(__file__).resolve().parent.parent / "app"

# Where a commit is written out, and why.
COMMITS_ALLOWED = {
    ("db.py", "transaction"): "the unit of work itself",
    ("auth/service.py", "authenticate"): "the attempt is committed before the password check, "
                                         "so simultaneous attempts count each other",
    ("notifications/sender.py", "run_pass"): "each message sent is its own unit: a lost server "
                                             "must not undo the ones already sent",
}


def commits(root: Path) -> set[tuple[str, str]]:
    """(module path, enclosing function) of every ``….commit()`` call under ``root``."""
    found = set()
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for fn in ast.walk(tree):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for node in ast.walk(fn):
                    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                            and node.func.attr == "commit"):
                        found.add((path.relative_to(root).as_posix(), fn.name))
    return found


def test_only_the_unit_of_work_commits():
    assert commits(APP) <= set(COMMITS_ALLOWED)


def test_the_lint_sees_a_commit_in_a_service(tmp_path):
    (tmp_path / "service.py").write_text("def save(session):\n    session.commit()\n")
    assert commits(tmp_path) == {("service.py", "save")}


def _count(app) -> int:
    with app.extensions["xieshang.sessions"]() as other:
        return other.scalar(select(func.count()).select_from(SavedScenario))


def test_services_inside_one_transaction_write_all_or_nothing(app, session):
    union = user(session, "union")
    record = session.scalars(select(SavedScenario)
                             .where(SavedScenario.organisation_id == union.organisation_id)
                             .order_by(SavedScenario.id)).first()
    before = _count(app)

    with pytest.raises(RuntimeError):
        with transaction(session):
            copy = sservice.copy_scenario(session, union, record, name="一", now=NOW)
            sservice.update_scenario(session, union, copy, values={"pay.hourly_floor": 24},
                                     now=NOW)
            assert _count(app) == before  # the inner services did not commit
            raise RuntimeError("refused after two services")
    assert _count(app) == before

    with transaction(session):
        copy = sservice.copy_scenario(session, union, record, name="二", now=NOW)
        sservice.update_scenario(session, union, copy, values={"pay.hourly_floor": 24}, now=NOW)
    assert _count(app) == before + 1
    assert session.info.get("xieshang_unit_depth") == 0


def test_a_service_alone_commits_its_change(app, session):
    union = user(session, "union")
    record = session.scalars(select(SavedScenario)
                             .where(SavedScenario.organisation_id == union.organisation_id)
                             .order_by(SavedScenario.id)).first()
    before = _count(app)
    sservice.copy_scenario(session, union, record, name="三", now=NOW)
    assert _count(app) == before + 1
