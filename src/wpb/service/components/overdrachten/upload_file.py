"""Reading an uploaded CSV or XLSX file of youths into a header and rows, within the size and
row limits; the columns and their accepted spellings.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from wpb import tabular
from wpb.service.components.overdrachten.models import (
    WET_JEUGDWET,
)
from wpb.service.context import Limits
from wpb.service.errors import InvalidRequest, PayloadTooLarge

COLUMNS = (
    "bsn",
    "geboortedatum",
    "ontvangende_gemeente",
    "aanbieder_agb",
    "product",
    "toewijzing_einddatum",
    "pgb",
)
# Columns a file may leave out; the value when it does (or when a cell is empty).
OPTIONAL_COLUMNS = {"wet": WET_JEUGDWET}
ALL_COLUMNS = (*COLUMNS, *OPTIONAL_COLUMNS)

ALIASES = {
    "burgerservicenummer": "bsn",
    "geboortedatumjeugdige": "geboortedatum",
    "ontvangendegemeente": "ontvangende_gemeente",
    "ontvangendegemeentecode": "ontvangende_gemeente",
    "gemeentecodeontvangend": "ontvangende_gemeente",
    "aanbiederagb": "aanbieder_agb",
    "agbcode": "aanbieder_agb",
    "agbcodeaanbieder": "aanbieder_agb",
    "aanbieder": "aanbieder_agb",
    "product": "product",
    "productcode": "product",
    "toewijzingeinddatum": "toewijzing_einddatum",
    "einddatumtoewijzing": "toewijzing_einddatum",
    "einddatum": "toewijzing_einddatum",
    "pgb": "pgb",
    "wet": "wet",
    **{c.replace("_", ""): c for c in COLUMNS},
}

YES = {"ja", "j", "yes", "y", "true", "1"}
NO = {"nee", "n", "no", "false", "0"}
MAX_PRODUCT_LENGTH = 100




# --- reading the file ----------------------------------------------------------------------


@dataclass
class _Table:
    header: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)  # (line, values)


def normalise_header(name: Any) -> str:
    text = "" if name is None else str(name)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", text.lower())


def is_blank(values: Iterable[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _too_many_rows(limits: Limits) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"Het bestand heeft meer dan {limits.max_rows} regels; splits het in kleinere bestanden."
    )


def _read_csv(content: bytes, limits: Limits) -> _Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel in Dutch settings saves CSV as Windows-1252.
        text = content.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None or is_blank(header):
            raise InvalidRequest("Het bestand is leeg.", [("bestand", "geen kopregel gevonden")])
        table = _Table(header=header)
        for values in reader:
            if is_blank(values):
                continue
            if len(table.rows) >= limits.max_rows:
                raise _too_many_rows(limits)
            table.rows.append((reader.line_num, values))
    except csv.Error as exc:
        raise InvalidRequest(
            "Het CSV-bestand kan niet gelezen worden.",
            [(f"regel {reader.line_num}", f"ongeldige CSV: {exc}")],
        ) from None
    return table


def _read_xlsx(content: bytes, limits: Limits) -> _Table:
    try:
        # +1: the header row is counted by the reader, not by the limit.
        rows = tabular.first_sheet_rows(
            content,
            max_unpacked=tabular.max_unpacked(limits.max_bytes, limits.max_rows),
            max_rows=limits.max_rows + 1,
        )
        header: list[Any] | None = None
        table = None
        for line, values in rows:
            if is_blank(values):
                continue
            if header is None:
                header = ["" if v is None else str(v) for v in values]
                table = _Table(header=header)
                continue
            table.rows.append((line, list(values)))
    except tabular.WerkmapTeGroot as exc:
        if exc.reden.startswith("meer dan"):
            raise _too_many_rows(limits) from None
        raise PayloadTooLarge(f"Het XLSX-bestand is uitgepakt te groot ({exc.reden}).") from None
    except tabular.WerkmapOnleesbaar as exc:
        if exc.reden == "geen werkblad":
            raise InvalidRequest("De werkmap heeft geen werkblad.", [("bestand", "geen werkblad")]) from None
        raise InvalidRequest("Het bestand is geen geldig XLSX-bestand.", [("bestand", exc.reden)]) from None
    if table is None:
        raise InvalidRequest("Het werkblad is leeg.", [("bestand", "geen kopregel gevonden")])
    return table


def read_table(content: bytes, bestandsnaam: str, limits: Limits) -> _Table:
    if len(content) > limits.max_bytes:
        raise PayloadTooLarge(
            f"Het bestand is groter dan {limits.max_bytes} bytes; splits het in kleinere bestanden."
        )
    if not content.strip():
        raise InvalidRequest("Het bestand is leeg.", [("bestand", "geen inhoud")])
    is_xlsx = content.startswith(tabular.XLSX_MAGIC)
    if bestandsnaam.lower().endswith((".xlsx", ".xlsm")) and not is_xlsx:
        raise InvalidRequest(
            "Het bestand is geen geldig XLSX-bestand.", [("bestand", "geen zip-archief")]
        )
    return _read_xlsx(content, limits) if is_xlsx else _read_csv(content, limits)
