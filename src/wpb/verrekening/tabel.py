"""The settlement's tables (CSV or the first sheet of an XLSX): rows, header and cells.

Shared by the invoice and transfer readers of the settlement and by the transfer files of
the 1-november-maatregel (``wpb.overgang_csv``). The bytes are read by :mod:`wpb.tabular`,
with its one policy for encodings, delimiters and bounds; a file it refuses becomes an
:class:`ImportFout`. Line 1 is the header; in XLSX a line is the sheet's row number. Values
are parsed by the cell helpers below, which return ``(value, problem)`` so that a reader can
report every problem of a file at once. A problem never repeats a BSN.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from wpb import tabular

_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_NL = re.compile(r"([0-9]{2})-([0-9]{2})-([0-9]{4})")
_INT = re.compile(r"[+-]?[0-9]+")


@dataclass(frozen=True)
class RijFout:
    """A problem in a file: the line (1 = header) and the column (None: the whole row)."""

    regel: int
    kolom: str | None
    probleem: str

    def __str__(self) -> str:
        # Line 0: the file as a whole (unreadable, not found).
        where = (f"regel {self.regel}" if self.regel else "bestand") + (
            f", kolom {self.kolom}" if self.kolom else ""
        )
        return f"{where}: {self.probleem}"

    def to_json(self) -> dict:
        return {"regel": self.regel, "kolom": self.kolom, "probleem": self.probleem}

    @classmethod
    def of(cls, exc: tabular.TabelFout) -> RijFout:
        """The reader's refusal, with line 0 for the file as a whole."""
        if isinstance(exc, tabular.WerkmapOnleesbaar):
            return cls(exc.regel or 0, exc.kolom, f"geen leesbaar XLSX-bestand: {exc.reden}")
        return cls(exc.regel or 0, exc.kolom, exc.reden)


class ImportFout(ValueError):
    """The file is not imported: every problem, in file order. Nothing was kept."""

    def __init__(self, bron: str, fouten: Sequence[RijFout]):
        self.bron = bron
        self.fouten = tuple(fouten)
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [f"{self.bron}: {len(self.fouten)} fout(en); niets ingelezen"]
        lines += [f"  {f}" for f in self.fouten]
        return "\n".join(lines)


Rows = Iterator[tuple[int, list[object]]]


def rows_of(path: Path) -> Rows:
    """The rows of a ``.csv``, ``.txt`` or ``.xlsx`` file; :class:`ImportFout` when unreadable."""
    try:
        return _listed(tabular.read_file(path))
    except tabular.TabelFout as exc:  # too large included: a file on disk is the user's own
        raise ImportFout(path.name, [RijFout.of(exc)]) from None


def rows_of_bytes(
    data: bytes, bron: str, *, max_bytes: int | None = None, max_rows: int | None = None
) -> Rows:
    """The rows of an uploaded file (CSV or XLSX by its content).

    A bound passed (the service gives its upload limits) raises
    :class:`wpb.tabular.TabelTeGroot` before or while reading, never after; the caller
    decides how to answer (the service: 413). Any other refusal is an :class:`ImportFout`.
    """
    bounds = {"max_bytes": max_bytes, "max_rows": max_rows}
    try:
        return _listed(tabular.read_rows(data, bron, **bounds))
    except tabular.TabelTeGroot:
        raise
    except tabular.TabelFout as exc:
        raise ImportFout(bron, [RijFout.of(exc)]) from None


def _listed(rows: tabular.Rows) -> Rows:
    return iter((number, list(cells)) for number, cells in rows.rijen)


def csv_rows(text: str) -> Rows:
    """The rows of CSV text already decoded (the delimiter as :mod:`wpb.tabular` chooses it)."""
    return ((number, list(cells)) for number, cells in tabular.text_rows(text))


def xlsx_rows(
    data: bytes, bron: str = "werkmap", *, max_bytes: int | None = None, max_rows: int | None = None
) -> Rows:
    """The rows of the first sheet, read at once; see :func:`rows_of_bytes`."""
    if not data.startswith(tabular.XLSX_MAGIC):
        raise ImportFout(bron, [RijFout(0, None, "geen leesbaar XLSX-bestand: geen zip-archief")])
    return rows_of_bytes(data, bron, max_bytes=max_bytes, max_rows=max_rows)


def header_of(rows: Rows, kolommen: Sequence[str]) -> tuple[list[str] | None, list[RijFout]]:
    """Read and check the header: every column present once, no unknown column."""
    first = next(rows, None)
    if first is None:
        return None, [RijFout(1, None, "leeg bestand: de kopregel ontbreekt")]
    header = [text(v).lower() for v in first[1]]
    while header and header[-1] == "":  # spreadsheets pad rows with empty cells
        header.pop()
    errors = []
    missing = [k for k in kolommen if k not in header]
    if missing:
        errors.append(RijFout(1, None, f"kolom(men) ontbreken: {', '.join(missing)}"))
    unknown = [k for k in header if k not in kolommen]
    if unknown:
        errors.append(
            RijFout(1, None, f"onbekende kolom(men): {', '.join(shown(k) for k in unknown)}; "
                    f"verwacht: {', '.join(kolommen)}")
        )
    doubles = sorted({k for k in header if header.count(k) > 1 and k})
    if doubles:
        errors.append(RijFout(1, None, f"kolom(men) staan dubbel: {', '.join(doubles)}"))
    return (None if errors else header), errors


def records(rows: Rows, header: list[str]) -> Iterator[tuple[int, dict[str, object] | RijFout]]:
    """Each non-empty data row as a dict by column, or the problem with its shape."""
    for line, cells in rows:
        if all(empty(c) for c in cells):
            continue  # an empty line is no record
        if any(not empty(c) for c in cells[len(header):]):
            yield line, RijFout(line, None, f"{len(cells)} velden, de kopregel heeft er {len(header)}")
            continue
        yield line, dict(zip(header, cells + [None] * (len(header) - len(cells)), strict=False))


# --- cells ----------------------------------------------------------------------------------

_LONG_NUMBER = re.compile(r"[0-9]{8,}")


def shown(value: object) -> str:
    """A cell value quoted for a problem message, unless it could be a BSN (or is long).

    Problems go back to the uploader and into logs; a BSN typed into a wrong column must
    not come back with them.
    """
    raw = str(value).strip()
    if _LONG_NUMBER.search(raw) or len(raw) > 40:
        return "de waarde"
    return repr(raw)



def empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def digits(value: object, width: int) -> str:
    """A code of ``width`` digits. Spreadsheets store 0363 as the number 363; a whole
    number that fits the width can only mean that code."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**width:
        return f"{value:0{width}d}"
    return text(value)


def parse_date(value: object) -> tuple[date | None, str | None]:
    if empty(value):
        return None, None
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            return None, f"{shown(value.isoformat())} heeft een tijd; verwacht een datum"
        return value.date(), None
    if isinstance(value, date):
        return value, None
    raw = str(value).strip()
    for pattern, order in ((_ISO, (1, 2, 3)), (_NL, (3, 2, 1))):
        m = pattern.fullmatch(raw)
        if m:
            y, mo, d = (int(m.group(i)) for i in order)
            try:
                return date(y, mo, d), None
            except ValueError as exc:
                return None, f"{shown(raw)} is geen bestaande datum ({exc})"
    return None, f"{shown(raw)} is geen datum (JJJJ-MM-DD of DD-MM-JJJJ)"


def parse_cents(value: object) -> tuple[int | None, str | None]:
    """A whole number of eurocent. A decimal point or comma is refused, not guessed:
    ``123,45`` may be euros (12345 cent) or a typing error."""
    if isinstance(value, bool):
        return None, f"{shown(value)} is geen bedrag"
    if isinstance(value, int):
        return value, None
    if isinstance(value, float):
        if value.is_integer():
            return int(value), None
        return None, f"{shown(value)} is geen geheel aantal eurocent"
    raw = text(value).replace(" ", "")
    if _INT.fullmatch(raw):
        return int(raw), None
    if re.fullmatch(r"[+-]?[0-9]+[.,][0-9]{1,2}", raw):
        return None, f"{shown(raw)} lijkt een bedrag in euro; geef het bedrag in eurocent (geheel getal)"
    return None, f"{shown(raw)} is geen geheel aantal eurocent"
