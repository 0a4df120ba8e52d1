"""Statements per gemeente (XLSX, PDF) and the net positions chart contain no BSN: youths
appear only by their keyed pseudonym (HMAC-SHA256 with WPB_PSEUDONIEM_SLEUTEL)."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest

from wpb.law.verrekening.claims import compute_claims
from wpb.law.verrekening.netting import salderen
from wpb.law.verrekening.overzicht import overzicht
from wpb.law.verrekening.pseudoniem import ZwakkeSleutel, is_pseudoniem, pseudoniem
from wpb.law.verrekening.tijdlijn import build_tijdlijnen
from wpb.verrekening.beslissingen import read_beslissingen
from wpb.verrekening.factuur_reader import read_facturen
from wpb.verrekening.overdrachten import read_overdrachten
from wpb.verrekening.overzicht_writer import (
    euro,
    grafiek_png,
    overzicht_html,
    pdf_bytes,
    write_overzicht,
    xlsx_bytes,
)
from wpb.verrekening.sleutel import SleutelFout, pseudoniem_sleutel, pseudonimiseerder

VOORBEELD = Path(__file__).resolve().parents[2] / "src" / "wpb" / "data" / "verrekening" / "voorbeeld"
KEY = b"een-geheime-sleutel-voor-de-test"


@pytest.fixture(scope="module")
def example():
    facturen = read_facturen(VOORBEELD / "facturen.csv")
    tijdlijnen = build_tijdlijnen(
        read_overdrachten(VOORBEELD / "overdrachten.csv"), read_beslissingen(VOORBEELD / "beslissingen.json")
    )
    calc = compute_claims(facturen, tijdlijnen, pseudoniem=lambda b: pseudoniem(b, KEY), ontstaan=date(2022, 6, 1))
    bsns = {f.bsn for f in facturen}
    return calc.claims, bsns


def naam(code):
    return {"0344": "Utrecht", "0599": "Rotterdam"}.get(code, code)


def test_pseudonym_is_stable_keyed_and_well_formed():
    a = pseudoniem("999990019", KEY)
    assert a == pseudoniem("999990019", KEY)
    assert a != pseudoniem("999990020", KEY)
    assert a != pseudoniem("999990019", b"another-secret-key-of-enough-length")
    assert is_pseudoniem(a) and "999990019" not in a


def test_weak_or_missing_key_is_refused():
    with pytest.raises(ZwakkeSleutel):
        pseudoniem("999990019", b"short")
    with pytest.raises(ValueError):
        pseudoniem("123456789", KEY)
    with pytest.raises(SleutelFout, match="niet gezet"):
        pseudoniem_sleutel({})
    with pytest.raises(SleutelFout, match="te kort"):
        pseudoniem_sleutel({"WPB_PSEUDONIEM_SLEUTEL": "kort"})
    p = pseudonimiseerder({"WPB_PSEUDONIEM_SLEUTEL": KEY.decode()})
    assert p("999990019") == pseudoniem("999990019", KEY)


def test_euro_notation():
    assert euro(123456789) == "€ 1.234.567,89"
    assert euro(-5) == "-€ 0,05"
    assert euro(0) == "€ 0,00"


def test_statement_totals_per_counterparty(example):
    claims, _ = example
    o = overzicht(claims, "0344")
    assert [(t.gemeente, t.totaal_ontvangen, t.totaal_betalen) for t in o.tegenpartijen] == [
        ("0307", 310000, 0), ("0457", 100001, 0), ("0599", 900000, 0),
    ]
    assert o.netto == 1310001
    r = overzicht(claims, "0599")
    # Rotterdam pre-financed under part B: F-1002 (280 001) and January of F-1003 (30 000).
    assert (r.totaal_ontvangen, r.totaal_betalen) == (310001, 900000)


def test_xlsx_has_no_bsn_and_exact_amounts(example):
    from openpyxl import load_workbook

    claims, bsns = example
    o = overzicht(claims, "0344")
    wb = load_workbook(io.BytesIO(xlsx_bytes(o, naam, date(2022, 6, 1))))
    texts = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    for text in texts:
        for bsn in bsns:
            assert bsn not in text
    # The youths are there, by pseudonym.
    expected = {c.jeugdige for t in o.tegenpartijen for c in t.te_ontvangen}
    assert expected and expected == {t for t in texts if is_pseudoniem(t)}
    ontvangen = wb["Te ontvangen"]
    header = [c.value for c in ontvangen[1]]
    amounts = [row[header.index("bedrag (€)")] for row in ontvangen.iter_rows(min_row=2, values_only=True)]
    assert round(sum(amounts) * 100) == 1310001


def test_pdf_and_html_have_no_bsn(example):
    from pypdf import PdfReader

    claims, bsns = example
    for gemeente in ("0344", "0599"):
        o = overzicht(claims, gemeente)
        page = overzicht_html(o, naam, date(2022, 6, 1), grafiek_png(salderen(claims).saldi, naam))
        for bsn in bsns:
            assert bsn not in page
        reader = PdfReader(io.BytesIO(pdf_bytes(page)))
        text = "".join(p.extract_text() for p in reader.pages)
        flat = re.sub(r"\s+", "", text)
        for bsn in bsns:
            assert bsn not in flat
        assert "Verrekenoverzicht" in text
        assert euro(o.netto).replace(" ", "") in flat


def test_html_escapes_values(example):
    claims, _ = example
    o = overzicht(claims, "0344")
    page = overzicht_html(o, lambda code: "<script>x</script>", date(2022, 6, 1))
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_chart_is_a_png(example):
    claims, _ = example
    png = grafiek_png(salderen(claims).saldi, naam)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000


def test_write_statement_files(tmp_path, example):
    claims, bsns = example
    written = write_overzicht(overzicht(claims, "0344"), tmp_path, naam, date(2022, 6, 1),
                                saldi=salderen(claims).saldi)
    assert sorted(p.name for p in written) == [
        "nettoposities.png", "overzicht-0344.pdf", "overzicht-0344.png", "overzicht-0344.xlsx",
    ]
    assert all(p.stat().st_size > 0 for p in written)


def test_statement_shows_outstanding_claims_with_their_state(example):
    from dataclasses import replace

    from wpb.law.verrekening.claims import ClaimStatus

    claims, _ = example
    states = {"0307": ClaimStatus.BETAALD, "0457": ClaimStatus.BETWIST, "0599": ClaimStatus.ERKEND}
    changed = [replace(c, status=states[c.schuldenaar]) if c.schuldeiser == "0344" else c for c in claims]
    o = overzicht(changed, "0344")
    assert [(t.gemeente, [c.status for c in t.te_ontvangen]) for t in o.tegenpartijen] == [
        ("0457", [ClaimStatus.BETWIST]), ("0599", [ClaimStatus.ERKEND]),
    ]
    assert o.totaal_ontvangen == 100001 + 900000


# --- what a controller books on (issue 18, item 2) ------------------------------------------


def test_every_claim_line_carries_invoice_number_dates_and_provider(example):
    """F-1002 (facturen.csv): provider 41123456, invoice period 2022-02-01..2022-02-28, paid
    2022-03-15; Rotterdam's claim on Den Haag for it must show all four."""
    from openpyxl import load_workbook

    claims, _ = example
    wb = load_workbook(io.BytesIO(xlsx_bytes(overzicht(claims, "0599"), naam, date(2022, 6, 1))))
    sheet = wb["Te ontvangen"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    (f1002,) = [r for r in rows if r["factuurnummer"] == "F-1002"]
    assert f1002["aanbieder (AGB)"] == "41123456"
    assert f1002["factuurperiode van"].date() == date(2022, 2, 1)
    assert f1002["factuurperiode tot en met"].date() == date(2022, 2, 28)
    assert f1002["betaaldatum"].date() == date(2022, 3, 15)
    page = overzicht_html(overzicht(claims, "0599"), naam, date(2022, 6, 1))
    assert "F-1002" in page and "2022-02-01 t/m 2022-02-28" in page and "2022-03-15" in page


def test_invoice_dates_come_from_the_invoices_for_claims_stored_without_them(example):
    from dataclasses import replace

    from openpyxl import load_workbook

    claims, _ = example
    bare = [replace(c, factuur_begin=None, factuur_einde=None, betaaldatum=None) for c in claims]
    facturen = {f.sleutel: f for f in read_facturen(VOORBEELD / "facturen.csv")}
    wb = load_workbook(io.BytesIO(xlsx_bytes(overzicht(bare, "0599"), naam, date(2022, 6, 1), facturen)))
    header = [c.value for c in wb["Te ontvangen"][1]]
    values = [dict(zip(header, r, strict=True)) for r in wb["Te ontvangen"].iter_rows(min_row=2, values_only=True)]
    assert {r["betaaldatum"].date() for r in values if r["factuurnummer"] == "F-1003"} == {date(2022, 2, 1)}


def test_youth_counts_are_whole_numbers(example):
    from openpyxl import load_workbook

    claims, _ = example
    wb = load_workbook(io.BytesIO(xlsx_bytes(overzicht(claims, "0344"), naam, date(2022, 6, 1))))
    ws = wb["Samenvatting"]
    header = [c.value for c in ws[5]]
    col = header.index("jeugdigen")
    counts = [row[col] for row in ws.iter_rows(min_row=6, values_only=True)]
    # 0307, 0457, 0599: one youth each (999990007, 999990032, 999990020); total 3.
    assert counts == [1, 1, 1, 3] and all(type(n) is int for n in counts)
    assert all(ws.cell(r, col + 1).number_format == "0" for r in range(6, 10))


def test_the_chart_shows_the_positions_of_the_table_with_the_same_sign(example):
    """0599's table: to receive 310 001 from 0518 (F-1002, F-1003) and to pay 900 000 to
    0344 (F-1004): so +€ 3.100,01 for Den Haag and -€ 9.000,00 for Utrecht, in the chart as
    in the table (the service drew the counterparties with the opposite sign)."""
    from wpb.verrekening.overzicht_writer import overzicht_grafiek_png, overzicht_posities

    claims, _ = example
    o = overzicht(claims, "0599")
    assert overzicht_posities(o) == [(t.gemeente, t.netto) for t in o.tegenpartijen]
    assert dict(overzicht_posities(o)) == {"0344": -900000, "0518": 310001}
    assert overzicht_grafiek_png(o, naam).startswith(b"\x89PNG")


def test_chart_labels_and_axis_use_the_tables_notation():
    from wpb.verrekening.overzicht_writer import euro_as

    assert euro_as(12500.0) == "€ 12.500" and euro_as(-1234567.4) == "-€ 1.234.567"
    assert euro(-90000000) == "-€ 900.000,00"


def test_no_text_cell_of_a_statement_becomes_a_formula(example):
    """Finding S3: a product text imported by one gemeente must not run in the statement of
    another. Every start a spreadsheet reads as a formula is tried."""
    from dataclasses import replace

    from openpyxl import load_workbook

    claims, _ = example
    attacks = ['=HYPERLINK("http://x","klik")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
    evil = [replace(c, product=attacks[i % len(attacks)]) for i, c in enumerate(claims)]
    data = xlsx_bytes(overzicht(evil, "0344"), lambda code: "=1+1", date(2022, 6, 1))
    wb = load_workbook(io.BytesIO(data))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    products = {c.value for c in cells if isinstance(c.value, str) and c.value in attacks}
    assert products  # the text itself is kept, as text
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
