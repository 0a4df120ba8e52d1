"""Reading budget inputs and parameters: CSV, XLSX and Parquet, with errors naming file, row, field."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from wpb import refdata
from wpb.budget import inputs
from wpb.budget.example import build_example
from wpb.law.budget.inputs import InvalidBudgetInput
from wpb.law.budget.t2 import Soort

REGISTER = refdata.gemeente_register()
EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "wpb" / "data" / "budget" / "voorbeeld"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(excinfo) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def test_bundled_parameters_are_date_keyed_with_sources():
    params = inputs.read_parameters()
    assert params.ingroeipad.years == tuple(range(2021, 2032))
    assert params.ingroeipad.value(2021) == 0 and params.ingroeipad.value(2031) == 1
    assert params.ingroeipad.value(2026) == Fraction(1, 2)
    assert params.wlz_uitname.in_force(2025).value == Fraction(3, 10)
    assert params.wlz_uitname.in_force(2020) is None
    assert all(v.source for v in params.macrobudget)
    # the bundled macro budgets are example values and say so
    assert params.synthetic_years(params.macrobudget, [2021, 2031]) == [2021, 2031]
    assert params.synthetic_years(params.ingroeipad, [2021]) == []


def test_bundled_example_is_what_the_generator_builds():
    files = build_example(REGISTER, refdata.jeugdregio_indeling())
    for name, text in files.items():
        assert (EXAMPLE / name).read_text(encoding="utf-8") == text, name
    assert sorted(p.name for p in EXAMPLE.glob("*.csv")) == sorted(files)


def test_example_inputs_read_cleanly():
    hist, _ = inputs.read_historisch(EXAMPLE / "historisch.csv", REGISTER)
    leden, _ = inputs.read_regios(EXAMPLE / "regios.csv", REGISTER)
    obj, _ = inputs.read_objectief(EXAMPLE / "objectief.csv", REGISTER)
    flow, _ = inputs.read_wlz_uitstroom(EXAMPLE / "wlz_uitstroom.csv", REGISTER)
    rows, _, unit = inputs.read_t2(EXAMPLE / "t2_zorggebruik.csv", REGISTER)
    assert len(hist) == 4 and len(flow) == 4 and len(leden) == len(obj) == 33
    assert sum(o.aandeel for o in obj) == 1
    assert unit == "kosten" and {r.jaar for r in rows} == {2020}  # budget 2022 only
    assert [(f.centrumgemeente, f.wegvallende_kosten) for f in flow][:2] == [
        ("0014", 2_808_000_000), ("0106", 930_000_000)]


def test_amounts_are_exact_cents(tmp_path):
    path = write(tmp_path, "h.csv", "centrumgemeente,bedrag\n0014,1234567.89\nGM0106,0.1\n")
    hist, source = inputs.read_historisch(path, REGISTER)
    assert source == "h.csv"
    assert [(h.centrumgemeente, h.bedrag, h.bron) for h in hist] == [
        ("0014", 123456789, "h.csv regel 2"),
        ("0106", 10, "h.csv regel 3"),
    ]


def test_semicolon_csv_with_decimal_comma(tmp_path):
    path = write(tmp_path, "o.csv", "gemeentecode;aandeel\n0014;0,75\n0034;0,25\n")
    obj, _ = inputs.read_objectief(path, REGISTER)
    assert [(o.gemeente, o.aandeel) for o in obj] == [
        ("0014", Fraction(3, 4)),
        ("0034", Fraction(1, 4)),
    ]


def test_what_dutch_excel_saves_is_read_alike(tmp_path):
    # "CSV" (Windows-1252, ';', CR/LF) and "Unicode-tekst" (UTF-16 with BOM, tabs).
    rows = "gemeentecode{d}aandeel\r\n0014{d}0,75\r\n0034{d}0,25\r\n"
    for name, data in (
        ("csv.csv", rows.format(d=";").encode("cp1252")),
        ("unicode.txt", b"\xff\xfe" + rows.format(d="\t").encode("utf-16-le")),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        obj, _ = inputs.read_objectief(path, REGISTER)
        assert [(o.gemeente, o.aandeel, o.bron) for o in obj] == [
            ("0014", Fraction(3, 4), f"{name} regel 2"),
            ("0034", Fraction(1, 4), f"{name} regel 3"),
        ], name


def test_unreadable_text_names_the_file_and_line(tmp_path):
    path = tmp_path / "o.csv"
    path.write_bytes(b"gemeentecode;aandeel\r\n0014;0,75\x81\r\n")
    with pytest.raises(InvalidBudgetInput) as caught:
        inputs.read_objectief(path, REGISTER)
    assert "o.csv regel 2" in problems(caught)[0] and "Windows-1252" in problems(caught)[0]


def test_bad_cells_name_file_row_field_and_reason(tmp_path):
    path = write(
        tmp_path,
        "historisch.csv",
        "centrumgemeente,bedrag\n"
        "0014,-5\n"  # regel 2: negative
        "9998,10\n"  # regel 3: unknown code
        "0106,1.234.567\n"  # regel 4: thousands separators
        "0034,12.345\n"  # regel 5: more than two decimals
        "abc,\n",
    )  # regel 6: not a code, empty amount
    with pytest.raises(InvalidBudgetInput) as exc:
        inputs.read_historisch(path, REGISTER)
    found = problems(exc)
    assert "historisch.csv regel 2: veld 'bedrag': -5 is negatief" in found
    assert "historisch.csv regel 3: veld 'centrumgemeente': onbekende gemeentecode 9998" in found
    assert any(
        p.startswith("historisch.csv regel 4: veld 'bedrag': '1.234.567' is geen getal")
        for p in found
    )
    assert (
        "historisch.csv regel 5: veld 'bedrag': 12.345 heeft meer dan twee decimalen (euro's)"
        in found
    )
    assert "historisch.csv regel 6: veld 'centrumgemeente': 'abc' is geen gemeentecode" in found
    assert "historisch.csv regel 6: veld 'bedrag': leeg" in found


def test_a_row_with_more_fields_than_the_header_is_refused(tmp_path):
    # a decimal comma in a comma-separated file splits the amount: never keep half of it
    path = write(tmp_path, "h.csv", "centrumgemeente,bedrag\n0014,1234,56\n")
    with pytest.raises(InvalidBudgetInput) as exc:
        inputs.read_historisch(path, REGISTER)
    assert problems(exc) == ["h.csv regel 2: 3 velden, maar de kop heeft er 2"]


def test_thousands_separators_are_refused_not_guessed(tmp_path):
    path = write(tmp_path, "h.csv", 'centrumgemeente,bedrag\n0014,"1.234.567,89"\n')
    with pytest.raises(InvalidBudgetInput) as exc:
        inputs.read_historisch(path, REGISTER)
    assert problems(exc) == [
        "h.csv regel 2: veld 'bedrag': '1.234.567,89' is geen getal (gebruik geen "
        "scheidingsteken voor duizendtallen)"
    ]


def test_missing_column_is_named(tmp_path):
    path = write(tmp_path, "objectief.csv", "gemeentecode,aandel\n0014,1\n")
    with pytest.raises(InvalidBudgetInput) as exc:
        inputs.read_objectief(path, REGISTER)
    (problem,) = problems(exc)
    assert problem.startswith("objectief.csv: veld 'aandeel': kolom ontbreekt")
    assert "gevonden: gemeentecode, aandel" in problem


def test_missing_file_and_unknown_type(tmp_path):
    with pytest.raises(InvalidBudgetInput, match="bestand niet gevonden"):
        inputs.read_objectief(tmp_path / "nope.csv", REGISTER)
    with pytest.raises(InvalidBudgetInput, match="onbekend bestandstype"):
        inputs.read_objectief(write(tmp_path, "o.json", "{}"), REGISTER)


def test_xlsx_input_with_sheet_rows_and_numeric_codes(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["gemeentecode", "gemeentenaam", "aandeel"])
    ws.append([14, "Groningen", 0.75])  # a code typed as a number loses its zeros
    ws.append(["0034", "Almere", 0.25])
    ws.append(["0106", "Assen", -0.5])
    path = tmp_path / "objectief.xlsx"
    wb.save(path)
    with pytest.raises(InvalidBudgetInput) as exc:
        inputs.read_objectief(path, REGISTER)
    assert problems(exc) == ["objectief.xlsx rij 4: veld 'aandeel': -0.5 is negatief"]
    ws.delete_rows(4)
    wb.save(path)
    obj, _ = inputs.read_objectief(path, REGISTER)
    assert [(o.gemeente, o.aandeel, o.bron) for o in obj] == [
        ("0014", Fraction(3, 4), "objectief.xlsx rij 2"),
        ("0034", Fraction(1, 4), "objectief.xlsx rij 3"),
    ]


def test_xlsx_amount_typed_with_cents(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["centrumgemeente", "bedrag"])
    wb.active.append(["0014", 1234.56])  # stored as a binary float
    path = tmp_path / "h.xlsx"
    wb.save(path)
    hist, _ = inputs.read_historisch(path, REGISTER)
    assert hist[0].bedrag == 123456


def test_parameter_file_with_a_duplicate_year_and_bad_percentage(tmp_path):
    path = write(
        tmp_path, "w.csv", "jaar,objectief_procent,bron\n2021,0,x\n2021,10,x\n2022,110,x\n"
    )
    with pytest.raises(InvalidBudgetInput) as exc:
        inputs.read_parameters(ingroeipad=path)
    found = problems(exc)
    assert "w.csv regel 3: veld 'jaar': jaar 2021 staat ook op w.csv regel 2" in found
    assert "w.csv regel 4: veld 'objectief_procent': 110 is meer dan 100 %" in found


T2_HEADER = "persoon,jaar,soort,gemeente_geregistreerd,gemeente_2022,reden_review,kosten\n"


def test_t2_table_reads_review_rows_and_refuses_contradictions(tmp_path):
    path = write(
        tmp_path,
        "t2.csv",
        T2_HEADER
        + "P1,2020,voogdij,0014,,onvolledige_datum,100.50\n"
        + "P2,2020,18+,0014,0034,,200\n",
    )
    rows, source, unit = inputs.read_t2(path, REGISTER)
    assert (source, unit) == ("t2.csv", "kosten")
    assert rows[0].gemeente_2022 is None and rows[0].reden_review == "onvolledige_datum"
    assert rows[0].gebruik == Fraction(201, 2) and rows[1].soort is Soort.ACHTTIEN_PLUS
    bad = write(
        tmp_path,
        "t2b.csv",
        T2_HEADER
        + "P1,2020,pleegzorg,0014,0014,onvolledige_datum,1\n"
        + ",20,voogdij,0014,0014,,1\n",
    )
    with pytest.raises(InvalidBudgetInput) as exc:
        inputs.read_t2(bad, REGISTER)
    found = problems(exc)
    assert "t2b.csv regel 2: veld 'soort': 'pleegzorg' is geen 'voogdij' of '18+'" in found
    assert any(p.startswith("t2b.csv regel 2: veld 'reden_review'") for p in found)
    assert "t2b.csv regel 3: veld 'persoon': leeg" in found
    assert "t2b.csv regel 3: veld 'jaar': '20' is geen jaartal" in found


def test_t2_table_needs_exactly_one_unit(tmp_path):
    path = write(
        tmp_path,
        "t2.csv",
        T2_HEADER.replace("kosten", "kosten,volume") + "P1,2020,voogdij,0014,0014,,1,2\n",
    )
    with pytest.raises(InvalidBudgetInput, match="precies één van de kolommen"):
        inputs.read_t2(path, REGISTER)


def test_t2_table_from_parquet(tmp_path):
    import polars as pl

    path = tmp_path / "t2.parquet"
    pl.DataFrame(
        {
            "persoon": ["1", "2"],
            "jaar": [2020, 2020],
            "soort": ["voogdij", "18+"],
            "gemeente_geregistreerd": ["0014", None],
            "reden_geregistreerd": [None, "gezag_ontbreekt"],
            "gemeente_2022": ["0034", "0014"],
            "reden_review": [None, None],
            "volume": [366, 12],
        }
    ).write_parquet(path)
    rows, _, unit = inputs.read_t2(path, REGISTER)
    assert unit == "volume"
    assert rows[1].gemeente_geregistreerd is None
    assert rows[1].reden_geregistreerd == "gezag_ontbreekt"
    assert rows[1].bron == "t2.parquet rij 2" and rows[0].gebruik == 366
