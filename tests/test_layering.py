"""The layering lint (tests/layering.py) holds for app/, and fails on each kind of violation."""
import subprocess
import sys
from pathlib import Path

import pytest

from tests.layering import check

APP = Path(__file__).resolve().parent.parent / "app"


def test_app_follows_the_layers():
    assert check(APP) == []


def _tree(tmp_path, files: dict[str, str]) -> Path:
    root = tmp_path / "app"
    for name, source in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(root).parents:
            (root / parent / "__init__.py").touch()
        path.write_text(source)
    return root


@pytest.mark.parametrize("files, expected", [
    ({"negotiations/service.py": "from app.web import nav\n"},
     "app.negotiations (layer 4) may not import app.web (layer 11)"),
    ({"negotiations/service.py": "def f():\n    from app.reports import pdf\n"},
     "app.negotiations (layer 4) may not import app.reports (layer 9)"),
    ({"models.py": "from app import demo\n", "demo.py": ""},
     "app.models (layer 8) may not import app.demo (layer 10)"),
    ({"ledger/service.py": "from app.scenarios import service\n", "scenarios/service.py": ""},
     "app.ledger (layer 6) may not import app.scenarios (layer 6)"),
    ({"agreements/service.py": "import flask\n"}, "only app.web may import flask"),
    ({"auth/x.py": "from flask_login import current_user\n"}, "only app.web may import flask"),
    ({"scenarios/x.py": "import matplotlib\n"}, "only app.reports may import matplotlib"),
    ({"simulator/x.py": "import sqlalchemy\n"}, "the simulator imports only stdlib, numpy, scipy"),
    ({"negotiations/x.py": "try:\n    from app.simulator import presets\n"
                           "except ImportError:\n    presets = None\n"},
     "no `except ImportError` around the project's own code"),
    ({"ledger/x.py": "from app.ledger.service import _enterprise\n"},
     "_enterprise is private to app.ledger.service"),
    ({"web/x.py": "def f():\n    from app.negotiations import models\n"},
     "inside a function (not in ALLOWED_IN_FUNCTIONS)"),
])
def test_the_lint_fails_on(tmp_path, files, expected):
    problems = check(_tree(tmp_path, files))
    assert any(expected in p for p in problems), problems


def test_downward_imports_pass(tmp_path):
    root = _tree(tmp_path, {
        "web/x.py": "import flask\nfrom app.negotiations import service\n",
        "negotiations/service.py": "from app import db\nfrom app.simulator import presets\n",
        "simulator/presets.py": "import numpy\nimport json\n", "db.py": "import sqlalchemy\n"})
    assert check(root) == []


@pytest.mark.parametrize("package", ["app.simulator", "app.negotiations.service",
                                     "app.negotiations.steps", "app.agreements.service",
                                     "app.auth.service", "app.standards",
                                     "app.standards.importer", "app.ledger.adjustments",
                                     "app.scenarios.service", "app.auth.permissions",
                                     "app.surveys.service", "app.surveys.calibration",
                                     "app.surveys.export", "app.models", "app.rules",
                                     "app.demo"])
def test_domain_package_loads_no_flask(package):
    code = (f"import sys, {package}; "
            "bad = sorted(m for m in sys.modules "
            "if m == 'flask' or m.startswith(('flask.', 'flask_'))); "
            "print(','.join(bad)); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"{package} imports {result.stdout.strip()} {result.stderr}"


def test_a_features_tables_load_without_the_other_features():
    code = ("import sys, app.scenarios.models; "
            "print(sorted(m for m in sys.modules if m.startswith('app')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    loaded = result.stdout
    assert result.returncode == 0, result.stderr
    for other in ("app.demo", "app.ledger", "app.surveys", "app.agreements", "app.reports"):
        assert f"'{other}" not in loaded, loaded
