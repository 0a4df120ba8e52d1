"""A caseload export reads the same with and without the plain-row path (``_PlainRow``):
the same toewijzingen and the same errors, row by row, on generated files that mix valid
values with every kind of bad one the full checks name."""

from __future__ import annotations

from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from caseload.helpers import KOP, csv_bytes, proef_bsns
from wpb import refdata
from wpb.caseload import read
from wpb.caseload.read import OPTIONEEL, read_content

BSNS = proef_bsns(3)
REGISTER = refdata.gemeente_register()

DATES = ["2012-05-01", " 2012-05-01 ", "2020-02-29", "2026-01-01", "2025-12-31", "20240115",
         "1899-12-31", "2012-13-01", "2021-02-29", "gisteren", "", "123456789"]
CELLS = {
    "bsn": [*BSNS, " " + BSNS[0], "123456789", "12345678", "000000000", "１２３４５６７８２", ""],
    "geboortedatum": DATES,
    "aanbieder_agb": ["12345678", " 87654321", "1234567", "abcdefgh", ""],
    "productcategorie": ["43", "44", "45", "46", "5", "4", "35", "31", "99", "", "054"],
    "productcode": ["P1", "45A01", ""],
    "begindatum": DATES,
    "einddatum": DATES,
    "verblijf": ["", "ja", "nee", "NEE", " Ja ", "misschien"],
    "wet": ["", "jeugdwet", "JEUGDWET", "wmo-bw", "wmo"],
    "vorm": ["", "opvang", "Pleegouder", "jeugdreclassering", "kamer"],
    "verblijf_sinds": ["", "", "2011-01-01", "2030-01-01", "x"],
    "aanmeldgemeente": ["", "", "0344", "344", "9999"],
    "aanmelddatum": ["", "", "2025-01-01", "x"],
    "indicatie_begin": ["", "", "2025-01-01"],
    "toewijzingnummer": ["", "T-1", "T-2"],
}


@st.composite
def exports(draw) -> bytes:
    optional = draw(st.lists(st.sampled_from(OPTIONEEL), unique=True))
    columns = KOP.split(";") + optional
    columns = draw(st.permutations(columns))
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        values = [draw(st.sampled_from(CELLS[c])) for c in columns]
        if draw(st.integers(0, 9)) == 0:
            values = values[: draw(st.integers(0, len(values)))]  # a short row
        lines.append(";".join(values))
    return csv_bytes(";".join(columns), *lines)


def _without_plain_rows(data: bytes):
    with mock.patch.object(read._PlainRow, "of", classmethod(lambda cls, header, reader: None)):
        return read_content(data, "clienten.csv", REGISTER)


@settings(max_examples=300, deadline=None)
@given(exports())
def test_every_row_reads_the_same_with_and_without_the_plain_path(data):
    plain = read_content(data, "clienten.csv", REGISTER)
    full = _without_plain_rows(data)
    assert plain == full
    assert [t.__dict__ for t in plain.toewijzingen] == [t.__dict__ for t in full.toewijzingen]


def test_the_plain_path_reads_a_common_row_and_leaves_the_rest():
    """Not vacuous: a valid Jeugdwet row goes the plain way; a Wmo row does not."""
    header = KOP + ";verblijf;wet"
    data = csv_bytes(header, f"{BSNS[0]};2012-05-01;12345678;43;P1;2026-01-01;;;",
                     f"{BSNS[1]};2012-05-01;12345678;;P1;2026-01-01;;;wmo-bw")
    reader = read._RowReader(REGISTER)
    plain = read._PlainRow.of(header.split(";"), reader)
    assert plain is not None
    first, second = (line.split(";") for line in data.decode().splitlines()[1:])
    assert plain.row(2, first) is not None
    assert plain.row(3, second) is None
    assert read_content(data, "clienten.csv", REGISTER) == _without_plain_rows(data)
