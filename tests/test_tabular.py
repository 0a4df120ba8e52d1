"""The one table reader (wpb.tabular), from the formats Excel writes.

Files are built byte for byte as Excel saves them: "CSV (gescheiden door lijstscheidingsteken)"
in Dutch settings is Windows-1252 with ``;`` and CR/LF; "CSV UTF-8" starts with a UTF-8 byte
order mark; "Unicode-tekst" is UTF-16 little-endian with a byte order mark and tabs.
"""

from __future__ import annotations

import codecs
import csv
import io
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from wpb import tabular
from wpb.tabular import TabelFout, TabelTeGroot

HEADER = ["Ontvangende gemeente", "Naam", "Bedrag"]
ROWS = [["0363", "Gülsen Ünal", "12,50"], ["0599", "Zoë €-fonds", "3"]]


def _csv(rows: list[list[str]], delimiter: str, encoding: str, bom: bytes = b"") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return bom + out.getvalue().encode(encoding)


def excel_csv(rows):  # Excel "CSV" in Dutch settings
    return _csv(rows, ";", "cp1252")


def excel_csv_utf8(rows):  # Excel "CSV UTF-8"
    return _csv(rows, ";", "utf-8", codecs.BOM_UTF8)


def excel_unicode_text(rows):  # Excel "Unicode-tekst"
    return _csv(rows, "\t", "utf-16-le", codecs.BOM_UTF16_LE)


def xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("write", "encoding", "delimiter"), [
    (excel_csv, "cp1252", ";"),
    (excel_csv_utf8, "utf-8-sig", ";"),
    (excel_unicode_text, "utf-16", "\t"),
    (lambda rows: _csv(rows, ",", "utf-8"), "utf-8", ","),
])
def test_what_excel_writes_reads_as_the_same_table(write, encoding, delimiter):
    data = write([HEADER, *ROWS])
    rows = tabular.read_rows(data, "export.csv")
    assert (rows.formaat, rows.codering, rows.scheidingsteken) == ("csv", encoding, delimiter)
    table = tabular.read_table(data, "export.csv")
    assert table.kolommen == ("ontvangende_gemeente", "naam", "bedrag")
    assert [(r.regel, r.waarden) for r in table.rijen] == [
        (2, {"ontvangende_gemeente": "0363", "naam": "Gülsen Ünal", "bedrag": "12,50"}),
        (3, {"ontvangende_gemeente": "0599", "naam": "Zoë €-fonds", "bedrag": "3"}),
    ]


def test_xlsx_gives_the_same_dicts_with_sheet_row_numbers():
    table = tabular.read_table(xlsx([HEADER, [None], *ROWS]), "export.xlsx")
    assert table.formaat == "xlsx"
    assert [(r.regel, r.waarden["naam"]) for r in table.rijen] == [(3, "Gülsen Ünal"), (4, "Zoë €-fonds")]


def test_a_record_is_numbered_by_the_line_it_starts_on():
    data = b'a;b\r\n"twee\r\nregels";x\r\nc;d\r\n'
    assert [(n, c) for n, c in tabular.read_rows(data, "f.csv").rijen] == [
        (1, ("a", "b")), (2, ("twee\r\nregels", "x")), (4, ("c", "d"))]


def test_a_delimiter_inside_quotes_in_the_header_does_not_count():
    assert tabular.sniff_delimiter('"a;b;c",d,e\n') == ","
    assert tabular.sniff_delimiter("enkel\n") == ","  # one column


def test_utf16_without_a_byte_order_mark_is_refused_with_the_reason():
    data = "a\tb\r\n".encode("utf-16-le")
    with pytest.raises(TabelFout, match="UTF-16 zonder byte order mark"):
        tabular.read_rows(data, "f.txt")


def test_bytes_of_no_known_encoding_name_their_line():
    with pytest.raises(TabelFout) as caught:
        tabular.read_rows(b"a;b\r\nc;\x81\r\n", "f.csv")
    assert caught.value.regel == 2 and "Windows-1252" in caught.value.reden


def test_a_broken_csv_record_names_its_line():
    with pytest.raises(TabelFout) as caught:
        tabular.read_rows(b"a,b\n" + b"x" * 200_000 + b",y\n", "f.csv")  # over csv's field limit
    assert caught.value.regel == 2


def test_a_file_on_disk_is_csv_txt_or_xlsx(tmp_path):
    unicode_text = tmp_path / "export.txt"  # Excel's default name for "Unicode-tekst"
    unicode_text.write_bytes(excel_unicode_text([HEADER, *ROWS]))
    assert tabular.read_file(unicode_text).scheidingsteken == "\t"
    other = tmp_path / "export.json"
    other.write_text("{}", encoding="utf-8")
    with pytest.raises(TabelFout, match="onbekend bestandstype '.json'"):
        tabular.read_file(other)
    with pytest.raises(TabelFout, match="niet gevonden"):
        tabular.read_file(tmp_path / "weg.csv")


def test_a_name_ending_in_xlsx_must_be_a_workbook():
    with pytest.raises(tabular.WerkmapOnleesbaar, match="geen zip-archief"):
        tabular.read_rows(b"a;b\n", "f.xlsx")


def test_too_many_bytes_is_refused_before_reading():
    with pytest.raises(TabelTeGroot, match="hoogstens 10"):
        tabular.read_rows(b"a;b\n1;2\n3;4\n", "f.csv", max_bytes=10)


@pytest.mark.parametrize("write", [excel_csv, excel_unicode_text, xlsx])
def test_the_row_bound_counts_data_rows_and_names_the_first_one_too_many(write):
    rows = [["kop"]] + [[str(i)] for i in range(5)]
    assert len(tabular.read_table(write(rows), "f", max_rows=5).rijen) == 5
    with pytest.raises(TabelTeGroot, match="meer dan 4 regels") as caught:
        tabular.read_rows(write(rows), "f", max_rows=4)
    assert caught.value.regel == 6


def _bomb(unpacked: int = 30 * 2**20) -> bytes:
    """A real workbook whose sheet unpacks to ``unpacked`` bytes of one repeated row."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx([["a"]]))) as template, \
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


def test_a_zip_bomb_is_refused_unread():
    bomb = _bomb()
    assert len(bomb) < 200_000
    started = time.process_time()
    with pytest.raises(TabelTeGroot, match="uitgepakt"):
        tabular.read_rows(bomb, "bom.xlsx", max_bytes=len(bomb), max_rows=1000)
    assert time.process_time() - started < 1.0


def test_a_row_longer_than_the_header_is_left_out_and_named():
    table = tabular.read_table(b"a;b\n1;2\n3;4;5\n6\n", "f.csv")
    assert [r.waarden for r in table.rijen] == [{"a": "1", "b": "2"}, {"a": "6", "b": None}]
    assert [(p.regel, p.reden) for p in table.problemen] == [(3, "3 velden, de kopregel heeft er 2")]


def test_two_header_cells_with_one_name_are_a_header_problem_naming_both():
    table = tabular.read_table(b"BSN;Naam;bsn\n999990019;a;x\n", "f.csv")
    [problem] = table.kopproblemen
    assert (problem.regel, problem.kolom) == (1, "bsn") and "kolom 1 en 3" in problem.reden
    assert table.rijen[0].waarden == {"bsn": "999990019", "naam": "a"}  # the first one is read


def test_a_callers_aliases_decide_the_names_and_what_is_ignored():
    aliases = {"burgerservicenummer": "bsn", "bsn": "bsn"}
    table = tabular.read_table(
        b"Burgerservicenummer;Opmerking\n999990019;x\n", "f.csv",
        normalise=lambda h: aliases.get(tabular.normalise_header(h) or ""),
    )
    assert table.rijen[0].waarden == {"bsn": "999990019"}
    assert table.genegeerd == ("Opmerking",)
    assert table.ontbrekend(["bsn", "geboortedatum"]) == ["geboortedatum"]


def test_an_empty_file_has_no_header():
    with pytest.raises(TabelFout, match="kopregel ontbreekt"):
        tabular.read_table(b"\r\n \r\n", "f.csv")


def test_a_refusal_never_quotes_a_cell():
    with pytest.raises(TabelFout) as caught:
        tabular.read_rows(b"bsn\n999990019\x81\n", "f.csv")
    assert "999990019" not in str(caught.value)


def test_windows_1252_that_is_also_valid_utf8_reads_as_utf8():
    # The price of the fallback: "Ö€" in Windows-1252 is the bytes D6 80, which are valid
    # UTF-8 (one Armenian letter). Without a byte order mark nothing tells them apart;
    # the policy says UTF-8 first, so such a file (rare: it needs a capital with an accent
    # right before a sign like € or …) reads wrongly. Any other accent in the file decides.
    assert tabular.decode("Ö€".encode("cp1252")) == ("\u0580", "utf-8")
    assert tabular.decode("Ö€ en é".encode("cp1252")) == ("Ö€ en é", "cp1252")


# Cells as people type them, in characters all three encodings can hold; none of the
# ambiguous sequences of the test above (a capital with an accent before "€", or "é€€").
_cell = st.text(st.sampled_from("abcxyzéëüö€0123456789 ;,\t\"'-"), max_size=12).filter(
    lambda c: "€€" not in c
)
_row = st.lists(_cell, min_size=3, max_size=3).filter(lambda r: any(c.strip() for c in r))


@settings(max_examples=60, deadline=None)
@given(st.lists(_row, max_size=8))
def test_every_excel_format_reads_back_what_was_written(rows):
    header = ["a", "b", "c"]
    expected = [dict(zip(header, r, strict=True)) for r in rows]
    for write in (excel_csv, excel_csv_utf8, excel_unicode_text):
        table = tabular.read_table(write([header, *rows]), "f.csv")
        assert [r.waarden for r in table.rijen] == expected, write.__name__


# --- the XLSX layer -------------------------------------------------------------------------


def test_rows_are_read_with_their_numbers_blank_rows_included():
    rows = list(tabular.first_sheet_rows(xlsx([["kop"], [None], ["a"]])))
    assert rows == [(1, ("kop",)), (2, (None,)), (3, ("a",))]


def test_the_bound_scales_with_the_upload_limits():
    assert tabular.max_unpacked(None, None) is None
    assert tabular.max_unpacked(100_000, None) == 2_000_000
    assert tabular.max_unpacked(5 * 2**20, 10_000) == 2**20 + 2048 * 10_000
    # A real 10 000-row upload fits its own bound.
    real = xlsx([["bsn", "datum", "gemeente", "agb", "product", "einde", "pgb"]]
                 + [["999990019", "2012-03-04", "0307", "99000011", "Jeugdhulp met verblijf", "2027-12-31", "nee"]]
                 * 10_000)
    assert tabular.unpacked_size(real) <= tabular.max_unpacked(5 * 2**20, 10_000)


def test_too_many_rows_stop_the_reading_at_the_first_row_too_many():
    rows = tabular.first_sheet_rows(xlsx([["kop"]] + [[i] for i in range(50)]), max_rows=11)
    seen = []
    with pytest.raises(tabular.WerkmapTeGroot, match="meer dan 11 regels"):
        for number, _ in rows:
            seen.append(number)
    assert seen == list(range(1, 12))


@pytest.mark.parametrize(("data", "reason"), [
    (b"PK\x03\x04 geen zip", "geen geldig zip-archief"),
    (b"gewoon tekst", "geen geldig zip-archief"),
])
def test_no_workbook_is_a_clear_error(data, reason):
    with pytest.raises(tabular.WerkmapOnleesbaar, match=reason):
        tabular.first_sheet_rows(data)


def test_a_zip_that_is_no_workbook_is_unreadable():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("iets.txt", "geen werkmap")
    with pytest.raises(tabular.WerkmapOnleesbaar, match="werkmap kan niet gelezen worden"):
        tabular.first_sheet_rows(out.getvalue())


def test_a_named_sheet_is_read_and_a_missing_one_named():
    wb = Workbook()
    wb.active.title = "Toelichting"
    wb.active.append(["alleen tekst"])
    wb.create_sheet("Gegevens").append(["jaar"])
    wb["Gegevens"].append([2024])
    out = io.BytesIO()
    wb.save(out)
    rows = tabular.read_rows(out.getvalue(), "b.xlsx", sheet="Gegevens").rijen
    assert rows == ((1, ("jaar",)), (2, (2024,)))
    with pytest.raises(tabular.WerkmapOnleesbaar, match="geen werkblad 'Data' \\(wel: Toelichting, Gegevens\\)"):
        tabular.read_rows(out.getvalue(), "b.xlsx", sheet="Data")


def test_the_reader_imports_only_the_standard_library_and_openpyxl():
    # docs/architecture.md: any adapter may use wpb.tabular, so it may depend on none of them.
    import ast
    import sys

    tree = ast.parse(Path(tabular.__file__).read_text(encoding="utf-8"))
    modules = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    modules |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    roots = {m.split(".")[0] for m in modules}
    assert roots - set(sys.stdlib_module_names) == {"openpyxl"}
