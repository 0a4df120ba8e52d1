"""Country names from BRP Tabel 34 (landentabel) in the toelichting (issue 17 items 12, 13)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from wpb import refdata
from wpb.brp.haal_centraal import parse_case
from wpb.law.engine import decide

SHARED = Path(__file__).parents[2] / ".." / "shared"
TABEL_34 = SHARED / "data" / "brp" / "tabellen" / "tabel34-landentabel.csv"


def _case(land: dict) -> dict:
    """A youth who lived abroad until the stay began: 4°, and the toelichting names the country."""
    return {
        "peildatum": "2023-01-10",
        "jeugdige": {
            "geboorte": {"datum": {"type": "Datum", "datum": "2010-03-01"}},
            "verblijfplaatshistorie": [
                {"type": "Adres", "datumVan": {"type": "Datum", "datum": "2010-03-01"},
                 "datumTot": {"type": "Datum", "datum": "2019-01-01"},
                 "gemeenteVanInschrijving": {"code": "0014"}},
                {"type": "VerblijfplaatsBuitenland", "datumVan": {"type": "Datum", "datum": "2019-01-01"},
                 "datumTot": {"type": "Datum", "datum": "2022-09-01"}, "verblijfadres": {"land": land}},
                {"type": "Adres", "datumVan": {"type": "Datum", "datum": "2022-09-01"},
                 "gemeenteVanInschrijving": {"code": "0200"}},
            ],
        },
        "jeugdhulp": [{"begin": "2022-09-01", "einde": None, "verblijf": True,
                       "vorm": "jeugdhulpaanbieder"}],
        "werkelijkeVerblijfplaats": {"gemeente": {"code": "0193"}},
    }


def test_the_register_reads_country_names_from_the_bundled_table(register):
    assert register.land_naam("5010") == "België"
    assert register.land_naam("6030") == "Nederland"
    assert register.land_naam("5004") == "Rhodesië"  # ended countries stay readable
    assert register.land_naam("9876") is None


@pytest.mark.parametrize("land", [{"code": "5010"}, {"code": "5010", "omschrijving": "Belgie"}])
def test_the_toelichting_names_the_country_from_tabel_34_not_the_code(register, land):
    decision = decide(parse_case(_case(land), register), register)
    assert decision.onderdeel == 4 and decision.gemeente_code == "0193"
    assert "België (landcode 5010)" in decision.toelichting, decision.toelichting
    assert "Belgie " not in decision.toelichting


def test_a_code_the_table_lacks_keeps_the_name_the_input_gave(register):
    decision = decide(parse_case(_case({"code": "9876", "omschrijving": "Atlantis"}), register), register)
    assert "Atlantis (landcode 9876)" in decision.toelichting


def test_a_bad_row_is_refused_with_file_line_and_field():
    with pytest.raises(refdata.RefdataError) as err:
        refdata.parse_landen("code,naam,einde\n5010,België,\n501,Frankrijk,\n5010,Belgie,\n")
    text = str(err.value)
    assert "landen.csv:3: veld 'code'" in text and "landen.csv:4: veld 'code': 5010" in text


@pytest.mark.shared
@pytest.mark.skipif(not TABEL_34.is_file(), reason=f"reference material {TABEL_34} is absent")
def test_the_bundled_table_is_tabel_34():
    with TABEL_34.open(encoding="utf-8-sig", newline="") as f:
        t34 = {r["94.10 Landcode"]: r for r in csv.DictReader(f)}
    ours = refdata.parse_landen(refdata._read_text(refdata.LANDEN_FILE))
    assert set(ours) == set(t34)
    for code, row in t34.items():
        assert ours[code] == row["94.11 Omschrijving"], code
    with (Path(refdata.__file__).parent / "data" / "landen.csv").open(encoding="utf-8") as f:
        einde = {r["code"]: r["einde"] for r in csv.DictReader(f)}
    for code, row in t34.items():
        raw = row["99.99 Datum einde"]
        expected = date(int(raw[:4]), int(raw[4:6]), int(raw[6:])).isoformat() if raw else ""
        assert einde[code] == expected, code
