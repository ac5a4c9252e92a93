"""One family of domain errors (``app.errors``), answered by one handler per class."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import select

from app import errors
from app.auth.models import User
from app.negotiations.models import Negotiation
from app.scenarios.models import SavedScenario

APP = Path(__file__).resolve().parents[2] / "app"
FAMILY = {"DomainError", "ValidationError", "PermissionDenied", "NotFound", "Conflict",
          "IllegalTransition"}
# Errors of their own, with the reason they are not one of the family.
OWN = {
    "StandardNotFound": "the registry holds no standard for a place and date; every caller "
                        "handles it (a fallback or a message), it never reaches a page",
}


def test_the_family_is_defined_once_in_app_errors():
    defined = {}
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and (
                    node.name in FAMILY or node.name.endswith(("NotFound", "Conflict", "Denied",
                                                               "ValidationError"))):
                defined.setdefault(node.name, []).append(str(path.relative_to(APP)))
    stray = {name: where for name, where in defined.items()
             if name not in OWN and where != ["errors.py"]}
    assert not stray, stray
    assert {name for name, where in defined.items() if where == ["errors.py"]} == FAMILY


def test_the_kinds():
    assert issubclass(errors.IllegalTransition, errors.Conflict)
    # The simulator's callers catch bad input as a ValueError.
    assert issubclass(errors.ValidationError, ValueError)
    for name in FAMILY - {"DomainError"}:
        assert issubclass(getattr(errors, name), errors.DomainError)
    exc = errors.ValidationError("whole form")
    assert exc.errors == {"__all__": "whole form"}
    assert errors.ValidationError({"b": "2", "a": ("n=%(n)s", {"n": 1})}).prefixed("x.").errors \
        == {"x.b": "2", "x.a": ("n=%(n)s", {"n": 1})}
    assert str(errors.ValidationError({"b": "2", "a": ("n=%(n)s", {"n": 1})})) == "a: n=1; b: 2"


RAISED = {
    "invalid": errors.ValidationError({"title": "This text is too long.",
                                       "n": ("Calibration needs at least %(n)s responses.",
                                             {"n": 30})}),
    "denied": errors.PermissionDenied("scenario.view"),
    "missing": errors.NotFound(12),
    "stale": errors.Conflict(),
    "illegal": errors.IllegalTransition("审查期未满，不能提交"),
}


@pytest.fixture
def raising_app(app_factory, sqlite_url):
    application = app_factory(sqlite_url)

    @application.get("/raise/<kind>")
    def _raise(kind):
        raise RAISED[kind]
    return application


@pytest.mark.parametrize("kind, status, words", [
    ("invalid", 400, ["内容过长。", "校准至少需要 30 份答卷。"]),
    ("denied", 403, []),
    ("missing", 404, []),
    ("stale", 409, []),
    ("illegal", 409, ["审查期未满，不能提交"]),
])
def test_one_handler_per_class(raising_app, kind, status, words):
    client = raising_app.test_client()
    response = client.get(f"/raise/{kind}")
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert f"<h2>{status} · " in html
    for text in words:
        assert text in html
    assert "scenario.view" not in html and ">12<" not in html
    fragment = client.get(f"/raise/{kind}", headers={"HX-Request": "true"})
    assert fragment.status_code == status and "<html" not in fragment.get_data(as_text=True)


def test_a_draft_offer_into_a_negotiation_the_user_does_not_see_is_refused(client, auth,
                                                                            session):
    # The negotiation is looked up NotFound by the offer service; the scenario view answers
    # 403 as sharing into it does, not the 404 of a scenario that is not the user's.
    ride = session.scalar(select(User).where(User.username == "ride-platform"))
    other = session.scalars(select(Negotiation).where(
        Negotiation.worker_org_id != ride.organisation_id,
        Negotiation.employer_org_id != ride.organisation_id,
        Negotiation.mediator_org_id != ride.organisation_id)).first()
    auth.login("ride-platform")
    created = auth.post("/scenarios/new", {"name": "r", "sector": "ride_hailing",
                                           "n_workers": "100"})
    sid = int(created.headers["Location"].split("/")[-1])
    response = auth.post(f"/scenarios/{sid}/offer-draft", {"negotiation_id": str(other.id)})
    assert response.status_code == 403
    assert session.get(SavedScenario, sid) is not None
