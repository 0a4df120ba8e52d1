"""The GBA-V extract reader (LO GBA layout) and the woonplaats engine on what it reads.

Two kinds of tests:
- small extracts written in the test, one per LO GBA rule the reader applies (always run);
- the official GBA-V proefomgeving test set in ../shared (marked ``shared``): it must load
  completely, and the engine must answer for every person what the raw rows say, with the
  expectation computed here from the raw CSV by simple logic, not by the reader.

Facts used: LO GBA element numbers and date format (00 = unknown part), categorie 08/58
verblijfplaats, 84.10 indicatie onjuist, 83.10/83.20/83.30 onderzoek (089999: vastgesteld
verblijft niet op adres), 08.10.10 functie adres (B: briefadres, not a woonadres, Wet BRP
art. 1.1 onder o), land 0000 = onbekend, gemeente 1999 = RNI; the Haal Centraal BRP
historie API for the periods [aanvang, aanvang volgende) and for superseded voorkomens.
"""

from __future__ import annotations

import calendar
import collections
import csv
import dataclasses
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpb import refdata
from wpb.brp import lo_gba
from wpb.brp.gba import (
    AdresStatus,
    PersoonNietGevonden,
    briefadressen,
    case_for,
    moeder_van,
    read_extract,
    unknown_gemeenten,
)
from wpb.errors import InvalidInput
from wpb.law.bsn import is_valid_bsn
from wpb.law.dates import PartialDate, Period, Precision
from wpb.law.decision import ReviewReden, Status
from wpb.law.engine import decide
from wpb.law.facts import (
    Gezag,
    GezagSoort,
    Verblijfplaats,
    VerblijfplaatsSoort,
    WerkelijkeVerblijfplaats,
)
from wpb.law.registration import readings_between

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
TESTSET = SHARED / "data" / "brp" / "testdata" / "gba-v-proefomgeving-testset-20220502.csv"
needs_testset = pytest.mark.skipif(
    not TESTSET.is_file(),
    reason=f"GBA-V proefomgeving test set not found at {TESTSET} (../shared is absent)",
)

# --- writing small extracts --------------------------------------------------------------

# A header like the test set's: an id column, some elements of 01/02/03/08, the 08.H marker
# and an empty trailing column.
# fmt: off
HEADER = [
    "",
    "01.01.10", "01.01.20", "01.02.40", "01.03.10", "01.04.10",
    "02.01.20", "02.02.40", "02.04.10", "03.01.20", "03.02.40", "03.04.10",
    "08.09.10", "08.09.20", "08.10.10", "08.10.30", "08.11.10", "08.11.20", "08.12.10",
    "08.13.10", "08.13.20", "08.13.30", "08.72.10", "08.83.10", "08.83.20", "08.83.30",
    "08.84.10", "08.85.10", "08.86.10", "08.H",
    "",
]
# fmt: on

# Synthetic BSNs that pass the 11-proef.
KIND, MOEDER, VADER, ANDER = "999993653", "999990639", "999993872", "999991632"
for _bsn in (KIND, MOEDER, VADER, ANDER):
    assert is_valid_bsn(_bsn)


def row(label: str = "", **values: str) -> dict:
    """A row; keyword ``e08_10_30`` stands for element 08.10.30."""
    out = {"": label}
    for key, value in values.items():
        out[key[1:].replace("_", ".")] = value
    return out


def lines(rows: list[dict], *, bom: bool = True, header: list[str] = HEADER) -> list[str]:
    """The header line (with a BOM) and one line per row; the id is the first column."""
    out = [("\ufeff" if bom else "") + ";".join(header)]
    for r in rows:
        unknown = set(r) - set(header)
        assert not unknown, unknown
        values = [r.get("", "")] + [r.get(h, "") if h else "" for h in header[1:]]
        out.append(";".join(_quote(v) for v in values))
    return out


def _quote(value: str) -> str:
    return f'"{value.replace(chr(34), chr(34) * 2)}"' if ";" in value or '"' in value else value


def woon(gemeente: str, aanvang: str, **extra: str) -> dict:
    """A Dutch woonadres voorkomen; ``extra`` adds or overrides elements."""
    return (
        dict(
            e08_09_10=gemeente,
            e08_10_10="W",
            e08_10_30=aanvang,
            e08_11_10="Straat",
            e08_11_20="1",
            e08_85_10=aanvang,
        )
        | extra
    )


def persoon(label: str, bsn: str, geboren: str, geslacht: str, **extra: str) -> dict:
    return dict(label=label, e01_01_20=bsn, e01_03_10=geboren, e01_04_10=geslacht, **extra)


def one(*rows: dict) -> list[str]:
    return lines([row(**r) for r in rows])


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- LO GBA dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "precision", "earliest", "latest"),
    [
        ("20100818", Precision.DAY, "2010-08-18", "2010-08-18"),
        ("20100800", Precision.MONTH, "2010-08-01", "2010-08-31"),
        ("20240200", Precision.MONTH, "2024-02-01", "2024-02-29"),
        ("20100000", Precision.YEAR, "2010-01-01", "2010-12-31"),
        ("00000000", Precision.UNKNOWN, "1800-01-01", "9999-12-31"),
    ],
)
def test_gba_date_zeros_mark_unknown_parts(value, precision, earliest, latest):
    datum, warning = lo_gba.parse_gba_datum(value)
    assert (datum.precision, datum.earliest, datum.latest) == (precision, d(earliest), d(latest))
    assert warning is None


@pytest.mark.parametrize(
    "value", ["2010081", "2010-08-18", "2010081a", "20101318", "20100230", "20100132", ""]
)
def test_gba_date_malformed_is_refused(value):
    with pytest.raises(lo_gba.GbaValueError, match=repr(value).replace("(", r"\(")):
        lo_gba.parse_gba_datum(value)


def test_gba_date_day_without_month_reads_the_year_with_a_warning():
    # The GBA-V test set holds 19660013: a day with no month fixes no date.
    datum, warning = lo_gba.parse_gba_datum("19660013")
    assert datum == PartialDate.year(1966)
    assert "19660013" in warning
    datum, warning = lo_gba.parse_gba_datum("00000314")
    assert datum == PartialDate.unknown() and "00000314" in warning


@given(st.dates(min_value=date(1800, 1, 1), max_value=date(2100, 12, 31)), st.sampled_from("dmy"))
def test_gba_date_covers_the_day_it_was_written_from(day, blank):
    """Property: blanking the day (or month and day) gives an interval holding the day."""
    text = day.strftime("%Y%m%d")
    text = {"d": text, "m": text[:6] + "00", "y": text[:4] + "0000"}[blank]
    datum, warning = lo_gba.parse_gba_datum(text)
    assert datum.earliest <= day <= datum.latest and warning is None
    assert datum.precision is {"d": Precision.DAY, "m": Precision.MONTH, "y": Precision.YEAR}[blank]


@pytest.mark.parametrize(
    ("code", "adres"),
    [
        ("080000", True),
        ("081100", True),
        ("081120", True),
        ("581300", True),
        ("080910", True),
        ("081400", False),
        ("587210", False),
    ],
)
def test_onderzoek_on_address_groups_only(code, adres):
    assert lo_gba.parse_onderzoek(code).raakt_adres is adres


@pytest.mark.parametrize("code", ["81100", "0811000", "01A100", "010000", "120000"])
def test_onderzoek_code_must_be_six_digits_of_categorie_08(code):
    with pytest.raises(lo_gba.GbaValueError):
        lo_gba.parse_onderzoek(code)


# --- reading a persoonslijst --------------------------------------------------------------


def test_person_parents_and_history_with_half_open_periods():
    extract = read_extract(
        one(
            persoon(
                "PL1",
                KIND,
                "20100505",
                "M",
                e01_01_10="1234567890",
                e02_01_20=MOEDER,
                e02_02_40="Béamont",
                e02_04_10="V",
                e03_01_20=VADER,
                e03_02_40="Guîllaumé",
                e03_04_10="M",
                **woon("0363", "20180101", e08_H="58"),
            ),
            dict(**woon("0599", "20120315", e08_H="58")),
            dict(**woon("0518", "20100505")),
        )
    )
    [p] = extract.personen
    assert (p.label, p.bsn, p.a_nummer, p.geslacht) == ("PL1", KIND, "1234567890", "M")
    assert p.geboortedatum == PartialDate.exact(d("2010-05-05"))
    assert (p.ouder1.bsn, p.ouder1.geslacht, p.ouder2.bsn, p.ouder2.geslacht) == (
        MOEDER,
        "V",
        VADER,
        "M",
    )
    assert p.persoon.burgerservicenummer == KIND
    historie = sorted(p.persoon.historie, key=lambda r: r.periode.van.earliest)
    assert [
        (
            r.bron,
            r.gemeente_code,
            r.periode.van.isoformat(),
            r.periode.tot.isoformat() if r.periode.tot else None,
        )
        for r in historie
    ] == [
        ("gba:regel 4 (58)", "0518", "2010-05-05", "2012-03-15"),
        ("gba:regel 3 (58)", "0599", "2012-03-15", "2018-01-01"),
        ("gba:regel 2 (08)", "0363", "2018-01-01", None),
    ]
    assert all(r.soort is VerblijfplaatsSoort.ADRES for r in historie)
    assert [a.categorie for a in p.adressen] == ["08", "58", "58"]
    assert not extract.skipped and not extract.rejected and not extract.warnings


def test_partial_dates_map_to_partial_dates():
    extract = read_extract(
        one(
            persoon("PL1", KIND, "20100000", "V", **woon("0363", "20150800")),
            dict(**woon("0599", "00000000")),
        )
    )
    [p] = extract.personen
    assert p.geboortedatum == PartialDate.year(2010)
    current, first = p.adressen
    assert current.verblijfplaats.periode == Period(PartialDate.year_month(2015, 8), None)
    assert first.verblijfplaats.periode == Period(
        PartialDate.unknown(), PartialDate.year_month(2015, 8)
    )


def test_emigration_rni_and_onbekend():
    extract = read_extract(
        one(
            persoon(
                "PL1",
                KIND,
                "20050101",
                "V",
                e08_09_10="1999",
                e08_13_10="0000",
                e08_13_20="20210401",
                e08_85_10="20210401",
            ),
            dict(
                e08_09_10="1999",
                e08_13_10="5010",
                e08_13_20="20190201",
                e08_13_30="18 rue des Trois Bornes; Paris",
                e08_85_10="20190201",
            ),
            dict(e08_09_10="0518", e08_13_10="6014", e08_13_20="20120701", e08_85_10="20120701"),
            dict(e08_09_10="1999", e08_13_20="20110101", e08_85_10="20110101"),
            dict(**woon("0518", "20050101")),
        )
    )
    soorten = [
        (a.soort, a.gemeente_code, a.land_code, a.aanvang.isoformat(), a.aanvang_element)
        for a in extract.personen[0].adressen
    ]
    assert soorten == [
        (VerblijfplaatsSoort.ONBEKEND, "1999", "0000", "2021-04-01", "08.13.20"),  # land onbekend
        (VerblijfplaatsSoort.BUITENLAND, "1999", "5010", "2019-02-01", "08.13.20"),  # RNI abroad
        (VerblijfplaatsSoort.BUITENLAND, "0518", "6014", "2012-07-01", "08.13.20"),  # before RNI
        (VerblijfplaatsSoort.BUITENLAND, "1999", None, "2011-01-01", "08.13.20"),  # RNI, no land
        (VerblijfplaatsSoort.ADRES, "0518", None, "2005-01-01", "08.10.30"),
    ]


def test_locatie_when_only_a_locatiebeschrijving():
    extract = read_extract(
        one(
            persoon(
                "PL1",
                KIND,
                "20050101",
                "V",
                e08_09_10="0122",
                e08_10_30="20050101",
                e08_12_10="Woonboot bij de molen",
            )
        )
    )
    assert extract.personen[0].adressen[0].soort is VerblijfplaatsSoort.LOCATIE


def test_onjuist_is_left_out_of_the_history_but_counted():
    extract = read_extract(
        one(
            persoon("PL1", KIND, "20050101", "V", **woon("0363", "20100101")),
            dict(**woon("0363", "20091201", e08_84_10="O")),  # wrong start date, corrected
            dict(**woon("0518", "20050101")),
        )
    )
    p = extract.personen[0]
    assert [a.status for a in p.adressen] == [
        AdresStatus.HISTORIE,
        AdresStatus.ONJUIST,
        AdresStatus.HISTORIE,
    ]
    assert [r.bron for r in p.persoon.historie] == ["gba:regel 4 (58)", "gba:regel 2 (08)"]
    # the corrected row does not cut the period of the row before it
    assert p.persoon.historie[0].periode.tot == PartialDate.exact(d("2010-01-01"))
    assert extract.counts()["onjuist"] == 1
    [skip] = extract.skipped
    assert skip.regel == 3 and "onjuist" in skip.reden


def test_a_superseded_voorkomen_gives_way_to_the_newer_one():
    # A technical change (aangifte T) makes a new voorkomen of the same adreshouding; the
    # new one carries the current data, here an onderzoek (Haal Centraal: the older one is
    # not delivered when the next begins on or before its aanvang).
    extract = read_extract(
        one(
            persoon(
                "PL1",
                KIND,
                "20050101",
                "V",
                **woon(
                    "0599",
                    "20100101",
                    e08_72_10="T",
                    e08_83_10="080000",
                    e08_83_20="20210801",
                    e08_85_10="20110205",
                ),
            ),
            dict(**woon("0599", "20100101", e08_72_10="A")),
            dict(**woon("0518", "20050101")),
        )
    )
    p = extract.personen[0]
    assert [a.status for a in p.adressen] == [
        AdresStatus.HISTORIE,
        AdresStatus.VERVANGEN,
        AdresStatus.HISTORIE,
    ]
    current = p.adressen[0].verblijfplaats
    assert current.periode.van == PartialDate.exact(d("2010-01-01")) and current.in_onderzoek
    assert p.adressen[2].verblijfplaats.periode.tot == PartialDate.exact(d("2010-01-01"))
    assert "regel 2" in p.adressen[1].reden and extract.skipped[0].regel == 3


def test_herindeling_voorkomen_supersedes_the_old_code():
    # Sneek (0091) became Súdwest-Fryslân (1900) on 2011-01-01: a new voorkomen, same aanvang.
    extract = read_extract(
        one(
            persoon("PL1", KIND, "19981015", "V", **woon("1900", "19981015", e08_85_10="20110101")),
            dict(**woon("0091", "19981015")),
        )
    )
    [adres] = extract.personen[0].persoon.historie
    assert adres.gemeente_code == "1900" and adres.periode.van == PartialDate.exact(d("1998-10-15"))


def test_missing_aanvang_falls_back_to_ingangsdatum_geldigheid_with_a_note():
    extract = read_extract(
        one(
            persoon(
                "PL1",
                KIND,
                "19850707",
                "V",
                e08_09_10="0518",
                e08_13_10="6054",
                e08_13_20="20100822",
                e08_85_10="20100822",
            ),
            dict(
                e08_09_10="0518", e08_10_10="W", e08_11_10="Lange Vijverberg", e08_85_10="19850707"
            ),
        )
    )
    oud = extract.personen[0].adressen[1]
    assert oud.aanvang == PartialDate.exact(d("1985-07-07")) and oud.aanvang_element == "08.85.10"
    assert any("08.10.30 ontbreekt" in n for n in oud.notes)


@pytest.mark.parametrize(
    ("code", "einde", "next_aanvang", "expect_mark"),
    [
        ("089999", "", None, True),  # running, on the current voorkomen
        ("089999", "20230729", None, False),  # ended on the current voorkomen
        ("089999", "20230729", "20230730", False),  # ended before the next began: resolved
        ("089999", "20230730", "20230730", True),  # ended on the day the next began
        ("089999", "20230731", "20230730", True),  # ended after: closed administratively
        ("589999", "", "20230730", True),  # set on a history voorkomen
    ],
)
def test_vastgesteld_verblijft_niet_op_adres(code, einde, next_aanvang, expect_mark):
    onderzoek = dict(e08_83_10=code, e08_83_20="20230516", e08_83_30=einde)
    rows = [woon("0800", "20211014", **onderzoek)]
    if next_aanvang:
        rows.insert(0, woon("0800", next_aanvang))
    rows[0] = persoon("PL1", KIND, "20100101", "V", **rows[0])
    extract = read_extract(one(*rows))
    record = extract.personen[0].adressen[-1].verblijfplaats
    assert record.vastgesteld_niet_op_adres is expect_mark
    assert not record.in_onderzoek
    if expect_mark:
        assert record.niet_op_adres_vanaf == PartialDate.exact(d("2023-05-16"))
        assert record.aantekening_on(d("2023-05-15")) == (False, False)
        assert record.aantekening_on(d("2023-05-16")) == (True, True)


@pytest.mark.parametrize(
    ("code", "einde", "in_onderzoek"),
    [
        ("080000", "", True),
        ("081100", "", True),
        ("580000", "", True),
        ("081100", "20240529", False),
        ("081400", "", False),
    ],
)
def test_other_onderzoek_marks_the_address_while_it_runs(code, einde, in_onderzoek):
    extract = read_extract(
        one(
            persoon(
                "PL1",
                KIND,
                "20100101",
                "V",
                **woon("0800", "20100101", e08_83_10=code, e08_83_20="20240501", e08_83_30=einde),
            )
        )
    )
    adres = extract.personen[0].adressen[0]
    assert adres.verblijfplaats.in_onderzoek is in_onderzoek
    assert adres.verblijfplaats.onderzoek_vanaf == (
        PartialDate.exact(d("2024-05-01")) if in_onderzoek else None
    )
    assert adres.onderzoek == code
    if not in_onderzoek:
        assert adres.notes  # the reader says why the onderzoek gives no aantekening


def test_bom_non_dutch_characters_quotes_and_short_rows():
    text = lines(
        [
            row(
                **persoon(
                    "Lg01_716",
                    KIND,
                    "19851201",
                    "V",
                    e01_02_40='"Onbekend" Weéß',
                    e02_02_40="Béamont; Clermont-Ferrand",
                    **woon("0599", "20150808", e08_11_10="Hélène Swarthstraat"),
                )
            )
        ]
    )
    # an editor that strips empty trailing columns: the row is shorter than the header
    text[1] = text[1].rstrip(";")
    extract = read_extract(text)
    assert extract.personen[0].label == "Lg01_716"
    assert extract.personen[0].adressen[0].gemeente_code == "0599"


def test_blank_lines_are_ignored():
    text = one(persoon("PL1", KIND, "20100101", "V", **woon("0363", "20100101")))
    extract = read_extract([text[0], "", text[1], ";;;", ""])
    assert len(extract.personen) == 1


def test_row_without_address_data_is_skipped_with_its_reason():
    extract = read_extract(
        one(
            persoon("PL1", KIND, "20100101", "V", **woon("0363", "20100101", e08_H="58")),
            dict(e08_72_10="I"),
        )
    )
    [skip] = extract.skipped
    assert skip.regel == 3 and "08.72.10" in skip.reden
    assert extract.counts()["adresregels"] == 1


def test_reads_from_a_path(tmp_path):
    path = tmp_path / "extract.csv"
    path.write_text(
        "\n".join(one(persoon("PL1", KIND, "20100101", "V", **woon("0363", "20100101")))),
        encoding="utf-8",
    )
    extract = read_extract(path)
    assert extract.bron == str(path) and len(extract.personen) == 1


# --- bad input -----------------------------------------------------------------------------


def test_every_problem_is_reported_with_line_element_and_value():
    text = lines(
        [
            row(e08_09_10="0363"),  # before the first persoonslijst
            row(
                **persoon(
                    "PL1",
                    "123456789",
                    "2010133",
                    "X",
                    **woon("03A3", "20100101", e08_10_10="Z", e08_83_10="81100"),
                )
            ),
            row(**woon("0518", "20101301")),
            row(**persoon("PL2", KIND, "20100101", "V", **woon("0363", "20100101"))),
        ]
    )
    with pytest.raises(InvalidInput) as info:
        read_extract(text)
    problems = {(e.pad, e.probleem) for e in info.value.errors}
    text_of = "\n".join(f"{p}: {q}" for p, q in problems)
    assert "regel 2: rij hoort bij geen persoonslijst" in text_of
    assert "regel 3, 01.01.20: burgerservicenummer voldoet niet aan de 11-proef" in text_of
    assert "123456789" not in str(info.value)  # a BSN is never echoed
    assert "regel 3, 01.03.10: '2010133' is geen GBA-datum" in text_of
    assert "regel 3, 01.04.10: 'X' is geen geldige waarde" in text_of
    assert "regel 3, 08.09.10: '03A3' is geen gemeentecode (4 cijfers)" in text_of
    assert "regel 3, 08.10.10: 'Z' is geen geldige waarde" in text_of
    assert "regel 3, 08.83.10: '81100' is geen aanduiding onderzoek" in text_of
    assert "regel 4, 08.10.30: '20101301': maand 13 bestaat niet" in text_of
    assert not any(p.startswith("regel 5") for p, _ in problems)  # PL2 is fine


def test_skip_invalid_lists_the_rejected_persoonslijst_and_reads_the_rest():
    text = lines(
        [
            row(e08_09_10="0363"),  # a stray row before the first persoonslijst
            row(**persoon("PL1", KIND, "20100101", "V", **woon("XXXX", "20100101"))),
            row(**woon("0518", "20050101")),
            row(**persoon("PL2", MOEDER, "19800101", "V", **woon("0363", "20000101"))),
        ]
    )
    extract = read_extract(text, skip_invalid=True)
    assert [p.label for p in extract.personen] == ["PL2"]
    stray, rejected = extract.rejected
    assert stray.persoon is None and stray.regel == 2
    assert rejected.persoon == "PL1" and rejected.regel == 3
    assert [e.pad for e in rejected.errors] == ["regel 3, 08.09.10"]
    assert not extract.skipped  # PL1's rows are in ``rejected``, not half-read


def test_briefadressen_are_listed_for_callers_that_need_them():
    extract = read_extract(
        one(
            persoon("PL1", KIND, "19800101", "V", **woon("0363", "20100101", e08_10_10="B")),
            dict(**woon("0518", "19800101")),
        )
    )
    p = extract.personen[0]
    assert briefadressen(p) == ("gba:regel 2 (08)",)
    assert [a.functie_adres for a in p.adressen] == ["B", "W"]


def test_a_row_with_data_beyond_the_header_is_refused():
    text = one(persoon("PL1", KIND, "20100101", "V", **woon("0363", "20100101")))
    text[1] += ";extra"
    with pytest.raises(InvalidInput, match="regel 2: .*kolommen met gegevens voorbij"):
        read_extract(text)


def test_missing_columns_are_named():
    header = [h for h in HEADER if h not in ("08.84.10", "02.04.10")]
    with pytest.raises(InvalidInput) as info:
        read_extract(lines([], header=header))
    assert {e.probleem for e in info.value.errors} == {
        "kolom 02.04.10 ontbreekt",
        "kolom 08.84.10 ontbreekt",
    }


def test_empty_file_and_bad_utf8(tmp_path):
    with pytest.raises(InvalidInput, match="kopregel ontbreekt"):
        read_extract([])
    path = tmp_path / "bad.csv"
    good = "\n".join(one(persoon("PL1", KIND, "20100101", "V", **woon("0363", "20100101"))))
    path.write_bytes(good.encode() + b"\nPL2;\xff\xfe;x\n")
    with pytest.raises(InvalidInput, match="regel 3: geen geldige UTF-8"):
        read_extract(path)


def test_history_without_a_current_verblijfplaats_is_refused():
    with pytest.raises(InvalidInput, match="actuele verblijfplaats"):
        read_extract(one(persoon("PL1", KIND, "20100101", "V"), dict(**woon("0363", "20100101"))))


# --- invariants (hypothesis) ---------------------------------------------------------------

gba_dates = st.one_of(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 12, 31)).map(
        lambda x: x.strftime("%Y%m%d")
    ),
    st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 12, 31)).map(
        lambda x: x.strftime("%Y%m00")
    ),
    st.integers(1950, 2030).map(lambda y: f"{y}0000"),
    st.just("00000000"),
)
address_rows = st.lists(
    st.tuples(
        gba_dates,
        st.booleans(),
        st.sampled_from(["0363", "0599", "1999"]),
        st.sampled_from(["", "", "5010", "0000"]),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(address_rows)
def test_every_address_row_is_in_the_history_or_skipped_and_the_history_has_no_gaps(specs):
    rows = []
    for i, (aanvang, onjuist, gemeente, land) in enumerate(specs):
        r = (
            dict(e08_09_10=gemeente, e08_13_10=land, e08_13_20=aanvang, e08_85_10=aanvang)
            if land
            else woon(gemeente, aanvang)
        )
        if onjuist:
            r["e08_84_10"] = "O"
        rows.append(persoon("PL1", KIND, "19500101", "V", **r) if i == 0 else r)
    extract = read_extract(one(*rows))
    [p] = extract.personen
    assert len(p.adressen) == len(specs)
    in_history = [a for a in p.adressen if a.status is AdresStatus.HISTORIE]
    skipped_lines = {s.regel for s in extract.skipped}
    assert skipped_lines == {a.regel for a in p.adressen if a.status is not AdresStatus.HISTORIE}
    assert all(a.reden for a in p.adressen if a.status is not AdresStatus.HISTORIE)
    assert [a.verblijfplaats for a in reversed(in_history)] == list(p.persoon.historie)
    # gap-free and in order: each record ends where the next in time begins
    chain = list(p.persoon.historie)
    for older, newer in zip(chain, chain[1:], strict=False):
        assert older.periode.tot == newer.periode.van
        assert older.periode.tot.latest > older.periode.van.earliest  # never ends before it began
    if chain:
        assert chain[-1].periode.tot is None and chain[-1].bron == in_history[0].bron


# --- mother and cases ------------------------------------------------------------------------


def family(
    moeder_geslacht: str = "V", vader_geslacht: str = "M", extra: tuple[dict, ...] = ()
) -> list[str]:
    return lines(
        [
            row(
                **persoon(
                    "KIND",
                    KIND,
                    "20100505",
                    "M",
                    e02_01_20=MOEDER,
                    e02_04_10=moeder_geslacht,
                    e03_01_20=VADER,
                    e03_04_10=vader_geslacht,
                    **woon("0363", "20150101", e08_83_10="089999", e08_83_20="20210702"),
                )
            ),
            row(**woon("0599", "20100505")),
            row(**persoon("MOEDER", MOEDER, "19800101", "V", **woon("0363", "20120101"))),
            row(**woon("0518", "20050101")),
            row(**persoon("VADER", VADER, "19790101", "M", **woon("0344", "20000101"))),
            *(row(**r) for r in extra),
        ]
    )


def test_mother_is_the_female_parent_in_the_extract():
    extract = read_extract(family())
    kind = extract.met_bsn(KIND)[0]
    moeder = moeder_van(extract, kind)
    assert moeder.persoon.label == "MOEDER" and moeder.ouder.categorie == "02"


@pytest.mark.parametrize(
    ("moeder_geslacht", "vader_geslacht", "extra", "reden"),
    [
        ("V", "V", (), "twee ouders met geslacht V"),
        ("O", "M", (), "geslacht onbekend"),
        ("M", "M", (), "geen ouder met geslacht V"),
        (
            "V",
            "M",
            (persoon("DUBBEL", MOEDER, "19800101", "V", **woon("0363", "20120101")),),
            "staat op 2 persoonslijsten",
        ),
    ],
)
def test_no_mother_when_the_extract_cannot_say_who_she_is(
    moeder_geslacht, vader_geslacht, extra, reden
):
    extract = read_extract(family(moeder_geslacht, vader_geslacht, extra))
    kind = next(p for p in extract.personen if p.label == "KIND")
    moeder = moeder_van(extract, kind)
    assert moeder.persoon is None and reden in moeder.reden


def test_no_mother_when_the_linked_persoonslijst_is_not_female():
    text = family()
    assert text[3].startswith("MOEDER;")
    text[3] = text[3].replace(";19800101;V;", ";19800101;M;")
    extract = read_extract(text)
    moeder = moeder_van(extract, extract.met_bsn(KIND)[0])
    assert moeder.persoon is None and "geslacht M" in moeder.reden


def test_case_for_by_bsn_and_the_engine_uses_the_mother_for_3(register):
    extract = read_extract(family())
    case = case_for(extract, KIND, d("2022-06-01"), register=register)
    assert case.moeder.burgerservicenummer == MOEDER and case.jeugdhulp == ()
    decision = decide(case, register)
    # the youth's address carries 089999 from 2021-07-02: 3°, the mother's registration at
    # birth (2010-05-05: Den Haag 0518)
    assert (decision.status, decision.onderdeel, decision.gemeente_code) == (
        Status.BEPAALD,
        3,
        "0518",
    )
    assert "gba:regel 5 (58)" in {f.bron for f in decision.gebruikte_gegevens}


def test_case_for_refuses_an_ambiguous_or_unknown_bsn():
    extract = read_extract(
        family(extra=(persoon("DUBBEL", KIND, "20100505", "M", **woon("0363", "20120101")),))
    )
    with pytest.raises(PersoonNietGevonden, match="2 persoonslijsten") as info:
        case_for(extract, KIND, d("2022-06-01"))
    assert KIND not in str(info.value)
    with pytest.raises(PersoonNietGevonden, match="geen persoonslijst"):
        case_for(extract, ANDER, d("2022-06-01"))


def test_case_for_with_a_register_refuses_unknown_gemeentecodes(register):
    extract = read_extract(one(persoon("PL1", KIND, "20100101", "V", **woon("1810", "20100101"))))
    with pytest.raises(InvalidInput) as info:
        case_for(extract, extract.personen[0], d("2022-06-01"), register=register)
    [error] = info.value.errors
    assert error.pad == "gba:regel 2 (08), 08.09.10" and "'1810'" in error.probleem
    assert unknown_gemeenten(extract, register) == {"1810": ["gba:regel 2 (08)"]}


@pytest.mark.parametrize(
    ("rows", "werkelijk", "expect"),
    [
        ([woon("0363", "20100101")], None, (Status.BEPAALD, 1, "0363", None)),
        # Weesp merged into Amsterdam on 2022-03-24
        ([woon("0457", "20100101")], None, (Status.BEPAALD, 1, "0363", None)),
        (
            [
                dict(
                    e08_09_10="1999", e08_13_10="5010", e08_13_20="20200101", e08_85_10="20200101"
                ),
                woon("0363", "20100101"),
            ],
            None,
            (Status.REVIEW, 4, None, ReviewReden.WERKELIJKE_VERBLIJFPLAATS_ONTBREEKT),
        ),
        (
            [
                dict(
                    e08_09_10="1999", e08_13_10="5010", e08_13_20="20200101", e08_85_10="20200101"
                ),
                woon("0363", "20100101"),
            ],
            "0599",
            (Status.BEPAALD, 4, "0599", None),
        ),
        (
            [
                dict(
                    e08_09_10="1999", e08_13_10="0000", e08_13_20="20200101", e08_85_10="20200101"
                ),
                woon("0363", "20100101"),
            ],
            None,
            (Status.REVIEW, 3, None, ReviewReden.WERKELIJKE_VERBLIJFPLAATS_ONTBREEKT),
        ),
        (
            [woon("0363", "20100101", e08_83_10="080000", e08_83_20="20220101")],
            "0599",
            (Status.BEPAALD, 3, "0599", None),
        ),
    ],
)
def test_engine_on_synthetic_extracts(register, rows, werkelijk, expect):
    rows = [persoon("PL1", KIND, "20100101", "V", **rows[0]), *rows[1:]]
    extract = read_extract(one(*rows))
    wvp = WerkelijkeVerblijfplaats("hulpvraag", werkelijk) if werkelijk else None
    case = case_for(
        extract,
        extract.personen[0],
        d("2022-06-01"),
        werkelijke_verblijfplaats=wvp,
        register=register,
    )
    decision = decide(case, register)
    assert (decision.status, decision.onderdeel, decision.gemeente_code, decision.reden) == expect


def test_a_briefadres_is_not_a_woonadres(register):
    # Wet BRP art. 1.1 onder o: the woonadres is where someone lives; a briefadres is where
    # post reaches someone without one. 1° cannot use it: sub 3°, here without a mother in
    # the extract and without a werkelijke verblijfplaats.
    extract = read_extract(
        one(persoon("PL1", KIND, "20100101", "V", **woon("0363", "20100101", e08_10_10="B")))
    )
    [adres] = extract.personen[0].adressen
    assert adres.is_briefadres and adres.verblijfplaats.briefadres
    assert not adres.verblijfplaats.is_woonadres and adres.verblijfplaats.is_ingezetene_adres
    decision = decide(case_for(extract, extract.personen[0], d("2022-06-01")), register)
    assert (decision.status, decision.onderdeel, decision.reden) == (
        Status.REVIEW,
        3,
        ReviewReden.WERKELIJKE_VERBLIJFPLAATS_ONTBREEKT,
    )
    [used] = [f for f in decision.to_json()["gebruikteGegevens"] if f["bron"] == adres.bron]
    assert used["functieAdres"] == "B"


def test_a_woonadres_row_is_not_a_briefadres():
    extract = read_extract(
        one(
            persoon("PL1", KIND, "20100101", "V", **woon("0363", "20150101")),
            dict(**woon("0599", "20100101", e08_10_10="")),  # functie adres not recorded
        )
    )
    assert [r.briefadres for r in extract.personen[0].persoon.historie] == [False, False]
    assert all(r.is_woonadres for r in extract.personen[0].persoon.historie)


def briefadres_family(kind_functie: str, moeder_functie: str) -> list[str]:
    """A youth born 2010-05-05 and the mother, who had an address in Den Haag at the birth."""
    return lines(
        [
            row(
                **persoon(
                    "KIND",
                    KIND,
                    "20100505",
                    "M",
                    e02_01_20=MOEDER,
                    e02_04_10="V",
                    **woon("0363", "20150101", e08_10_10=kind_functie),
                )
            ),
            row(**woon("0599", "20100505")),
            row(**persoon("MOEDER", MOEDER, "19800101", "V", **woon("0363", "20150101"))),
            row(**woon("0518", "20050101", e08_10_10=moeder_functie)),
        ]
    )


def test_a_youth_with_a_briefadres_goes_to_3_and_the_mother_decides(register):
    # 2° too reads the woonadres: a briefadres on the peildatum sends 1° to 3°, where the
    # mother's registration at the birth (Den Haag 0518) decides.
    extract = read_extract(briefadres_family("B", "W"))
    decision = decide(case_for(extract, KIND, d("2022-06-01"), register=register), register)
    assert (decision.status, decision.onderdeel, decision.gemeente_code) == (
        Status.BEPAALD,
        3,
        "0518",
    )


def test_a_mother_with_a_briefadres_at_the_birth_was_registered_as_ingezetene(register):
    # 3°: "als ingezetene was ingeschreven" -- a briefadres is a registration as ingezetene
    # (Wet BRP art. 2.40-2.42: an ingezetene without a woonadres is registered at a
    # briefadres). The mother's briefadres in Den Haag at the birth counts.
    extract = read_extract(briefadres_family("B", "B"))
    case = case_for(extract, KIND, d("2022-06-01"), register=register)
    [at_birth] = readings_between(case.moeder, d("2010-05-05"), d("2010-05-05"))
    assert at_birth.record.briefadres
    decision = decide(case, register)
    assert (decision.status, decision.onderdeel, decision.gemeente_code) == (
        Status.BEPAALD,
        3,
        "0518",
    )
    assert "gba:regel 5 (58)" in {f.bron for f in decision.gebruikte_gegevens}


def test_before_2022_a_parent_with_only_a_briefadres_has_an_unknown_woonplaats(register):
    # Jeugdwet 2015-2021, art. 1.1 woonplaats: the minor follows the woonplaats of the parent
    # with gezag (BW 1:12); a parent registered only at a briefadres has no known woonplaats,
    # so 3° applies: the werkelijke verblijfplaats at the hulpvraag.
    extract = read_extract(briefadres_family("W", "W"))
    moeder = extract.met_bsn(MOEDER)[0]
    brief = read_extract(
        one(persoon("MOEDER", MOEDER, "19800101", "V", **woon("0518", "20050101", e08_10_10="B")))
    ).personen[0]
    peildatum = d("2021-06-01")
    for ouder, werkelijk, expect in [
        (moeder, None, (Status.BEPAALD, 1, "0363", None)),
        (brief, None, (Status.REVIEW, 3, None, ReviewReden.WERKELIJKE_VERBLIJFPLAATS_ONTBREEKT)),
        (brief, "0599", (Status.BEPAALD, 3, "0599", None)),
    ]:
        case = case_for(
            extract,
            KIND,
            peildatum,
            gezag=Gezag("test:gezag", GezagSoort.OUDERS, ouder.persoon),
            werkelijke_verblijfplaats=(
                WerkelijkeVerblijfplaats("test:hulpvraag", werkelijk) if werkelijk else None
            ),
            register=register,
        )
        decision = decide(case, register)
        got = (decision.status, decision.onderdeel, decision.gemeente_code, decision.reden)
        assert got == expect, (ouder.label, werkelijk)


# =============================================================================================
# The official GBA-V proefomgeving test set
# =============================================================================================

# Independent reading of the raw file: csv rows, the LO GBA rules in a few lines each.

ADDRESS_PREFIXES = tuple(f"08.{g}." for g in ("09", "10", "11", "12", "13"))
PEILDATA = [date(2022, 6, 1), date(2023, 1, 1), date(2024, 6, 1)]
TESTSET_DATE = date(2022, 5, 2)  # the date of the set: "minors" are minors on this day


@dataclasses.dataclass
class RawRow:
    line: int
    cat: str
    gem: str
    land: str
    start: str
    functie: str
    onjuist: bool
    onderzoek: str
    ond_begin: str
    ond_end: str
    next_start: str | None = None  # set for rows in the history
    status: str = ""


@dataclasses.dataclass
class RawPerson:
    label: str
    line: int
    bsn: str
    geslacht: str
    birth: str
    parents: list[tuple[str, str]]  # (bsn, geslacht) of 02 and 03
    rows: list[RawRow]

    @property
    def history(self) -> list[RawRow]:
        return [r for r in self.rows if r.status == "historie"]


def bounds(text: str) -> tuple[date, date]:
    y, m, dd = int(text[:4]), int(text[4:6]), int(text[6:])
    if y == 0:
        return date(1800, 1, 1), date(9999, 12, 31)
    if m == 0:
        return date(y, 1, 1), date(y, 12, 31)
    if dd == 0:
        return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
    return date(y, m, dd), date(y, m, dd)


def raw_testset() -> tuple[list[str], list[RawPerson], int]:
    with TESTSET.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    header = rows[0]
    col = {h: i for i, h in enumerate(header) if h}
    address_cols = [i for i, h in enumerate(header) if h.startswith(ADDRESS_PREFIXES)]
    people: list[RawPerson] = []
    address_rows = 0
    for line, r in enumerate(rows[1:], start=2):
        v = {h: r[i].strip() for h, i in col.items()}
        if r[0]:
            parents = [(v[f"{c}.01.20"], v[f"{c}.04.10"]) for c in ("02", "03")]
            people.append(
                RawPerson(r[0], line, v["01.01.20"], v["01.04.10"], v["01.03.10"], parents, [])
            )
        if not any(r[i] for i in address_cols):
            continue
        address_rows += 1
        abroad = bool(v["08.13.10"]) or v["08.09.10"] == "1999"
        start = (v["08.13.20"] or v["08.10.30"]) if abroad else (v["08.10.30"] or v["08.13.20"])
        people[-1].rows.append(
            RawRow(
                line,
                "08" if line == people[-1].line else "58",
                v["08.09.10"],
                v["08.13.10"],
                start or v["08.85.10"],
                v["08.10.10"],
                v["08.84.10"] == "O",
                v["08.83.10"],
                v["08.83.20"],
                v["08.83.30"],
            )
        )
    for p in people:  # most recent first: each row ends where the next kept one began
        last = None
        for r in p.rows:
            if r.onjuist:
                r.status = "onjuist"
            elif last is not None and (last == r.start or bounds(last)[1] <= bounds(r.start)[0]):
                r.status = "vervangen"
            else:
                r.status, r.next_start, last = "historie", last, r.start
    return header, people, address_rows


@pytest.fixture(scope="module")
def raw():
    if not TESTSET.is_file():
        pytest.skip(f"GBA-V proefomgeving test set not found at {TESTSET} (../shared is absent)")
    return raw_testset()


@pytest.fixture(scope="module")
def extract():
    if not TESTSET.is_file():
        pytest.skip(f"GBA-V proefomgeving test set not found at {TESTSET} (../shared is absent)")
    return read_extract(TESTSET)


def raw_mother(people: list[RawPerson], kind: RawPerson) -> RawPerson | None:
    """The one parent recorded as V whose BSN names exactly one female (or blank) person."""
    women = [bsn for bsn, geslacht in kind.parents if geslacht == "V"]
    if len(women) != 1 or not women[0]:
        return None
    found = [p for p in people if p.bsn == women[0]]
    return found[0] if len(found) == 1 and found[0].geslacht in ("V", "") else None


def covering(rows: list[RawRow], first: date, last: date, birth: str) -> list[RawRow | None]:
    """The history rows that may cover some day in [first, last]; None: before the first row."""
    out: list[RawRow | None] = [
        r
        for r in rows
        if bounds(r.start)[0] <= last and (r.next_start is None or bounds(r.next_start)[1] > first)
    ]
    # The day may precede the first registration when the oldest row may cover it and may
    # have begun after it (a row that begins at birth is the registration at birth).
    oldest = rows[-1] if rows else None
    if not out or (oldest in out and first < bounds(oldest.start)[1] and oldest.start != birth):
        out.insert(0, None)
    return out


def aantekening(r: RawRow, day: date) -> bool:
    if not r.onderzoek:
        return False
    begun = not r.ond_begin or bounds(r.ond_begin)[1] <= day
    if r.onderzoek in ("089999", "589999"):
        resolved = r.ond_end and (
            r.next_start is None or bounds(r.ond_end)[1] < bounds(r.next_start)[0]
        )
        return begun and not resolved
    return r.onderzoek[2:4] in ("00", "09", "10", "11", "12", "13") and not r.ond_end and begun


Expect = tuple  # (status, onderdeel, gemeente or reden)

# Tabel 33: 1999 is the RNI (not an ingezetene), 0000 "Onbekend" (no municipality).
NOT_A_MUNICIPALITY = ("1999", "0000")


def resolve(register, code: str, day: date, onderdeel: int) -> Expect:
    s = register.successors(code, day)
    if s.is_unique:
        return ("bepaald", onderdeel, s.code)
    if not s.codes:  # ended without a Dutch successor (Elten 1055, to Germany in 1963)
        return ("review", onderdeel, "gemeente_zonder_opvolger")
    return ("review", onderdeel, "gesplitste_gemeente")


def combine(expects: list[Expect]) -> Expect:
    if all(e == expects[0] for e in expects):
        return expects[0]
    return ("review", None, "onvolledige_datum")


WVO = "werkelijke_verblijfplaats_ontbreekt"


def ingezetene(r: RawRow | None) -> bool:
    """Registered as ingezetene at a Dutch address: a woonadres or a briefadres (functie W/B)."""
    return r is not None and not r.land and r.gem not in NOT_A_MUNICIPALITY


def is_briefadres(r: RawRow | None) -> bool:
    return ingezetene(r) and r.functie == "B"


def expected_3(register, kind_birth: str | None, mother: RawPerson | None, day: date) -> Expect:
    """3°: the mother's registration as ingezetene at the birth (a briefadres counts)."""
    if mother is None or not kind_birth:
        return ("review", 3, WVO)
    lo, hi = bounds(kind_birth)
    options = []
    for r in covering(mother.history, lo, hi, mother.birth):
        options.append(resolve(register, r.gem, day, 3) if ingezetene(r) else ("review", 3, WVO))
    return combine(options)


def expected_address(
    register, p: RawPerson, birth: str, mother: RawPerson | None, day: date
) -> Expect:
    """What the 2022 rule answers for an ambulant youth on ``day`` (1°, else 3° or 4°)."""
    options = []
    for r in covering(p.history, day, day, birth):
        if r is None or r.land == "0000":  # not registered, or vertrokken onbekend waarheen
            options.append(expected_3(register, birth, mother, day))
        elif r.land or r.gem == "1999":  # abroad
            options.append(("review", 4, WVO))
        elif r.gem == "0000" or r.functie == "B" or aantekening(r, day):
            # no municipality, a briefadres (no woonadres), or an art. 2.26 aantekening
            options.append(expected_3(register, birth, mother, day))
        else:
            options.append(resolve(register, r.gem, day, 1))
    return combine(options)


def age(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def expected_age(birth: str, day: date) -> str | None:
    """``geen_jeugdige`` / ``onvolledige_datum`` when the age gate decides, else None.

    These cases carry no care, so from 18 nobody is a jeugdige (Jeugdwet art. 1.1
    "jeugdige": 2° and 3° need jeugdreclassering, or jeugdhulp begun before 18).
    """
    if not birth:
        return None
    lo, hi = bounds(birth)
    if day < lo or age(hi, day) >= 23:
        return "geen_jeugdige"
    if age(lo, day) >= 23:
        return "onvolledige_datum"
    if age(hi, day) >= 18:
        return "geen_jeugdige"
    if age(lo, day) >= 18:
        return "onvolledige_datum"
    return None


def answer(decision) -> Expect:
    if decision.status is Status.BEPAALD:
        return ("bepaald", decision.onderdeel, decision.gemeente_code)
    if decision.reden is ReviewReden.ONVOLLEDIGE_DATUM:
        return ("review", None, "onvolledige_datum")
    return ("review", decision.onderdeel, decision.reden.value)


# --- the set loads completely ------------------------------------------------------------


@pytest.mark.shared
@needs_testset
def test_testset_loads_every_person_and_every_address_row(raw, extract):
    header, people, address_rows = raw
    assert len(people) == 687
    assert [(p.label, p.regel, p.bsn) for p in extract.personen] == [
        (p.label, p.line, p.bsn or None) for p in people
    ]
    assert not extract.rejected
    counts = extract.counts()
    assert counts["personen"] == 687
    # every row of categorie 08/58 with address content is read ...
    assert counts["adresregels"] == address_rows == 1743
    # ... and is in the history, or skipped with its reason
    assert counts["historie"] + counts["onjuist"] + counts["vervangen"] == address_rows
    raw_status = {(r.line, r.status) for p in people for r in p.rows}
    assert {(a.regel, a.status.value) for a in extract.adressen()} == raw_status
    assert counts["onjuist"] == sum(r.onjuist for p in people for r in p.rows) == 31
    assert sum(len(p.persoon.historie) for p in extract.personen) == counts["historie"]
    skipped = {s.regel for s in extract.skipped}
    assert {r.line for p in people for r in p.rows if r.status != "historie"} <= skipped
    # the one categorie 58 row with no address at all (only 08.72.10) is listed too
    assert skipped - {r.line for p in people for r in p.rows} == {1912}
    # the reader's periods are the raw chain
    for p, gp in zip(people, extract.personen, strict=True):
        got = {a.regel: a.verblijfplaats.periode for a in gp.adressen if a.verblijfplaats}
        for r in p.history:
            periode = got[r.line]
            assert (periode.van.earliest, periode.van.latest) == bounds(r.start)
            assert (periode.tot is None) == (r.next_start is None)
            if r.next_start:
                assert (periode.tot.earliest, periode.tot.latest) == bounds(r.next_start)
    # lenient readings are named: the test person with 19660013
    assert {w.pad for w in extract.warnings} == {
        "regel 1569, 01.03.10",
        "regel 1569, 08.10.30",
        "regel 1569, 08.85.10",
    }
    print("\nGBA-V testset:", counts, f"waarschuwingen={len(extract.warnings)}")


@pytest.fixture(scope="module")
def proef_register():
    """The register with the proefomgeving's fictitious municipalities (1802, 1810, 1811)."""
    return refdata.proefomgeving_register()


PROEFOMGEVING_CODES = {"1802", "1810", "1811"}


@pytest.mark.shared
@needs_testset
def test_testset_gemeentecodes_against_the_register(raw, extract, register, proef_register):
    _, people, _ = raw
    raw_unknown = {r.gem for p in people for r in p.rows if r.gem not in register}
    unknown = unknown_gemeenten(extract, register)
    assert set(unknown) == raw_unknown
    report = {code: len(rows) for code, rows in unknown.items()}
    print("\ngemeentecodes die het register niet kent (code: adresregels):", report)
    # Every real code, the pre-1990 ones included (0066, 0078, 0101, 0471, 0543, 0771, 1111,
    # 1265 ...), is in Tabel 33; only the proefomgeving's fictitious municipalities are not.
    assert set(unknown) == PROEFOMGEVING_CODES
    assert unknown_gemeenten(extract, proef_register) == {}
    for code in ("0066", "0078", "0101", "0471", "0543", "0771", "1111", "1265"):
        assert code in register and any(r.gem == code for p in people for r in p.rows)


def codes_read(people: list[RawPerson], p: RawPerson) -> set[str]:
    """The codes the rules can read: the youth's history and the mother's rows at the birth."""
    codes = {r.gem for r in p.history}
    mother = raw_mother(people, p)
    if mother is not None:
        lo, hi = bounds(p.birth) if p.birth else (date.min, date.max)
        codes |= {r.gem for r in covering(mother.history, lo, hi, mother.birth) if r}
    return codes


@pytest.mark.shared
@needs_testset
def test_testset_production_register_refuses_the_fictitious_municipalities(raw, extract, register):
    """Production reference data refuses a case from 1810 Toetsoog, naming record and code."""
    _, people, _ = raw
    refused: collections.Counter = collections.Counter()
    persons = 0
    for p, gp in zip(people, extract.personen, strict=True):
        unknown = sorted(c for c in codes_read(people, p) if c not in register)
        if not unknown:
            case_for(extract, gp, PEILDATA[0], register=register)  # no error
            continue
        assert set(unknown) <= PROEFOMGEVING_CODES, p.label
        with pytest.raises(InvalidInput) as info:
            case_for(extract, gp, PEILDATA[0], register=register)
        problems = {e.probleem for e in info.value.errors}
        assert {f"onbekende gemeentecode {c!r} (niet in de gemeentetabel)" for c in unknown} == (
            problems
        ), p.label
        assert all(e.pad.startswith("gba:regel ") for e in info.value.errors)
        assert f"persoonslijst regel {p.line}" in str(info.value)
        refused.update(unknown)
        persons += 1
    print(
        f"\nproductieregister weigert {persons} personen (code: personen):",
        dict(sorted(refused.items())),
    )
    assert refused["1810"] > 0


# --- the engine on every person ----------------------------------------------------------


@pytest.mark.shared
@needs_testset
@pytest.mark.parametrize("peildatum", PEILDATA, ids=str)
def test_engine_on_every_person_as_an_ambulant_youth(raw, extract, proef_register, peildatum):
    """Each of the 687 persons, as an ambulant youth, answers what the raw rows say.

    With the proefomgeving register no case is refused: the engine runs on every one of
    them. Persons who are not a jeugdige on the peildatum (18 or older without care, or a birth date too
    incomplete to tell) must get review; to exercise the address logic anyway each of them is
    run a second time with the birth date shifted to ten years before the peildatum, and
    without the mother (her registration on a shifted birth date means nothing).
    """
    register = proef_register
    _, people, _ = raw
    outcomes: collections.Counter = collections.Counter()
    herindeling: collections.Counter = collections.Counter()
    briefadres: collections.Counter = collections.Counter()
    mismatches = []
    for p, gp in zip(people, extract.personen, strict=True):
        mother = raw_mother(people, p)
        case = case_for(extract, gp, peildatum, register=register)  # never refused
        assert (case.moeder is None) == (mother is None), p.label
        gate = expected_age(p.birth, peildatum)
        runs = []
        if gate is None:
            runs.append(("echt", case, p.birth, mother))
        else:
            decision = decide(case, register)
            assert (decision.status, decision.reden.value) == ("review", gate), p.label
            outcomes[f"review {gate}"] += 1
            birth = date(peildatum.year - 10, 1, 1)
            shifted = dataclasses.replace(
                case,
                moeder=None,
                jeugdige=dataclasses.replace(case.jeugdige, geboortedatum=PartialDate.exact(birth)),
            )
            runs.append(("verschoven", shifted, birth.strftime("%Y%m%d"), None))
        for mode, run, birth, moeder in runs:
            expect = expected_address(register, p, birth, moeder, peildatum)
            got = answer(decide(run, register))
            if got != expect:
                mismatches.append((p.label, p.line, mode, expect, got))
            own = [r for r in covering(p.history, peildatum, peildatum, birth) if r]
            if any(is_briefadres(r) for r in own):
                briefadres[(mode, got)] += 1
            if got[:2] == ("bepaald", 1) and got[2] not in {r.gem for r in own}:
                herindeling[(mode, *sorted({r.gem for r in own}), got[2])] += 1
            clause = f" {got[1]}°" if got[1] else ""
            outcomes[
                f"{mode}: {got[0]}{clause}" + (f" {got[2]}" if got[0] == "review" else "")
            ] += 1
    print(f"\npeildatum {peildatum}:")
    for key, n in sorted(outcomes.items()):
        print(f"  {n:4d}  {key}")
    print("  1° via een herindeling (code op het adres -> opvolger):", dict(herindeling))
    print("  briefadres op de peildatum (-> 3°):", dict(briefadres))
    assert not mismatches, "\n".join(map(str, mismatches[:20]))
    assert sum(n for k, n in outcomes.items() if not k.startswith("verschoven")) == 687
    # a briefadres never gives 1°: every such run went to 3° (or review over a partial date)
    assert briefadres and all(got[:2] != ("bepaald", 1) for _, got in briefadres)


@pytest.mark.shared
@needs_testset
def test_minors_mother_registration_at_birth_is_used_for_3(raw, extract, proef_register):
    """The 56 minors whose mother is in the set: her registration at their birth decides 3°.

    The youth's own address is made to carry an aantekening (every record vastgesteld
    verblijft niet op adres), and, separately, replaced by a VerblijfplaatsOnbekend: both
    send the rule to 3°, where the mother's registration at birth is used.
    """
    register = proef_register
    _, people, _ = raw
    peildatum = date(2022, 6, 1)
    minors = []
    for p, gp in zip(people, extract.personen, strict=True):
        mother = raw_mother(people, p)
        if mother is None or not p.birth or age(bounds(p.birth)[1], TESTSET_DATE) >= 18:
            continue
        minors.append((p, gp, mother))
    assert len(minors) == 56
    gemeenten: collections.Counter = collections.Counter()
    not_registered = mother_briefadres = 0
    for p, gp, mother in minors:
        [at_birth] = covering(mother.history, *bounds(p.birth), mother.birth)  # unique in the set
        case = case_for(extract, gp, peildatum, register=register)
        assert case.moeder.bron == f"gba:regel {mother.line} (01)"
        [reading] = readings_between(case.moeder, *bounds(p.birth))
        if at_birth is None:  # she was registered only after the birth
            assert reading.record is None
            not_registered += 1
        else:
            assert reading.record.bron == f"gba:regel {at_birth.line} ({at_birth.cat})"
            assert reading.record.gemeente_code == at_birth.gem
            assert reading.record.briefadres is (at_birth.functie == "B")
            mother_briefadres += is_briefadres(at_birth)
        expect = expected_3(register, p.birth, mother, peildatum)
        marked = tuple(
            dataclasses.replace(r, vastgesteld_niet_op_adres=True, niet_op_adres_vanaf=None)
            for r in case.jeugdige.historie
        )
        onbekend = (
            Verblijfplaats(
                "test:onbekend",
                VerblijfplaatsSoort.ONBEKEND,
                Period(case.jeugdige.geboortedatum, None),
            ),
        )
        # Marking the youth's own records only sends the rule to 3° when the record on the
        # peildatum is a Dutch address; abroad it is 4° whatever the marks.
        own = covering(p.history, peildatum, peildatum, p.birth)
        dutch = all(r is not None and not r.land and r.gem != "1999" for r in own)
        for historie in (marked, onbekend) if dutch else (onbekend,):
            run = dataclasses.replace(
                case, jeugdige=dataclasses.replace(case.jeugdige, historie=historie)
            )
            decision = decide(run, register)
            assert answer(decision) == expect, (p.label, expect, answer(decision))
            if decision.status is Status.BEPAALD:
                assert decision.onderdeel == 3
                assert reading.record.bron in {f.bron for f in decision.gebruikte_gegevens}
        gemeenten[expect] += 1
    print(
        "\n56 minderjarigen, 3° via de moeder:",
        dict(gemeenten),
        f"moeder bij de geboorte niet ingeschreven: {not_registered}, "
        f"moeder bij de geboorte op een briefadres: {mother_briefadres}",
    )
    assert sum(gemeenten.values()) == 56
