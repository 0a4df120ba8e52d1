"""Downloads of transfer lines as CSV or XLSX (one row per youth per provider/product).

The CSV uses ``;`` and a UTF-8 byte order mark, which is what Excel with Dutch settings
opens without a wizard; the upload reads it back as it is. Text that a spreadsheet would
run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) is
prefixed with ``'`` so a downloaded file cannot carry a formula injection. The XLSX has
real date cells, names beside codes, an autofilter and a frozen header (:func:`to_xlsx`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "d-m-yyyy"  # how a Dutch reader writes a date; the cell holds a real date


def _cell(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(columns: Sequence[str], rows: Sequence[dict]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[c]) for c in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(
    columns: Sequence[str],
    rows: Sequence[dict],
    *,
    sheet: str = "overdrachten",
    names: Mapping[str, Callable[[Any], str]] | None = None,
) -> bytes:
    """The rows as a worksheet a person filters right away: dates as real date cells
    (``d-m-jjjj``), codes as text (their leading zeros stay), a name column beside each
    code column in ``names`` (``latende_gemeente`` → ``latende_gemeente_naam``), an
    autofilter over the header and the header frozen."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    names = names or {}
    header = [h for c in columns for h in ((c, f"{c}_naam") if c in names else (c,))]
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    worksheet.freeze_panes = "A2"
    worksheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    for index, name in enumerate(header, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = max(12, len(name) + 4)
    bold = Font(bold=True)
    titles = []
    for name in header:
        cell = WriteOnlyCell(worksheet, value=name)
        cell.font = bold
        titles.append(cell)
    worksheet.append(titles)
    for row in rows:
        cells: list[object] = []
        for c in columns:
            value = row[c]
            if isinstance(value, date):
                cell = WriteOnlyCell(worksheet, value=value)
                cell.number_format = DATE_FORMAT
                cells.append(cell)
            else:
                cells.append(value if isinstance(value, int) else _cell(value))
            if c in names:
                cells.append(names[c](value) if value not in (None, "") else "")
        worksheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
