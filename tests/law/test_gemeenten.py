"""Municipalities through time: the register built from the project's data files."""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpb import refdata
from wpb.law.gemeenten import (
    RNI_CODE,
    UNKNOWN_CODE,
    Gemeente,
    GemeenteRegister,
    Opvolging,
    OpvolgingSoort,
    UnknownGemeente,
)

SHARED = Path(__file__).parents[2] / ".." / "shared"


def needs_shared(test):
    """Mark a cross-check against ../shared; skip it, saying why, where that is absent."""
    skip = pytest.mark.skipif(
        not SHARED.is_dir(),
        reason=f"reference material {SHARED.resolve()} is absent (it sits beside the repository)",
    )
    return pytest.mark.shared(skip(test))


NOT_A_RESIDENCE = {RNI_CODE, UNKNOWN_CODE}
# Tabel 33's pre-GBA pseudo codes: ended on 1990-10-01 with no municipality after them.
# "Niet GBA" pseudo-municipalities (1990), and Elten and Tudderen, returned to Germany in 1963.
ENDED_WITHOUT_SUCCESSOR = {"0997", "0998", "0999", "1055", "1204"}
D2026 = date(2026, 1, 1)


@pytest.fixture(scope="module")
def register() -> GemeenteRegister:
    return refdata.gemeente_register()


def municipalities_on(register: GemeenteRegister, day: date) -> set[str]:
    return {g.code for g in register.on(day)} - NOT_A_RESIDENCE


# --- mergers --------------------------------------------------------------------------------


def test_haren_is_itself_until_the_merger_and_groningen_from_that_day(register):
    assert register.successors("0017", date(2018, 12, 31)).codes == ("0017",)
    merged = register.successors("0017", date(2019, 1, 1))
    assert merged.codes == ("0014",)
    assert merged.is_unique and merged.code == "0014"
    assert [step.code for step in merged.path] == ["0017"]
    assert merged.path[0].soort is OpvolgingSoort.SAMENVOEGING
    assert not merged.passes_split


def test_weesp_joins_amsterdam_on_24_march_2022(register):
    assert register.successors("0457", date(2022, 3, 23)).codes == ("0457",)
    assert register.exists_on("0457", date(2022, 3, 23))
    assert register.successors("0457", date(2022, 3, 24)).codes == ("0363",)
    assert not register.exists_on("0457", date(2022, 3, 24))


@pytest.mark.parametrize("code", ["0003", "0010", "0024"])  # Appingedam, Delfzijl, Loppersum
def test_eemsdelta_formed_on_1_january_2021(register, code):
    assert register.successors(code, date(2020, 12, 31)).codes == (code,)
    assert register.successors(code, date(2021, 1, 1)).codes == ("1979",)
    assert register.naam("1979") == "Eemsdelta"
    assert register.get("1979").begin == date(2021, 1, 1)


def test_chained_merger_skarsterlan_de_friese_meren_de_fryske_marren(register):
    # Skarsterlân (0051) merged into De Friese Meren (1921) in 2014, which was renamed
    # De Fryske Marren (1940, a new code) on 2015-07-01.
    assert register.successors("0051", date(2014, 6, 1)).codes == ("1921",)
    chained = register.successors("0051", date(2015, 7, 1))
    assert chained.codes == ("1940",)
    assert [(s.code, s.datum) for s in chained.path] == [
        ("0051", date(2014, 1, 1)),
        ("1921", date(2015, 7, 1)),
    ]
    assert register.successors("0051", D2026).codes == ("1940",)


def test_chained_merger_nieuw_lekkerland_molenwaard_molenlanden(register):
    assert register.successors("0571", date(2013, 1, 1)).codes == ("1927",)
    result = register.successors("0571", D2026)
    assert result.codes == ("1978",)
    assert [s.code for s in result.path] == ["0571", "1927"]


def test_rename_with_new_code_is_a_step(register):
    # Olst (0174) became Olst-Wijhe (1773) on 2002-03-26, after Wijhe merged into it in 2001.
    assert register.successors("0190", date(2001, 6, 1)).codes == ("0174",)
    assert register.successors("0190", date(2002, 3, 26)).codes == ("1773",)


# --- splits ---------------------------------------------------------------------------------


def test_haaren_split_yields_all_four_receiving_municipalities(register):
    assert register.successors("0788", date(2020, 12, 31)).codes == ("0788",)
    result = register.successors("0788", date(2021, 1, 1))
    assert result.codes == ("0757", "0824", "0855", "0865")  # Boxtel, Oisterwijk, Tilburg, Vught
    assert not result.is_unique
    assert result.passes_split
    with pytest.raises(ValueError, match="gesplitst"):
        _ = result.code
    assert register.successors("0788", D2026).codes == result.codes


SPLITS = [
    # code, date, successors on that date, successors on 2026-01-01
    (
        "0140",
        date(2018, 1, 1),
        ("0080", "1900", "1949"),
        ("0080", "1900", "1949"),
    ),  # Littenseradiel
    (
        "0055",
        date(2014, 1, 1),
        ("0074", "0080", "1900", "1921"),
        ("0074", "0080", "1900", "1940"),
    ),  # Boarnsterhim
    ("1671", date(2015, 1, 1), ("0796", "0828"), ("0796", "0828")),  # Maasdonk
    ("0053", date(2019, 1, 1), ("1966", "1969"), ("1966", "1969")),  # Winsum
    ("0993", date(2010, 1, 1), ("0984", "1507"), ("0984", "1507")),  # Meerlo-Wanssum
    (
        "0227",
        date(2002, 1, 1),
        ("0258", "0281"),
        ("0281", "1740"),
    ),  # Echteld (Kesteren -> Neder-Betuwe)
    ("0577", date(2002, 1, 1), ("0518", "1926"), ("0518", "1926")),  # Nootdorp
]


@pytest.mark.parametrize(("code", "datum", "on_date", "in_2026"), SPLITS)
def test_split_municipalities(register, code, datum, on_date, in_2026):
    step = register.opvolging(code)
    assert step is not None and step.soort is OpvolgingSoort.SPLITSING and step.datum == datum
    assert register.get(code).einde == datum
    result = register.successors(code, datum)
    assert result.codes == on_date
    assert result.passes_split and not result.is_unique
    assert register.successors(code, D2026).codes == in_2026


def test_every_split_has_several_successors_that_exist_that_day(register):
    splits = [
        o
        for g in register
        if (o := register.opvolging(g.code)) and o.soort is OpvolgingSoort.SPLITSING
    ]
    assert len(splits) >= 12
    for step in splits:
        assert len(step.opvolgers) >= 2, step
        assert step.bron and step.bron != "BRP Tabel 33", step
        for s in step.opvolgers:
            assert register.exists_on(s, step.datum), (step.code, s)


# --- the register as a whole -------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "count"),
    [(date(2015, 1, 1), 393), (date(2019, 1, 1), 355), (date(2023, 1, 1), 342), (D2026, 342)],
)
def test_number_of_municipalities_on_1_january(register, day, count):
    assert len(municipalities_on(register, day)) == count


def test_every_municipality_of_2026_is_its_own_successor(register):
    alive = municipalities_on(register, D2026)
    for code in alive:
        result = register.successors(code, D2026)
        assert result.codes == (code,) and result.path == ()


def test_every_ended_municipality_has_its_change_on_its_end_date(register):
    without = set()
    for g in register:
        if g.einde is None:
            continue
        step = register.opvolging(g.code)
        if step is None:
            without.add(g.code)
            continue
        assert step.datum == g.einde, g
        assert step.opvolgers, g
    assert without == ENDED_WITHOUT_SUCCESSOR


def test_every_opvolging_belongs_to_an_ended_municipality(register):
    for g in register:
        step = register.opvolging(g.code)
        if step is not None:
            assert g.einde == step.datum


def test_successors_in_2026_of_every_ended_code_exist_in_2026(register):
    alive = municipalities_on(register, D2026)
    for g in register:
        if g.einde is None or g.code in ENDED_WITHOUT_SUCCESSOR:
            continue
        result = register.successors(g.code, D2026)
        assert result.codes, g
        assert set(result.codes) <= alive, (g.code, result.codes)
        assert result.path[0].code == g.code


@settings(max_examples=300, deadline=None)
@given(
    code=st.sampled_from(
        sorted(g.code for g in refdata.gemeente_register() if g.code not in ENDED_WITHOUT_SUCCESSOR)
    ),
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
)
def test_successors_exist_on_the_day_asked(code, day):
    register = refdata.gemeente_register()
    g = register.get(code)
    result = register.successors(code, day)
    if g.begin is not None and day < g.begin:
        assert result.codes == (code,)  # not created yet: the code answers for itself
        return
    for c in result.codes:
        assert register.exists_on(c, day), (code, day, c)
    if not result.passes_split:
        assert result.is_unique, (code, day)


def test_unknown_code_is_a_clear_error(register):
    with pytest.raises(UnknownGemeente) as info:
        register.successors("9876", D2026)
    assert isinstance(info.value, KeyError)
    assert "9876" in str(info.value)


def test_rni_and_onbekend_are_in_the_register_as_tabel_33_has_them(register):
    assert register.naam(RNI_CODE) == "Registratie Niet Ingezetenen (RNI)"
    assert register.naam(UNKNOWN_CODE) == "Onbekend"
    assert register.get(UNKNOWN_CODE).einde is None


def test_names_of_2026_follow_the_cbs_list(register):
    assert register.naam("0164") == "Hengelo (O.)"
    assert register.naam("1992") == "Voorne aan Zee"
    assert register.naam("1940") == "De Fryske Marren"


def test_voorne_aan_zee_from_2023(register):
    for code in ("0501", "0530", "0614"):
        assert register.successors(code, date(2022, 12, 31)).codes == (code,)
        assert register.successors(code, date(2023, 1, 1)).codes == ("1992",)


def test_register_carries_source_and_version(register):
    assert register.bron
    assert register.versie.startswith("sha256:") and len(register.versie) == len("sha256:") + 12
    assert refdata.gemeente_register() is register


# --- validation of the data files ------------------------------------------------------------

GOOD_GEMEENTEN = (
    "code,naam,begin,einde\n0001,Oud,,2020-01-01\n0002,Nieuw,2020-01-01,\n0003,Ander,,\n"
)


def test_parse_small_register():
    gemeenten = refdata.parse_gemeenten(GOOD_GEMEENTEN)
    opv = refdata.parse_opvolgingen(
        "code,datum,soort,opvolgers,bron\n0001,2020-01-01,splitsing,0002;0003,test\n", gemeenten
    )
    register = GemeenteRegister(gemeenten, opv)
    assert register.successors("0001", date(2020, 1, 1)).codes == ("0002", "0003")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("code,naam,begin,einde\n001,X,,\n", "gemeenten.csv:2: veld 'code'"),
        ("code,naam,begin,einde\n0001,,,\n", "gemeenten.csv:2: veld 'naam'"),
        ("code,naam,begin,einde\n0001,X,2020-13-01,\n", "gemeenten.csv:2: veld 'begin'"),
        ("code,naam,begin,einde\n0001,X,,1-1-2020\n", "gemeenten.csv:2: veld 'einde'"),
        ("code,naam,begin,einde\n0001,X,2020-01-01,2019-01-01\n", "gemeenten.csv:2: veld 'einde'"),
        ("code,naam,begin,einde\n0001,X,,\n0001,Y,,\n", "gemeenten.csv:3: veld 'code'"),
        ("code,naam,einde\n0001,X,\n", "gemeenten.csv:1: kolommen"),
        ("code,naam,begin,einde\n0001,X,\n", "gemeenten.csv:2: 3 velden"),
    ],
)
def test_bad_gemeenten_rows_name_file_line_and_field(text, expected):
    with pytest.raises(ValueError, match=re.escape(expected)):
        refdata.parse_gemeenten(text)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("0001,2020-01-01,samenvoeging,0002;0003,x", "veld 'opvolgers': een samenvoeging"),
        ("0001,2020-01-01,splitsing,0002,x", "veld 'opvolgers': een splitsing"),
        ("0001,2020-01-01,fusie,0002,x", "veld 'soort'"),
        ("0001,2019-01-01,samenvoeging,0002,x", "veld 'datum'"),
        ("0001,2020-01-01,samenvoeging,0009,x", "veld 'opvolgers': 0009 staat niet"),
        ("0003,2020-01-01,samenvoeging,0002,x", "veld 'datum'"),
        ("0009,2020-01-01,samenvoeging,0002,x", "veld 'code': 0009 staat niet"),
    ],
)
def test_bad_opvolging_rows_name_file_line_and_field(row, expected):
    gemeenten = refdata.parse_gemeenten(GOOD_GEMEENTEN)
    with pytest.raises(ValueError, match=re.escape(f"opvolgingen.csv:2: {expected}")):
        refdata.parse_opvolgingen("code,datum,soort,opvolgers,bron\n" + row + "\n", gemeenten)


def test_successor_must_exist_on_the_date():
    gemeenten = refdata.parse_gemeenten(
        "code,naam,begin,einde\n0001,Oud,,2020-01-01\n0002,Later,2021-01-01,\n"
    )
    expected = "opvolgingen.csv:2: veld 'opvolgers': 0002 bestaat niet op 2020-01-01"
    with pytest.raises(ValueError, match=re.escape(expected)):
        refdata.parse_opvolgingen(
            "code,datum,soort,opvolgers,bron\n0001,2020-01-01,samenvoeging,0002,x\n", gemeenten
        )


def test_samenvoeging_and_splitsing_in_the_opvolging_type():
    o = Opvolging("0001", date(2020, 1, 1), OpvolgingSoort.SAMENVOEGING, ("0002",))
    assert o.soort.value == "samenvoeging"
    assert Gemeente("0002", "X", date(2020, 1, 1), None).exists_on(date(2020, 1, 1))


# --- cross-checks against the reference material (../shared) ------------------------------


def _tabel33() -> dict[str, dict[str, str]]:
    path = SHARED / "data" / "brp" / "tabellen" / "tabel33-gemeententabel.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {r["92.10 Gemeentecode"]: r for r in csv.DictReader(f)}


def _iso(yyyymmdd: str) -> date | None:
    return date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8])) if yyyymmdd else None


@needs_shared
def test_mergers_follow_tabel_33_and_splits_include_its_nieuwe_code(register):
    t33 = _tabel33()
    checked = 0
    for g in register:
        step = register.opvolging(g.code)
        row = t33.get(g.code)
        if step is None or row is None or not row["92.12 Nieuwe code"]:
            continue
        nieuw = row["92.12 Nieuwe code"]
        if step.soort is OpvolgingSoort.SAMENVOEGING:
            assert step.opvolgers == (nieuw,), g.code
        else:
            assert nieuw in step.opvolgers, g.code
        checked += 1
    assert checked > 450


@needs_shared
def test_end_dates_follow_tabel_33(register):
    t33 = _tabel33()
    for g in register:
        row = t33.get(g.code)
        if row is not None and row["99.99 Datum einde"]:
            assert g.einde == _iso(row["99.99 Datum einde"]), g.code


@needs_shared
def test_municipalities_of_2026_match_the_cbs_2026_list(register):
    path = SHARED / "data" / "ijw" / "codelists" / "gemeentecodes_cbs_2026.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        listed = {r["Gemeentecode"]: r["Gemeentenaam"] for r in csv.DictReader(f)}
    assert len(listed) == 342
    assert municipalities_on(register, D2026) == set(listed)
    for code, naam in listed.items():
        assert register.naam(code) == naam


@needs_shared
def test_data_files_are_what_the_generator_writes():
    script = Path(__file__).parents[2] / "scripts" / "build_refdata.py"
    spec = importlib.util.spec_from_file_location("build_refdata", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    try:
        spec.loader.exec_module(module)
        gemeenten, opvolgingen, regios = module.build(SHARED)
    finally:
        del sys.modules[spec.name]
    data = Path(refdata.__file__).parent / "data"
    assert (data / "gemeenten.csv").read_text(encoding="utf-8") == gemeenten
    assert (data / "opvolgingen.csv").read_text(encoding="utf-8") == opvolgingen
    assert (data / "jeugdregios.csv").read_text(encoding="utf-8") == regios


def test_municipality_without_dutch_successor_has_no_candidates(register):
    # Elten (1055) returned to Germany on 1963-08-01: no Dutch municipality carries it.
    assert register.successors("1055", date(1963, 7, 31)).codes == ("1055",)
    after = register.successors("1055", date(1963, 8, 1))
    assert after.codes == ()
    assert not after.is_unique


def test_old_tabel33_chain_through_same_day_merger(register):
    # Tabel 33 sends Bingelrade (0894) to Schinveld (0963), which merged into Onderbanken (0881)
    # on the same day (1982-01-01); Onderbanken became Beekdaelen (1954) in 2019.
    assert register.successors("0894", date(1990, 1, 1)).codes == ("0881",)
    assert register.successors("0894", D2026).codes == ("1954",)
