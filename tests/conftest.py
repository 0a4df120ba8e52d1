"""Shared fixtures: the municipality register built from the project's own data files."""

from __future__ import annotations

import pytest

from wpb import refdata
from wpb.law.gemeenten import GemeenteRegister


@pytest.fixture(scope="session")
def register() -> GemeenteRegister:
    return refdata.gemeente_register()
