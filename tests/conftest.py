"""Shared fixtures: the municipality register built from the project's own data files."""

from __future__ import annotations

import pytest

from ci_mode import in_ci
from wpb import refdata
from wpb.law.gemeenten import GemeenteRegister


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Under CI a skipped test fails, naming why it skipped (an expected failure stays one)."""
    outcome = yield
    report = outcome.get_result()
    if not (report.skipped and in_ci()) or hasattr(report, "wasxfail"):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = (
        f"{item.nodeid} skipped in CI: {reason}. CI provides PostgreSQL, chromium and ../shared, "
        "so nothing may be skipped there (tests/ci_mode.py)."
    )


@pytest.fixture(scope="session")
def register() -> GemeenteRegister:
    return refdata.gemeente_register()
