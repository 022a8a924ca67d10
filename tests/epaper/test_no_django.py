"""The engine is plain Python: it imports and runs without Django settings (a worker process,
a script, the benchmark), so the ORM layer can come later without changing it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import epaper.hits, epaper.regions, epaper.render
from epaper.pdf import UnsafePdf, validate_pdf
try:
    validate_pdf(b"not a pdf")
except UnsafePdf as error:
    print(error.code, str(error))
"""


def test_the_engine_runs_without_django_settings():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "not_pdf This file is not a PDF."
