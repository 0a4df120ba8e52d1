"""Dates as people type them in a form or a spreadsheet cell: ISO (JJJJ-MM-DD), Dutch
(DD-MM-JJJJ, also with / or .) or an Excel date; and a cell's value as text."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

DATE_DMY = re.compile(r"([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})")
DATE_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def cell_text(value: Any) -> str:
    """A cell's value as trimmed text; a whole number read as float loses its ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if DATE_ISO.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    m = DATE_DMY.fullmatch(text)
    if m:
        try:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    return None
