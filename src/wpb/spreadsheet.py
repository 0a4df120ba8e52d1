"""Reading the first sheet of an XLSX workbook without letting it unpack without bound.

An XLSX file is a zip archive. A small upload can unpack to gigabytes (a "zip bomb"), and
openpyxl spends about a second of CPU per unpacked megabyte. So before any XML is parsed,
the sizes the archive declares are added up and compared with a bound; the zip reader
never hands out more than a member's declared size, so the bound holds even for an
archive that lies. Rows are then streamed and counted, so a row limit stops the reading
as soon as it is passed, not after the whole sheet was read.

Shared by the transfer upload (``wpb.service.uploads``) and the invoice and transfer
tables of the settlement (``wpb.verrekening.tabel``).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

XLSX_MAGIC = b"PK\x03\x04"
# A real sheet of 10 000 transfer rows is 0.26 MB as XLSX and 4.2 MB unpacked (16 x).
EXPANSION = 20
# Per allowed row, room for a generous row of XML, plus room for styles and the like.
BYTES_PER_ROW = 2048
FIXED_PART = 1024 * 1024


class WerkmapTeGroot(ValueError):
    """The workbook unpacks to more than allowed, or has more rows than allowed."""

    def __init__(self, reden: str):
        self.reden = reden
        super().__init__(reden)


class WerkmapOnleesbaar(ValueError):
    """Not a workbook: no zip archive, or one openpyxl cannot read, or no sheet."""

    def __init__(self, reden: str):
        self.reden = reden
        super().__init__(reden)


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
    rows (the header counts) are seen; :class:`WerkmapOnleesbaar` when it is no workbook. The checks before
    parsing happen when this function is called, not at the first row.
    """
    size = unpacked_size(data)
    if max_unpacked is not None and size > max_unpacked:
        raise WerkmapTeGroot(f"uitgepakt {size} bytes; hoogstens {max_unpacked}")
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise WerkmapOnleesbaar("werkmap kan niet gelezen worden") from None
    if not workbook.worksheets:
        workbook.close()
        raise WerkmapOnleesbaar("geen werkblad")
    return _rows(workbook, max_rows)


def _rows(workbook, max_rows: int | None) -> Iterator[tuple[int, tuple]]:
    try:
        filled = 0
        for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            if any(v is not None and (not isinstance(v, str) or v.strip()) for v in values):
                filled += 1
                if max_rows is not None and filled > max_rows:
                    raise WerkmapTeGroot(f"meer dan {max_rows} regels")
            yield number, values
    except WerkmapTeGroot:
        raise
    except Exception:  # a sheet that breaks halfway (bad XML inside the zip)
        raise WerkmapOnleesbaar("werkblad kan niet gelezen worden") from None
    finally:
        workbook.close()
