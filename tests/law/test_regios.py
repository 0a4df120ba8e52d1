"""Jeugdhulpregio's as they stand on 2026-01-01."""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from wpb import refdata
from wpb.law.gemeenten import RNI_CODE, UNKNOWN_CODE
from wpb.law.regios import GeenJeugdregio, Jeugdregio, RegioIndeling

SHARED = Path(__file__).parents[2] / ".." / "shared"
D2026 = date(2026, 1, 1)
N_GEMEENTEN = 342
N_REGIOS = 42  # counted in the 2026 list; equal to the 42 regions of 2022 in number only


def needs_shared(test):
    """Mark a cross-check against ../shared; skip it, saying why, where that is absent."""
    skip = pytest.mark.skipif(
        not SHARED.is_dir(),
        reason=f"reference material {SHARED.resolve()} is absent (it sits beside the repository)",
    )
    return pytest.mark.shared(skip(test))


@pytest.fixture(scope="module")
def indeling() -> RegioIndeling:
    return refdata.jeugdregio_indeling()


def test_grouping_of_2026(indeling):
    assert indeling.peildatum == D2026
    assert indeling.bron
    assert len(indeling) == N_REGIOS
    assert len(indeling.gemeenten) == N_GEMEENTEN
    assert sum(len(r) for r in indeling) == N_GEMEENTEN


def test_every_municipality_of_2026_is_in_exactly_one_region(indeling):
    register = refdata.gemeente_register()
    alive = {g.code for g in register.on(D2026)} - {RNI_CODE, UNKNOWN_CODE}
    assert indeling.gemeenten == alive
    counts = Counter(code for regio in indeling for code in regio.gemeenten)
    assert set(counts.values()) == {1}
    for code in alive:
        assert code in indeling.regio_van(code)


@pytest.mark.parametrize(
    ("code", "regio"),
    [
        ("0363", "Amsterdam-Amstelland"),  # Amsterdam, with Weesp since 2022
        ("0394", "Haarlemmermeer"),  # a region of one municipality
        ("0344", "Utrecht stad"),
        ("0014", "Groningen"),
        ("1940", "Friesland"),  # De Fryske Marren
        ("0824", "Midden Brabant"),  # Oisterwijk, which received Haaren village
    ],
)
def test_regio_van(indeling, code, regio):
    assert indeling.regio_van(code).naam == regio


def test_regions_are_sorted_and_named_once(indeling):
    names = [r.naam for r in indeling]
    assert names == sorted(names)
    assert len(set(names)) == len(names)
    for r in indeling:
        assert list(r.gemeenten) == sorted(r.gemeenten)
        assert indeling.regio(r.naam) is r


@pytest.mark.parametrize("code", ["9876", "0788", RNI_CODE, UNKNOWN_CODE])
def test_code_outside_the_grouping_is_a_clear_key_error(indeling, code):
    # 0788 Haaren ended in 2021: its successors have a region, the code itself has none.
    with pytest.raises(GeenJeugdregio) as info:
        indeling.regio_van(code)
    assert isinstance(info.value, KeyError)
    assert code in str(info.value) and "2026-01-01" in str(info.value)


def test_unknown_region_name(indeling):
    with pytest.raises(KeyError, match="Atlantis"):
        indeling.regio("Atlantis")


def test_a_municipality_in_two_regions_is_refused():
    with pytest.raises(ValueError, match="0001"):
        RegioIndeling(
            D2026, "test", (Jeugdregio("A", ("0001",)), Jeugdregio("B", ("0001", "0002")))
        )


def test_a_region_named_twice_is_refused():
    with pytest.raises(ValueError, match="'A'"):
        RegioIndeling(D2026, "test", (Jeugdregio("A", ("0001",)), Jeugdregio("A", ("0002",))))


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "363,Amsterdam,Noord-Holland,Amsterdam-Amstelland",
            "jeugdregios.csv:3: veld 'gemeentecode'",
        ),
        ("0363,Amsterdam,Noord-Holland,", "jeugdregios.csv:3: veld 'jeugdregio' is leeg"),
        (
            "0014,Groningen,Groningen,Groningen",
            "jeugdregios.csv:3: veld 'gemeentecode': 0014 staat ook op regel 2",
        ),
    ],
)
def test_bad_rows_name_file_line_and_field(row, expected):
    text = (
        "gemeentecode,gemeentenaam,provincie,jeugdregio\n0014,Groningen,Groningen,Groningen\n"
        + row
        + "\n"
    )
    with pytest.raises(ValueError, match=re.escape(expected)):
        refdata.parse_jeugdregios(text)


@needs_shared
def test_grouping_matches_the_2026_list(indeling):
    path = SHARED / "data" / "ijw" / "codelists" / "gemeentecodes_cbs_2026.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == N_GEMEENTEN
    assert len({r["Jeugdzorgregio"] for r in rows}) == N_REGIOS
    for r in rows:
        assert indeling.regio_van(r["Gemeentecode"]).naam == r["Jeugdzorgregio"]
