"""Tasks per party from the 1-november-maatregel (factsheet VNG/VWS, 2021-11-02).

Which tasks apply follows from the part of the measure (A, B, outside); their dates from
the factsheet: toewijzing extended to 2022-07-01, contract vóór 2021-12-31, VOW not before
2021-11-22, TKB at the SVB vóór 2021-12-01.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpb.law.overgang import FACTSHEET, Overdracht, Tak, Termijnen, tak
from wpb.law.taken import (
    TAAKCODES,
    OnbekendeTaak,
    Partij,
    Taak,
    TaakStatus,
    taken,
    te_laat,
)

AMSTERDAM, ROTTERDAM = "0363", "0599"
D = date
LAT, ONT, AANB = Partij.LATENDE_GEMEENTE, Partij.ONTVANGENDE_GEMEENTE, Partij.AANBIEDER
OKTOBER = date(2021, 10, 1)


def ov(aanlever=OKTOBER, afwijzing=None, afgerond=None, pgb=False) -> Overdracht:
    return Overdracht("t1", AMSTERDAM, ROTTERDAM, aanlever, afwijzing, afgerond, pgb)


def codes(ts: tuple[Taak, ...], partij: Partij | None = None) -> set[str]:
    return {t.code for t in ts if partij is None or t.partij is partij}


def by_code(ts: tuple[Taak, ...]) -> dict[str, Taak]:
    return {t.code: t for t in ts}


PROVIDER_ALWAYS = {"aanbieder.toewijzingen_nagaan", "aanbieder.zorg_voortzetten", "aanbieder.gemeente_nagaan"}


# --- onderdeel A ---------------------------------------------------------------------------


def test_a_gives_the_ontvangende_accept_contract_toewijzing_and_check():
    ts = taken(ov(D(2021, 10, 1)))
    assert codes(ts, ONT) == {
        "ontvangende.accepteren",
        "ontvangende.contracteren",
        "ontvangende.toewijzing_sturen",
        "ontvangende.controleren",
    }
    assert codes(ts, LAT) == {"latende.aanbieder_informeren"}
    assert codes(ts, AANB) == PROVIDER_ALWAYS  # the new municipality is known: no VOW
    assert all(t.gemeente == ROTTERDAM for t in ts if t.partij is ONT)
    assert all(t.gemeente is None for t in ts if t.partij is AANB)


def test_a_contract_is_due_before_31_december():
    contract = by_code(taken(ov()))["ontvangende.contracteren"]
    assert contract.voor == D(2021, 12, 31)
    assert not contract.overdue(D(2021, 12, 30))
    assert contract.overdue(D(2021, 12, 31))
    assert "maatwerkovereenkomst" in contract.titel
    for term in ("product", "eenheid", "prijs per eenheid", "frequentie"):
        assert term in contract.titel


def test_a_acceptance_is_without_prior_check_and_due_before_2022():
    accept = by_code(taken(ov()))["ontvangende.accepteren"]
    assert "zonder voorafgaande toets" in accept.titel
    assert accept.voor == D(2022, 1, 1)


def test_a_toewijzing_starts_on_2022_01_01():
    assert "2022-01-01" in by_code(taken(ov()))["ontvangende.toewijzing_sturen"].titel


def test_a_afgerond_marks_accept_and_toewijzing_done_by_the_fact():
    ts = by_code(taken(ov(D(2021, 10, 1), afgerond=D(2022, 1, 10))))
    for code in ("ontvangende.accepteren", "ontvangende.toewijzing_sturen"):
        assert ts[code].gedaan
        assert ts[code].gedaan_door == "overdracht afgerond op 2022-01-10"
    assert not ts["ontvangende.contracteren"].gedaan


def test_a_acceptance_marks_the_accept_task_done_by_the_fact():
    # Factsheet, onderdeel A: "accepteer zonder voorafgaande toets" before the ingangsdatum.
    o = Overdracht("t1", AMSTERDAM, ROTTERDAM, D(2021, 10, 1), geaccepteerd_datum=D(2021, 10, 20))
    ts = by_code(taken(o))
    accept = ts["ontvangende.accepteren"]
    assert accept.gedaan and accept.gedaan_door == "overdracht geaccepteerd op 2021-10-20"
    assert not accept.overdue(D(2022, 1, 5)) and accept.status(D(2022, 1, 5)) is TaakStatus.GEDAAN
    # Accepting is not sending the toewijzing nor checking: those stay open.
    assert not ts["ontvangende.toewijzing_sturen"].gedaan
    assert not ts["ontvangende.controleren"].gedaan


def test_a_not_accepted_stays_overdue_after_the_ingangsdatum():
    accept = by_code(taken(ov(D(2021, 10, 1))))["ontvangende.accepteren"]
    assert not accept.gedaan and accept.overdue(D(2022, 1, 1))


def test_a_late_acceptance_is_done_too():
    o = Overdracht("t1", AMSTERDAM, ROTTERDAM, D(2021, 10, 1), geaccepteerd_datum=D(2022, 2, 1))
    accept = by_code(taken(o))["ontvangende.accepteren"]
    assert accept.gedaan and not accept.overdue(D(2022, 2, 2))


def test_a_with_a_late_rejection_gives_the_ontvangende_find_and_settle():
    ts = taken(ov(D(2021, 10, 1), afwijzing=D(2021, 11, 10)))
    assert tak(ov(D(2021, 10, 1), afwijzing=D(2021, 11, 10))) is Tak.A_TIJDIG_AANGELEVERD
    assert {"ontvangende.verantwoordelijke_zoeken", "ontvangende.verrekenen"} <= codes(ts, ONT)
    check = by_code(ts)["ontvangende.controleren"]
    assert check.gedaan and "afgewezen" in (check.gedaan_door or "")
    assert "latende.verantwoordelijke_zoeken" not in codes(ts)


# --- onderdeel B ---------------------------------------------------------------------------


def test_b_not_in_time_gives_the_latende_its_five_steps_but_find():
    ts = taken(ov(D(2021, 11, 1)))
    assert codes(ts, LAT) == {
        "latende.toewijzing_verlengen",
        "latende.aanbieder_informeren",
        "latende.afgerond_afwachten",
        "latende.verrekenen",
    }
    assert "latende.verantwoordelijke_zoeken" not in codes(ts)
    assert codes(ts, ONT) == {
        "ontvangende.contracteren",
        "ontvangende.toewijzing_sturen",
        "ontvangende.controleren",
    }
    assert codes(ts, AANB) == PROVIDER_ALWAYS | {"aanbieder.vow_sturen"}


def test_b_extension_runs_to_1_july_and_is_due_before_2022():
    extend = by_code(taken(ov(D(2021, 11, 15))))["latende.toewijzing_verlengen"]
    assert "2022-07-01" in extend.titel
    assert extend.voor == D(2022, 1, 1)
    assert extend.status(D(2021, 12, 31)) is TaakStatus.OPEN
    assert extend.status(D(2022, 1, 1)) is TaakStatus.TE_LAAT


def test_b_contract_has_no_factsheet_deadline():
    assert by_code(taken(ov(D(2021, 11, 15))))["ontvangende.contracteren"].voor is None


def test_b_settlement_waits_for_afgerond():
    waiting = by_code(taken(ov(D(2021, 11, 15))))["latende.verrekenen"]
    assert not waiting.kan_starten
    assert waiting.status(D(2023, 1, 1)) is TaakStatus.NOG_NIET
    done = by_code(taken(ov(D(2021, 11, 15), afgerond=D(2022, 4, 1))))
    settle = done["latende.verrekenen"]
    assert settle.kan_starten and settle.niet_voor == D(2022, 4, 1)
    assert settle.status(D(2022, 3, 31)) is TaakStatus.NOG_NIET
    assert settle.status(D(2022, 4, 1)) is TaakStatus.OPEN
    assert done["latende.afgerond_afwachten"].gedaan
    assert done["ontvangende.toewijzing_sturen"].gedaan


def test_b_vow_not_before_22_november():
    vow = by_code(taken(ov(D(2021, 11, 15))))["aanbieder.vow_sturen"]
    assert vow.niet_voor == D(2021, 11, 22)
    assert "JW317" in vow.titel
    assert vow.status(D(2021, 11, 21)) is TaakStatus.NOG_NIET
    assert vow.status(D(2021, 11, 22)) is TaakStatus.OPEN


def test_b_rejected_in_time_makes_the_latende_find_the_responsible_municipality():
    ts = taken(ov(D(2021, 10, 1), afwijzing=D(2021, 10, 20)))
    assert "latende.verantwoordelijke_zoeken" in codes(ts, LAT)
    assert "latende.afgerond_afwachten" not in codes(ts)  # this transfer will not be afgerond
    assert codes(ts, ONT) == set()  # it rejected in time: nothing left for the ontvangende
    # This transfer is never afgerond; the settlement follows the search, not "afgerond".
    assert by_code(ts)["latende.verrekenen"].status(D(2022, 2, 1)) is TaakStatus.OPEN


def test_b_not_in_time_and_rejected_later_also_makes_the_latende_search():
    ts = taken(ov(D(2021, 11, 5), afwijzing=D(2022, 2, 1)))
    assert "latende.verantwoordelijke_zoeken" in codes(ts, LAT)
    assert codes(ts, ONT) == set()


# --- outside the measure -------------------------------------------------------------------


def test_outside_the_measure_sets_no_tasks():
    assert taken(ov(D(2021, 11, 15), afgerond=D(2021, 12, 31), pgb=True)) == ()


def test_afgerond_on_1_january_is_inside_and_has_tasks():
    assert taken(ov(D(2021, 11, 15), afgerond=D(2022, 1, 1))) != ()


# --- PGB -----------------------------------------------------------------------------------


def test_pgb_tasks_only_for_pgb_transfers():
    assert not any(t.code.startswith("pgb.") for t in taken(ov(pgb=False)))
    assert "pgb.tkb_naar_svb" in codes(taken(ov(pgb=True)))


def test_pgb_tkb_is_for_the_gemeente_responsible_from_2022():
    a = by_code(taken(ov(D(2021, 10, 1), pgb=True)))["pgb.tkb_naar_svb"]
    b = by_code(taken(ov(D(2021, 11, 15), pgb=True)))["pgb.tkb_naar_svb"]
    assert (a.partij, a.gemeente) == (ONT, ROTTERDAM)
    assert (b.partij, b.gemeente) == (LAT, AMSTERDAM)


def test_pgb_tkb_before_1_december():
    tkb = by_code(taken(ov(pgb=True)))["pgb.tkb_naar_svb"]
    assert tkb.voor == D(2021, 12, 1)
    assert not tkb.overdue(D(2021, 11, 30))
    assert tkb.overdue(D(2021, 12, 1))
    assert "SVB" in tkb.titel


# --- done, overdue -------------------------------------------------------------------------


def test_marked_codes_are_done_and_never_overdue():
    ts = by_code(taken(ov(pgb=True), gedaan={"pgb.tkb_naar_svb"}))
    assert ts["pgb.tkb_naar_svb"].gedaan
    assert ts["pgb.tkb_naar_svb"].gedaan_door == "gemarkeerd"
    assert not ts["pgb.tkb_naar_svb"].overdue(D(2023, 1, 1))
    assert ts["pgb.tkb_naar_svb"].status(D(2023, 1, 1)) is TaakStatus.GEDAAN
    assert not ts["ontvangende.contracteren"].gedaan


def test_unknown_task_codes_are_refused():
    with pytest.raises(OnbekendeTaak, match="bestaat.niet"):
        taken(ov(), gedaan={"bestaat.niet"})


def test_a_known_code_that_does_not_apply_is_ignored():
    # Stored when the transfer was in A; after an early rejection it no longer applies.
    ts = taken(ov(D(2021, 10, 1), afwijzing=D(2021, 10, 5)), gedaan={"ontvangende.accepteren"})
    assert "ontvangende.accepteren" not in codes(ts)


def test_te_laat_lists_the_overdue_tasks():
    ts = taken(ov(D(2021, 10, 1), pgb=True))
    assert {t.code for t in te_laat(ts, D(2021, 12, 1))} == {"pgb.tkb_naar_svb"}
    assert {t.code for t in te_laat(ts, D(2021, 12, 31))} == {
        "pgb.tkb_naar_svb",
        "ontvangende.contracteren",
    }
    assert te_laat(ts, D(2021, 11, 30)) == ()


def test_tasks_follow_the_parameters():
    t = Termijnen(contract_voor=D(2021, 12, 15), verlengen_tot=D(2022, 10, 1))
    contract = by_code(taken(ov(D(2021, 10, 1)), termijnen=t))["ontvangende.contracteren"]
    assert contract.voor == D(2021, 12, 15) and "2021-12-15" in contract.titel
    extend = by_code(taken(ov(D(2021, 11, 15)), termijnen=t))["latende.toewijzing_verlengen"]
    assert "2022-10-01" in extend.titel


def test_to_json_with_status():
    doc = by_code(taken(ov(pgb=True)))["pgb.tkb_naar_svb"].to_json(D(2021, 12, 2))
    assert doc["status"] == "te_laat" and doc["teLaat"] is True
    assert doc["voor"] == "2021-12-01" and doc["partij"] == "ontvangende_gemeente"


def test_task_codes_are_unique_and_name_their_party():
    assert len(TAAKCODES) == len(set(TAAKCODES))
    prefixes = {"latende", "ontvangende", "aanbieder", "pgb"}
    assert {c.split(".")[0] for c in TAAKCODES} == prefixes


# --- properties ----------------------------------------------------------------------------

days = st.dates(min_value=D(2021, 8, 1), max_value=D(2022, 12, 31))


@st.composite
def transfers(draw) -> Overdracht:
    aanlever = draw(st.one_of(days, st.sampled_from([D(2021, 10, 31), D(2021, 11, 1)])))
    later = st.dates(min_value=aanlever, max_value=D(2022, 12, 31))
    kind = draw(st.sampled_from(["open", "afgewezen", "afgerond", "heroverwogen"]))
    afwijzing = draw(later) if kind in ("afgewezen", "heroverwogen") else None
    afgerond = draw(later) if kind == "afgerond" else None
    if kind == "heroverwogen":  # rejected, then reconsidered and afgerond on a later day
        afgerond = afwijzing + timedelta(days=draw(st.integers(1, 200)))
    return Overdracht("x", AMSTERDAM, ROTTERDAM, aanlever, afwijzing, afgerond, draw(st.booleans()))


@settings(max_examples=300, deadline=None)
@given(transfers(), st.sets(st.sampled_from(TAAKCODES)), days)
def test_task_invariants(o, done, today):
    ts = taken(o, done)
    rule = tak(o)
    assert len(codes(ts)) == len(ts)
    assert bool(ts) == rule.binnen_maatregel
    assert any(t.code.startswith("pgb.") for t in ts) == (o.pgb and rule.binnen_maatregel)
    for t in ts:
        expected = {LAT: AMSTERDAM, ONT: ROTTERDAM, AANB: None}[t.partij]
        assert t.gemeente == expected
        if t.code in done:
            assert t.gedaan
        if t.gedaan:
            assert not t.overdue(today) and t.status(today) is TaakStatus.GEDAAN
        assert t.overdue(today) == (t.status(today) is TaakStatus.TE_LAAT)
    # The factsheet's "find the responsible municipality" falls to the latende exactly when
    # the transfer was rejected (a rejection that stands) and the latende stays responsible.
    assert ("latende.verantwoordelijke_zoeken" in codes(ts)) == (
        o.afgewezen and rule is not Tak.A_TIJDIG_AANGELEVERD
    )
    assert ("ontvangende.accepteren" in codes(ts)) == (rule is Tak.A_TIJDIG_AANGELEVERD)


@settings(max_examples=100, deadline=None)
@given(transfers())
def test_every_deadline_is_a_factsheet_date(o):
    allowed = {FACTSHEET.ingang, FACTSHEET.contract_voor, FACTSHEET.tkb_voor, None}
    for t in taken(o):
        assert t.voor in allowed
        assert t.niet_voor in {FACTSHEET.vow_niet_voor, o.afgerond_datum, None}
        if t.voor is not None and not t.gedaan:
            assert not t.overdue(t.voor - timedelta(days=1))
            assert t.overdue(t.voor)


# --- today's transfers: the law regime (issue 16 item 2) --------------------------------------
# Due dates worked out by hand from the calendar: Koningsdag 2026 is Monday 27 April, the
# Kerstdagen 2026 are Friday 25 and Saturday 26 December, Tweede Paasdag 2026 is Monday
# 6 April. "Within 5 werkdagen" (OP274) does not count the start day.

WET_CODES = {
    "ontvangende.beoordelen",
    "latende.toewijzing_beeindigen",
    "aanbieder.toewijzing_aanvragen",
    "ontvangende.toewijzing_sturen",
    "latende.verrekenen",
}


AANGELEVERD_2026, VANAF_2026 = D(2026, 3, 20), D(2026, 3, 10)


def wet(aanlever=AANGELEVERD_2026, vanaf=VANAF_2026, **kw) -> Overdracht:
    return Overdracht("w1", AMSTERDAM, ROTTERDAM, aanlever, vanaf=vanaf, **kw)


def test_a_transfer_of_today_gets_the_tasks_of_the_law_and_none_of_the_measure():
    ts = taken(wet(pgb=True))
    assert codes(ts) == WET_CODES
    assert not codes(ts) & (set(TAAKCODES) - WET_CODES - {"latende.verantwoordelijke_zoeken"})
    assert by_code(ts)["latende.toewijzing_beeindigen"].partij is LAT
    assert by_code(ts)["aanbieder.toewijzing_aanvragen"].gemeente is None
    # A 2021/22 transfer keeps the measure's tasks.
    assert "ontvangende.accepteren" in codes(taken(ov(D(2021, 10, 1))))


def test_the_latende_ends_its_toewijzing_per_the_day_before_vanaf_with_jz002_code_07():
    t = by_code(taken(wet(geaccepteerd_datum=D(2026, 3, 24))))["latende.toewijzing_beeindigen"]
    assert "einddatum 2026-03-09" in t.titel and "RedenWijziging 07" in t.titel
    # The code is JZ002's "Verhuizing naar een andere gemeente" in the bundled codelist.
    from wpb.ijw import codelists
    from wpb.law.taken import REDEN_WIJZIGING_VERHUIZING

    assert REDEN_WIJZIGING_VERHUIZING == codelists.REDEN_WIJZIGING_VERHUIZING
    rows = (Path(__file__).parents[2] / "src/wpb/data/ijw/JZ002_RedenWijziging.csv").read_text("utf-8")
    assert f"{REDEN_WIJZIGING_VERHUIZING},Verhuizing naar een andere gemeente" in rows.splitlines()


def test_ending_the_toewijzing_waits_for_the_acceptance_and_skips_koningsdag():
    waiting = by_code(taken(wet()))["latende.toewijzing_beeindigen"]
    assert not waiting.kan_starten and waiting.voor is None
    assert waiting.status(D(2026, 3, 25)) is TaakStatus.NOG_NIET
    # Accepted Thursday 2026-04-23: Fri 24 (1), Koningsdag Mon 27 skipped, Tue 28 (2),
    # Wed 29 (3), Thu 30 (4), Fri 1 May (5).
    t = by_code(taken(wet(aanlever=D(2026, 4, 20), geaccepteerd_datum=D(2026, 4, 23))))[
        "latende.toewijzing_beeindigen"]
    assert t.uiterlijk == D(2026, 5, 1)
    assert not t.overdue(D(2026, 5, 1)) and t.overdue(D(2026, 5, 2))
    assert "OP274" in t.termijnbron


def test_the_ontvangende_answers_a_jw315_within_5_werkdagen_over_christmas():
    # Accepted 2026-12-22, VOT received Wednesday 2026-12-23: Thu 24 (1), Fri 25 and Sat 26
    # Kerstdagen, Sun 27, Mon 28 (2), Tue 29 (3), Wed 30 (4), Thu 31 (5).
    o = wet(aanlever=D(2026, 12, 21), vanaf=D(2026, 12, 1),
            geaccepteerd_datum=D(2026, 12, 22), vot_ontvangen=D(2026, 12, 23))
    ts = by_code(taken(o))
    t = ts["ontvangende.toewijzing_sturen"]
    assert t.uiterlijk == D(2026, 12, 31) and "OP274" in t.termijnbron
    assert "ingangsdatum 2026-12-01" in t.titel
    assert t.status(D(2026, 12, 31)) is TaakStatus.OPEN and t.overdue(D(2027, 1, 1))
    assert ts["aanbieder.toewijzing_aanvragen"].gedaan_door == "verzoek om toewijzing ontvangen op 2026-12-23"


def test_a_jw315_received_while_the_transfer_is_assessed_has_the_woonplaats_term():
    # VOT on Monday 2026-03-23, accepted only on 2026-03-30: OP359, 14 days, to Monday
    # 2026-04-06 (Tweede Paasdag; the end is not moved, see wpb.law.termijnen).
    o = wet(vot_ontvangen=D(2026, 3, 23), geaccepteerd_datum=D(2026, 3, 30))
    t = by_code(taken(o))["ontvangende.toewijzing_sturen"]
    assert t.uiterlijk == D(2026, 4, 6) and "OP359" in t.termijnbron


def test_the_ontvangende_assesses_within_two_weeks_even_ending_on_a_saturday():
    # Delivered Saturday 2026-03-21: two weeks is Saturday 2026-04-04 (Regeling Jeugdwet
    # art. 1a.1; a ministeriële regeling, so the Algemene termijnenwet does not move it).
    t = by_code(taken(wet(aanlever=D(2026, 3, 21))))["ontvangende.beoordelen"]
    assert t.uiterlijk == D(2026, 4, 4) and "1a.1" in t.termijnbron
    assert not t.overdue(D(2026, 4, 4)) and t.overdue(D(2026, 4, 5))
    accepted = by_code(taken(wet(aanlever=D(2026, 3, 21), geaccepteerd_datum=D(2026, 4, 10))))
    assert accepted["ontvangende.beoordelen"].gedaan and not accepted["ontvangende.beoordelen"].overdue(D(2026, 5, 1))


def test_the_overlap_is_settled_once_afgerond():
    open_ = by_code(taken(wet()))["latende.verrekenen"]
    assert not open_.kan_starten and "2026-03-09" in open_.titel
    done = by_code(taken(wet(afgerond_datum=D(2026, 4, 2))))["latende.verrekenen"]
    assert done.kan_starten and done.niet_voor == D(2026, 4, 2)
    assert not done.gedaan  # only a person knows whether the latende paid after vanaf


def test_a_standing_rejection_under_the_law_gives_the_latende_the_search():
    ts = taken(wet(afwijzingsdatum=D(2026, 3, 25)))
    assert codes(ts) == {"ontvangende.beoordelen", "latende.verantwoordelijke_zoeken"}
    assert by_code(ts)["ontvangende.beoordelen"].gedaan_door == "afgewezen met onderbouwing op 2026-03-25"
    reconsidered = taken(wet(afwijzingsdatum=D(2026, 3, 25), afgerond_datum=D(2026, 4, 15)))
    assert codes(reconsidered) == WET_CODES


def test_a_task_has_a_stable_identity_and_can_be_reopened():
    o = wet(geaccepteerd_datum=D(2026, 3, 24))
    marked = by_code(taken(o, {"latende.toewijzing_beeindigen"}))["latende.toewijzing_beeindigen"]
    reopened = by_code(taken(o))["latende.toewijzing_beeindigen"]
    assert marked.id == reopened.id == "w1/latende.toewijzing_beeindigen"
    assert (marked.gedaan, marked.gedaan_door) == (True, "gemarkeerd")
    assert not reopened.gedaan and reopened.overdue(D(2026, 4, 1))
    assert reopened.to_json(D(2026, 4, 1))["uiterlijk"] == "2026-03-31"


def test_a_reconsidered_part_b_transfer_has_the_tasks_of_b_done_by_afgerond():
    o = ov(D(2021, 10, 1), afwijzing=D(2021, 10, 20), afgerond=D(2022, 4, 1))
    ts = by_code(taken(o))
    assert "latende.verantwoordelijke_zoeken" not in ts
    assert ts["ontvangende.toewijzing_sturen"].gedaan
    assert ts["latende.verrekenen"].kan_starten and ts["latende.verrekenen"].niet_voor == D(2022, 4, 1)


wet_days = st.dates(min_value=D(2022, 1, 2), max_value=D(2030, 12, 31))


@st.composite
def wet_transfers(draw) -> Overdracht:
    vanaf = draw(wet_days)
    aanlever = draw(wet_days)
    later = st.dates(min_value=aanlever, max_value=D(2031, 6, 30))
    accepted = draw(st.none() | later)
    afgerond = draw(st.none() | st.dates(min_value=accepted, max_value=D(2031, 6, 30))) if accepted else None
    return Overdracht("w", AMSTERDAM, ROTTERDAM, aanlever, None, afgerond, False, accepted,
                      vanaf=vanaf, vot_ontvangen=draw(st.none() | wet_days))


@settings(max_examples=200, deadline=None)
@given(wet_transfers())
def test_law_deadlines_in_werkdagen_end_on_the_fifth_working_day(o):
    from wpb.law.termijnen import NATIONAAL

    accepted = o.geaccepteerd_datum or o.afgerond_datum
    for t in taken(o):
        assert t.code in WET_CODES
        if t.voor is None:
            continue
        if t.code == "ontvangende.beoordelen":
            assert t.uiterlijk == o.aanleverdatum + timedelta(days=14)
            continue
        if t.code == "ontvangende.toewijzing_sturen" and o.vot_ontvangen is not None:
            if "OP359" in t.termijnbron:
                assert t.uiterlijk == o.vot_ontvangen + timedelta(days=14)
                assert accepted is None or accepted > o.vot_ontvangen
                continue
            start = o.vot_ontvangen
        else:
            start = accepted
        assert NATIONAAL.is_werkdag(t.uiterlijk)
        assert NATIONAAL.werkdagen_tussen(start, t.uiterlijk) == 5
        assert not t.overdue(t.uiterlijk) and (t.gedaan or t.overdue(t.voor))
