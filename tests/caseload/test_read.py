"""The caseload export: columns from the issue, the JZ020 stay rule, every bad row named."""

from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from caseload.helpers import KOP, csv_bytes, proef_bsns
from wpb.caseload import table
from wpb.caseload.read import OngeldigeInvoer, bevestig, read_content

BSN, BSN2 = proef_bsns(2)


def lees(data: bytes, register, naam: str = "clienten.csv", **kw):
    return read_content(data, naam, register, **kw)


def test_a_valid_export_reads_every_column(register):
    header = KOP + ";verblijf;wet;vorm;verblijf_sinds;toewijzingnummer"
    data = csv_bytes(
        header,
        f"{BSN};2012-05-01;12345678;46;46A01;2026-01-01;;ja;jeugdwet;opvang;2025-06-01;T-1",
        f"{BSN2};2010-03-03;12345678;45;45A02;2025-02-01;2026-03-31;;;;;",
    )
    result = lees(data, register)
    assert result.fouten == ()
    first, second = result.toewijzingen
    assert first.verblijf is True and not first.verblijf_uit_categorie
    assert first.vorm == "opvang" and first.verblijf_sinds == date(2025, 6, 1)
    assert first.einddatum is None and first.toewijzingnummer == "T-1"
    assert second.verblijf is False and second.verblijf_uit_categorie
    assert second.einddatum == date(2026, 3, 31)
    assert bevestig(result) == result.toewijzingen


@pytest.mark.parametrize(
    ("categorie", "verblijf"),
    [("43", True), ("44", True), ("35", True), ("38", True), ("45", False), ("31", False),
     ("34", False)],
)
def test_the_product_category_decides_verblijf_when_the_column_is_absent(register, categorie, verblijf):
    result = lees(csv_bytes(KOP, f"{BSN};2012-05-01;12345678;{categorie};X;2026-01-01;"), register)
    assert result.fouten == ()
    assert result.toewijzingen[0].verblijf is verblijf


@pytest.mark.parametrize("categorie", ["46", "47", "54"])
def test_a_category_that_does_not_settle_it_needs_the_verblijf_column(register, categorie):
    result = lees(csv_bytes(KOP, f"{BSN};2012-05-01;12345678;{categorie};X;2026-01-01;"), register)
    assert [(f.regel, f.kolom) for f in result.fouten] == [(2, "verblijf")]
    with pytest.raises(OngeldigeInvoer):
        bevestig(result)


def test_every_bad_row_is_named_and_no_bsn_is_shown(register):
    bad_bsn = BSN[:-1] + str((int(BSN[-1]) + 1) % 10)  # fails the 11-proef
    data = csv_bytes(
        KOP,
        f"{BSN};2012-05-01;12345678;45;X;2026-01-01;",
        f"{bad_bsn};2012-05-01;12345678;45;X;2026-01-01;",
        f"{BSN2};2012-13-01;1234;99;X;2026-02-01;2026-01-01",
        f"{BSN2};2012-05-01;{BSN};45;X;2026-01-01;",
    )
    result = lees(data, register)
    named = {(f.regel, f.kolom) for f in result.fouten}
    assert (3, "bsn") in named
    assert {(4, "geboortedatum"), (4, "aanbieder_agb"), (4, "productcategorie"),
            (4, "einddatum")} <= named
    assert (5, "aanbieder_agb") in named
    assert result.foute_regels == (3, 4, 5)
    for fout in result.fouten:
        assert bad_bsn not in str(fout) and BSN not in str(fout)
    assert any(bad_bsn[-3:] in str(f) for f in result.fouten if f.kolom == "bsn")
    with pytest.raises(OngeldigeInvoer):
        bevestig(result)
    assert len(bevestig(result, alleen_geldige=True)) == 1


def test_a_missing_column_is_a_file_error_that_even_confirmation_does_not_pass(register):
    result = lees(csv_bytes("bsn;geboortedatum", f"{BSN};2012-05-01"), register)
    assert result.onleesbaar
    assert {f.kolom for f in result.fouten} >= {"aanbieder_agb", "begindatum", "einddatum"}
    with pytest.raises(OngeldigeInvoer):
        bevestig(result, alleen_geldige=True)


def test_the_same_toewijzing_twice_is_named_on_the_second_row(register):
    data = csv_bytes(KOP, *[f"{BSN};2012-05-01;12345678;45;X;2026-01-01;"] * 2)
    result = lees(data, register)
    assert [(f.regel, "regel 2" in f.reden) for f in result.fouten] == [(3, True)]


def test_wmo_rows_carry_the_aanmelding(register):
    header = KOP + ";wet;aanmeldgemeente;aanmelddatum;indicatie_begin"
    data = csv_bytes(header, f"{BSN};1990-01-01;12345678;;BW1;2026-02-01;;wmo-bw;0344;2026-01-15;")
    (t,) = lees(data, register).toewijzingen
    assert (t.wet, t.aanmeldgemeente, t.aanmelddatum, t.verblijf) == (
        "wmo-bw", "0344", date(2026, 1, 15), True)
    jeugd = lees(csv_bytes(header, f"{BSN};2012-01-01;12345678;45;X;2026-02-01;;;0344;;"), register)
    assert [(f.regel, f.kolom) for f in jeugd.fouten] == [(2, "aanmeldgemeente")]


def test_xlsx_with_date_cells_reads_like_csv(register):
    wb = Workbook()
    ws = wb.active
    ws.append(KOP.split(";"))
    ws.append([BSN, date(2012, 5, 1), "12345678", 43, "43A", date(2026, 1, 1), None])
    buf = io.BytesIO()
    wb.save(buf)
    result = lees(buf.getvalue(), register, "clienten.xlsx")
    assert result.fouten == ()
    (t,) = result.toewijzingen
    assert (t.geboortedatum, t.productcategorie, t.verblijf) == (date(2012, 5, 1), "43", True)


def test_windows_1252_with_commas_is_read(register):
    data = (KOP.replace(";", ",") + ",vorm\n" + f"{BSN},2012-05-01,12345678,45,é,2026-01-01,,\n")
    result = lees(data.encode("cp1252"), register)
    assert result.fouten == ()
    assert result.toewijzingen[0].productcode == "é"


def test_the_caseload_has_its_own_row_limit_of_100000(register):
    assert table.MAX_ROWS == 100_000
    rows = [f"{BSN};2012-05-01;12345678;45;X{i};2026-01-01;" for i in range(4)]
    result = lees(csv_bytes(KOP, *rows), register, max_rows=3)
    assert result.onleesbaar and "meer dan 3 regels" in result.fouten[0].reden


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["good", "bsn", "date", "agb"]), min_size=1, max_size=12))
def test_valid_and_bad_rows_partition_the_input(register, kinds):
    """Every row is either kept or named, never both, never neither."""
    bsns = proef_bsns(len(kinds), start=999_991_000)
    rows = []
    for i, (kind, bsn) in enumerate(zip(kinds, bsns, strict=True)):
        row = [bsn, "2012-05-01", "12345678", "45", f"P{i}", "2026-01-01", ""]
        if kind == "bsn":
            row[0] = bsn[:8] + str((int(bsn[8]) + 1) % 10)
        elif kind == "date":
            row[5] = "2026-02-30"
        elif kind == "agb":
            row[2] = "12"
        rows.append(";".join(row))
    result = lees(csv_bytes(KOP, *rows), register)
    kept = {int(t.bron.split()[1]) for t in result.toewijzingen}
    bad = set(result.foute_regels)
    assert kept.isdisjoint(bad)
    assert kept | bad == set(range(2, len(kinds) + 2))
    assert len(kept) == kinds.count("good")
