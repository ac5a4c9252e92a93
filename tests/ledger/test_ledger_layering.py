"""The ledger's domain modules load no Flask (they are used by the CLI, tests and services)."""
import subprocess
import sys

import pytest

MODULES = ["app.ledger.scoring", "app.ledger.items", "app.ledger.layoff", "app.ledger.importer",
           "app.ledger.evidence",
           "app.ledger.models", "app.ledger.service", "app.ledger.screening",
           "app.ledger.report", "app.reports.report_pdf"]


@pytest.mark.parametrize("module", MODULES)
def test_loads_no_flask(module):
    code = (f"import sys, {module}; "
            "bad = sorted(m for m in sys.modules "
            "if m == 'flask' or m.startswith(('flask.', 'flask_'))); "
            "print(','.join(bad)); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"{module} imports {result.stdout.strip()} {result.stderr}"
