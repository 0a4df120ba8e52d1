"""Reading XLSX without unbounded unpacking (wpb.spreadsheet): the bounds hold before parsing."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from wpb import spreadsheet


def _xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _bomb(unpacked: int) -> bytes:
    """A workbook whose sheet unpacks to ``unpacked`` bytes of one repeated row."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_xlsx([["a"]]))) as template, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in template.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info, template.read(info.filename))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                        b"<sheetData>")
            row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 10_000
            for _ in range(unpacked // len(row) + 1):
                sheet.write(row)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def test_rows_are_read_with_their_numbers_blank_rows_included():
    rows = list(spreadsheet.first_sheet_rows(_xlsx([["kop"], [None], ["a"]])))
    assert rows == [(1, ("kop",)), (2, (None,)), (3, ("a",))]


def test_the_bound_scales_with_the_upload_limits():
    assert spreadsheet.max_unpacked(None, None) is None
    assert spreadsheet.max_unpacked(100_000, None) == 2_000_000
    assert spreadsheet.max_unpacked(5 * 2**20, 10_000) == 2**20 + 2048 * 10_000
    # A real 10 000-row upload fits its own bound.
    real = _xlsx([["bsn", "datum", "gemeente", "agb", "product", "einde", "pgb"]]
                 + [["999990019", "2012-03-04", "0307", "99000011", "Jeugdhulp met verblijf", "2027-12-31", "nee"]]
                 * 10_000)
    assert spreadsheet.unpacked_size(real) <= spreadsheet.max_unpacked(5 * 2**20, 10_000)


def test_a_zip_bomb_is_refused_before_any_xml_is_parsed():
    bomb = _bomb(30 * 2**20)
    assert len(bomb) < 200_000
    started = time.process_time()
    with pytest.raises(spreadsheet.WerkmapTeGroot, match="uitgepakt"):
        spreadsheet.first_sheet_rows(bomb, max_unpacked=2**20)
    assert time.process_time() - started < 1.0


def test_too_many_rows_stop_the_reading_at_the_first_row_too_many():
    rows = spreadsheet.first_sheet_rows(_xlsx([["kop"]] + [[i] for i in range(50)]), max_rows=11)
    seen = []
    with pytest.raises(spreadsheet.WerkmapTeGroot, match="meer dan 11 regels"):
        for number, _ in rows:
            seen.append(number)
    assert seen == list(range(1, 12))


@pytest.mark.parametrize(("data", "reason"), [
    (b"PK\x03\x04 geen zip", "geen geldig zip-archief"),
    (b"gewoon tekst", "geen geldig zip-archief"),
])
def test_no_workbook_is_a_clear_error(data, reason):
    with pytest.raises(spreadsheet.WerkmapOnleesbaar, match=reason):
        spreadsheet.first_sheet_rows(data)


def test_a_zip_that_is_no_workbook_is_unreadable():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("iets.txt", "geen werkmap")
    with pytest.raises(spreadsheet.WerkmapOnleesbaar, match="werkmap kan niet gelezen worden"):
        spreadsheet.first_sheet_rows(out.getvalue())
