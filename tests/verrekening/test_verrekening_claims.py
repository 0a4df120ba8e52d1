"""Claims from paid invoices, their states, and recomputation (wpb.law.verrekening.claims).

Sources: Jeugdwet art. 1.1 and 8.2.1 (the responsible gemeente bears the cost; settlement left to
the municipalities) and the Factsheet 1-november-maatregel ("verrekent met de gemeente die
wel verantwoordelijk blijkt"). Worked examples are in exact cents.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpb.domain.claim import OVERGANGEN, OngeldigeClaimOvergang
from wpb.law.overgang import Overdracht
from wpb.law.verrekening.claims import (
    Berekening,
    Claim,
    ClaimSoort,
    ClaimStatus,
    change_status,
    compute_claims,
    recompute,
)
from wpb.law.verrekening.factuur import Factuur, OngeldigeFactuur
from wpb.law.verrekening.pseudoniem import pseudoniem
from wpb.law.verrekening.tijdlijn import WoonplaatsBeslissing, build_tijdlijn

D = date
BSN = "999990019"
KEY = b"test-sleutel-van-voldoende-lengte"
OP = D(2022, 6, 1)

# Rotterdam → Den Haag, delivered late (B), afgerond 2022-02-15: pre-financed by Rotterdam.
B = Overdracht("T-B", "0599", "0518", aanleverdatum=D(2021, 11, 10), afgerond_datum=D(2022, 2, 15))

# A timeline that changes on 2022-02-15, for the pro rata examples: Utrecht → Rotterdam in
# time (part A: Rotterdam from 2022-01-01), then a move to Den Haag, which under the law is
# responsible from 2022-02-15 (vanaf; a transfer outside the migratiegroep, afgerond).
T1 = Overdracht("T-1", "0344", "0599", aanleverdatum=D(2021, 10, 1))
TB = Overdracht("T-B", "0599", "0518", aanleverdatum=D(2022, 2, 10), afgerond_datum=D(2022, 2, 20))
VANAF = {"T-B": D(2022, 2, 15)}


def wissel(*beslissingen):
    return build_tijdlijn(BSN, [T1, TB], beslissingen, vanaf=VANAF)


def pseudo(bsn):
    return pseudoniem(bsn, KEY)


FEB_1, FEB_28 = D(2022, 2, 1), D(2022, 2, 28)
JAN_1 = D(2022, 1, 1)


def factuur(ref="F1", betaler="0599", begin=FEB_1, einde=FEB_28, bedrag=280001, bsn=BSN):
    return Factuur(ref, bsn, betaler, "41123456", "45A48", begin, einde, bedrag, D(2022, 3, 15))


def claims_for(facturen, tijdlijn, op=OP):
    return compute_claims(facturen, {tijdlijn.bsn: tijdlijn}, pseudoniem=pseudo, ontstaan=op)


def test_worked_example_invoice_spanning_the_afgerond_day():
    r = claims_for([factuur()], wissel())
    # 280001 cent over 14 + 14 days: 140000.5 each; the tie goes to the earliest part.
    assert [(d.van, d.tot, d.bedrag) for d in r.eigen] == [(D(2022, 2, 1), D(2022, 2, 15), 140001)]
    (c,) = r.claims
    assert (c.schuldeiser, c.schuldenaar, c.van, c.laatste_dag, c.bedrag) == (
        "0599", "0518", D(2022, 2, 15), D(2022, 2, 28), 140000,
    )
    assert c.soort is ClaimSoort.CLAIM and c.status is ClaimStatus.OPEN
    assert c.grondslagen[0].referentie == "T-B"
    assert c.jeugdige == pseudo(BSN)
    assert r.onbepaald == ()


def test_pre_financing_under_part_b_is_claimed_once_afgerond():
    """Factsheet 1-november-maatregel, part B: Rotterdam (latende) keeps paying until the
    transfer is afgerond (2022-02-15) and then settles "de al betaalde facturen" with Den
    Haag, responsible under the law (Jeugdwet art. 1.1) from 2022-01-01. So the whole of
    February, 280 001 cent, is one claim of Rotterdam on Den Haag: none of it is
    Rotterdam's own cost, although Rotterdam was the one to pay on 1-14 February."""
    r = claims_for([factuur()], build_tijdlijn(BSN, [B]))
    assert [(c.schuldeiser, c.schuldenaar, c.van, c.laatste_dag, c.bedrag) for c in r.claims] == [
        ("0599", "0518", FEB_1, FEB_28, 280001),
    ]
    assert r.eigen == () and r.onbepaald == ()


def test_pre_financing_waits_for_afgerond():
    """Before afgerond the measure decides: Rotterdam pays for the time being, so what it
    paid is its own for now, and what Den Haag paid is a claim on Rotterdam."""
    open_b = replace(B, afgerond_datum=None)
    r = claims_for([factuur()], build_tijdlijn(BSN, [open_b]))
    assert r.claims == () and sum(d.bedrag for d in r.eigen) == 280001
    r = claims_for([factuur(betaler="0518")], build_tijdlijn(BSN, [open_b]))
    assert [(c.schuldeiser, c.schuldenaar, c.bedrag) for c in r.claims] == [("0518", "0599", 280001)]


def test_todays_transfer_the_latende_claims_what_it_paid_after_vanaf():
    """Issue 16: outside the migratiegroep the ontvangende (Amsterdam) is responsible from
    vanaf (2026-03-10) whatever day the paperwork is done (afgerond 2026-04-02). Utrecht paid
    March 2026, 31 days for 310 000 cent: 9 days (1-9 March) before vanaf, on which this
    transfer names nobody (onbepaald, 90 000), and 22 days from vanaf, 220 000, claimed."""
    t = Overdracht("T-26", "0344", "0363", aanleverdatum=D(2026, 3, 20), afgerond_datum=D(2026, 4, 2))
    tl = build_tijdlijn(BSN, [t], vanaf={"T-26": D(2026, 3, 10)})
    f = factuur(betaler="0344", begin=D(2026, 3, 1), einde=D(2026, 3, 31), bedrag=310000)
    r = claims_for([f], tl)
    assert [(c.schuldeiser, c.schuldenaar, c.van, c.bedrag) for c in r.claims] == [
        ("0344", "0363", D(2026, 3, 10), 220000),
    ]
    assert [d.bedrag for d in r.onbepaald] == [90000]


def test_change_on_the_first_day_of_the_invoice_period_gives_one_whole_claim():
    r = claims_for([factuur(begin=D(2022, 2, 15), einde=D(2022, 2, 28), bedrag=99999)], wissel())
    assert [(c.van, c.tot, c.bedrag) for c in r.claims] == [(D(2022, 2, 15), D(2022, 3, 1), 99999)]
    assert r.eigen == ()


def test_change_on_the_last_day_of_the_invoice_period():
    # 2022-02-01..2022-02-15: 14 days Rotterdam, the last day Den Haag. 15001 cent / 15 days
    # = 1000.07 a day: 14 days 14000.93 → 14001, 1 day 1000.07 → 1000.
    r = claims_for([factuur(begin=D(2022, 2, 1), einde=D(2022, 2, 15), bedrag=15001)], wissel())
    assert [(d.bedrag) for d in r.eigen] == [14001]
    assert [(c.van, c.laatste_dag, c.bedrag) for c in r.claims] == [(D(2022, 2, 15), D(2022, 2, 15), 1000)]


def test_invoice_period_of_one_day():
    r = claims_for([factuur(begin=D(2022, 2, 15), einde=D(2022, 2, 15), bedrag=1)], wissel())
    assert [(c.van, c.tot, c.bedrag) for c in r.claims] == [(D(2022, 2, 15), D(2022, 2, 16), 1)]
    r = claims_for([factuur(begin=D(2022, 2, 14), einde=D(2022, 2, 14), bedrag=1)], wissel())
    assert r.claims == () and [d.bedrag for d in r.eigen] == [1]


def test_no_claim_where_the_payer_was_responsible():
    r = claims_for([factuur(betaler="0518", begin=D(2022, 3, 1), einde=D(2022, 3, 31))], wissel())
    assert r.claims == ()
    assert sum(d.bedrag for d in r.eigen) == 280001


def test_a_third_gemeente_that_paid_has_claims_on_each_responsible_part():
    r = claims_for([factuur(betaler="0363")], wissel())
    assert [(c.schuldenaar, c.bedrag) for c in r.claims] == [("0599", 140001), ("0518", 140000)]


def test_days_before_the_measure_without_a_decision_are_reported_not_claimed():
    r = claims_for([factuur(betaler="0518", begin=D(2021, 12, 1), einde=D(2022, 1, 31), bedrag=62000)],
                   wissel())
    assert [(d.van, d.tot, d.bedrag) for d in r.onbepaald] == [(D(2021, 12, 1), D(2022, 1, 1), 31000)]
    assert [(c.schuldenaar, c.bedrag) for c in r.claims] == [("0599", 31000)]


def test_youth_without_a_timeline_is_wholly_undetermined():
    r = compute_claims([factuur()], {}, pseudoniem=pseudo, ontstaan=OP)
    assert r.claims == () and [d.bedrag for d in r.onbepaald] == [280001]


def test_decision_as_basis_of_a_claim():
    besl = WoonplaatsBeslissing("W1", BSN, "0363", D(2022, 2, 1), "sha256:abc", D(2022, 5, 1))
    r = claims_for([factuur()], wissel(besl))
    (c,) = r.claims
    assert (c.schuldenaar, c.bedrag) == ("0363", 280001)
    assert c.grondslagen[0].referentie == "sha256:abc"


def test_duplicate_invoices_are_refused():
    with pytest.raises(ValueError, match="dubbel"):
        claims_for([factuur(), factuur()], wissel())


def test_invoice_validation_names_every_field_and_never_the_bsn():
    with pytest.raises(OngeldigeFactuur) as exc:
        Factuur("", "123456789", "363", "1234", "", D(2022, 2, 2), D(2022, 2, 1), 0, D(2022, 3, 1))
    assert {f.veld for f in exc.value.fouten} == {
        "referentie", "bsn", "betaler", "aanbieder", "product", "bedrag", "einde",
    }
    assert "123456789" not in str(exc.value)


def test_claim_output_carries_no_bsn():
    (c,) = claims_for([factuur()], wissel()).claims
    assert c.bsn == BSN  # kept inside for the service
    assert BSN not in repr(c)
    assert BSN not in str(c.to_json())


# --- states ----------------------------------------------------------------------------------


def _claim():
    return claims_for([factuur()], wissel()).claims[0]


def test_state_machine_happy_paths():
    c = _claim()
    erkend = change_status(c, ClaimStatus.ERKEND, D(2022, 6, 2))
    betaald = change_status(erkend, ClaimStatus.BETAALD, D(2022, 7, 1))
    assert (betaald.status, betaald.status_sinds) == (ClaimStatus.BETAALD, D(2022, 7, 1))
    betwist = change_status(c, ClaimStatus.BETWIST, D(2022, 6, 2), "niet onze jeugdige")
    assert change_status(betwist, ClaimStatus.ERKEND, D(2022, 8, 1)).status is ClaimStatus.ERKEND
    assert change_status(betwist, ClaimStatus.INGETROKKEN, D(2022, 8, 1)).status is ClaimStatus.INGETROKKEN
    assert c.status is ClaimStatus.OPEN  # the original is not changed


@pytest.mark.parametrize(
    ("van", "naar"),
    [(s, t) for s in ClaimStatus for t in ClaimStatus if t not in OVERGANGEN[s]],
)
def test_every_forbidden_transition_is_refused(van, naar):
    c = replace(_claim(), status=van)
    with pytest.raises(OngeldigeClaimOvergang):
        change_status(c, naar, D(2022, 12, 1))


def test_paid_and_withdrawn_are_final_and_open_cannot_be_paid_directly():
    assert OVERGANGEN[ClaimStatus.BETAALD] == frozenset()
    assert OVERGANGEN[ClaimStatus.INGETROKKEN] == frozenset()
    assert ClaimStatus.BETAALD not in OVERGANGEN[ClaimStatus.OPEN]


def test_a_change_cannot_predate_the_previous_one():
    with pytest.raises(OngeldigeClaimOvergang):
        change_status(_claim(), ClaimStatus.ERKEND, OP - timedelta(days=1))


# --- recomputation ---------------------------------------------------------------------------

LATER = D(2022, 9, 1)


def _decision(gemeente, ingang=JAN_1):
    return WoonplaatsBeslissing("W1", BSN, gemeente, ingang, f"sha256:{gemeente}", D(2022, 8, 1))


def test_recompute_with_the_same_timeline_changes_nothing():
    r = claims_for([factuur()], wissel())
    her = recompute(r.claims, claims_for([factuur()], wissel(), op=LATER), op=LATER)
    assert not her.gewijzigd
    assert her.claims == r.claims


def test_open_claim_no_longer_supported_is_withdrawn_and_replaced():
    old = claims_for([factuur()], wissel()).claims  # 0599 on 0518, 140000
    new = claims_for([factuur()], wissel(_decision("0363")), op=LATER)
    her = recompute(old, new, op=LATER)
    assert [(c.id, c.status) for c in her.ingetrokken] == [(old[0].id, ClaimStatus.INGETROKKEN)]
    assert [(c.schuldeiser, c.schuldenaar, c.bedrag, c.status) for c in her.nieuw] == [
        ("0599", "0363", 280001, ClaimStatus.OPEN)
    ]
    assert her.correcties == ()


def test_acknowledged_claim_is_never_altered_a_correction_reverses_it():
    old = [change_status(c, ClaimStatus.ERKEND, D(2022, 6, 10))
           for c in claims_for([factuur()], wissel()).claims]
    # A decision makes Rotterdam, the payer, responsible all along: nothing was owed.
    new = claims_for([factuur()], wissel(_decision("0599")), op=LATER)
    her = recompute(old, new, op=LATER)
    assert old[0] in her.ongewijzigd  # the acknowledged claim stands, unchanged
    (k,) = her.correcties
    assert (k.soort, k.schuldeiser, k.schuldenaar, k.bedrag) == (ClaimSoort.CORRECTIE, "0518", "0599", 140000)
    assert k.corrigeert == (old[0].id,)
    assert k.grondslagen[0].referentie == "sha256:0599"  # the decision that makes it so
    assert her.nieuw == () and her.ingetrokken == ()


def test_paid_claim_partly_changed_gets_a_correction_for_the_difference():
    # Den Haag turns out responsible from 2022-02-08 (decision): 21 of 28 days.
    old = [change_status(change_status(c, ClaimStatus.ERKEND, D(2022, 6, 10)), ClaimStatus.BETAALD, D(2022, 7, 1))
           for c in claims_for([factuur()], wissel()).claims]
    besl = WoonplaatsBeslissing("W1", BSN, "0518", D(2022, 2, 8), "sha256:w", D(2022, 8, 1))
    new = claims_for([factuur()], wissel(besl), op=LATER)
    assert sum(c.bedrag for c in new.claims) == 210001  # 280001 * 21/28 = 210000.75 → 210001
    her = recompute(old, new, op=LATER)
    (k,) = her.correcties
    assert (k.schuldeiser, k.schuldenaar, k.bedrag) == ("0599", "0518", 210001 - 140000)
    assert all(c in her.claims for c in old)


def test_recompute_twice_is_a_no_op():
    old = [change_status(c, ClaimStatus.ERKEND, D(2022, 6, 10))
           for c in claims_for([factuur()], wissel()).claims]
    new = claims_for([factuur()], wissel(_decision("0363")), op=LATER)
    first = recompute(old, new, op=LATER)
    second = recompute(first.claims, new, op=LATER + timedelta(days=5))
    assert not second.gewijzigd
    assert set(second.claims) == set(first.claims)


def test_disputed_claim_that_the_new_timeline_drops_is_withdrawn_explicitly():
    old = [change_status(c, ClaimStatus.BETWIST, D(2022, 6, 10))
           for c in claims_for([factuur()], wissel()).claims]
    new = claims_for([factuur()], wissel(_decision("0599")), op=LATER)
    her = recompute(old, new, op=LATER)
    assert [c.status for c in her.ingetrokken] == [ClaimStatus.INGETROKKEN]
    assert her.nieuw == () and her.correcties == ()


def test_new_computation_must_hold_only_open_claims():
    c = replace(_claim(), status=ClaimStatus.ERKEND)
    with pytest.raises(ValueError):
        recompute([], [c], op=LATER)


# --- properties ------------------------------------------------------------------------------

GEMEENTEN = ["0599", "0518", "0363", "0344"]


@st.composite
def invoices(draw):
    n = draw(st.integers(1, 6))
    result = []
    for i in range(n):
        begin = D(2021, 12, 1) + timedelta(days=draw(st.integers(0, 150)))
        einde = begin + timedelta(days=draw(st.integers(0, 70)))
        result.append(factuur(f"F{i}", draw(st.sampled_from(GEMEENTEN)), begin, einde,
                              draw(st.integers(1, 10**8))))
    return result


@st.composite
def decision_sets(draw):
    n = draw(st.integers(0, 2))
    return [
        WoonplaatsBeslissing(f"W{i}", BSN, draw(st.sampled_from(GEMEENTEN)),
                             D(2022, 1, 1) + timedelta(days=draw(st.integers(0, 120))),
                             f"sha256:{i}", D(2022, 8, 1) + timedelta(days=i))
        for i in range(n)
    ]


@settings(max_examples=120, deadline=None)
@given(invoices(), decision_sets())
def test_every_cent_is_accounted_for_and_claims_are_what_was_paid_outside_responsibility(fs, bs):
    tl = wissel(*bs)
    r = claims_for(fs, tl)
    total = sum(c.bedrag for c in r.claims) + sum(d.bedrag for d in r.eigen) + sum(d.bedrag for d in r.onbepaald)
    assert total == sum(f.bedrag for f in fs)
    for f in fs:
        # Independently: the exact value of the days paid outside responsibility.
        days = [f.begin + timedelta(days=i) for i in range(f.dagen)]
        outside = [d for d in days if tl.op(d) is not None and tl.op(d).gemeente != f.betaler]
        exact = Fraction(f.bedrag * len(outside), f.dagen)
        claimed = sum(c.bedrag for c in r.claims if c.factuur == f.sleutel)
        parts = len(tl.segmenten(f.begin, f.einde))
        assert abs(claimed - exact) < parts  # each part at most a cent from its share
        if not outside:
            assert claimed == 0
    for c in r.claims:
        day = c.van
        while day < c.tot:
            assert tl.op(day).gemeente == c.schuldenaar != c.schuldeiser
            day += timedelta(days=1)


def _signed_sum(claims, factuur_, pair):
    return sum(
        (c.bedrag if c.schuldeiser == pair[0] else -c.bedrag)
        for c in claims
        if c.factuur == factuur_ and {c.schuldeiser, c.schuldenaar} == set(pair)
        and c.status is not ClaimStatus.INGETROKKEN
    )


@settings(max_examples=120, deadline=None)
@given(invoices(), decision_sets(), decision_sets(), st.lists(st.sampled_from(list(ClaimStatus)), max_size=20))
def test_recompute_keeps_settled_claims_and_reaches_the_new_amounts(fs, bs_old, bs_new, states):
    old_calc = claims_for(fs, wissel(*bs_old))
    old = []
    for c, s in zip(old_calc.claims, states + [ClaimStatus.OPEN] * len(old_calc.claims), strict=False):
        old.append(replace(c, status=s))
    new_calc = claims_for(fs, wissel(*bs_new), op=LATER)
    her = recompute(old, new_calc, op=LATER)
    result = her.claims
    # 1. Acknowledged and paid claims are kept exactly as they were.
    for c in old:
        if c.status in (ClaimStatus.ERKEND, ClaimStatus.BETAALD, ClaimStatus.INGETROKKEN):
            assert c in result
    # 2. Nothing is lost: every old claim is still there, by id.
    assert {c.id for c in old} <= {c.id for c in result}
    assert len({c.id for c in result}) == len(result)
    # 3. Per invoice and pair, the claims in force add up to the new computation.
    #    Withdrawn-before claims are out of it, so only compare where none was withdrawn
    #    before the run (a withdrawn claim carries no money).
    pairs = {(c.factuur, tuple(sorted((c.schuldeiser, c.schuldenaar)))) for c in list(result) + list(new_calc.claims)}
    for factuur_, pair in pairs:
        assert _signed_sum(result, factuur_, pair) == _signed_sum(new_calc.claims, factuur_, pair)
    # 4. Only pending claims were withdrawn; corrections only beside settled claims.
    assert all(c.id in {o.id for o in old if o.status in (ClaimStatus.OPEN, ClaimStatus.BETWIST)}
               for c in her.ingetrokken)
    for k in her.correcties:
        assert k.corrigeert and all(
            o.status in (ClaimStatus.ERKEND, ClaimStatus.BETAALD) for o in old if o.id in k.corrigeert
        )
    # 5. Idempotent.
    again = recompute(result, new_calc, op=LATER)
    assert not again.gewijzigd


def test_berekening_is_accepted_as_well_as_a_list():
    calc = claims_for([factuur()], wissel())
    assert isinstance(calc, Berekening)
    assert recompute([], calc, op=OP).nieuw == recompute([], list(calc.claims), op=OP).nieuw


def test_claim_refuses_nonsense():
    c = _claim()
    with pytest.raises(ValueError):
        replace(c, bedrag=0)
    with pytest.raises(ValueError):
        replace(c, schuldenaar=c.schuldeiser)
    with pytest.raises(ValueError):
        Claim(**{**c.__dict__, "tot": c.van})


def test_recompute_leaves_claims_of_invoices_outside_the_new_batch_alone():
    tl = wissel()
    old_open = list(claims_for([factuur("F1")], tl).claims)
    old_erkend = [change_status(c, ClaimStatus.ERKEND, D(2022, 6, 5))
                  for c in claims_for([factuur("F2", begin=D(2022, 3, 1), einde=D(2022, 3, 31))], tl).claims]
    # A new batch with only F3: F1 and F2 are not in it and must not be withdrawn or corrected.
    batch = claims_for([factuur("F3", begin=D(2022, 4, 1), einde=D(2022, 4, 30), bedrag=3000)], tl, op=LATER)
    her = recompute(old_open + old_erkend, batch, op=LATER)
    assert her.ingetrokken == () and her.correcties == ()
    assert set(old_open + old_erkend) <= set(her.ongewijzigd)
    assert [c.factuur for c in her.nieuw] == ["0599/41123456/F3"]
    # Given as a plain list, the new claims are taken as complete unless a scope is passed.
    assert recompute(old_open, list(batch.claims), op=LATER).ingetrokken != ()
    assert recompute(old_open, list(batch.claims), op=LATER, facturen=batch.facturen).ingetrokken == ()
