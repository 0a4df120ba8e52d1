"""Reading case documents: bad input is refused with the record, field and reason named.

The case JSON uses the Haal Centraal BRP field names (verblijfplaatshistorie records typed
Adres/Locatie/VerblijfplaatsBuitenland/VerblijfplaatsOnbekend, dates typed Datum,
JaarMaandDatum, JaarDatum, DatumOnbekend).
"""

from __future__ import annotations

import copy
from datetime import date

import pytest

from wpb.brp.haal_centraal import parse_case
from wpb.errors import InvalidInput
from wpb.law.bsn import is_valid_bsn
from wpb.law.dates import FAR_FUTURE, FAR_PAST, PartialDate, Precision
from wpb.law.engine import decide
from wpb.law.facts import JeugdhulpVorm, VerblijfplaatsSoort

BAD_BSN = "123456789"  # nine digits that fail the 11-proef
GOOD_BSN = "999990068"


def datum(iso: str) -> dict:
    return {"type": "Datum", "datum": iso}


def valid_doc() -> dict:
    return {
        "peildatum": "2023-03-01",
        "jeugdige": {
            "burgerservicenummer": GOOD_BSN,
            "geboorte": {"datum": datum("2012-05-01")},
            "verblijfplaatshistorie": [
                {
                    "type": "Adres",
                    "datumVan": datum("2012-05-01"),
                    "datumTot": datum("2022-06-01"),
                    "gemeenteVanInschrijving": {"code": "0599", "omschrijving": "Rotterdam"},
                },
                {
                    "type": "Adres",
                    "datumVan": datum("2022-06-01"),
                    "gemeenteVanInschrijving": {"code": "0193", "omschrijving": "Zwolle"},
                },
            ],
        },
        "jeugdhulp": [
            {"begin": "2022-06-01", "einde": None, "verblijf": True, "vorm": "pleegouder"},
        ],
    }


def problems(doc: dict, register, **kwargs) -> dict[str, str]:
    with pytest.raises(InvalidInput) as exc:
        parse_case(doc, register, **kwargs)
    return {e.pad: e.probleem for e in exc.value.errors}


def test_the_valid_document_reads(register) -> None:
    assert is_valid_bsn(GOOD_BSN) and not is_valid_bsn(BAD_BSN)
    case = parse_case(valid_doc(), register)
    assert case.peildatum == date(2023, 3, 1)
    assert [r.gemeente_code for r in case.jeugdige.historie] == ["0599", "0193"]
    assert case.jeugdhulp[0].vorm is JeugdhulpVorm.PLEEGOUDER


def test_impossible_date(register) -> None:
    doc = valid_doc()
    doc["jeugdige"]["verblijfplaatshistorie"][1]["datumVan"] = datum("2027-06-31")
    found = problems(doc, register)
    assert list(found) == ["jeugdige.verblijfplaatshistorie[1].datumVan.datum"]
    assert "2027-06-31" in found["jeugdige.verblijfplaatshistorie[1].datumVan.datum"]


def test_datum_tot_before_datum_van(register) -> None:
    doc = valid_doc()
    doc["jeugdige"]["verblijfplaatshistorie"][0]["datumTot"] = datum("2011-01-01")
    found = problems(doc, register)
    assert "jeugdige.verblijfplaatshistorie[0].datumTot" in found
    assert "vóór" in found["jeugdige.verblijfplaatshistorie[0].datumTot"]


def test_unknown_gemeentecode(register) -> None:
    assert "9876" not in register
    doc = valid_doc()
    doc["jeugdige"]["verblijfplaatshistorie"][1]["gemeenteVanInschrijving"]["code"] = "9876"
    found = problems(doc, register)
    assert "9876" in found["jeugdige.verblijfplaatshistorie[1].gemeenteVanInschrijving.code"]


def test_gemeentecode_of_the_wrong_shape(register) -> None:
    doc = valid_doc()
    doc["jeugdige"]["verblijfplaatshistorie"][1]["gemeenteVanInschrijving"]["code"] = "599"
    assert "jeugdige.verblijfplaatshistorie[1].gemeenteVanInschrijving.code" in problems(doc, register)


def test_unknown_gemeentecode_elsewhere(register) -> None:
    doc = valid_doc()
    doc["werkelijkeVerblijfplaats"] = {"gemeente": {"code": "9876"}}
    doc["jeugdhulp"][0]["gemeente"] = {"code": "9876"}
    found = problems(doc, register)
    assert set(found) == {"werkelijkeVerblijfplaats.gemeente.code", "jeugdhulp[0].gemeente.code"}


def test_unknown_record_type(register) -> None:
    doc = valid_doc()
    doc["jeugdige"]["verblijfplaatshistorie"][0]["type"] = "Woonboot"
    found = problems(doc, register)
    assert "Woonboot" in found["jeugdige.verblijfplaatshistorie[0].type"]


def test_unknown_vorm(register) -> None:
    doc = valid_doc()
    doc["jeugdhulp"][0]["vorm"] = "kamp"
    found = problems(doc, register)
    assert "kamp" in found["jeugdhulp[0].vorm"]
    assert "pleegouder" in found["jeugdhulp[0].vorm"]  # the allowed values are listed


@pytest.mark.parametrize("value", ["ja", 1, None, "true"])
def test_verblijf_not_boolean(register, value) -> None:
    doc = valid_doc()
    doc["jeugdhulp"][0]["verblijf"] = value
    assert "jeugdhulp[0].verblijf" in problems(doc, register)


def test_verblijf_missing(register) -> None:
    doc = valid_doc()
    del doc["jeugdhulp"][0]["verblijf"]
    assert "jeugdhulp[0].verblijf" in problems(doc, register)


def test_einde_before_begin(register) -> None:
    doc = valid_doc()
    doc["jeugdhulp"][0]["einde"] = "2022-05-31"
    found = problems(doc, register)
    assert list(found) == ["jeugdhulp[0].einde"]


def test_einde_on_begin_is_a_one_day_episode(register) -> None:
    doc = valid_doc()
    doc["jeugdhulp"][0]["einde"] = "2022-06-01"
    case = parse_case(doc, register)
    assert case.jeugdhulp[0].begin == case.jeugdhulp[0].einde


@pytest.mark.parametrize("person", ["jeugdige", "moeder"])
def test_bsn_failing_the_11_proef_is_named_but_not_echoed(register, person) -> None:
    doc = valid_doc()
    doc.setdefault("moeder", {"verblijfplaatshistorie": []})
    doc[person]["burgerservicenummer"] = BAD_BSN
    with pytest.raises(InvalidInput) as exc:
        parse_case(doc, register)
    paths = [e.pad for e in exc.value.errors]
    assert paths == [f"{person}.burgerservicenummer"]
    assert "11-proef" in exc.value.errors[0].probleem
    assert BAD_BSN not in str(exc.value)
    assert all(BAD_BSN not in e.probleem for e in exc.value.errors)


@pytest.mark.parametrize("value", ["12345678", "12345678a", 123456789])
def test_bsn_of_the_wrong_shape(register, value) -> None:
    doc = valid_doc()
    doc["jeugdige"]["burgerservicenummer"] = value
    with pytest.raises(InvalidInput) as exc:
        parse_case(doc, register)
    assert [e.pad for e in exc.value.errors] == ["jeugdige.burgerservicenummer"]
    assert str(value) not in str(exc.value)


def test_missing_peildatum(register) -> None:
    doc = valid_doc()
    del doc["peildatum"]
    assert "peildatum" in problems(doc, register)
    # ... which an explicit peildatum (the CLI's --peildatum) supplies.
    assert parse_case(doc, register, peildatum=date(2023, 3, 1)).peildatum == date(2023, 3, 1)


def test_peildatum_argument_overrides_the_document(register) -> None:
    case = parse_case(valid_doc(), register, peildatum=date(2024, 1, 2))
    assert case.peildatum == date(2024, 1, 2)


def test_missing_jeugdige_and_history(register) -> None:
    assert "jeugdige" in problems({"peildatum": "2023-03-01"}, register)
    doc = valid_doc()
    del doc["jeugdige"]["verblijfplaatshistorie"]
    assert "jeugdige.verblijfplaatshistorie" in problems(doc, register)


def test_a_missing_jeugdige_is_reported_once(register) -> None:
    """Finding F10: not also as "verwacht een persoon-object"."""
    with pytest.raises(InvalidInput) as exc:
        parse_case({"peildatum": "2023-03-01"}, register)
    assert [(e.pad, e.probleem) for e in exc.value.errors] == [("jeugdige", "ontbreekt")]


def test_a_field_with_an_empty_name_is_pointed_at_by_its_object(register) -> None:
    doc = valid_doc()
    doc[""] = 1
    doc["jeugdhulp"][0][""] = 2
    found = problems(doc, register)
    assert found["$"].startswith("onbekend veld met een lege naam; toegestaan:")
    assert found["jeugdhulp[0]"].startswith("onbekend veld met een lege naam; toegestaan:")


def test_several_problems_are_reported_at_once(register) -> None:
    doc = valid_doc()
    del doc["peildatum"]
    doc["jeugdige"]["burgerservicenummer"] = BAD_BSN
    history = doc["jeugdige"]["verblijfplaatshistorie"]
    history[0]["datumVan"] = datum("2027-06-31")
    history[1]["type"] = "Woonboot"
    doc["jeugdhulp"][0]["vorm"] = "kamp"
    doc["jeugdhulp"].append({"begin": "2022-07-01", "einde": "2022-06-01", "verblijf": "nee"})
    found = problems(doc, register)
    assert {
        "peildatum",
        "jeugdige.burgerservicenummer",
        "jeugdige.verblijfplaatshistorie[0].datumVan.datum",
        "jeugdige.verblijfplaatshistorie[1].type",
        "jeugdhulp[0].vorm",
        "jeugdhulp[1].einde",
    } <= set(found)
    with pytest.raises(InvalidInput) as exc:
        parse_case(doc, register, bron="casus.json")
    message = str(exc.value)
    assert message.startswith("casus.json")
    assert all(path in message for path in found)


def test_haal_centraal_verblijfplaatsen_key_is_accepted(register) -> None:
    doc = valid_doc()
    renamed = copy.deepcopy(doc)
    renamed["jeugdige"]["verblijfplaatsen"] = renamed["jeugdige"].pop("verblijfplaatshistorie")
    case = parse_case(renamed, register)
    assert [r.bron for r in case.jeugdige.historie] == [
        "jeugdige.verblijfplaatsen[0]",
        "jeugdige.verblijfplaatsen[1]",
    ]
    original = decide(parse_case(doc, register), register)
    via_verblijfplaatsen = decide(case, register)
    assert (via_verblijfplaatsen.status, via_verblijfplaatsen.gemeente, via_verblijfplaatsen.onderdeel) == (
        original.status, original.gemeente, original.onderdeel
    )
    assert via_verblijfplaatsen.gemeente_code == "0599"


def test_error_path_uses_the_key_given(register) -> None:
    doc = valid_doc()
    doc["jeugdige"]["verblijfplaatsen"] = doc["jeugdige"].pop("verblijfplaatshistorie")
    doc["jeugdige"]["verblijfplaatsen"][0]["type"] = "Woonboot"
    assert "jeugdige.verblijfplaatsen[0].type" in problems(doc, register)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datum("2016-02-29"), PartialDate(date(2016, 2, 29), date(2016, 2, 29), Precision.DAY)),
        ({"type": "JaarMaandDatum", "jaar": 2016, "maand": 2},
         PartialDate(date(2016, 2, 1), date(2016, 2, 29), Precision.MONTH)),
        ({"type": "JaarDatum", "jaar": 2016},
         PartialDate(date(2016, 1, 1), date(2016, 12, 31), Precision.YEAR)),
        ({"type": "DatumOnbekend"}, PartialDate(FAR_PAST, FAR_FUTURE, Precision.UNKNOWN)),
        ("2016-02-29", PartialDate(date(2016, 2, 29), date(2016, 2, 29), Precision.DAY)),
    ],
    ids=["Datum", "JaarMaandDatum", "JaarDatum", "DatumOnbekend", "iso-tekst"],
)
def test_all_four_date_types(register, value, expected) -> None:
    doc = valid_doc()
    doc["jeugdige"]["verblijfplaatshistorie"][0]["datumVan"] = value
    case = parse_case(doc, register)
    record = next(r for r in case.jeugdige.historie if r.bron.endswith("[0]"))
    assert record.periode.van == expected
    assert record.soort is VerblijfplaatsSoort.ADRES


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"type": "JaarMaandDatum", "jaar": 2016, "maand": 13}, "datumVan.maand"),
        ({"type": "JaarMaandDatum", "jaar": "2016", "maand": 2}, "datumVan.jaar"),
        ({"type": "JaarDatum"}, "datumVan.jaar"),
        ({"type": "Dag", "datum": "2016-02-01"}, "datumVan.type"),
        ({"type": "Datum", "datum": "29-02-2016"}, "datumVan.datum"),
        (20160229, "datumVan"),
    ],
)
def test_bad_dates_name_the_part(register, value, path) -> None:
    doc = valid_doc()
    doc["jeugdige"]["verblijfplaatshistorie"][0]["datumVan"] = value
    assert f"jeugdige.verblijfplaatshistorie[0].{path}" in problems(doc, register)


def test_adres_without_gemeente(register) -> None:
    doc = valid_doc()
    del doc["jeugdige"]["verblijfplaatshistorie"][1]["gemeenteVanInschrijving"]
    assert "jeugdige.verblijfplaatshistorie[1].gemeenteVanInschrijving" in problems(doc, register)


def test_gezag_soort_must_be_known(register) -> None:
    doc = valid_doc()
    doc["gezag"] = {"soort": "oma"}
    assert "gezag.soort" in problems(doc, register)


def test_case_must_be_an_object(register) -> None:
    assert "$" in problems(["niet", "een", "object"], register)  # type: ignore[arg-type]


# --- input that must not crash or be misread (review findings) ------------------------------


@pytest.mark.parametrize("code", ["1999", "0000"])
def test_werkelijke_verblijfplaats_must_be_a_real_municipality(register, code) -> None:
    # RNI (1999) and Onbekend (0000) are BRP codes, not places where a youth actually stays.
    doc = valid_doc()
    doc["werkelijkeVerblijfplaats"] = {"gemeente": {"code": code}}
    doc["jeugdhulp"][0]["gemeente"] = {"code": code}
    found = problems(doc, register)
    assert set(found) == {"werkelijkeVerblijfplaats.gemeente.code", "jeugdhulp[0].gemeente.code"}


@pytest.mark.parametrize(
    ("where", "value", "pad"),
    [
        (("jeugdige", "verblijfplaatshistorie", 0, "type"), ["Adres"], "jeugdige.verblijfplaatshistorie[0].type"),
        (("jeugdige", "verblijfplaatshistorie", 0, "verblijfadres"), "België", "jeugdige.verblijfplaatshistorie[0].verblijfadres"),
        (("jeugdige", "verblijfplaatshistorie", 0, "inOnderzoek"), "false", "jeugdige.verblijfplaatshistorie[0].inOnderzoek"),
        (("jeugdige", "burgerservicenummer"), "99999001²", "jeugdige.burgerservicenummer"),
        (("jeugdhulp", 0, "begin"), "0001-01-01", "jeugdhulp[0].begin"),
    ],
)
def test_wrong_shapes_are_named_not_crashed(register, where, value, pad) -> None:
    doc = valid_doc()
    target = doc
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    assert pad in problems(doc, register)


@pytest.mark.parametrize(
    ("key", "pad"),
    [("jeugdHulp", "jeugdHulp"), ("eind", "jeugdhulp[0].eind")],
)
def test_unknown_keys_are_refused_so_no_fact_is_dropped(register, key, pad) -> None:
    # A typo would otherwise silently drop a stay (or make it open-ended) and change the answer.
    doc = valid_doc()
    if key == "jeugdHulp":
        doc["jeugdHulp"] = doc.pop("jeugdhulp")
    else:
        doc["jeugdhulp"][0]["eind"] = "2023-01-01"
    assert pad in problems(doc, register)


def test_jeugdhulp_must_be_a_list(register) -> None:
    doc = valid_doc()
    doc["jeugdhulp"] = {}
    assert "jeugdhulp" in problems(doc, register)


def test_both_history_keys_is_ambiguous(register) -> None:
    doc = valid_doc()
    doc["jeugdige"]["verblijfplaatsen"] = []
    assert "jeugdige.verblijfplaatsen" in problems(doc, register)


def test_a_file_that_is_not_utf8_is_a_clear_error(tmp_path, register) -> None:
    from wpb.brp.haal_centraal import load_case

    path = tmp_path / "casus.json"
    path.write_bytes('{"peildatum": "2023-01-01", "x": "é"}'.encode("latin-1"))
    with pytest.raises(InvalidInput) as exc:
        load_case(path, register)
    assert "UTF-8" in str(exc.value)


def test_no_end_sentinel_9999_does_not_overflow(register) -> None:
    doc = valid_doc()
    doc["jeugdhulp"] = [
        {"begin": "2022-06-01", "einde": "9999-12-31", "verblijf": True},
        {"begin": "2022-07-01", "einde": None, "verblijf": True},
    ]
    decision = decide(parse_case(doc, register), register)
    assert (decision.gemeente_code, decision.onderdeel) == ("0599", 2)


@pytest.mark.parametrize(
    ("episode", "pad", "fragment"),
    [
        ({"verblijf": False, "vorm": "jeugdreclassering"}, "jeugdhulp[0].inVerbandMetJji", "verplicht"),
        ({"verblijf": False, "vorm": "jeugdreclassering", "inVerbandMetJji": "ja"},
         "jeugdhulp[0].inVerbandMetJji", "true of false"),
        ({"verblijf": True, "vorm": "pleegouder", "inVerbandMetJji": True},
         "jeugdhulp[0].inVerbandMetJji", "alleen bij vorm jeugdreclassering"),
        ({"verblijf": True, "vorm": "jeugdreclassering", "inVerbandMetJji": True},
         "jeugdhulp[0].verblijf", "geen verblijf"),
    ],
)
def test_jeugdreclassering_says_whether_it_is_tied_to_a_jji_stay(register, episode, pad, fragment) -> None:
    doc = valid_doc()
    doc["jeugdhulp"] = [{"begin": "2022-06-01", "einde": None, **episode}]
    found = problems(doc, register)
    assert fragment in found[pad]


def test_jeugdreclassering_tied_to_a_jji_stay_reads(register) -> None:
    doc = valid_doc()
    doc["jeugdhulp"] = [{"begin": "2022-06-01", "einde": None, "verblijf": False,
                         "vorm": "jeugdreclassering", "inVerbandMetJji": True}]
    [episode] = parse_case(doc, register).jeugdhulp
    assert episode.vorm is JeugdhulpVorm.JEUGDRECLASSERING and episode.in_verband_met_jji is True
