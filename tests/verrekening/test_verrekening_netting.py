"""Multilateral netting (wpb.law.verrekening.netting): every balance preserved to the cent,
at most n − 1 payments for n municipalities with a non-zero balance."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpb.law.verrekening.claims import Claim, ClaimSoort, ClaimStatus, claim_id
from wpb.law.verrekening.netting import betalingen, salderen, saldi

D = date(2022, 6, 1)


def claim(eiser, schuldenaar, bedrag, status=ClaimStatus.OPEN, n=0):
    van, tot = date(2022, 1, 1), date(2022, 2, 1)
    return Claim(
        id=claim_id(f"F{n}", eiser, schuldenaar, van, tot, bedrag), soort=ClaimSoort.CLAIM,
        factuur=f"F{n}", aanbieder="41123456", product="p", jeugdige="J-AAAA-AAAA-AAAA-AAAA",
        schuldeiser=eiser, schuldenaar=schuldenaar, van=van, tot=tot, bedrag=bedrag,
        grondslagen=(), ontstaan=D, status=status,
    )


def apply(payments):
    """The balance change the payments make: the payer's balance rises (it owes less)."""
    moved: dict[str, int] = {}
    for p in payments:
        assert p.bedrag > 0 and p.van != p.aan
        moved[p.van] = moved.get(p.van, 0) + p.bedrag
        moved[p.aan] = moved.get(p.aan, 0) - p.bedrag
    return moved


def test_worked_example_triangle_becomes_two_payments():
    # A is owed 100 by B, B is owed 100 by C, C is owed 40 by A.
    cs = [claim("A", "B", 100, n=1), claim("B", "C", 100, n=2), claim("C", "A", 40, n=3)]
    s = salderen(cs)
    assert s.saldi == {"A": 60, "B": 0, "C": -60}
    assert [(p.van, p.aan, p.bedrag) for p in s.betalingen] == [("C", "A", 60)]


def test_exact_pairs_are_paid_directly():
    balances = {"A": 500, "B": 300, "C": -300, "D": -500}
    assert [(p.van, p.aan, p.bedrag) for p in betalingen(balances)] == [("D", "A", 500), ("C", "B", 300)]


def test_greedy_largest_debtor_pays_largest_creditor():
    balances = {"A": 700, "B": 300, "C": -600, "D": -400}
    # C pays A 600 (A keeps 100 to receive); then the largest creditor is B (300).
    assert [(p.van, p.aan, p.bedrag) for p in betalingen(balances)] == [
        ("C", "A", 600), ("D", "B", 300), ("D", "A", 100),
    ]


def test_disputed_paid_and_withdrawn_claims_stay_out():
    cs = [
        claim("A", "B", 100, ClaimStatus.BETWIST, n=1),
        claim("A", "B", 200, ClaimStatus.BETAALD, n=2),
        claim("A", "B", 300, ClaimStatus.INGETROKKEN, n=3),
        claim("A", "B", 50, ClaimStatus.ERKEND, n=4),
        claim("A", "B", 25, ClaimStatus.OPEN, n=5),
    ]
    s = salderen(cs)
    assert s.saldi == {"A": 75, "B": -75}
    assert len(s.buiten) == 3 and len(s.claim_ids) == 2
    only_acknowledged = salderen(cs, statussen=frozenset({ClaimStatus.ERKEND}))
    assert only_acknowledged.saldi == {"A": 50, "B": -50}


def test_claims_between_a_gemeente_and_its_successor_are_internal():
    # Weesp (0457) merged into Amsterdam (0363): a claim between them is no debt any more.
    merged = {"0457": "0363"}
    cs = [claim("0363", "0457", 100, n=1), claim("0344", "0457", 70, n=2)]
    s = salderen(cs, partij=lambda c: merged.get(c, c))
    assert s.intern == (cs[0].id,)
    assert s.saldi == {"0344": 70, "0363": -70}


def test_unbalanced_input_is_refused():
    with pytest.raises(ValueError):
        betalingen({"A": 1})


def test_no_claims_no_payments():
    s = salderen([])
    assert s.betalingen == () and s.saldi == {} and s.partijen == 0


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from("ABCDEFGH"), st.sampled_from("ABCDEFGH"),
            st.integers(min_value=1, max_value=10**9),
            st.sampled_from(list(ClaimStatus)),
        ).filter(lambda t: t[0] != t[1]),
        max_size=40,
    )
)
def test_netting_preserves_every_balance_and_needs_at_most_n_minus_1_payments(raw):
    """Proof sketch, checked here on every generated case.

    Let b be the balances over the claims taken in; sum(b) = 0 because every claim adds
    its amount to one party and subtracts it from another. A payment of x from debtor d to
    creditor c adds x to b[d] and subtracts x from b[c]: the sum stays 0, and x = min(b[c],
    −b[d]) brings at least one of them to 0 without changing sign, and never touches a zero
    balance. So the number of non-zero balances drops by at least one per payment. When
    one non-zero balance would remain, the zero sum makes it zero: the last payment closes
    two. Starting from n non-zero balances that is at most n − 1 payments. Balances are
    preserved: the payments move exactly −b for each party (checked to the cent below).
    """
    cs = [claim(a, b, x, s, n=i) for i, (a, b, x, s) in enumerate(raw)]
    result = salderen(cs)
    expected = saldi(c for c in cs if c.status in (ClaimStatus.OPEN, ClaimStatus.ERKEND))
    assert result.saldi == expected
    assert sum(result.saldi.values()) == 0
    moved = apply(result.betalingen)
    for party in set(expected) | set(moved):
        # After the payments every balance is exactly zero: to the cent.
        assert expected.get(party, 0) + moved.get(party, 0) == 0
    n = sum(1 for v in expected.values() if v != 0)
    assert len(result.betalingen) <= max(n - 1, 0)
    # A party pays only if it owes, and receives only if it is owed.
    for p in result.betalingen:
        assert expected[p.van] < 0 < expected[p.aan]
