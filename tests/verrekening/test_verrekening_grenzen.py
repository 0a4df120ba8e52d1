"""Bounds at import and computations that never crash on an extreme date (issue 19, S4/S6).

The bounds (wpb.law.verrekening.factuur): dates in 2015-01-01..2100-12-31 (the Jeugdwet is
in force from 2015-01-01; 9999-12-31 has no next day) and at most 10 million euro an
invoice. Each refused row is named with its line, column and reason.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpb.errors import InvalidInput
from wpb.law.overgang import Overdracht
from wpb.law.verrekening.claims import compute_claims
from wpb.law.verrekening.factuur import MAX_BEDRAG, Factuur, buiten_grenzen
from wpb.law.verrekening.tijdlijn import WoonplaatsBeslissing, build_tijdlijn
from wpb.law.verrekening.vangnet import plus_maanden
from wpb.verrekening.factuur_reader import KOLOMMEN, read_facturen_csv
from wpb.verrekening.overdrachten import read_overdrachten_csv
from wpb.verrekening.register import claims_uit_json
from wpb.verrekening.tabel import ImportFout

BSN = "999990019"
HEADER = ",".join(KOLOMMEN)


def row(ref="F-1", begin="2022-02-01", einde="2022-02-28", bedrag="280001", betaald="2022-03-15"):
    return f"{ref},{BSN},0599,41123456,45A48,{begin},{einde},{bedrag},{betaald}"


def problems(text):
    with pytest.raises(ImportFout) as exc:
        read_facturen_csv(text)
    return {(f.regel, f.kolom): f.probleem for f in exc.value.fouten}


def test_every_row_outside_the_bounds_is_named_with_row_column_and_reason():
    text = "\n".join([
        HEADER,
        row("F-1"),
        row("F-2", einde="9999-12-31"),  # finding S4
        row("F-3", begin="2014-12-31"),  # before the Jeugdwet
        row("F-4", bedrag=str(2**63)),  # finding S6
        row("F-5", bedrag=str(MAX_BEDRAG + 1)),
        row("F-6", betaald="2101-01-01"),
        row("F-7", bedrag="-5000"),  # a credit must be netted with its invoice first
    ]) + "\n"
    found = problems(text)
    assert set(found) == {
        (3, "einddatum"), (4, "begindatum"), (5, "bedrag_eurocent"), (6, "bedrag_eurocent"),
        (7, "betaaldatum"), (8, "bedrag_eurocent"),
    }
    assert "2100-12-31" in found[(3, "einddatum")]
    assert "2015-01-01" in found[(4, "begindatum")]
    assert "10 miljoen euro" in found[(5, "bedrag_eurocent")]
    assert "creditregel" in found[(8, "bedrag_eurocent")]


def test_the_bounds_themselves_are_accepted():
    (f,) = read_facturen_csv(f"{HEADER}\n{row(begin='2015-01-01', einde='2100-12-31', bedrag=str(MAX_BEDRAG))}\n")
    assert (f.begin, f.einde, f.bedrag) == (date(2015, 1, 1), date(2100, 12, 31), 1_000_000_000)


def test_a_negative_amount_is_accepted_only_as_a_credit_and_is_netted():
    """A credit row names the invoice it corrects (gecrediteerde_factuur); F-1 of 280 001
    less a credit of 80 001 leaves 200 000 paid; F-2 credited in full is no paid invoice."""
    header = HEADER + ",gecrediteerde_factuur"
    text = "\n".join([
        header,
        row("F-1") + ",",
        row("C-1", bedrag="-80001") + ",F-1",
        row("F-2", bedrag="5000") + ",",
        row("C-2", bedrag="-5000") + ",F-2",
    ]) + "\n"
    (f,) = read_facturen_csv(text)
    assert (f.referentie, f.bedrag) == ("F-1", 200000)
    bad = "\n".join([
        header,
        row("F-1") + ",",
        row("C-1", bedrag="80001") + ",F-1",  # a credit must be negative
        row("C-2", bedrag="-300000") + ",F-1",  # more than is left
        row("C-3", bedrag="-1") + ",F-9",  # no such invoice in the file
    ]) + "\n"
    found = problems(bad)
    assert set(found) == {(3, "bedrag_eurocent"), (4, "bedrag_eurocent"), (5, "gecrediteerde_factuur")}
    assert "negatief" in found[(3, "bedrag_eurocent")] and "groter" in found[(4, "bedrag_eurocent")]


def test_transfer_dates_have_the_same_bounds_and_vanaf_is_read():
    header = "id,bsn,latende_gemeente,ontvangende_gemeente,aanleverdatum,afwijzingsdatum,afgerond_datum,vanaf"
    good = f"T-1,{BSN},0344,0363,2026-03-20,,2026-04-02,2026-03-10"
    result = read_overdrachten_csv(f"{header}\n{good}\n")
    assert result.vanaf == {"T-1": date(2026, 3, 10)} and result[0][1].id == "T-1"
    bad = "\n".join([
        header,
        f"T-2,{BSN},0344,0363,2026-03-20,,9999-12-31,",
        f"T-3,{BSN},0344,0363,2026-03-20,,,2021-06-01",  # vanaf before the 2022 law
        f"T-4,{BSN},0344,0363,2026-03-20,,,9999-12-31",
    ]) + "\n"
    with pytest.raises(ImportFout) as exc:
        read_overdrachten_csv(bad)
    assert {(f.regel, f.kolom) for f in exc.value.fouten} == {(2, "afgerond_datum"), (3, "vanaf"), (4, "vanaf")}
    # Without the column nothing changes: the 1-november-maatregel for every transfer.
    plain = "id,bsn,latende_gemeente,ontvangende_gemeente,aanleverdatum,afwijzingsdatum,afgerond_datum"
    assert read_overdrachten_csv(f"{plain}\nT-1,{BSN},0344,0363,2021-10-01,,\n").vanaf == {}


# --- a stored invoice with an extreme date never crashes a computation ---------------------

NEAR_MAX = st.dates(min_value=date.max - timedelta(days=400), max_value=date.max)
ANY_DAY = st.one_of(NEAR_MAX, st.dates(min_value=date(2021, 1, 1), max_value=date(2023, 12, 31)))
B = Overdracht("T-B", "0599", "0518", aanleverdatum=date(2021, 11, 10), afgerond_datum=date(2022, 2, 15))


def stored(begin, einde, bedrag=1000):
    # Built as the service builds it from a stored row: the core does not refuse it.
    return Factuur("F-X", BSN, "0599", "41123456", "45A48", begin, einde, bedrag, einde)


@settings(max_examples=150, deadline=None)
@given(ANY_DAY, ANY_DAY, st.integers(1, 2**70), NEAR_MAX)
def test_claims_never_crash_on_dates_near_date_max(a, b, bedrag, far):
    begin, einde = min(a, b), max(a, b)
    f = stored(begin, einde, bedrag)
    decision = WoonplaatsBeslissing("W", BSN, "0363", far, "sha256:w", far)
    far_transfer = Overdracht("T-F", "0518", "0344", aanleverdatum=far, afgerond_datum=far)
    tl = build_tijdlijn(BSN, [B, far_transfer], [decision])
    r = compute_claims([f], {BSN: tl}, pseudoniem=lambda x: "J-TEST", ontstaan=date(2022, 6, 1))
    total = sum(c.bedrag for c in r.claims) + sum(d.bedrag for d in (*r.eigen, *r.onbepaald, *r.geweigerd))
    assert total == bedrag
    if buiten_grenzen(f):
        assert [g.factuur for g in r.geweigerd] == [f.sleutel] and r.claims == ()
        assert r.geweigerd[0].reden  # named, with the reason
    else:
        assert r.geweigerd == ()
    json.dumps(tl.to_json())  # every period can be written, its last day included


@given(NEAR_MAX, st.integers(0, 1200))
def test_vangnet_term_past_the_end_of_the_calendar_is_never(d, maanden):
    assert plus_maanden(d, maanden) >= d


def test_a_register_with_the_last_date_is_refused_not_crashed():
    claim = {"id": "VC-1", "soort": "claim", "factuur": "0599/41123456/F-1", "aanbieder": "41123456",
             "product": "45A48", "jeugdige": "J-X", "schuldeiser": "0599", "schuldenaar": "0518",
             "van": "2022-02-01", "totEnMet": "9999-12-31", "bedrag": 1, "grondslagen": [],
             "ontstaan": "2022-06-01", "status": "open"}
    with pytest.raises(InvalidInput, match="claims\\[0\\]"):
        claims_uit_json({"formaat": "wpb-verrekening-claims", "versie": 1, "claims": [claim]})
