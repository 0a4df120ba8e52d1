"""Bytes of a caseload export (CSV or XLSX) to rows: the one place that decodes the file.

Kept small so that a shared CSV/XLSX reader can replace it. It follows the conventions of
the transfer upload: UTF-8 (with or without BOM), else Windows-1252 as Excel with Dutch
settings writes it; the delimiter (``;``, ``,`` or tab) is the one the header uses most; XLSX
through :mod:`wpb.spreadsheet`, bounded in unpacked size and rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from wpb import spreadsheet

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
    if len(data) > max_bytes:
        raise BestandFout(f"{naam}: groter dan {max_bytes} bytes")
    if data.startswith(spreadsheet.XLSX_MAGIC):
        return _xlsx(data, naam, max_rows)
    if naam.lower().endswith((".xlsx", ".xlsm")):
        raise BestandFout(f"{naam}: de naam zegt XLSX, maar het is geen XLSX-werkmap")
    return _csv(data, naam, max_rows)


def _blank(values: list[Any] | tuple) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _csv(data: bytes, naam: str, max_rows: int) -> Iterator[tuple[int, list[Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    seen = 0
    try:
        for values in reader:
            if _blank(values):
                continue
            seen += 1
            if seen > max_rows + 1:  # + the header
                raise BestandFout(f"{naam}: meer dan {max_rows} regels")
            yield reader.line_num, values
    except csv.Error as exc:
        raise BestandFout(f"{naam}, regel {reader.line_num}: ongeldige CSV ({exc})") from None


def _xlsx(data: bytes, naam: str, max_rows: int) -> Iterator[tuple[int, list[Any]]]:
    try:
        sheet = spreadsheet.first_sheet_rows(
            data,
            max_unpacked=spreadsheet.max_unpacked(None, max_rows),
            max_rows=max_rows + 1,
        )
        for line, values in sheet:
            if not _blank(values):
                yield line, list(values)
    except (spreadsheet.WerkmapTeGroot, spreadsheet.WerkmapOnleesbaar) as exc:
        raise BestandFout(f"{naam}: {exc.reden}") from None
