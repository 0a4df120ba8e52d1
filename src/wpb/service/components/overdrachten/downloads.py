"""Upload aids and exports of the transfers: the upload template (CSV and XLSX), the rejected
rows of a checked file as CSV, the names beside codes in XLSX exports, and the masking of a
BSN where a rejected value is shown.

The template names every column of the upload format (:data:`upload_file.ALL_COLUMNS`,
docs/overgang.md and docs/service.md) in the order the upload expects; the XLSX template
formats the code columns as text (leading zeros stay), the date columns as dates, offers
the allowed values of ``pgb`` and ``wet`` as a list, and explains each column on a second
sheet. It holds no example row, so nothing fictitious can be delivered by mistake.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

from wpb.law.gemeenten import GemeenteRegister
from wpb.service.components.overdrachten.models import WETTEN
from wpb.service.components.overdrachten.upload_file import ALL_COLUMNS, REQUIRED_COLUMNS
from wpb.service.exports import CSV_MEDIA_TYPE, DATE_FORMAT, XLSX_MEDIA_TYPE, to_csv, to_xlsx

# What each column holds, as on the upload page (and the template's explanation sheet).
COLUMN_HELP = {
    "bsn": "Burgerservicenummer, 9 cijfers (elfproef)",
    "geboortedatum": "JJJJ-MM-DD of DD-MM-JJJJ",
    "ontvangende_gemeente": "Gemeentecode (CBS) van 4 cijfers",
    "aanbieder_agb": "AGB-code van de aanbieder, 8 cijfers",
    "product": "Product van de huidige toewijzing (hoogstens 100 tekens)",
    "toewijzing_einddatum": "Einddatum van de huidige toewijzing; leeg als de toewijzing doorloopt",
    "pgb": "ja of nee; leeg: nee",
    "wet": "jeugdwet (leeg) of wmo-bw voor beschermd wonen",
    "vanaf": "De dag vanaf wanneer de ontvangende gemeente volgens de wet verantwoordelijk is; "
             "leeg: migratiegroep 2021/22 (1-novembermaatregel)",
}
TEXT_COLUMNS = ("bsn", "ontvangende_gemeente", "aanbieder_agb", "product")
DATE_COLUMNS = ("geboortedatum", "toewijzing_einddatum", "vanaf")
TEMPLATE_ROWS = 1000  # rows formatted and validated in the XLSX template
REJECTED_EXTRA = ("regel", "reden")


def mask_bsn(value: Any) -> str:
    """A BSN as shown beside a rejection: only its last three digits (``******019``)."""
    text = "" if value is None else str(value).strip()
    return "*" * max(0, len(text) - 3) + text[-3:] if len(text) > 3 else "*" * len(text)


def template_csv() -> bytes:
    """The header of the upload format, ``;``-separated with a BOM (what Excel opens)."""
    return to_csv(ALL_COLUMNS, [])


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "aanlevering"
    sheet.append(list(ALL_COLUMNS))
    sheet.freeze_panes = "A2"
    last = TEMPLATE_ROWS + 1
    for index, column in enumerate(ALL_COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, len(column) + 4)
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True)
        number_format = "@" if column in TEXT_COLUMNS else DATE_FORMAT if column in DATE_COLUMNS else None
        if number_format:
            for row in range(2, last + 1):
                sheet.cell(row=row, column=index).number_format = number_format
    for column, allowed in (("pgb", ("ja", "nee")), ("wet", WETTEN)):
        letter = get_column_letter(ALL_COLUMNS.index(column) + 1)
        check = DataValidation(type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=True)
        check.error = f"Kies {' of '.join(allowed)} (of laat leeg)."
        check.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(check)
    explanation = workbook.create_sheet("toelichting")
    explanation.append(["kolom", "verplicht", "inhoud"])
    for column in ALL_COLUMNS:
        explanation.append([column, "ja" if column in REQUIRED_COLUMNS else "nee", COLUMN_HELP[column]])
    explanation.column_dimensions["A"].width = 24
    explanation.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rejected_csv(columns: Sequence[str], rows: Sequence[tuple[int, dict, str]]) -> bytes:
    """The rejected rows as they were in the file (so they can be corrected and delivered
    again; ``regel`` and ``reden`` are ignored by the upload), one row per rejected line."""
    header = [*REJECTED_EXTRA, *columns]
    return to_csv(header, [
        {"regel": line, "reden": reason, **{c: _as_typed(values.get(c)) for c in columns}}
        for line, values, reason in rows
    ])


def _as_typed(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


GEMEENTE_COLUMNS = ("latende_gemeente", "ontvangende_gemeente", "gemeente")


def gemeente_names(register: GemeenteRegister) -> dict[str, Callable[[Any], str]]:
    """For :func:`wpb.service.exports.to_xlsx`: the name beside each gemeente code column
    (those of :data:`GEMEENTE_COLUMNS` a sheet has)."""

    def name(code: Any) -> str:
        return register.naam(code) if code in register else ""

    return dict.fromkeys(GEMEENTE_COLUMNS, name)


def list_file(columns: Sequence[str], rows: list[dict], formaat: str,
              register: GemeenteRegister) -> tuple[bytes, str]:
    """(content, media type) of a list's download as ``csv`` or ``xlsx`` (names beside the
    gemeente codes)."""
    if formaat == "csv":
        return to_csv(columns, rows), CSV_MEDIA_TYPE + "; charset=utf-8"
    return to_xlsx(columns, rows, names=gemeente_names(register)), XLSX_MEDIA_TYPE


__all__ = [
    "COLUMN_HELP", "gemeente_names", "list_file", "mask_bsn", "rejected_csv", "template_csv", "template_xlsx",
]
