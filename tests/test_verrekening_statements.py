"""Statements per gemeente (XLSX, PDF) and the net positions chart contain no BSN: youths
appear only by their keyed pseudonym (HMAC-SHA256 with WPB_PSEUDONIEM_SLEUTEL)."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest

from wpb.law.verrekening.claims import bereken_claims
from wpb.law.verrekening.netting import salderen
from wpb.law.verrekening.overzicht import overzicht
from wpb.law.verrekening.pseudoniem import ZwakkeSleutel, is_pseudoniem, pseudoniem
from wpb.law.verrekening.tijdlijn import bouw_tijdlijnen
from wpb.verrekening.beslissingen import lees_beslissingen
from wpb.verrekening.invoices import lees_facturen
from wpb.verrekening.overdrachten import lees_overdrachten
from wpb.verrekening.sleutel import SleutelFout, pseudoniem_sleutel, pseudonimiseerder
from wpb.verrekening.statements import (
    euro,
    grafiek_png,
    pdf_bytes,
    schrijf_overzicht,
    statement_html,
    xlsx_bytes,
)

VOORBEELD = Path(__file__).resolve().parents[1] / "src" / "wpb" / "data" / "verrekening" / "voorbeeld"
KEY = b"een-geheime-sleutel-voor-de-test"


@pytest.fixture(scope="module")
def example():
    facturen = lees_facturen(VOORBEELD / "facturen.csv")
    tijdlijnen = bouw_tijdlijnen(
        lees_overdrachten(VOORBEELD / "overdrachten.csv"), lees_beslissingen(VOORBEELD / "beslissingen.json")
    )
    calc = bereken_claims(facturen, tijdlijnen, pseudoniem=lambda b: pseudoniem(b, KEY), ontstaan=date(2022, 6, 1))
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
    amounts = [row[9] for row in ontvangen.iter_rows(min_row=2, values_only=True)]
    assert round(sum(amounts) * 100) == 1310001


def test_pdf_and_html_have_no_bsn(example):
    from pypdf import PdfReader

    claims, bsns = example
    for gemeente in ("0344", "0599"):
        o = overzicht(claims, gemeente)
        page = statement_html(o, naam, date(2022, 6, 1), grafiek_png(salderen(claims).saldi, naam))
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
    page = statement_html(o, lambda code: "<script>x</script>", date(2022, 6, 1))
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_chart_is_a_png(example):
    claims, _ = example
    png = grafiek_png(salderen(claims).saldi, naam)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000


def test_write_statement_files(tmp_path, example):
    claims, bsns = example
    written = schrijf_overzicht(overzicht(claims, "0344"), tmp_path, naam, date(2022, 6, 1),
                                saldi=salderen(claims).saldi)
    assert sorted(p.name for p in written) == ["nettoposities.png", "overzicht-0344.pdf", "overzicht-0344.xlsx"]
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
