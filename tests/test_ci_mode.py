"""Under CI=true a skipped test fails (CI provides PostgreSQL, chromium and ../shared)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

PROBE = '''
import pytest

def test_needs_reference_material():
    pytest.skip("../shared ontbreekt")

@pytest.mark.xfail(strict=True, reason="an expected failure stays one")
def test_expected_failure():
    assert False
'''


def _run(tmp_path: Path, ci: str | None) -> str:
    for name in ("conftest.py", "ci_mode.py"):
        shutil.copy(HERE / name, tmp_path / name)
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    return done.stdout


def test_a_skip_fails_in_ci(tmp_path):
    out = _run(tmp_path, "true")
    assert "1 failed, 1 xfailed" in out
    assert "skipped in CI: Skipped: ../shared ontbreekt" in out


def test_a_skip_stays_a_skip_outside_ci(tmp_path):
    assert "1 skipped, 1 xfailed" in _run(tmp_path, None)
    assert "1 skipped, 1 xfailed" in _run(tmp_path, "false")
