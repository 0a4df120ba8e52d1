"""Whether the tests run in CI, where nothing that CI can provide may be skipped.

CI sets ``CI=true`` and provides PostgreSQL, Debian's chromium and ``../shared``. A test that
skips there because one of them is missing would hide a broken set-up, so under CI a skip is
reported as a failure (tests/conftest.py) and the slow reliability tests run too.
"""

from __future__ import annotations

import os


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
