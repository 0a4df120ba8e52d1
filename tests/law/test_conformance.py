"""The Jeugdwet woonplaats conformance suite, run against the single-case engine.

The cases (tests/conformance/jeugdwet_woonplaats.yaml) are written from the law; this file
only runs them. It also checks the loader and ``check`` themselves, so that a broken checker
cannot make the suite pass.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from wpb.brp.haal_centraal import parse_case
from wpb.conformance import (
    ConformanceCase,
    ConformanceFormatError,
    check,
    default_path,
    load_cases,
)
from wpb.law.decision import ReviewReden, Status
from wpb.law.engine import decide

ROOT = Path(__file__).resolve().parents[2]
CASES = load_cases(default_path(ROOT))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_conforms(case: ConformanceCase, register) -> None:
    decision = decide(parse_case(case.casus, register, bron=case.id), register)
    differences = check(case, decision)
    assert not differences, (
        f"{case.id} ({case.grondslag}): " + "; ".join(differences)
        + f"\ntoelichting: {decision.toelichting}"
    )
    assert decision.toelichting.strip()
    if decision.status is Status.BEPAALD:
        assert decision.grondslag is not None and decision.grondslag.tekst.strip()
        assert decision.gemeente_code is not None
    else:
        assert decision.gemeente is None and decision.reden is not None
    hash_ = decision.receipt.invoer_hash
    assert hash_.startswith("sha256:") and len(hash_) == len("sha256:") + 64
    assert decision.receipt.regelversie and decision.receipt.referentiedata


def test_default_path_is_in_this_checkout() -> None:
    assert default_path() == default_path(ROOT)
    assert default_path(ROOT).is_file()


# --- the suite covers what it must ---------------------------------------------------------


# Review reasons that the Jeugdwet woonplaats rule cannot reach with facts of its own period:
# the nieuwe cliënt belongs to the Wmo bill, and the municipalities without a Dutch successor
# (Elten, Tudderen, the pre-GBA pseudo codes) ended long before anyone now under 23 was born.
NOT_JEUGDWET = {ReviewReden.GEMEENTE_ZONDER_OPVOLGER,
                ReviewReden.NIEUWE_CLIENT_ONBEKEND}


def test_every_review_reason_is_exercised() -> None:
    used = {c.verwacht.get("reden") for c in CASES}
    assert {r.value for r in ReviewReden if r not in NOT_JEUGDWET} <= used


def test_every_clause_of_both_versions_is_exercised() -> None:
    bepaald = Counter(
        (c.casus["peildatum"] >= "2022-01-01", c.verwacht["onderdeel"])
        for c in CASES
        if c.verwacht["status"] == "bepaald"
    )
    for onderdeel in (1, 2, 3, 4):
        assert bepaald[(True, onderdeel)] >= 2, f"2022 onderdeel {onderdeel}°"
    for onderdeel in (1, 2, 3):
        assert bepaald[(False, onderdeel)] >= 1, f"2015 onderdeel {onderdeel}°"


def test_all_four_date_types_appear_in_the_cases() -> None:
    text = default_path(ROOT).read_text(encoding="utf-8")
    for kind in ("type: Datum,", "JaarMaandDatum", "JaarDatum,", "DatumOnbekend"):
        assert kind in text


# --- check() itself ------------------------------------------------------------------------


def _case(**verwacht) -> ConformanceCase:
    return ConformanceCase("x", "t", "g", {}, verwacht)


def _json(status="bepaald", gemeente="0344", onderdeel=1, reden=None, kandidaten=()):
    return {
        "status": status,
        "gemeente": {"code": gemeente, "naam": "?"} if gemeente else None,
        "grondslag": {"onderdeel": onderdeel} if onderdeel else None,
        "reden": {"code": reden} if reden else None,
        "kandidaten": [{"code": c} for c in kandidaten],
    }


def test_check_accepts_a_matching_answer() -> None:
    assert check(_case(status="bepaald", gemeente="0344", onderdeel=1), _json()) == []


@pytest.mark.parametrize(
    ("verwacht", "answer", "field"),
    [
        ({"status": "bepaald", "gemeente": "0344", "onderdeel": 1},
         _json(status="review", gemeente=None, reden="onvolledige_datum"), "status"),
        ({"status": "bepaald", "gemeente": "0363", "onderdeel": 1}, _json(), "gemeente"),
        ({"status": "bepaald", "gemeente": "0344", "onderdeel": 2}, _json(), "onderdeel"),
        ({"status": "review", "reden": "gezag_ontbreekt"},
         _json(status="review", gemeente=None, reden="geen_jeugdige"), "reden"),
        ({"status": "review", "reden": "gesplitste_gemeente", "kandidaten": ["0757", "0865"]},
         _json(status="review", gemeente=None, reden="gesplitste_gemeente", kandidaten=["0757"]),
         "kandidaten"),
        ({"status": "review", "reden": "gezag_ontbreekt"},
         _json(status="review", gemeente="0344", reden="gezag_ontbreekt"), "gemeente"),
    ],
)
def test_check_reports_each_difference(verwacht, answer, field) -> None:
    differences = check(_case(**verwacht), answer)
    assert any(d.startswith(f"{field}:") for d in differences), differences


def test_check_ignores_onderdeel_only_when_the_case_leaves_it_out() -> None:
    answer = _json(status="review", gemeente=None, onderdeel=2, reden="tegenstrijdige_jeugdhulp")
    assert check(_case(status="review", reden="tegenstrijdige_jeugdhulp"), answer) == []
    assert check(_case(status="review", reden="tegenstrijdige_jeugdhulp", onderdeel=None), answer)


def test_check_reads_a_decision_object_and_its_json_alike(register) -> None:
    case = CASES[0]
    decision = decide(parse_case(case.casus, register), register)
    wrong = ConformanceCase("x", "t", "g", {}, {**case.verwacht, "gemeente": "9999"})
    assert check(wrong, decision) == check(wrong, decision.to_json()) != []


# --- load_cases() ---------------------------------------------------------------------------


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cases.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_unquoted_codes_and_dates_stay_text(tmp_path: Path) -> None:
    path = _write(tmp_path, """
- id: a
  titel: t
  grondslag: g
  casus: {peildatum: 2023-03-01, code: 0344, jaar: 2022, maand: 11}
  verwacht: {status: bepaald, gemeente: 0344, onderdeel: 1}
""")
    [case] = load_cases(path)
    assert case.casus == {"peildatum": "2023-03-01", "code": "0344", "jaar": 2022, "maand": 11}
    assert case.verwacht["gemeente"] == "0344"


def test_anchors_and_merge_keys_are_supported(tmp_path: Path) -> None:
    path = _write(tmp_path, """
- id: a
  titel: t
  grondslag: g
  casus: &base {peildatum: "2023-03-01", jeugdige: {x: 1}}
  verwacht: {status: bepaald, gemeente: "0344", onderdeel: 1}
- id: b
  titel: t
  grondslag: g
  casus: {<<: *base, peildatum: "2023-03-02"}
  verwacht: {status: review, reden: geen_jeugdige, onderdeel: null}
""")
    a, b = load_cases(path)
    assert b.casus == {"peildatum": "2023-03-02", "jeugdige": {"x": 1}}
    assert a.casus["peildatum"] == "2023-03-01"


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [
        ("{id: a, titel: t, grondslag: g, casus: {}, verwacht: {status: vast}}", "a.verwacht.status"),
        ("{id: a, titel: t, grondslag: g, casus: {}, verwacht: {status: bepaald, onderdeel: 1}}",
         "a.verwacht.gemeente"),
        ("{id: a, titel: t, grondslag: g, casus: {}, verwacht: {status: bepaald, gemeente: '0344'}}",
         "a.verwacht.onderdeel"),
        ("{id: a, titel: t, grondslag: g, casus: {}, verwacht: {status: review, reden: onbekend}}",
         "a.verwacht.reden"),
        ("{id: a, titel: t, grondslag: g, casus: {}, "
         "verwacht: {status: review, reden: geen_jeugdige, gemeente: '0344'}}", "a.verwacht.gemeente"),
        ("{id: a, titel: t, grondslag: g, casus: {}, verwacht: {status: bepaald, gemeente: '0344', "
         "onderdeel: 1, uitkomst: x}}", "onbekende velden uitkomst"),
        ("{id: A B, titel: t, grondslag: g, casus: {}, verwacht: {status: review, reden: geen_jeugdige}}",
         "is geen id"),
        ("{id: a, titel: t, casus: {}, verwacht: {status: review, reden: geen_jeugdige}}",
         "ontbreekt grondslag"),
    ],
)
def test_malformed_entries_are_named(tmp_path: Path, entry: str, fragment: str) -> None:
    with pytest.raises(ConformanceFormatError) as exc:
        load_cases(_write(tmp_path, f"- {entry}\n"))
    assert fragment in str(exc.value)


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    entry = "- {id: a, titel: t, grondslag: g, casus: {}, verwacht: {status: review, reden: geen_jeugdige}}\n"
    with pytest.raises(ConformanceFormatError, match="twee keer"):
        load_cases(_write(tmp_path, entry * 2))


def test_a_lettered_onderdeel_is_accepted_for_other_laws(tmp_path: Path) -> None:
    path = _write(tmp_path, "- {id: a, titel: t, grondslag: g, casus: {}, "
                            "verwacht: {status: bepaald, gemeente: '0344', onderdeel: a}}\n")
    [case] = load_cases(path)
    assert case.verwacht["onderdeel"] == "a"


def test_a_record_in_a_long_dissolved_gemeente_is_named_as_a_likely_data_error(register) -> None:
    """Issue 17 item 15: 0800 ended on 1997-01-01, so a 2023 address there cannot be right.

    The successor still decides (a herindeling hands everything over), but the decision must
    say that it read past a likely data error instead of resolving it silently.
    """
    case = next(c for c in CASES if c.id == "opgeheven-gemeente-in-recent-record")
    decision = decide(parse_case(case.casus, register), register).to_json()
    assert "Waarschijnlijk een gegevensfout" in decision["toelichting"]
    assert "1997-01-01" in decision["toelichting"] and "Bladel (1728)" in decision["toelichting"]
    flagged = [f for f in decision["gebruikteGegevens"] if "waarschijnlijkeGegevensfout" in f]
    assert [f["bron"] for f in flagged] == ["jeugdige.verblijfplaatshistorie[1]"]
    assert flagged[0]["waarschijnlijkeGegevensfout"]["opvolgers"] == ["1728"]


def test_a_record_that_began_before_its_gemeente_ended_is_no_data_error(register) -> None:
    """A Haaren address from 2008 is ordinary history: no data-error note."""
    case = next(c for c in CASES if c.id == "splitsing-haaren-voor-splitsing")
    decision = decide(parse_case(case.casus, register), register).to_json()
    assert "gegevensfout" not in decision["toelichting"]
    assert not any("waarschijnlijkeGegevensfout" in f for f in decision["gebruikteGegevens"])


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_toelichting_names_sources_in_words_not_machine_paths(case: ConformanceCase, register) -> None:
    """Issue 17 item 13: "adres Zwolle (0193), 1 februari 2022 tot 2 juni 2022", not
    ``jeugdige.verblijfplaatshistorie[1]``; the path stays in ``bron`` of gebruikteGegevens."""
    decision = decide(parse_case(case.casus, register, bron=case.id), register)
    for path in ("verblijfplaatshistorie[", "jeugdhulp["):
        assert path not in decision.toelichting, decision.toelichting
    assert all(f.bron for f in decision.gebruikte_gegevens)


def test_a_record_reads_as_kind_place_and_period(register) -> None:
    case = next(c for c in CASES if c.id == "sub2-jji-nazorg-na-verhuizing")
    decision = decide(parse_case(case.casus, register), register).to_json()
    assert "adres Rotterdam (0599), 4 april 2006 tot 1 maart 2023" in decision["toelichting"]
    assert "jeugdhulp in een justitiële jeugdinrichting, 1 september 2022 tot en met 28 februari 2023" \
        in decision["toelichting"]
    assert "jeugdige.verblijfplaatshistorie[0]" in [f["bron"] for f in decision["gebruikteGegevens"]]


def test_the_toelichting_names_what_was_weighed_and_set_aside(register) -> None:
    """Issue 17 item 12: the ended stay, the aantekening on the old address and the supplied
    werkelijke verblijfplaats could each have mattered; 1° applies, and the toelichting says
    why each did not decide."""
    case = next(c for c in CASES if c.id == "sub1-gewogen-en-niet-beslissend")
    text = decide(parse_case(case.casus, register), register).toelichting
    weighed = text.split("Gewogen en niet beslissend: ", 1)[1]
    assert "pleegouder, 1 maart 2022 tot en met 31 december 2022" in weighed
    assert "aantekening (art. 2.26 Wet BRP) bij adres Zwolle (0193)" in weighed
    assert "werkelijke verblijfplaats (Amsterdam (0363))" in weighed


def test_nothing_is_set_aside_when_every_fact_was_used(register) -> None:
    case = next(c for c in CASES if c.id == "sub1-ambulant-woonadres")
    assert "Gewogen en niet beslissend" not in decide(parse_case(case.casus, register), register).toelichting
