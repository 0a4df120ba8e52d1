"""`wpb overgang FILE --peildatum D`: the 1-november-maatregel for a file of transfers."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from wpb import refdata
from wpb.cli.overgang import overgang
from wpb.overgang_csv import BestandFout, read_csv_text, read_file

HEADER = "id,latende_gemeente,ontvangende_gemeente,aanleverdatum,afwijzingsdatum,afgerond_datum"

# The factsheet's boundaries as rows, with the answer on 2022-03-15.
FACTSHEET_ROWS = {
    "a-31okt": ("0363,0599,2021-10-31,,", "0599"),  # delivered before 11-01: ontvangende
    "b-1nov": ("0363,0599,2021-11-01,,", "0363"),  # not before 11-01: latende
    "b-afgewezen-31okt": ("0363,0599,2021-10-01,2021-10-31,", "0363"),  # rejected in time
    "a-afgewezen-1nov": ("0363,0599,2021-10-01,2021-11-01,", "0599"),  # rejected too late
    "buiten-31dec": ("0363,0599,2021-11-15,,2021-12-31", "0599"),  # outside the measure
    "b-afgerond-1jan": ("0363,0599,2021-11-15,,2022-01-01", "0599"),  # inside, afgerond
    "b-afgerond-op-peildatum": ("0363,0599,2021-11-15,,2022-03-15", "0599"),
    "b-afgerond-dag-na-peildatum": ("0363,0599,2021-11-15,,2022-03-16", "0363"),
}


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    app.command("overgang")(overgang)

    @app.command("noop")
    def _noop() -> None:  # a second command keeps "overgang" a sub-command, as in wpb
        """Unused."""

    return app


@pytest.fixture(scope="module")
def register():
    return refdata.gemeente_register()


def run(app, *args: str):
    return CliRunner().invoke(app, ["overgang", *args])


def write(tmp_path: Path, lines: list[str], name: str = "overdrachten.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def output_rows(stdout: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(stdout)))


def test_factsheet_boundaries(app, tmp_path):
    path = write(tmp_path, [HEADER] + [f"{k},{v[0]}" for k, v in FACTSHEET_ROWS.items()])
    result = run(app, str(path), "--peildatum", "2022-03-15")
    assert result.exit_code == 0, result.stderr
    rows = output_rows(result.stdout)
    assert rows[0] == ["id", "verantwoordelijke_gemeente", "regime"]
    assert {r[2] for r in rows[1:]} == {"1-november-maatregel"}  # no vanaf: the migratiegroep
    assert {r[0]: r[1] for r in rows[1:]} == {k: v[1] for k, v in FACTSHEET_ROWS.items()}
    assert [r[0] for r in rows[1:]] == list(FACTSHEET_ROWS)  # file order
    assert result.stderr == ""


def test_peildatum_before_2022_gives_the_latende(app, tmp_path):
    path = write(tmp_path, [HEADER, "x,0363,0599,2021-10-01,,"])
    result = run(app, str(path), "--peildatum", "2021-12-31")
    assert output_rows(result.stdout)[1] == ["x", "0363", "1-november-maatregel"]


def test_details_adds_role_branch_and_reason(app, tmp_path):
    path = write(tmp_path, [HEADER, "x,0363,0599,2021-10-01,,"])
    result = run(app, str(path), "--peildatum", "2022-01-01", "--details")
    header, row = output_rows(result.stdout)
    assert header == ["id", "verantwoordelijke_gemeente", "regime", "rol", "tak", "bron", "reden"]
    assert row[:5] == ["x", "0599", "1-november-maatregel", "ontvangende_gemeente", "a_tijdig_aangeleverd"]
    assert row[5].startswith("Factsheet 1-november-maatregel") and "onderdeel A" in row[5]
    assert "Rotterdam (0599)" in row[6]


def test_a_merged_party_is_answered_with_its_successor(app, tmp_path):
    path = write(tmp_path, [HEADER, "w,0457,0599,2021-11-15,,"])  # Weesp → Amsterdam 2022-03-24
    assert output_rows(run(app, str(path), "--peildatum", "2022-03-23").stdout)[1] == ["w", "0457", "1-november-maatregel"]
    assert output_rows(run(app, str(path), "--peildatum", "2022-03-24").stdout)[1] == ["w", "0363", "1-november-maatregel"]


BAD_ROWS = [
    HEADER,
    "ok1,0363,0599,2021-10-01,,",  # line 2
    "bad-date,0363,0599,2021-02-30,,",  # line 3
    "both,0363,0599,2021-10-01,2021-10-05,2021-10-05",  # line 4: afgerond not after the rejection
    "same,0363,0363,2021-10-01,,",  # line 5
    "unknown,9998,0599,2021-10-01,,",  # line 6
    ",0363,0599,2021-10-01,,",  # line 7: id missing
    "early,0363,0599,2021-10-01,,2021-09-01",  # line 8: afgerond before aanlevering
    "ok1,0363,0599,2021-10-01,,",  # line 9: duplicate id
    "short,0363,0599",  # line 10: missing cells
    "ok2,0363,0599,2021-11-20,,",  # line 11
]

EXPECTED_ERRORS = [
    ("3", "aanleverdatum"),
    ("4", "afgerond_datum"),
    ("5", "ontvangende_gemeente"),
    ("6", "latende_gemeente"),
    ("7", "id"),
    ("8", "afgerond_datum"),
    ("9", "id"),
    ("10", "aanleverdatum"),
]


def test_bad_rows_are_all_reported_and_nothing_is_printed(app, tmp_path):
    path = write(tmp_path, BAD_ROWS)
    result = run(app, str(path), "--peildatum", "2022-03-15")
    assert result.exit_code == 2
    assert result.stdout == ""
    for line, column in EXPECTED_ERRORS:
        assert f"regel {line}, kolom {column}:" in result.stderr, (line, column, result.stderr)
    assert "regel 2," not in result.stderr and "regel 11," not in result.stderr
    assert "2021-02-30" in result.stderr
    assert "onbekende gemeentecode '9998'" in result.stderr
    assert "staat ook op regel 2" in result.stderr
    assert "8 regel(s) afgewezen" in result.stderr
    assert "--skip-invalid" in result.stderr


def test_skip_invalid_prints_the_valid_rows_and_reports_the_rest(app, tmp_path):
    path = write(tmp_path, BAD_ROWS)
    result = run(app, str(path), "--peildatum", "2022-03-15", "--skip-invalid")
    assert result.exit_code == 0
    assert output_rows(result.stdout) == [
        ["id", "verantwoordelijke_gemeente", "regime"],
        ["ok1", "0599", "1-november-maatregel"],
        ["ok2", "0363", "1-november-maatregel"],
    ]
    for line, column in EXPECTED_ERRORS:
        assert f"regel {line}, kolom {column}:" in result.stderr


def test_bad_header_is_refused(app, tmp_path):
    path = write(tmp_path, ["id,latende,ontvangende_gemeente,aanleverdatum,afwijzingsdatum,afgerond_datum",
                            "x,0363,0599,2021-10-01,,"])
    result = run(app, str(path), "--peildatum", "2022-01-01", "--skip-invalid")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "regel 1: kolom(men) ontbreken: latende_gemeente" in result.stderr
    assert "onbekende kolom(men): 'latende'" in result.stderr


def test_empty_file_is_refused(app, tmp_path):
    path = tmp_path / "leeg.csv"
    path.write_text("", encoding="utf-8")
    result = run(app, str(path), "--peildatum", "2022-01-01")
    assert result.exit_code == 2 and "leeg bestand" in result.stderr


def test_bad_peildatum_and_missing_file(app, tmp_path):
    path = write(tmp_path, [HEADER])
    bad = run(app, str(path), "--peildatum", "15-03-2022")
    assert bad.exit_code == 2 and "--peildatum" in bad.stderr
    missing = run(app, str(tmp_path / "nope.csv"), "--peildatum", "2022-01-01")
    assert missing.exit_code == 2 and "niet gevonden" in missing.stderr


def test_unknown_file_type(app, tmp_path):
    # .txt is what Excel calls a "Unicode-tekst" export, so it is read (wpb.tabular).
    path = tmp_path / "overdrachten.json"
    path.write_text(HEADER + "\n", encoding="utf-8")
    result = run(app, str(path), "--peildatum", "2022-01-01")
    assert result.exit_code == 2 and ".json" in result.stderr


def test_header_only_prints_the_header(app, tmp_path):
    result = run(app, str(write(tmp_path, [HEADER])), "--peildatum", "2022-01-01")
    assert result.exit_code == 0
    assert result.stdout == "id,verantwoordelijke_gemeente,regime\n"


# --- the reader ---------------------------------------------------------------------------


def test_semicolons_bom_dutch_dates_column_order_and_blank_lines(register):
    text = (
        "\ufeffaanleverdatum;id;afgerond_datum;afwijzingsdatum;ontvangende_gemeente;latende_gemeente\r\n"
        "31-10-2021;a;;;0599;0363\r\n"
        "\r\n"
        "01-11-2021;b;15-02-2022;;0599;0363\r\n"
    )
    read = read_csv_text(text, register)
    assert read.fouten == ()
    a, b = (r.overdracht for r in read.rijen)
    assert (a.id, a.aanleverdatum, a.latende_gemeente) == ("a", date(2021, 10, 31), "0363")
    assert (b.afgerond_datum, [r.regel for r in read.rijen]) == (date(2022, 2, 15), [2, 4])


def test_a_quoted_newline_keeps_line_numbers_right(register):
    text = HEADER + '\n"a\nb",0363,0599,2021-10-01,,\nc,0363,0599,bad,,\n'
    read = read_csv_text(text, register)
    assert [(f.regel, f.kolom) for f in read.fouten] == [(4, "aanleverdatum")]


def test_a_row_with_too_many_cells(register):
    read = read_csv_text(HEADER + "\nx,0363,0599,2021-10-01,,,extra\n", register)
    assert [(f.regel, f.kolom) for f in read.fouten] == [(2, None)]
    assert "7 velden" in read.fouten[0].probleem


def test_gemeentecode_must_have_four_digits_in_csv(register):
    read = read_csv_text(HEADER + "\nx,363,0599,2021-10-01,,\n", register)
    assert [(f.regel, f.kolom) for f in read.fouten] == [(2, "latende_gemeente")]


def test_csv_from_dutch_excel_is_windows_1252_with_semicolons(register, tmp_path):
    path = tmp_path / "excel.csv"
    text = HEADER.replace(",", ";") + "\r\nGüst;0363;0599;01-10-2021;;\r\n"
    path.write_bytes(text.encode("cp1252"))
    read = read_file(path, register)
    assert read.fouten == () and [r.overdracht.id for r in read.rijen] == ["Güst"]


def test_text_in_no_known_encoding_is_refused_naming_the_line(register, tmp_path):
    path = tmp_path / "kapot.csv"
    path.write_bytes(HEADER.encode() + b"\nx\x81,0363,0599,2021-10-01,,\n")
    with pytest.raises(BestandFout, match="UTF-8- of Windows-1252"):
        read_file(path, register)


# --- XLSX -----------------------------------------------------------------------------------


def make_xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_xlsx_with_date_cells_and_numeric_codes(app, tmp_path, register):
    path = make_xlsx(
        tmp_path / "overdrachten.xlsx",
        [
            HEADER.split(","),
            ["a", 363, 599, datetime(2021, 10, 31), None, None],
            [7, "0363", "0599", "2021-11-01", None, "2022-02-01"],
            ["c", "0363", "0599", datetime(2021, 10, 1, 14, 30), None, None],
        ],
    )
    read = read_file(path, register)
    assert [(f.regel, f.kolom) for f in read.fouten] == [(4, "aanleverdatum")]
    assert "tijd" in read.fouten[0].probleem
    a, seven = (r.overdracht for r in read.rijen)
    assert (a.latende_gemeente, a.ontvangende_gemeente, a.aanleverdatum) == (
        "0363", "0599", date(2021, 10, 31))
    assert seven.id == "7"  # an id is not padded like a gemeentecode

    result = run(app, str(path), "--peildatum", "2022-01-15", "--skip-invalid")
    assert result.exit_code == 0
    assert output_rows(result.stdout)[1:] == [["a", "0599", "1-november-maatregel"], ["7", "0363", "1-november-maatregel"]]
    assert "regel 4, kolom aanleverdatum" in result.stderr


def test_a_file_that_is_no_workbook(register, tmp_path):
    path = tmp_path / "kapot.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(BestandFout, match="XLSX"):
        read_file(path, register)


# --- issue 16: vanaf (the law regime) and a reconsidered rejection ------------------------------


def test_a_rejection_later_afgerond_is_answered_as_part_b_until_afgerond(app, tmp_path):
    # Rejected before 1 November, after talks accepted and afgerond on 2022-04-01 by the
    # same gemeente: factsheet part B keeps the latende until afgerond.
    path = write(tmp_path, [HEADER, "h,0363,0599,2021-10-01,2021-10-20,2022-04-01"])
    before = run(app, str(path), "--peildatum", "2022-03-31")
    on = run(app, str(path), "--peildatum", "2022-04-01")
    assert before.exit_code == 0 and on.exit_code == 0, before.stderr
    assert output_rows(before.stdout)[1] == ["h", "0363", "1-november-maatregel"]
    assert output_rows(on.stdout)[1] == ["h", "0599", "1-november-maatregel"]


VANAF_HEADER = HEADER + ",vanaf"


def test_vanaf_column_chooses_the_law_regime_and_names_its_source(app, tmp_path):
    path = write(tmp_path, [
        VANAF_HEADER,
        "wet,0344,0363,2026-03-20,,2026-04-02,2026-03-10",  # today's transfer
        "mig,0363,0599,2021-10-01,,,",  # empty vanaf: the migratiegroep
        "mig2,0363,0599,2021-11-15,,,2022-01-01",  # vanaf on 2022-01-01: the migratiegroep
    ])
    result = run(app, str(path), "--peildatum", "2026-03-10", "--details")
    assert result.exit_code == 0, result.stderr
    rows = {r[0]: r for r in output_rows(result.stdout)[1:]}
    assert rows["wet"][1:5] == ["0363", "jeugdwet", "ontvangende_gemeente", "wet_vanaf"]
    assert rows["wet"][5].startswith("Jeugdwet, artikel 1.1 (woonplaats)")
    assert "woonplaatsbeginsel.info/faq" in rows["wet"][5]
    assert rows["mig"][1:3] == ["0599", "1-november-maatregel"]
    assert rows["mig2"][1:3] == ["0363", "1-november-maatregel"]  # part B, not afgerond
    day_before = run(app, str(path), "--peildatum", "2026-03-09")
    assert output_rows(day_before.stdout)[1] == ["wet", "0344", "jeugdwet"]


def test_vanaf_before_2022_is_refused_naming_line_column_and_reason(app, tmp_path):
    path = write(tmp_path, [VANAF_HEADER, "oud,0344,0363,2026-03-20,,,2021-12-31"])
    result = run(app, str(path), "--peildatum", "2026-03-10")
    assert result.exit_code == 2 and result.stdout == ""
    assert "regel 2, kolom vanaf: 2021-12-31 ligt vóór 2022-01-01" in result.stderr


def test_the_settlement_reads_the_same_vanaf_column_into_the_transfer(register):
    # One column, documented once (docs/overgang.md): wpb verreken --overdrachten reads it too.
    from wpb.verrekening.overdrachten import read_overdrachten_csv

    header = "id,bsn,latende_gemeente,ontvangende_gemeente,aanleverdatum,afwijzingsdatum,afgerond_datum,vanaf"
    ((_, o),) = read_overdrachten_csv(f"{header}\nT-1,999990019,0344,0363,2026-03-20,,,10-03-2026\n",
                                      register=register)
    read = read_csv_text(VANAF_HEADER + "\nT-1,0344,0363,2026-03-20,,,10-03-2026\n", register)
    assert o.vanaf == read.rijen[0].overdracht.vanaf == date(2026, 3, 10)


def test_xlsx_vanaf_as_a_date_cell(tmp_path, register):
    path = make_xlsx(tmp_path / "wet.xlsx", [
        VANAF_HEADER.split(","),
        ["w", "0344", "0363", datetime(2026, 3, 20), None, None, datetime(2026, 3, 10)],
    ])
    read = read_file(path, register)
    assert read.fouten == () and read.rijen[0].overdracht.vanaf == date(2026, 3, 10)
