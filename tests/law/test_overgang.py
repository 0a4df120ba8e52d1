"""The 1-november-maatregel (factsheet VNG/VWS, Bestuurlijk Overleg 2021-11-02).

One test per part of the rule and per boundary the factsheet draws: delivered or rejected
"vóór 1 november" (strictly before), "afgerond vóór 1 januari 2022" (outside the measure),
the latende gemeente "tot de overdracht is afgerond", and dates before 2022-01-01. Then
the validation of the facts, the parameters, and properties of the timeline.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpb import refdata
from wpb.law.overgang import (
    FACTSHEET,
    OngeldigeOverdracht,
    Overdracht,
    Periode,
    Regime,
    Rol,
    Tak,
    Termijnen,
    check_gemeenten,
    regime,
    tak,
    tijdlijn,
    valideer,
    verantwoordelijke,
)

AMSTERDAM, ROTTERDAM, UTRECHT = "0363", "0599", "0344"
WEESP = "0457"  # merged into Amsterdam on 2022-03-24
HAREN = "0017"  # merged into Groningen on 2019-01-01
DIJK_EN_WAARD = "1980"  # formed on 2022-01-01
BOXMEER = "0756"  # merged into Land van Cuijk (1982) on 2022-01-01
LAND_VAN_CUIJK = "1982"

D = date
OKTOBER = date(2021, 10, 1)


def ov(
    aanleverdatum: date = OKTOBER,
    afwijzingsdatum: date | None = None,
    afgerond_datum: date | None = None,
    latende: str = AMSTERDAM,
    ontvangende: str = ROTTERDAM,
    pgb: bool = False,
    id: str = "t1",
) -> Overdracht:
    return Overdracht(
        id=id,
        latende_gemeente=latende,
        ontvangende_gemeente=ontvangende,
        aanleverdatum=aanleverdatum,
        afwijzingsdatum=afwijzingsdatum,
        afgerond_datum=afgerond_datum,
        pgb=pgb,
    )


@pytest.fixture(scope="module")
def register():
    return refdata.gemeente_register()


# --- onderdeel A: delivered before 1 November, not rejected before 1 November ---------------


def test_a_delivered_in_time_makes_the_ontvangende_responsible_from_2022_01_01():
    r = verantwoordelijke(ov(D(2021, 9, 15)), D(2022, 1, 1))
    assert (r.gemeente, r.rol, r.tak) == (ROTTERDAM, Rol.ONTVANGENDE, Tak.A_TIJDIG_AANGELEVERD)
    assert r.bron.onderdeel == "A"
    assert r.binnen_maatregel


def test_a_holds_while_the_transfer_is_not_afgerond():
    # Onderdeel A does not wait for the transfer: the ontvangende accepts without check.
    r = verantwoordelijke(ov(D(2021, 10, 1)), D(2023, 6, 1))
    assert r.gemeente == ROTTERDAM


def test_a_holds_after_a_late_afgerond():
    o = ov(D(2021, 10, 1), afgerond_datum=D(2022, 3, 1))
    assert verantwoordelijke(o, D(2022, 2, 28)).gemeente == ROTTERDAM
    assert verantwoordelijke(o, D(2022, 3, 1)).gemeente == ROTTERDAM


def test_delivered_on_31_october_is_in_time():
    r = verantwoordelijke(ov(D(2021, 10, 31)), D(2022, 1, 1))
    assert r.tak is Tak.A_TIJDIG_AANGELEVERD
    assert r.gemeente == ROTTERDAM


def test_delivered_on_1_november_is_not_in_time():
    r = verantwoordelijke(ov(D(2021, 11, 1)), D(2022, 1, 1))
    assert r.tak is Tak.B_NIET_TIJDIG_AANGELEVERD
    assert r.gemeente == AMSTERDAM


def test_rejected_on_31_october_is_the_exception_to_a():
    r = verantwoordelijke(ov(D(2021, 10, 1), afwijzingsdatum=D(2021, 10, 31)), D(2022, 1, 1))
    assert r.tak is Tak.B_TIJDIG_AFGEWEZEN
    assert r.gemeente == AMSTERDAM
    assert r.bron.onderdeel == "B"


def test_rejected_on_1_november_is_too_late_and_a_still_holds():
    r = verantwoordelijke(ov(D(2021, 10, 1), afwijzingsdatum=D(2021, 11, 1)), D(2022, 1, 1))
    assert r.tak is Tak.A_TIJDIG_AANGELEVERD
    assert r.gemeente == ROTTERDAM
    assert "2021-11-01" in r.reden and "verrekent" in r.reden


def test_a_rejection_in_2022_does_not_undo_a():
    r = verantwoordelijke(ov(D(2021, 10, 1), afwijzingsdatum=D(2022, 2, 1)), D(2022, 3, 1))
    assert r.gemeente == ROTTERDAM


def test_rejected_on_the_day_of_delivery_before_november_counts():
    r = verantwoordelijke(ov(D(2021, 10, 20), afwijzingsdatum=D(2021, 10, 20)), D(2022, 1, 1))
    assert r.tak is Tak.B_TIJDIG_AFGEWEZEN


# --- onderdeel B: the latende gemeente until afgerond ------------------------------------------


def test_b_not_delivered_in_time_and_not_afgerond_keeps_the_latende():
    o = ov(D(2021, 12, 1))
    for day in (D(2022, 1, 1), D(2022, 7, 1), D(2024, 1, 1)):
        r = verantwoordelijke(o, day)
        assert (r.gemeente, r.rol) == (AMSTERDAM, Rol.LATENDE)
    assert "nog niet" in verantwoordelijke(o, D(2022, 1, 1)).reden


def test_b_delivered_after_2022_keeps_the_latende_until_afgerond():
    o = ov(D(2022, 5, 1), afgerond_datum=D(2022, 8, 1))
    assert verantwoordelijke(o, D(2022, 1, 1)).gemeente == AMSTERDAM
    assert verantwoordelijke(o, D(2022, 7, 31)).gemeente == AMSTERDAM
    assert verantwoordelijke(o, D(2022, 8, 1)).gemeente == ROTTERDAM


def test_peildatum_on_the_afgerond_day_is_the_ontvangende():
    o = ov(D(2021, 11, 15), afgerond_datum=D(2022, 3, 15))
    on_the_day = verantwoordelijke(o, D(2022, 3, 15))
    assert (on_the_day.gemeente, on_the_day.rol) == (ROTTERDAM, Rol.ONTVANGENDE)
    assert on_the_day.tak is Tak.B_NIET_TIJDIG_AANGELEVERD


def test_the_day_before_afgerond_is_still_the_latende():
    o = ov(D(2021, 11, 15), afgerond_datum=D(2022, 3, 15))
    r = verantwoordelijke(o, D(2022, 3, 14))
    assert (r.gemeente, r.rol) == (AMSTERDAM, Rol.LATENDE)
    assert "tot en met 2022-03-14" in r.reden


def test_b_rejected_in_time_stays_with_the_latende_indefinitely():
    o = ov(D(2021, 10, 1), afwijzingsdatum=D(2021, 10, 15))
    assert verantwoordelijke(o, D(2025, 1, 1)).gemeente == AMSTERDAM


# --- outside the measure: afgerond before 2022-01-01 -----------------------------------------


def test_afgerond_on_31_december_is_outside_the_measure():
    r = verantwoordelijke(ov(D(2021, 11, 15), afgerond_datum=D(2021, 12, 31)), D(2022, 1, 1))
    assert r.tak is Tak.BUITEN_MAATREGEL
    assert not r.binnen_maatregel
    assert (r.gemeente, r.rol) == (ROTTERDAM, Rol.ONTVANGENDE)
    assert "Buiten de 1-november-maatregel" in r.reden


def test_afgerond_on_1_january_is_inside_the_measure_and_the_ontvangende_from_day_one():
    r = verantwoordelijke(ov(D(2021, 11, 15), afgerond_datum=D(2022, 1, 1)), D(2022, 1, 1))
    assert r.tak is Tak.B_NIET_TIJDIG_AANGELEVERD
    assert r.binnen_maatregel
    assert r.gemeente == ROTTERDAM


def test_outside_the_measure_wins_over_onderdeel_a():
    r = verantwoordelijke(ov(D(2021, 9, 1), afgerond_datum=D(2021, 10, 1)), D(2022, 6, 1))
    assert r.tak is Tak.BUITEN_MAATREGEL
    assert r.gemeente == ROTTERDAM


# --- before 2022-01-01 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "o",
    [
        ov(D(2021, 10, 1)),  # A
        ov(D(2021, 11, 15)),  # B
        ov(D(2021, 11, 15), afgerond_datum=D(2021, 12, 1)),  # outside, already afgerond
    ],
)
def test_before_2022_the_measure_does_not_speak_and_the_latende_is_assumed(o):
    r = verantwoordelijke(o, D(2021, 12, 31))
    assert r.tak is Tak.VOOR_INGANG
    assert (r.gemeente, r.rol) == (AMSTERDAM, Rol.LATENDE)
    assert not r.binnen_maatregel
    assert "aanname" in r.reden and "2015" in r.reden


def test_on_2022_01_01_the_rule_applies():
    assert verantwoordelijke(ov(D(2021, 10, 1)), D(2022, 1, 1)).tak is not Tak.VOOR_INGANG


# --- explanation --------------------------------------------------------------------------------


def test_result_names_the_dates_used_and_the_source():
    o = ov(D(2021, 11, 2), afgerond_datum=D(2022, 2, 1))
    r = verantwoordelijke(o, D(2022, 1, 10))
    used = dict(r.gebruikte_datums)
    assert used["aanleverdatum"] == D(2021, 11, 2)
    assert used["afgerond_datum"] == D(2022, 2, 1)
    assert used["afwijzingsdatum"] is None
    assert used["aanlever_grens"] == D(2021, 11, 1)
    assert used["ingang"] == D(2022, 1, 1)
    assert "2021-11-02" in r.reden and "2022-02-01" in r.reden
    assert r.bron.datum == D(2021, 11, 2)
    assert "Factsheet 1-november-maatregel" in r.bron.citation


def test_to_json_carries_the_answer_and_its_reasons():
    r = verantwoordelijke(ov(D(2021, 10, 1)), D(2022, 1, 5))
    doc = r.to_json()
    assert doc["gemeente"] == ROTTERDAM
    assert doc["gemeenteOpPeildatum"] == [ROTTERDAM]
    assert doc["rol"] == "ontvangende_gemeente"
    assert doc["tak"]["code"] == "a_tijdig_aangeleverd"
    assert doc["bron"]["onderdeel"] == "A"
    assert doc["gebruikteDatums"]["aanleverdatum"] == "2021-10-01"
    assert doc["binnenMaatregel"] is True


def test_with_a_register_the_reason_names_the_gemeenten(register):
    r = verantwoordelijke(ov(D(2021, 10, 1)), D(2022, 1, 5), register=register)
    assert "Rotterdam (0599)" in r.reden


# --- municipalities through time ---------------------------------------------------------------


def test_a_merged_latende_is_followed_to_its_successor_on_the_peildatum(register):
    o = ov(D(2021, 11, 15), latende=WEESP)
    before = verantwoordelijke(o, D(2022, 3, 23), register=register)
    after = verantwoordelijke(o, D(2022, 3, 24), register=register)
    assert before.gemeente_op_peildatum == (WEESP,)
    assert after.gemeente == WEESP  # the party of the transfer
    assert after.gemeente_op_peildatum == (AMSTERDAM,)
    assert "Amsterdam (0363)" in after.reden


def test_a_latende_merged_on_2022_01_01_is_its_successor_from_that_day(register):
    o = ov(D(2021, 11, 15), latende=BOXMEER, ontvangende=UTRECHT)
    assert verantwoordelijke(o, D(2022, 1, 1), register=register).gemeente_op_peildatum == (
        LAND_VAN_CUIJK,
    )


def test_without_a_register_the_party_is_given_as_is():
    o = ov(D(2021, 11, 15), latende=WEESP)
    assert verantwoordelijke(o, D(2023, 1, 1)).gemeente_op_peildatum == (WEESP,)


# --- part B after a reconsideration (issue 16 item 2) -------------------------------------------
# Factsheet, part B: data rejected with onderbouwing before 1 November → the latende stays
# responsible "tot de overdracht is afgerond", i.e. until the new gemeente sent its
# toewijzing. A rejection the same gemeente later reconsiders ends in an afgerond day like
# any other; the expected answers below follow from those words alone.


def test_rejected_before_november_then_accepted_and_afgerond_on_2022_04_01():
    # The case: the latende until 2022-03-31, the ontvangende from 2022-04-01.
    o = ov(D(2021, 10, 1), afwijzingsdatum=D(2021, 10, 20), afgerond_datum=D(2022, 4, 1))
    assert tak(o) is Tak.B_TIJDIG_AFGEWEZEN and o.heroverwogen and not o.afgewezen
    assert verantwoordelijke(o, D(2022, 1, 1)).gemeente == AMSTERDAM
    last = verantwoordelijke(o, D(2022, 3, 31))
    assert (last.gemeente, last.rol) == (AMSTERDAM, Rol.LATENDE)
    assert "tot en met 2022-03-31" in last.reden and "heroverwogen" in last.reden
    first = verantwoordelijke(o, D(2022, 4, 1))
    assert (first.gemeente, first.rol, first.bron.onderdeel) == (ROTTERDAM, Rol.ONTVANGENDE, "B")
    assert [(p.van, p.tot, p.gemeente) for p in tijdlijn(o)] == [
        (D(2022, 1, 1), D(2022, 4, 1), AMSTERDAM),
        (D(2022, 4, 1), None, ROTTERDAM),
    ]


def test_rejected_in_time_and_reconsidered_before_2022_is_outside_the_measure():
    # "Overdrachten die vóór 1 januari 2022 zijn afgerond vallen buiten de maatregel".
    o = ov(D(2021, 10, 1), afwijzingsdatum=D(2021, 10, 20), afgerond_datum=D(2021, 12, 15))
    assert tak(o) is Tak.BUITEN_MAATREGEL
    assert verantwoordelijke(o, D(2022, 1, 1)).gemeente == ROTTERDAM


def test_rejected_in_time_and_afgerond_on_2022_01_01_gives_the_ontvangende_from_the_first_day():
    o = ov(D(2021, 10, 1), afwijzingsdatum=D(2021, 10, 20), afgerond_datum=D(2022, 1, 1))
    assert tak(o) is Tak.B_TIJDIG_AFGEWEZEN
    assert [(p.van, p.gemeente) for p in tijdlijn(o)] == [(D(2022, 1, 1), ROTTERDAM)]


def test_late_delivery_rejected_then_afgerond_keeps_the_latende_until_afgerond():
    # Part B by late delivery; the rejection changes nothing once the transfer is afgerond.
    o = ov(D(2021, 11, 10), afwijzingsdatum=D(2021, 11, 20), afgerond_datum=D(2022, 2, 15))
    assert tak(o) is Tak.B_NIET_TIJDIG_AANGELEVERD
    assert verantwoordelijke(o, D(2022, 2, 14)).gemeente == AMSTERDAM
    assert verantwoordelijke(o, D(2022, 2, 15)).gemeente == ROTTERDAM


def test_a_with_a_late_rejection_later_afgerond_stays_with_the_ontvangende_from_2022():
    o = ov(D(2021, 10, 1), afwijzingsdatum=D(2021, 11, 5), afgerond_datum=D(2022, 3, 1))
    assert tak(o) is Tak.A_TIJDIG_AANGELEVERD
    assert verantwoordelijke(o, D(2022, 1, 1)).gemeente == ROTTERDAM


def test_settlement_claims_the_part_b_months_of_a_reconsidered_transfer():
    """Issue 18 item 1 with issue 16 item 2: once afgerond the latende settles what it paid
    (the factsheet's "al betaalde facturen"): the cost account names the ontvangende from
    2022-01-01, the for-the-time-being account the latende until 2022-03-31."""
    from wpb.law.verrekening.tijdlijn import build_tijdlijn

    o = ov(D(2021, 10, 1), afwijzingsdatum=D(2021, 10, 20), afgerond_datum=D(2022, 4, 1))
    tl = build_tijdlijn("111222333", [o])
    assert tl.voorlopig_op(D(2022, 3, 31)).gemeente == AMSTERDAM
    assert tl.kosten_op(D(2022, 1, 1)).gemeente == ROTTERDAM
    assert tl.op(D(2022, 2, 1)).gemeente == ROTTERDAM  # settlement follows the cost account
    standing = build_tijdlijn("111222333", [ov(D(2021, 10, 1), afwijzingsdatum=D(2021, 10, 20))])
    assert standing.kosten_op(D(2022, 2, 1)) is None  # a rejection that stands names no bearer


# --- the law regime: today's transfers with vanaf (issue 16 item 1) ------------------------------


VANAF_2026, AANGELEVERD_2026 = D(2026, 3, 10), D(2026, 3, 20)


def wet(vanaf: date = VANAF_2026, aanleverdatum: date = AANGELEVERD_2026, **kw) -> Overdracht:
    return Overdracht("w1", AMSTERDAM, ROTTERDAM, aanleverdatum, vanaf=vanaf, **kw)


def test_a_transfer_without_vanaf_or_with_vanaf_on_2022_01_01_is_the_migratiegroep():
    assert regime(ov(D(2021, 10, 1))) is Regime.MAATREGEL
    assert regime(replace(ov(D(2021, 10, 1)), vanaf=D(2022, 1, 1))) is Regime.MAATREGEL
    assert regime(wet()) is Regime.WET


def test_the_law_makes_the_ontvangende_responsible_from_vanaf_whatever_the_paperwork():
    # Jeugdwet art. 1.1 and the FAQ: from the day of the change, not from afgerond.
    for afgerond in (None, D(2026, 4, 2), D(2026, 3, 25)):
        o = wet(afgerond_datum=afgerond)
        before, on = verantwoordelijke(o, D(2026, 3, 9)), verantwoordelijke(o, D(2026, 3, 10))
        assert (before.gemeente, before.tak) == (AMSTERDAM, Tak.WET_VOOR_VANAF)
        assert (on.gemeente, on.tak, on.regime) == (ROTTERDAM, Tak.WET_VANAF, Regime.WET)
        assert on.bron.titel == "Jeugdwet, artikel 1.1 (woonplaats)"
        assert "woonplaatsbeginsel.info/faq" in on.bron.citation
        assert not on.binnen_maatregel
    assert "na 2026-03-09 betaalde" in verantwoordelijke(wet(), D(2026, 3, 10)).reden


def test_the_law_applies_also_when_vanaf_lies_after_the_aanleverdatum():
    o = wet(vanaf=D(2026, 5, 1), aanleverdatum=D(2026, 4, 1))  # a planned change
    assert verantwoordelijke(o, D(2026, 4, 30)).gemeente == AMSTERDAM
    assert verantwoordelijke(o, D(2026, 5, 1)).gemeente == ROTTERDAM


def test_a_standing_rejection_under_the_law_keeps_the_latende_for_the_time_being():
    o = wet(afwijzingsdatum=D(2026, 3, 25))
    r = verantwoordelijke(o, D(2026, 4, 1))
    assert (r.gemeente, r.tak, r.regime) == (AMSTERDAM, Tak.WET_AFGEWEZEN, Regime.WET)
    reconsidered = wet(afwijzingsdatum=D(2026, 3, 25), afgerond_datum=D(2026, 4, 15))
    assert verantwoordelijke(reconsidered, D(2026, 3, 10)).gemeente == ROTTERDAM


def test_law_timeline_names_its_regime():
    periods = tijdlijn(wet(afgerond_datum=D(2026, 4, 2)))
    assert [(p.van, p.tot, p.gemeente, p.tak.regime) for p in periods] == [
        (D(2022, 1, 1), D(2026, 3, 10), AMSTERDAM, Regime.WET),
        (D(2026, 3, 10), None, ROTTERDAM, Regime.WET),
    ]
    assert periods[1].to_json()["regime"] == "jeugdwet"
    assert periods[1].to_json()["bron"].startswith("Jeugdwet, artikel 1.1 (woonplaats)")
    assert tijdlijn(ov())[0].to_json()["bron"].startswith("Factsheet 1-november-maatregel")
    doc = verantwoordelijke(wet(), D(2026, 3, 10)).to_json()
    assert doc["regime"]["code"] == "jeugdwet" and doc["gebruikteDatums"]["vanaf"] == "2026-03-10"
    assert verantwoordelijke(ov(), D(2022, 1, 1)).to_json()["regime"]["code"] == "1-november-maatregel"


def test_vanaf_before_2022_is_refused_with_the_reason():
    with pytest.raises(OngeldigeOverdracht) as exc:
        wet(vanaf=D(2021, 12, 31))
    assert fields_of(exc.value) == ["vanaf"]
    assert "vóór 2022-01-01" in str(exc.value) and "Jeugdwet art. 1.1" in str(exc.value)


# --- validation ---------------------------------------------------------------------------------


def fields_of(exc: OngeldigeOverdracht) -> list[str]:
    return [f.veld for f in exc.fouten]


def test_afgerond_on_or_before_the_rejection_is_an_error():
    # Issue 16 item 4: rejected and later afgerond is a reconsideration (see part B above);
    # afgerond on the day of the rejection or before it cannot be one.
    for afgerond in (D(2021, 10, 5), D(2021, 10, 4)):
        with pytest.raises(OngeldigeOverdracht) as exc:
            ov(D(2021, 10, 1), afwijzingsdatum=D(2021, 10, 5), afgerond_datum=afgerond)
        assert fields_of(exc.value) == ["afgerond_datum"]
        assert "niet na de afwijzing op 2021-10-05" in str(exc.value)


def test_afgerond_before_aanlevering_is_an_error():
    with pytest.raises(OngeldigeOverdracht) as exc:
        ov(D(2021, 10, 1), afgerond_datum=D(2021, 9, 30))
    assert fields_of(exc.value) == ["afgerond_datum"]
    assert "vóór de aanleverdatum" in str(exc.value)


def test_afgerond_on_the_day_of_aanlevering_is_allowed():
    assert ov(D(2021, 10, 1), afgerond_datum=D(2021, 10, 1)).afgerond_datum == D(2021, 10, 1)


def test_accepted_before_aanlevering_is_an_error():
    with pytest.raises(OngeldigeOverdracht) as exc:
        Overdracht("t1", AMSTERDAM, ROTTERDAM, D(2021, 10, 1), geaccepteerd_datum=D(2021, 9, 30))
    assert fields_of(exc.value) == ["geaccepteerd_datum"]
    assert "vóór de aanleverdatum" in str(exc.value)


def test_afgerond_before_the_acceptance_is_an_error():
    with pytest.raises(OngeldigeOverdracht) as exc:
        Overdracht("t1", AMSTERDAM, ROTTERDAM, D(2021, 10, 1), afgerond_datum=D(2021, 11, 1),
                   geaccepteerd_datum=D(2021, 11, 2))
    assert fields_of(exc.value) == ["afgerond_datum"]
    assert "acceptatie" in str(exc.value)


def test_the_acceptance_decides_no_responsibility():
    plain = ov(D(2021, 10, 1))
    accepted = Overdracht("t1", AMSTERDAM, ROTTERDAM, D(2021, 10, 1),
                          geaccepteerd_datum=D(2021, 10, 2))
    assert tak(accepted) is tak(plain) and tijdlijn(accepted) == tijdlijn(plain)
    assert accepted.to_json()["geaccepteerdDatum"] == "2021-10-02"


def test_rejected_before_aanlevering_is_an_error():
    with pytest.raises(OngeldigeOverdracht) as exc:
        ov(D(2021, 10, 1), afwijzingsdatum=D(2021, 9, 1))
    assert fields_of(exc.value) == ["afwijzingsdatum"]


def test_same_latende_and_ontvangende_is_an_error():
    with pytest.raises(OngeldigeOverdracht) as exc:
        ov(latende=AMSTERDAM, ontvangende=AMSTERDAM)
    assert fields_of(exc.value) == ["ontvangende_gemeente"]


def test_every_problem_is_reported_at_once():
    with pytest.raises(OngeldigeOverdracht) as exc:
        Overdracht("", "363", "abcd", D(2021, 10, 1), D(2021, 9, 1), D(2021, 8, 31))
    assert sorted(fields_of(exc.value)) == sorted(
        ["id", "latende_gemeente", "ontvangende_gemeente", "afgerond_datum",
         "afwijzingsdatum", "afgerond_datum"]
    )


def test_a_moment_is_not_a_date():
    with pytest.raises(OngeldigeOverdracht) as exc:
        Overdracht("t", AMSTERDAM, ROTTERDAM, datetime(2021, 10, 1, 12, 0))  # type: ignore[arg-type]
    assert fields_of(exc.value) == ["aanleverdatum"]


def test_unknown_gemeentecode_is_reported_by_the_register(register):
    assert "9998" not in register
    o = ov(latende="9998")
    problems = check_gemeenten(o, register)
    assert [p.veld for p in problems] == ["latende_gemeente"]
    assert "onbekende gemeentecode" in problems[0].probleem
    with pytest.raises(OngeldigeOverdracht):
        valideer(o, register)


@pytest.mark.parametrize("code", ["1999", "0000"])
def test_rni_and_onbekend_are_no_gemeente(register, code):
    problems = check_gemeenten(ov(ontvangende=code), register)
    assert [p.veld for p in problems] == ["ontvangende_gemeente"]
    assert "geen gemeente" in problems[0].probleem


def test_a_gemeente_that_had_ended_by_the_aanleverdatum_is_an_error(register):
    problems = check_gemeenten(ov(latende=HAREN), register)
    assert [p.veld for p in problems] == ["latende_gemeente"]
    assert "2019-01-01" in problems[0].probleem and "opvolger" in problems[0].probleem


def test_a_latende_formed_after_the_aanleverdatum_is_an_error(register):
    problems = check_gemeenten(ov(latende=DIJK_EN_WAARD, ontvangende=UTRECHT), register)
    assert [p.veld for p in problems] == ["latende_gemeente"]


def test_an_ontvangende_formed_on_the_ingangsdatum_is_accepted(register):
    # Transfers towards a municipality formed on 2022-01-01 were prepared in 2021.
    assert check_gemeenten(ov(ontvangende=DIJK_EN_WAARD), register) == []


def test_existing_gemeenten_pass(register):
    valideer(ov(), register)  # raises on any problem


# --- parameters ---------------------------------------------------------------------------------


def test_the_factsheet_dates_are_the_defaults():
    assert Termijnen() == FACTSHEET
    assert FACTSHEET.aanlever_grens == D(2021, 11, 1)
    assert FACTSHEET.afwijs_grens == D(2021, 11, 1)
    assert FACTSHEET.ingang == D(2022, 1, 1)
    assert FACTSHEET.verlengen_tot == D(2022, 7, 1)
    assert FACTSHEET.contract_voor == D(2021, 12, 31)
    assert FACTSHEET.vow_niet_voor == D(2021, 11, 22)
    assert FACTSHEET.tkb_voor == D(2021, 12, 1)


def test_the_rule_follows_the_parameters_not_fixed_dates():
    earlier = Termijnen(aanlever_grens=D(2021, 10, 15), afwijs_grens=D(2021, 10, 15))
    o = ov(D(2021, 10, 20))
    assert tak(o) is Tak.A_TIJDIG_AANGELEVERD
    assert tak(o, earlier) is Tak.B_NIET_TIJDIG_AANGELEVERD
    later_start = Termijnen(ingang=D(2022, 2, 1))
    assert verantwoordelijke(o, D(2022, 1, 15), later_start).tak is Tak.VOOR_INGANG
    afgerond_jan = ov(D(2021, 11, 5), afgerond_datum=D(2022, 1, 20))
    assert tak(afgerond_jan, later_start) is Tak.BUITEN_MAATREGEL
    assert tijdlijn(afgerond_jan, later_start)[0].van == D(2022, 2, 1)


def test_inconsistent_parameters_are_refused():
    with pytest.raises(ValueError, match="aanlever_grens"):
        Termijnen(aanlever_grens=D(2022, 2, 1))
    with pytest.raises(ValueError, match="verlengen_tot"):
        Termijnen(verlengen_tot=D(2021, 12, 1))


# --- timeline -----------------------------------------------------------------------------------


def test_timeline_of_b_afgerond_has_two_periods():
    o = ov(D(2021, 11, 15), afgerond_datum=D(2022, 3, 15))
    first, second = tijdlijn(o)
    assert (first.van, first.tot, first.gemeente) == (D(2022, 1, 1), D(2022, 3, 15), AMSTERDAM)
    assert first.laatste_dag == D(2022, 3, 14)
    assert (second.van, second.tot, second.gemeente) == (D(2022, 3, 15), None, ROTTERDAM)


def test_timeline_of_b_afgerond_on_1_january_has_only_the_ontvangende():
    (only,) = tijdlijn(ov(D(2021, 11, 15), afgerond_datum=D(2022, 1, 1)))
    assert (only.van, only.tot, only.rol) == (D(2022, 1, 1), None, Rol.ONTVANGENDE)


def test_timeline_of_a_and_of_outside_is_the_ontvangende_from_2022():
    for o in (ov(D(2021, 10, 1)), ov(D(2021, 11, 15), afgerond_datum=D(2021, 12, 1))):
        (only,) = tijdlijn(o)
        assert (only.van, only.tot, only.gemeente) == (D(2022, 1, 1), None, ROTTERDAM)


def test_timeline_to_json():
    doc = tijdlijn(ov(D(2021, 11, 15), afgerond_datum=D(2022, 3, 15)))[0].to_json()
    assert doc["van"] == "2022-01-01" and doc["tot"] == "2022-03-15"
    assert doc["totEnMet"] == "2022-03-14" and doc["rol"] == "latende_gemeente"


# --- properties ---------------------------------------------------------------------------------

WINDOW_START, WINDOW_END = D(2021, 8, 1), D(2022, 12, 31)
days = st.dates(min_value=WINDOW_START, max_value=WINDOW_END)


@st.composite
def transfers(draw) -> Overdracht:
    """Any valid transfer; dates cluster around the measure's boundaries."""
    boundary = st.sampled_from(
        [D(2021, 10, 31), D(2021, 11, 1), D(2021, 12, 31), D(2022, 1, 1), D(2022, 1, 2)]
    )
    aanlever = draw(st.one_of(days, boundary))
    later = st.one_of(
        st.dates(min_value=aanlever, max_value=WINDOW_END),
        boundary.filter(lambda d: d >= aanlever),
    )
    kind = draw(st.sampled_from(["open", "afgewezen", "afgerond", "heroverwogen"]))
    afwijzing = draw(later) if kind in ("afgewezen", "heroverwogen") else None
    afgerond = draw(later) if kind == "afgerond" else None
    if kind == "heroverwogen":  # rejected, then reconsidered and afgerond on a later day
        afgerond = afwijzing + timedelta(days=draw(st.integers(1, 200)))
    lat, ont = draw(st.permutations([AMSTERDAM, ROTTERDAM, UTRECHT]))[:2]
    return Overdracht("x", lat, ont, aanlever, afwijzing, afgerond, draw(st.booleans()))


@st.composite
def termijnen(draw) -> Termijnen:
    """The factsheet's dates, or shifted ones: the properties hold for any parameters."""
    if draw(st.booleans()):
        return FACTSHEET
    ingang = draw(st.dates(min_value=D(2021, 11, 1), max_value=D(2022, 3, 1)))
    grens = st.dates(min_value=D(2021, 9, 1), max_value=ingang)
    return Termijnen(
        aanlever_grens=draw(grens),
        afwijs_grens=draw(grens),
        ingang=ingang,
        verlengen_tot=ingang + timedelta(days=181),
    )


@settings(max_examples=300, deadline=None)
@given(transfers(), days, termijnen())
def test_responsibility_is_always_one_of_the_two_gemeenten(o, peildatum, t):
    r = verantwoordelijke(o, peildatum, t)
    assert r.gemeente in (o.latende_gemeente, o.ontvangende_gemeente)
    assert r.gemeente == o.gemeente(r.rol)
    assert (r.tak is Tak.VOOR_INGANG) == (peildatum < t.ingang)


@settings(max_examples=300, deadline=None)
@given(transfers(), days, termijnen())
def test_once_the_ontvangende_is_responsible_it_stays(o, peildatum, t):
    # Responsibility moves at most once, from the latende to the ontvangende.
    if verantwoordelijke(o, peildatum, t).rol is Rol.ONTVANGENDE:
        later = peildatum + timedelta(days=1)
        assert verantwoordelijke(o, later, t).rol is Rol.ONTVANGENDE


@settings(max_examples=300, deadline=None)
@given(transfers(), termijnen())
def test_a_rejected_transfer_stays_with_the_latende_unless_a_holds(o, t):
    # A rejection that stands; a reconsidered one ends on its afgerond day (issue 16).
    if not o.afgewezen or tak(o, t) is Tak.A_TIJDIG_AANGELEVERD:
        return
    assert verantwoordelijke(o, WINDOW_END, t).rol is Rol.LATENDE


def _check_contiguous(periods: tuple[Periode, ...], start: date) -> None:
    assert periods, "a timeline is never empty"
    assert periods[0].van == start
    for before, after in zip(periods, periods[1:], strict=False):
        assert before.tot == after.van, "gap or overlap between periods"
        assert before.van < before.tot, "empty period"
    assert periods[-1].tot is None, "the last period is open-ended"


@settings(max_examples=150, deadline=None)
@given(transfers(), termijnen())
def test_timeline_covers_every_day_without_gaps_and_agrees_with_the_point_query(o, t):
    periods = tijdlijn(o, t)
    _check_contiguous(periods, t.ingang)
    day = t.ingang
    while day <= WINDOW_END + timedelta(days=31):
        covering = [p for p in periods if p.covers(day)]
        assert len(covering) == 1, f"{day} covered by {len(covering)} periods"
        r = verantwoordelijke(o, day, t)
        assert (covering[0].gemeente, covering[0].rol, covering[0].tak) == (r.gemeente, r.rol, r.tak)
        day += timedelta(days=1)


@settings(max_examples=200, deadline=None)
@given(transfers())
def test_timeline_changes_hands_only_on_the_afgerond_day(o):
    periods = tijdlijn(o)
    for p in periods[1:]:
        assert p.van == o.afgerond_datum


# --- properties of the law regime (issue 16 item 1) ----------------------------------------------

LAW_START, LAW_END = D(2022, 1, 2), D(2030, 12, 31)


@st.composite
def law_transfers(draw) -> Overdracht:
    """Any valid transfer of today: vanaf after 2022-01-01, any paperwork dates."""
    vanaf = draw(st.dates(min_value=LAW_START, max_value=LAW_END))
    aanlever = draw(st.dates(min_value=LAW_START, max_value=LAW_END))
    later = st.dates(min_value=aanlever, max_value=D(2031, 12, 31))
    kind = draw(st.sampled_from(["open", "afgewezen", "afgerond", "heroverwogen"]))
    afwijzing = draw(later) if kind in ("afgewezen", "heroverwogen") else None
    afgerond = None
    if kind == "afgerond":
        afgerond = draw(later)
    elif kind == "heroverwogen":
        afgerond = draw(st.dates(min_value=afwijzing + timedelta(days=1), max_value=D(2032, 1, 1)))
    lat, ont = draw(st.permutations([AMSTERDAM, ROTTERDAM, UTRECHT]))[:2]
    return Overdracht("w", lat, ont, aanlever, afwijzing, afgerond, draw(st.booleans()), vanaf=vanaf)


@settings(max_examples=200, deadline=None)
@given(law_transfers())
def test_under_the_law_one_gemeente_each_day_and_the_ontvangende_from_vanaf(o):
    assert regime(o) is Regime.WET
    periods = tijdlijn(o)
    _check_contiguous(periods, FACTSHEET.ingang)
    for offset in range(-45, 46):
        day = o.vanaf + timedelta(days=offset)
        r = verantwoordelijke(o, day)
        if day >= FACTSHEET.ingang:  # the timeline starts with the 2022 law
            covering = [p for p in periods if p.covers(day)]
            assert len(covering) == 1, f"{day} covered by {len(covering)} periods"
            assert (covering[0].gemeente, covering[0].tak) == (r.gemeente, r.tak)
        assert r.regime is Regime.WET and r.gemeente in (o.latende_gemeente, o.ontvangende_gemeente)
        if day < o.vanaf:
            assert r.gemeente == o.latende_gemeente
        elif o.afgewezen:
            # A rejection that stands: the latende for the time being (docs/overgang.md).
            assert (r.gemeente, r.tak) == (o.latende_gemeente, Tak.WET_AFGEWEZEN)
        else:
            # Whatever day the paperwork is done: the afgerond day plays no part.
            assert (r.gemeente, r.tak) == (o.ontvangende_gemeente, Tak.WET_VANAF)
