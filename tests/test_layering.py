"""The domain layers never load Flask."""
import subprocess
import sys

import pytest


@pytest.mark.parametrize("package", ["app.simulator", "app.negotiations", "app.auth.service",
                                     "app.standards", "app.standards.importer",
                                     "app.ledger.adjustments",
                                     "app.auth.permissions", "app.surveys.service",
                                     "app.surveys.calibration", "app.surveys.export",
                                     "app.notifications.agenda", "app.notifications.settings",
                                     "app.notifications.sender", "app.jobs.queue"])
def test_domain_package_loads_no_flask(package):
    code = (f"import sys, {package}; "
            "bad = sorted(m for m in sys.modules if m == 'flask' or m.startswith(('flask.', 'flask_'))); "
            "print(','.join(bad)); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"{package} imports {result.stdout.strip()} {result.stderr}"
