"""A Haal Centraal record with only ``type``, ``datumVan``, ``datumTot`` and
``gemeenteVanInschrijving`` (most records of a caseload's documents) reads as the same
record, with the same errors, as when it also names the optional fields with the values
that mean "absent" (which takes the reader through every one of them)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wpb import refdata
from wpb.brp.haal_centraal import CaseReader

REGISTER = refdata.gemeente_register()
NEUTRAL = {"verblijfadres": None, "adressering": None, "inOnderzoek": None,
           "indicatieVastgesteldVerblijftNietOpAdres": False, "verblijftNietOpAdresVanaf": None,
           "functieAdres": None}

DAYS = ["2019-01-31", "2020-02-29", "2021-03-04", "2021-03-05", "2024-12-31"]
DATES = st.one_of(
    st.sampled_from(DAYS).map(lambda d: {"type": "Datum", "datum": d}),  # most: read before
    st.dates().map(lambda d: {"type": "Datum", "datum": d.isoformat()}),
    st.sampled_from([{"type": "Datum", "datum": "2020-02-30"}, {"type": "DatumOnbekend"},
                     {"type": "JaarDatum", "jaar": 2019}, {"type": "JaarMaandDatum", "jaar": 2019,
                                                            "maand": 13},
                     {"type": "Datum"}, {"type": "Datum", "datum": 20210501}, "2021-05-01",
                     20210501]),
)
GEMEENTEN = st.one_of(
    st.sampled_from(["0344", "0363", "1999", "0000", "9999", "344", 344, None]).map(
        lambda c: {"code": c}),
    st.sampled_from([{"code": "0344", "omschrijving": "Utrecht"}, "0344", None, [],
                     {"omschrijving": "Utrecht"}]),
)


@st.composite
def plain_records(draw) -> dict:
    record = {"type": draw(st.sampled_from(["Adres", "Adres", "Locatie", "VerblijfplaatsBuitenland",
                                            "VerblijfplaatsOnbekend", "Woonboot", None, ["Adres"]]))}
    if draw(st.integers(0, 9)):
        record["datumVan"] = draw(DATES)
    if draw(st.booleans()):
        record["datumTot"] = draw(st.one_of(DATES, st.none()))
    gemeente = draw(GEMEENTEN)
    if gemeente is not None:
        record["gemeenteVanInschrijving"] = gemeente
    return record


def _read(raw: dict):
    reader = CaseReader(REGISTER)
    record = reader.record(raw, "jeugdige.verblijfplaatshistorie[0]")
    return record, reader.errors


@settings(max_examples=400, deadline=None)
@given(plain_records(), st.data())
def test_a_plain_record_reads_as_with_its_absent_fields_named(raw, data):
    named = data.draw(st.dictionaries(st.sampled_from(sorted(NEUTRAL)), st.just(0), min_size=1))
    fuller = {**raw, **{key: NEUTRAL[key] for key in named}}
    first = _read(raw)  # (a day read once is known: the second time takes the shortest way)
    record, errors = _read(raw)
    record_full, errors_full = _read(fuller)
    assert errors == errors_full == first[1]
    assert record == record_full == first[0]
    if record is not None:
        assert record.__dict__ == record_full.__dict__


def test_a_plain_address_with_a_known_day_takes_the_shortest_way():
    raw = {"type": "Locatie", "datumVan": {"type": "Datum", "datum": "2021-03-04"},
           "datumTot": {"type": "Datum", "datum": "2022-03-04"},
           "gemeenteVanInschrijving": {"code": "0363", "omschrijving": "Amsterdam"}}
    reader = CaseReader(REGISTER)
    full = reader.record(raw, "r")  # reads both days once
    plain = reader._plain_address(raw, "r")
    assert plain is not None and plain == full and plain.__dict__ == full.__dict__
    assert reader._plain_address({**raw, "type": "VerblijfplaatsOnbekend"}, "r") is None


def test_a_named_optional_field_is_still_read():
    """Not vacuous: with a real value the optional fields change the record."""
    raw = {"type": "Adres", "datumVan": {"type": "Datum", "datum": "2020-01-01"},
           "gemeenteVanInschrijving": {"code": "0344"}}
    plain, _ = _read(raw)
    brief, _ = _read({**raw, "functieAdres": {"code": "B"}})
    assert plain is not None and brief is not None
    assert not plain.briefadres and brief.briefadres
