"""The README's test command passes pytest's own options through, as the README shows."""

from __future__ import annotations

import subprocess
import sys

from django.conf import settings


def test_dev_test_passes_pytest_options_through():
    result = subprocess.run(
        [sys.executable, "dev.py", "test", "tests/kernel/test_quarters.py", "-q", "-k", "parse_and_label", "-p",
         "no:cacheprovider"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout and "deselected" in result.stdout


def test_dev_run_refuses_unknown_options():
    result = subprocess.run([sys.executable, "dev.py", "run", "--no-such-option"], cwd=settings.BASE_DIR,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "unrecognized arguments" in result.stderr
