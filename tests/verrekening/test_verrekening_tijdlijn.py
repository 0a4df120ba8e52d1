"""The responsibility timeline per youth (wpb.law.verrekening.tijdlijn).

Precedence (docs/verrekening.md): a woonplaats decision over a transfer on the days it
applies; among decisions the latest ingang, then the latest vastgesteld_op; among
transfers the latest aanleverdatum (a rejected one yields on the same day), the first
governing from the ingangsdatum of the measure.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpb.law.overgang import FACTSHEET, Overdracht, verantwoordelijke
from wpb.law.verrekening.tijdlijn import (
    GrondslagSoort,
    OngeldigeBeslissing,
    TijdlijnConflict,
    WoonplaatsBeslissing,
    build_tijdlijn,
    build_tijdlijnen,
)

BSN = "999990019"
ANDER = "999990020"
D = date


JUNE_1 = D(2022, 6, 1)


def besl(id_, gemeente, ingang, vastgesteld=JUNE_1, tot=None, bsn=BSN):
    return WoonplaatsBeslissing(
        id=id_, bsn=bsn, gemeente=gemeente, ingang=ingang, invoer_hash=f"sha256:{id_}",
        vastgesteld_op=vastgesteld, tot=tot,
    )


A = Overdracht("T-A", "0344", "0307", aanleverdatum=D(2021, 10, 15))  # onderdeel A
B = Overdracht("T-B", "0599", "0518", aanleverdatum=D(2021, 11, 10), afgerond_datum=D(2022, 2, 15))


def gemeente_op(tl, day):
    p = tl.op(day)
    return p.gemeente if p else None


def test_transfer_under_a_gives_the_ontvangende_from_the_ingangsdatum():
    tl = build_tijdlijn(BSN, [A])
    assert gemeente_op(tl, D(2021, 12, 31)) is None  # the measure says nothing before
    assert gemeente_op(tl, D(2022, 1, 1)) == "0307"
    assert gemeente_op(tl, D(2030, 1, 1)) == "0307"
    assert tl.perioden[0].grondslag.soort is GrondslagSoort.OVERDRACHT
    assert tl.perioden[0].grondslag.referentie == "T-A"


def test_transfer_under_b_changes_on_the_afgerond_day_for_who_pays_for_the_time_being():
    tl = build_tijdlijn(BSN, [B])
    # The measure (part B): Rotterdam pays until the afgerond day, Den Haag from it.
    assert [(p.van, p.tot, p.gemeente) for p in tl.voorlopig] == [
        (D(2022, 1, 1), D(2022, 2, 15), "0599"),
        (D(2022, 2, 15), None, "0518"),
    ]
    assert tl.voorlopig_op(D(2022, 2, 14)).gemeente == verantwoordelijke(B, D(2022, 2, 14)).gemeente


def test_afgerond_transfer_under_b_settles_on_the_law_from_the_ingangsdatum():
    """Factsheet part B: the latende keeps paying until afgerond, then settles "de al
    betaalde facturen" with the gemeente responsible under the law (Jeugdwet art. 1.1 from
    2022-01-01): Den Haag bears the cost of every day from 2022-01-01."""
    tl = build_tijdlijn(BSN, [B])
    assert [(p.van, p.tot, p.gemeente) for p in tl.kosten] == [(D(2022, 1, 1), None, "0518")]
    assert [(p.van, p.tot, p.gemeente) for p in tl.perioden] == [(D(2022, 1, 1), None, "0518")]
    assert "al betaalde facturen" in tl.perioden[0].grondslag.omschrijving
    assert tl.perioden[0].grondslag.referentie == "T-B"


def test_b_not_yet_afgerond_settles_on_who_pays_for_the_time_being():
    open_b = Overdracht("T-B", "0599", "0518", aanleverdatum=D(2021, 11, 10))
    tl = build_tijdlijn(BSN, [open_b])
    assert gemeente_op(tl, D(2022, 2, 1)) == "0599"
    assert tl.kosten_op(D(2022, 2, 1)).gemeente == "0518"  # the law's bearer, once afgerond


def test_rejected_b_transfer_names_no_bearer_under_the_law():
    rejected = Overdracht("T-1", "0599", "0518", aanleverdatum=D(2021, 10, 1), afwijzingsdatum=D(2021, 10, 15))
    tl = build_tijdlijn(BSN, [rejected])
    assert gemeente_op(tl, D(2022, 2, 1)) == "0599" and tl.kosten == ()


def test_todays_transfer_with_vanaf_settles_from_vanaf_once_afgerond():
    """Issue 16, today's transfers: the ontvangende is responsible from ``vanaf`` whatever
    day the paperwork is done; the latende pays until afgerond and then claims."""
    t = Overdracht("T-26", "0344", "0363", aanleverdatum=D(2026, 3, 20), afgerond_datum=D(2026, 4, 10))
    tl = build_tijdlijn(BSN, [t], vanaf={"T-26": D(2026, 3, 1)})
    assert [(p.van, p.tot, p.gemeente) for p in tl.voorlopig] == [
        (D(2026, 3, 1), D(2026, 4, 10), "0344"), (D(2026, 4, 10), None, "0363"),
    ]
    assert [(p.van, p.tot, p.gemeente) for p in tl.perioden] == [(D(2026, 3, 1), None, "0363")]
    assert gemeente_op(tl, D(2026, 2, 28)) is None  # before vanaf this transfer says nothing
    not_done = build_tijdlijn(BSN, [replace(t, afgerond_datum=None)], vanaf={"T-26": D(2026, 3, 1)})
    assert gemeente_op(not_done, D(2026, 3, 5)) == "0344"


def test_vanaf_on_the_ingangsdatum_is_the_migratiegroep_and_before_it_is_refused():
    assert build_tijdlijn(BSN, [B], vanaf={"T-B": D(2022, 1, 1)}) == build_tijdlijn(BSN, [B])
    with pytest.raises(ValueError, match="vóór 2022-01-01"):
        build_tijdlijn(BSN, [B], vanaf={"T-B": D(2021, 12, 1)})


def test_decision_takes_precedence_from_its_ingang_only():
    tl = build_tijdlijn(BSN, [A], [besl("W1", "0599", D(2022, 3, 1))])
    assert gemeente_op(tl, D(2022, 2, 28)) == "0307"
    p = tl.op(D(2022, 3, 1))
    assert p.gemeente == "0599"
    assert p.grondslag.soort is GrondslagSoort.WOONPLAATSBESLISSING
    assert p.grondslag.referentie == "sha256:W1"


def test_decision_with_an_end_gives_way_to_the_transfer_again():
    tl = build_tijdlijn(BSN, [A], [besl("W1", "0599", D(2022, 3, 1), tot=D(2022, 4, 1))])
    assert gemeente_op(tl, D(2022, 3, 31)) == "0599"
    assert gemeente_op(tl, D(2022, 4, 1)) == "0307"


def test_decision_before_the_measure_fills_the_gap():
    tl = build_tijdlijn(BSN, [A], [besl("W1", "0344", D(2021, 6, 1), tot=D(2022, 1, 1))])
    assert gemeente_op(tl, D(2021, 5, 31)) is None
    assert gemeente_op(tl, D(2021, 6, 1)) == "0344"
    assert gemeente_op(tl, D(2022, 1, 1)) == "0307"


def test_decision_alone_without_a_transfer():
    tl = build_tijdlijn(BSN, [], [besl("W1", "0363", D(2022, 5, 1))])
    assert gemeente_op(tl, D(2022, 4, 30)) is None
    assert gemeente_op(tl, D(2023, 1, 1)) == "0363"


def test_later_ingang_wins_among_decisions():
    early = besl("W1", "0599", D(2022, 1, 1), vastgesteld=D(2022, 9, 1))
    late = besl("W2", "0518", D(2022, 5, 1), vastgesteld=D(2022, 6, 1))
    tl = build_tijdlijn(BSN, [A], [early, late])
    # W1 was decided later but about an earlier peildatum: from 2022-05-01 W2 is the
    # more recent account of where the youth lived.
    assert gemeente_op(tl, D(2022, 4, 30)) == "0599"
    assert gemeente_op(tl, D(2022, 5, 1)) == "0518"


def test_same_ingang_the_latest_decided_corrects_the_earlier():
    first = besl("W1", "0599", D(2022, 1, 1), vastgesteld=D(2022, 6, 1))
    again = besl("W2", "0518", D(2022, 1, 1), vastgesteld=D(2022, 7, 1))
    tl = build_tijdlijn(BSN, [A], [first, again])
    assert gemeente_op(tl, D(2022, 1, 1)) == "0518"
    assert tl.op(D(2022, 1, 1)).grondslag.referentie == "sha256:W2"


def test_interrupting_decision_hands_back_to_the_one_it_interrupted():
    base = besl("W1", "0599", D(2022, 1, 1))
    stay = besl("W2", "0518", D(2022, 3, 1), tot=D(2022, 5, 1))
    tl = build_tijdlijn(BSN, [A], [base, stay])
    assert [gemeente_op(tl, d) for d in (D(2022, 2, 28), D(2022, 3, 1), D(2022, 5, 1))] == [
        "0599", "0518", "0599",
    ]


def test_equal_decisions_with_different_gemeenten_are_a_conflict():
    with pytest.raises(TijdlijnConflict) as exc:
        build_tijdlijn(BSN, [A], [besl("W1", "0599", D(2022, 1, 1)), besl("W2", "0518", D(2022, 1, 1))])
    assert "W1" in str(exc.value) and "W2" in str(exc.value)
    assert BSN not in str(exc.value)


def test_equal_decisions_with_the_same_gemeente_are_no_conflict():
    tl = build_tijdlijn(BSN, [], [besl("W2", "0599", D(2022, 1, 1)), besl("W1", "0599", D(2022, 1, 1))])
    assert tl.op(D(2022, 1, 1)).grondslag.referentie == "sha256:W1"  # stable: smallest id


def test_redirected_transfer_governs_after_the_rejected_one():
    rejected = Overdracht("T-1", "0599", "0518", aanleverdatum=D(2021, 10, 1),
                          afwijzingsdatum=D(2021, 10, 15))  # B: latende stays, never afgerond
    redirected = Overdracht("T-2", "0599", "0363", aanleverdatum=D(2021, 10, 20))  # A
    tl = build_tijdlijn(BSN, [redirected, rejected])
    assert gemeente_op(tl, D(2022, 1, 1)) == "0363"
    assert tl.op(D(2022, 1, 1)).grondslag.referentie == "T-2"


def test_rejected_transfer_yields_on_the_same_delivery_day():
    rejected = Overdracht("T-1", "0599", "0518", aanleverdatum=D(2021, 10, 1),
                          afwijzingsdatum=D(2021, 10, 2))
    other = Overdracht("T-2", "0599", "0363", aanleverdatum=D(2021, 10, 1))
    assert gemeente_op(build_tijdlijn(BSN, [rejected, other]), D(2022, 2, 1)) == "0363"


def test_two_transfers_on_the_same_day_with_different_outcomes_conflict():
    t1 = Overdracht("T-1", "0599", "0518", aanleverdatum=D(2021, 10, 1))
    t2 = Overdracht("T-2", "0599", "0363", aanleverdatum=D(2021, 10, 1))
    with pytest.raises(TijdlijnConflict, match="T-1"):
        build_tijdlijn(BSN, [t1, t2])


def test_a_later_transfer_governs_from_its_own_delivery():
    first = B  # afgerond: Den Haag bears the cost from 2022-01-01
    later = Overdracht("T-C", "0518", "0363", aanleverdatum=D(2022, 9, 1))
    tl = build_tijdlijn(BSN, [later, first])
    assert gemeente_op(tl, D(2022, 1, 10)) == "0518"  # not overwritten by the later transfer
    assert tl.voorlopig_op(D(2022, 1, 10)).gemeente == "0599"
    assert gemeente_op(tl, D(2022, 8, 31)) == "0518"
    assert gemeente_op(tl, D(2022, 9, 1)) == "0518"  # later transfer, late: latende until afgerond
    done = build_tijdlijn(BSN, [replace(later, afgerond_datum=D(2022, 10, 1)), first])
    assert gemeente_op(done, D(2022, 9, 1)) == "0363"  # afgerond: the law's bearer from its start


def test_the_first_transfer_governs_from_the_ingangsdatum_even_if_delivered_later():
    late = Overdracht("T-L", "0599", "0518", aanleverdatum=D(2022, 2, 1))
    assert gemeente_op(build_tijdlijn(BSN, [late]), D(2022, 1, 1)) == "0599"


OPEN_B = Overdracht("T-O", "0599", "0518", aanleverdatum=D(2021, 11, 10))  # B, not afgerond


def test_segments_cover_the_range_and_split_at_changes():
    tl = build_tijdlijn(BSN, [OPEN_B], [besl("W1", "0518", D(2022, 2, 15))])
    segs = tl.segmenten(D(2021, 12, 20), D(2022, 2, 20))
    assert [(s.van, s.tot, s.periode.gemeente if s.periode else None) for s in segs] == [
        (D(2021, 12, 20), D(2022, 1, 1), None),
        (D(2022, 1, 1), D(2022, 2, 15), "0599"),
        (D(2022, 2, 15), D(2022, 2, 21), "0518"),
    ]
    assert sum(s.dagen for s in segs) == (D(2022, 2, 21) - D(2021, 12, 20)).days


def test_segments_of_a_single_day():
    segs = build_tijdlijn(BSN, [B]).segmenten(D(2022, 2, 15), D(2022, 2, 15))
    assert [(s.van, s.tot, s.periode.gemeente) for s in segs] == [(D(2022, 2, 15), D(2022, 2, 16), "0518")]


def test_segments_refuse_the_last_date_that_exists_instead_of_overflowing():
    with pytest.raises(ValueError, match="laatste datum"):
        build_tijdlijn(BSN, [B]).segmenten(D(2022, 2, 15), date.max)


def test_segments_refuse_an_end_before_the_begin():
    with pytest.raises(ValueError):
        build_tijdlijn(BSN, [B]).segmenten(D(2022, 2, 15), D(2022, 2, 14))


def test_decision_about_another_youth_is_refused():
    with pytest.raises(ValueError, match="andere jeugdige"):
        build_tijdlijn(BSN, [A], [besl("W1", "0599", D(2022, 1, 1), bsn=ANDER)])


def test_invalid_decision_lists_every_problem_without_the_bsn():
    with pytest.raises(OngeldigeBeslissing) as exc:
        WoonplaatsBeslissing(id="W9", bsn="123456789", gemeente="363", ingang=D(2022, 5, 1),
                             invoer_hash="", vastgesteld_op=D(2022, 6, 1), tot=D(2022, 5, 1))
    velden = {f.veld for f in exc.value.fouten}
    assert velden == {"bsn", "gemeente", "invoer_hash"}  # tot is checked once the rest holds
    assert "123456789" not in str(exc.value)
    with pytest.raises(OngeldigeBeslissing, match="tot"):
        besl("W9", "0363", D(2022, 5, 1), tot=D(2022, 5, 1))


def test_timelines_for_several_youths_report_all_conflicts_together():
    t1 = Overdracht("T-1", "0599", "0518", aanleverdatum=D(2021, 10, 1))
    t2 = Overdracht("T-2", "0599", "0363", aanleverdatum=D(2021, 10, 1))
    t3 = Overdracht("T-3", "0344", "0518", aanleverdatum=D(2021, 10, 1))
    t4 = Overdracht("T-4", "0344", "0363", aanleverdatum=D(2021, 10, 1))
    with pytest.raises(TijdlijnConflict) as exc:
        build_tijdlijnen([(BSN, t1), (BSN, t2), (ANDER, t3), (ANDER, t4)])
    assert len(exc.value.problemen) == 2
    result = build_tijdlijnen([(BSN, A), (ANDER, B)])
    assert set(result) == {BSN, ANDER}


# --- property: the built timeline agrees with the precedence rule applied day by day -------

GEMEENTEN = ["0344", "0307", "0599", "0518", "0363"]
DAYS = st.dates(min_value=D(2021, 9, 1), max_value=D(2022, 12, 31))


@st.composite
def transfers(draw):
    n = draw(st.integers(0, 3))
    result = []
    for i in range(n):
        lat, ont = draw(st.lists(st.sampled_from(GEMEENTEN), min_size=2, max_size=2, unique=True))
        aan = draw(DAYS)
        rejected = draw(st.booleans())
        afw = aan + timedelta(days=draw(st.integers(0, 60))) if rejected else None
        afg = None if rejected or not draw(st.booleans()) else aan + timedelta(days=draw(st.integers(0, 200)))
        result.append(Overdracht(f"T{i}", lat, ont, aanleverdatum=aan, afwijzingsdatum=afw, afgerond_datum=afg))
    return result


@st.composite
def decisions(draw):
    n = draw(st.integers(0, 3))
    result = []
    for i in range(n):
        ingang = draw(DAYS)
        tot = None if draw(st.booleans()) else ingang + timedelta(days=draw(st.integers(1, 120)))
        vast = D(2023, 1, 1) + timedelta(days=draw(st.integers(0, 3)))
        result.append(besl(f"W{i}", draw(st.sampled_from(GEMEENTEN)), ingang, vastgesteld=vast, tot=tot))
    return result


def _oracle(transfers_, decisions_, day):
    """The precedence rule of the module docstring, applied to one day directly."""
    applying = [b for b in decisions_ if b.ingang <= day and (b.tot is None or day < b.tot)]
    if applying:
        best = max((b.ingang, b.vastgesteld_op) for b in applying)
        return {b.gemeente for b in applying if (b.ingang, b.vastgesteld_op) == best}
    if day < FACTSHEET.ingang or not transfers_:
        return {None}
    ordered = sorted(transfers_, key=lambda o: (o.aanleverdatum, o.afwijzingsdatum is None))
    governing = ordered[0]
    for o in ordered[1:]:
        if max(FACTSHEET.ingang, o.aanleverdatum) <= day:
            governing = o
    if governing.afgerond_datum is not None:
        # Afgerond: settlement follows the law, which puts the youth with the ontvangende
        # from the day the transfer governs (the measure only decided who pays first).
        return {governing.ontvangende_gemeente}
    return {verantwoordelijke(governing, day).gemeente}


def _oracle_voorlopig(transfers_, day):
    """Who pays for the time being: the measure of the governing transfer, no decisions."""
    if day < FACTSHEET.ingang or not transfers_:
        return {None}
    ordered = sorted(transfers_, key=lambda o: (o.aanleverdatum, o.afwijzingsdatum is None))
    governing = ordered[0]
    for o in ordered[1:]:
        if max(FACTSHEET.ingang, o.aanleverdatum) <= day:
            governing = o
    return {verantwoordelijke(governing, day).gemeente}


@settings(max_examples=150, deadline=None)
@given(transfers(), decisions(), st.lists(DAYS, min_size=1, max_size=15))
def test_timeline_agrees_with_the_rule_day_by_day(ts, bs, days):
    try:
        tl = build_tijdlijn(BSN, ts, bs)
    except TijdlijnConflict:
        return  # equal precedence and different answers: nothing to compare
    for day in days:
        assert gemeente_op(tl, day) in _oracle(ts, bs, day)
        p = tl.voorlopig_op(day)
        assert (p.gemeente if p else None) in _oracle_voorlopig(ts, day)
    # Periods are sorted, disjoint and never two equal neighbours.
    for a, b in zip(tl.perioden, tl.perioden[1:], strict=False):
        assert a.tot is not None and a.tot <= b.van
        assert not (a.tot == b.van and a.gemeente == b.gemeente and a.grondslag == b.grondslag)
