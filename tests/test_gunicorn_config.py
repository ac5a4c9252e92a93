"""The project's gunicorn settings: read from the project folder (where the systemd unit of
docs/operations.md and bench/load.py start gunicorn); each worker freezes what it loaded out of
the cyclic garbage collector's generations once the app is loaded."""
from __future__ import annotations

import subprocess
import sys

from app.config import PROJECT_ROOT


def test_gunicorn_reads_the_projects_settings_from_the_project_folder():
    out = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--print-config", "app.web:create_app()"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=True).stdout
    settings = {k.strip(): v.strip() for k, v in (line.split("=", 1) for line in out.splitlines()
                                                  if "=" in line)}
    assert settings["config"] == "./gunicorn.conf.py"
    assert settings["post_worker_init"] == "<post_worker_init()>"


def test_a_worker_freezes_the_loaded_app_out_of_the_collector():
    code = ("import gc, runpy; from app.web import create_app; app = create_app(); "
            "assert gc.get_freeze_count() == 0; "
            "runpy.run_path('gunicorn.conf.py')['post_worker_init'](None); "
            "print(gc.get_freeze_count(), len(gc.get_objects()))")
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True,
                         text=True, timeout=120, check=True, env={
                             "PATH": "/usr/bin:/bin", "SECRET_KEY": "test-only-key",
                             "DATABASE_URL": "sqlite://"}).stdout.split()
    frozen, tracked = int(out[0]), int(out[1])
    assert frozen > 100_000 and tracked < frozen / 100
