"""Bytes of a caseload export (CSV or XLSX) to rows, through the one table reader.

:mod:`wpb.tabular` decodes the file (its policy: UTF-8 with or without BOM, UTF-16 with BOM,
Windows-1252; tab, ``;`` or ``,``; XLSX bounded in unpacked size). A caseload has its own
bounds: a large city's caseload is about 100,000 toewijzingen, far more than a transfer upload.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from wpb import tabular

MAX_ROWS = 100_000  # a large city's caseload; its own limit, not the transfer upload's
MAX_BYTES = 64 * 1024 * 1024


class BestandFout(ValueError):
    """The file as a whole cannot be read; ``reden`` says why (in Dutch)."""

    def __init__(self, reden: str):
        self.reden = reden
        super().__init__(reden)


def rows(data: bytes, naam: str, *, max_rows: int = MAX_ROWS,
         max_bytes: int = MAX_BYTES) -> Iterator[tuple[int, list[Any]]]:
    """(line number, values) of every non-blank row, the header first."""
    try:
        read = tabular.read_rows(data, naam, max_bytes=max_bytes, max_rows=max_rows)
    except tabular.TabelFout as exc:
        raise BestandFout(f"{naam}: {exc}") from None
    return iter([(line, list(cells)) for line, cells in read.rijen if not tabular.blank(cells)])
