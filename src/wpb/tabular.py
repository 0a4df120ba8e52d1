"""One reader for tables: CSV (as Dutch Excel writes it) and the first sheet of an XLSX.

Every file import and upload reads its rows here, with one policy:

- **Encoding.** A byte order mark decides: UTF-8 with BOM ("CSV UTF-8" in Excel) or UTF-16
  ("Unicode-tekst", usually tab separated). Without a BOM the text is UTF-8, or else
  Windows-1252 (what Excel in Dutch settings writes as plain "CSV"). Text with NUL bytes and
  no BOM is refused: it is UTF-16 whose encoding cannot be known for sure. (A Windows-1252
  file whose only special characters happen to form valid UTF-8, such as "Ö€", reads as
  UTF-8; one other accented letter in the file is enough to tell.)
- **Delimiter.** Taken from the header line: tab, ``;`` or ``,``, whichever occurs most outside
  quotes (a tie goes in that order). Dutch Excel writes ``;`` because the comma is the decimal
  sign; "Unicode-tekst" writes tabs.
- **Bounds.** At most ``max_bytes`` bytes and ``max_rows`` data rows (the header not counted);
  an XLSX archive may unpack to no more than :func:`max_unpacked` allows, checked before any
  XML is parsed (a "zip bomb" is refused unread). Rows are counted while they are read, so
  the reading stops at the first row too many.
- **Numbers.** A row's number is its line in the file (where a CSV record starts; the header
  is line 1 when the file starts with it) or its row in the sheet.

What is refused raises :class:`TabelFout` (or :class:`TabelTeGroot` for a bound), which names
the line and, where there is one, the column. Values are never quoted back: a cell may hold a
BSN. This module imports only the standard library and openpyxl, so any adapter may use it.

:func:`read_rows` gives the raw rows for a caller that checks the header itself;
:func:`read_table` gives the rows as dicts keyed by the normalised header.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

XLSX_MAGIC = b"PK\x03\x04"
XLSX_SUFFIXES = (".xlsx", ".xlsm")
# What a file on disk may be called: Excel saves "Unicode-tekst" as .txt.
SUFFIXES = (".csv", ".txt", ".tsv", *XLSX_SUFFIXES)
# Bounds for files read from disk by the command line; the service passes its own limits.
DEFAULT_MAX_BYTES = 64 * 2**20
DEFAULT_MAX_ROWS = 1_000_000
# A real sheet of 10 000 transfer rows is 0.26 MB as XLSX and 4.2 MB unpacked (16 x).
EXPANSION = 20
# Per allowed row, room for a generous row of XML, plus room for styles and the like.
BYTES_PER_ROW = 2048
FIXED_PART = 1024 * 1024
DELIMITERS = ("\t", ";", ",")  # in order of preference when the header has as many of each


class TabelFout(ValueError):
    """A file the reader refuses: the line (None: the file as a whole), the column, the reason."""

    def __init__(self, reden: str, regel: int | None = None, kolom: str | None = None):
        self.reden = reden
        self.regel = regel
        self.kolom = kolom
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [f"regel {self.regel}"] if self.regel is not None else []
        if self.kolom is not None:
            where.append(f"kolom {self.kolom}")
        return f"{', '.join(where)}: {self.reden}" if where else self.reden


class TabelTeGroot(TabelFout):
    """The file is larger, has more rows, or unpacks to more than allowed."""


class WerkmapTeGroot(TabelTeGroot):
    """The workbook unpacks to more than allowed, or has more rows than allowed."""


class WerkmapOnleesbaar(TabelFout):
    """Not a workbook: no zip archive, or one openpyxl cannot read, or no sheet."""


@dataclass(frozen=True)
class Rows:
    """Every row of a file in order, blank rows included, with how the file was read."""

    bron: str
    formaat: str  # "csv" or "xlsx"
    codering: str | None  # the text encoding of a CSV: utf-8, utf-8-sig, utf-16, cp1252
    scheidingsteken: str | None  # the CSV delimiter
    rijen: tuple[tuple[int, tuple[object, ...]], ...]  # (line or sheet row, cells)


@dataclass(frozen=True)
class Row:
    regel: int  # the line in the file (or the row in the sheet)
    waarden: dict[str, object]  # by normalised column name; a short row is padded with None


@dataclass(frozen=True)
class Table:
    """The data rows by column, and what was left out.

    ``kopproblemen`` are problems of the header (a name twice); ``problemen`` are the rows
    left out, each with its line and reason. A caller answers both; nothing else is dropped.
    """

    bron: str
    formaat: str
    kop: tuple[str, ...]  # the header as written
    kolommen: tuple[str | None, ...]  # the normalised name per position; None: not used
    rijen: tuple[Row, ...]
    problemen: tuple[TabelFout, ...]
    kopproblemen: tuple[TabelFout, ...] = ()

    @property
    def genegeerd(self) -> tuple[str, ...]:
        """Header names the normalisation did not use (empty names left out)."""
        return tuple(k for k, n in zip(self.kop, self.kolommen, strict=True) if n is None and k)

    def ontbrekend(self, verplicht: tuple[str, ...] | list[str]) -> list[str]:
        return [k for k in verplicht if k not in self.kolommen]


def normalise_header(name: object) -> str | None:
    """``Ontvangende gemeente`` and ``ontvangende-gemeente`` both read as ``ontvangende_gemeente``."""
    text = unicodedata.normalize("NFKD", "" if name is None else str(name))
    text = text.encode("ascii", "ignore").decode("ascii").strip().lower()
    text = re.sub(r"[\s\-]+", "_", text)
    return text or None


def blank(cells: tuple[object, ...] | list[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


# --- the whole file -------------------------------------------------------------------------


def read_file(path: Path, **bounds: int | None) -> Rows:
    """:func:`read_rows` of a file on disk; a missing file or an unknown suffix is a
    :class:`TabelFout` too (see :data:`SUFFIXES`)."""
    if not path.is_file():
        raise TabelFout("bestand niet gevonden")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise TabelFout(f"onbekend bestandstype {suffix!r}; gebruik .csv, .txt of .xlsx")
    return read_rows(path.read_bytes(), path.name, **bounds)


def read_rows(
    data: bytes,
    bron: str,
    *,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    max_rows: int | None = DEFAULT_MAX_ROWS,
    sheet: str | None = None,
) -> Rows:
    """Every row of a CSV or XLSX file, read at once within the bounds.

    A file is XLSX when it is a zip archive; a name ending in ``.xlsx`` that is not one is
    refused. ``sheet`` names the worksheet to read (default: the first).
    """
    if max_bytes is not None and len(data) > max_bytes:
        raise TabelTeGroot(f"{len(data)} bytes; hoogstens {max_bytes}; splits het bestand")
    if data.startswith(XLSX_MAGIC):
        rows = sheet_rows(data, sheet=sheet, max_unpacked=max_unpacked(max_bytes, max_rows))
        return Rows(bron, "xlsx", None, None, _bounded(rows, max_rows, WerkmapTeGroot))
    if bron.lower().endswith(XLSX_SUFFIXES):
        raise WerkmapOnleesbaar("geen zip-archief")
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    return Rows(
        bron, "csv", encoding, delimiter, _bounded(text_rows(text, delimiter), max_rows, TabelTeGroot)
    )


def _bounded(
    rows: Iterator[tuple[int, tuple]], max_rows: int | None, too_large: type[TabelTeGroot]
) -> tuple:
    """Read the rows, stopping at the first data row over ``max_rows`` (the header is free)."""
    result = []
    filled = 0
    for number, cells in rows:
        if not blank(cells):
            filled += 1
            if max_rows is not None and filled > max_rows + 1:
                raise too_large(f"meer dan {max_rows} regels; splits het bestand", number)
        result.append((number, cells))
    return tuple(result)


def read_table(
    data: bytes,
    bron: str,
    *,
    normalise: Callable[[object], str | None] = normalise_header,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    max_rows: int | None = DEFAULT_MAX_ROWS,
    sheet: str | None = None,
) -> Table:
    """The data rows as dicts keyed by the normalised header (the first non-blank row).

    ``normalise`` maps a header cell to a column name, or None for a column to ignore (e.g.
    a service's aliases). A name given to two header cells is listed in ``kopproblemen``
    (only the first is read). A row with filled cells beyond the header is left out and
    listed in ``problemen``.
    """
    rows = read_rows(data, bron, max_bytes=max_bytes, max_rows=max_rows, sheet=sheet).rijen
    return table_of(rows, bron, "xlsx" if data.startswith(XLSX_MAGIC) else "csv", normalise)


def table_of(
    rows: Sequence[tuple[int, Sequence[object]]],
    bron: str,
    formaat: str,
    normalise: Callable[[object], str | None] = normalise_header,
) -> Table:
    """The table of rows already read (see :func:`read_table`)."""
    filled = [(n, c) for n, c in rows if not blank(c)]
    if not filled:
        raise TabelFout("leeg bestand: de kopregel ontbreekt", 1)
    header_line, header = filled[0]
    kop = tuple("" if c is None else str(c).strip() for c in header)
    kolommen = tuple(normalise(k) if k else None for k in kop)
    first: dict[str, int] = {}  # name -> its first position (0-based); a later one is not read
    header_problems = []
    for position, name in enumerate(kolommen):
        if name is None:
            continue
        if name in first:
            header_problems.append(TabelFout(
                f"staat twee keer in de kopregel (kolom {first[name] + 1} en {position + 1})",
                header_line, name,
            ))
            continue
        first[name] = position
    width = len(kop)
    result, problems = [], []
    for number, cells in filled[1:]:
        if not blank(cells[width:]):
            problems.append(TabelFout(f"{len(cells)} velden, de kopregel heeft er {width}", number))
            continue
        padded = tuple(cells) + (None,) * (width - len(cells))
        result.append(Row(number, {k: padded[i] for k, i in first.items()}))
    return Table(bron, formaat, kop, kolommen, tuple(result), tuple(problems), tuple(header_problems))


# --- CSV --------------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, None),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, None),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read with (see the module's policy)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            if encoding is None:
                raise TabelFout("UTF-32-tekst wordt niet gelezen; sla op als CSV UTF-8")
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise TabelFout(
                    f"ongeldige {encoding}-tekst op byte {exc.start}", _line_of(data, exc.start)
                ) from None
    if b"\x00" in data:
        raise TabelFout(
            "bevat NUL-tekens: UTF-16 zonder byte order mark? Sla op als CSV UTF-8 of als "
            "Unicode-tekst", _line_of(data, data.index(b"\x00"))
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise TabelFout(
            f"geen UTF-8- of Windows-1252-tekst (byte {exc.start})", _line_of(data, exc.start)
        ) from None


def _line_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def sniff_delimiter(text: str) -> str:
    """Tab, ``;`` or ``,``: the one the header line uses most outside quotes."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])  # max keeps the first of a tie
    return best if counts[best] else ","


def text_rows(text: str, delimiter: str | None = None) -> Iterator[tuple[int, tuple]]:
    """(line where the record starts, cells) of CSV text; a malformed record names its line."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or sniff_delimiter(text))
    line = 1
    try:
        for cells in reader:
            yield line, tuple(cells)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise TabelFout(f"ongeldige CSV: {exc}", line) from None


# --- XLSX -------------------------------------------------------------------------------------


def max_unpacked(max_bytes: int | None, max_rows: int | None) -> int | None:
    """The unpacked size allowed for an upload of at most ``max_bytes`` and ``max_rows``."""
    bounds = []
    if max_bytes is not None:
        bounds.append(EXPANSION * max_bytes)
    if max_rows is not None:
        bounds.append(FIXED_PART + BYTES_PER_ROW * max_rows)
    return min(bounds) if bounds else None


def unpacked_size(data: bytes) -> int:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise WerkmapOnleesbaar("geen geldig zip-archief") from None


def first_sheet_rows(
    data: bytes, *, max_unpacked: int | None = None, max_rows: int | None = None
) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of every row of the first sheet, blank rows included.

    Raises :class:`WerkmapTeGroot` before parsing when the archive unpacks to more than
    ``max_unpacked`` bytes, and while reading as soon as more than ``max_rows`` non-blank
    rows (the header counts) are seen; :class:`WerkmapOnleesbaar` when it is no workbook.
    The checks before parsing happen when this function is called, not at the first row.
    """
    return sheet_rows(data, max_unpacked=max_unpacked, max_rows=max_rows)


def sheet_rows(
    data: bytes,
    *,
    sheet: str | None = None,
    max_unpacked: int | None = None,
    max_rows: int | None = None,
) -> Iterator[tuple[int, tuple]]:
    """As :func:`first_sheet_rows`, of the sheet named ``sheet`` (default: the first)."""
    # The zip reader never hands out more than a member's declared size, so adding up the
    # declared sizes bounds the unpacking even for an archive that lies about them.
    size = unpacked_size(data)
    if max_unpacked is not None and size > max_unpacked:
        raise WerkmapTeGroot(f"uitgepakt {size} bytes; hoogstens {max_unpacked}")
    from openpyxl import load_workbook  # loaded only when a workbook comes in

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise WerkmapOnleesbaar("werkmap kan niet gelezen worden") from None
    if not workbook.worksheets:
        workbook.close()
        raise WerkmapOnleesbaar("geen werkblad")
    if sheet is not None and sheet not in workbook.sheetnames:
        names = ", ".join(workbook.sheetnames)
        workbook.close()
        raise WerkmapOnleesbaar(f"geen werkblad {sheet!r} (wel: {names})")
    worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
    return _rows(workbook, worksheet, max_rows)


def _rows(workbook, worksheet, max_rows: int | None) -> Iterator[tuple[int, tuple]]:
    try:
        filled = 0
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if not blank(values):
                filled += 1
                if max_rows is not None and filled > max_rows:
                    raise WerkmapTeGroot(f"meer dan {max_rows} regels", number)
            yield number, values
    except WerkmapTeGroot:
        raise
    except Exception:  # a sheet that breaks halfway (bad XML inside the zip)
        raise WerkmapOnleesbaar("werkblad kan niet gelezen worden") from None
    finally:
        workbook.close()
