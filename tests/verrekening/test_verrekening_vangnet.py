"""Vangnet claims (wpb.law.verrekening.vangnet): open longer than the term (default 6
calendar months) or disputed; totals per gemeente and per provider. The regulation's
details are [OPEN]; these tests pin wpb's documented assumption."""

from __future__ import annotations

from datetime import date

import pytest

from wpb.law.verrekening.claims import Claim, ClaimSoort, ClaimStatus, claim_id
from wpb.law.verrekening.vangnet import VangnetReden, plus_maanden, vangnet


def claim(eiser, schuldenaar, bedrag, ontstaan, status=ClaimStatus.OPEN, aanbieder="41123456", n=0):
    van, tot = date(2022, 1, 1), date(2022, 2, 1)
    return Claim(
        id=claim_id(f"F{n}", eiser, schuldenaar, van, tot, bedrag), soort=ClaimSoort.CLAIM,
        factuur=f"F{n}", aanbieder=aanbieder, product="p", jeugdige="J-AAAA-AAAA-AAAA-AAAA",
        schuldeiser=eiser, schuldenaar=schuldenaar, van=van, tot=tot, bedrag=bedrag,
        grondslagen=(), ontstaan=ontstaan, status=status,
    )


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2022, 1, 15), 6, date(2022, 7, 15)),
        (date(2022, 8, 31), 6, date(2023, 2, 28)),  # no 31 February: the last day
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # leap year
        (date(2022, 12, 1), 1, date(2023, 1, 1)),
        (date(2022, 5, 5), 0, date(2022, 5, 5)),
    ],
)
def test_calendar_months(start, months, expected):
    assert plus_maanden(start, months) == expected


def test_open_claim_enters_on_the_day_six_months_have_passed():
    c = claim("0344", "0307", 100, date(2022, 1, 15))
    assert vangnet([c], date(2022, 7, 14)).claims == ()
    (v,) = vangnet([c], date(2022, 7, 15)).claims
    assert (v.reden, v.sinds) == (VangnetReden.TE_LANG_OPEN, date(2022, 7, 15))


def test_acknowledged_but_unpaid_claim_also_enters():
    c = claim("0344", "0307", 100, date(2022, 1, 1), ClaimStatus.ERKEND)
    assert len(vangnet([c], date(2022, 7, 1)).claims) == 1


def test_disputed_claim_enters_whatever_its_age():
    c = claim("0344", "0307", 100, date(2022, 6, 1), ClaimStatus.BETWIST)
    (v,) = vangnet([c], date(2022, 6, 2)).claims
    assert v.reden is VangnetReden.BETWIST


@pytest.mark.parametrize("status", [ClaimStatus.BETAALD, ClaimStatus.INGETROKKEN])
def test_paid_and_withdrawn_claims_never_enter(status):
    assert vangnet([claim("0344", "0307", 100, date(2020, 1, 1), status)], date(2023, 1, 1)).claims == ()


def test_configurable_term():
    c = claim("0344", "0307", 100, date(2022, 1, 1))
    assert vangnet([c], date(2022, 4, 1), termijn_maanden=3).claims != ()
    assert vangnet([c], date(2022, 4, 1)).claims == ()
    with pytest.raises(ValueError):
        vangnet([c], date(2022, 4, 1), termijn_maanden=-1)


def test_totals_per_gemeente_and_per_provider():
    cs = [
        claim("0344", "0307", 100, date(2022, 1, 1), n=1),
        claim("0344", "0599", 250, date(2022, 1, 1), ClaimStatus.BETWIST, aanbieder="42654321", n=2),
        claim("0599", "0344", 40, date(2022, 1, 1), n=3),
        claim("0599", "0344", 999, date(2022, 6, 30), n=4),  # too recent: not in the vangnet
    ]
    v = vangnet(cs, date(2022, 7, 1))
    assert v.totaal == 390
    g = v.per_gemeente
    assert (g["0344"].te_ontvangen.bedrag, g["0344"].te_betalen.bedrag) == (350, 40)
    assert (g["0307"].te_ontvangen.bedrag, g["0307"].te_betalen.bedrag) == (0, 100)
    assert (g["0599"].te_ontvangen.bedrag, g["0599"].te_betalen.bedrag) == (40, 250)
    assert g["0344"].te_ontvangen.aantal == 2
    assert {k: (t.aantal, t.bedrag) for k, t in v.per_aanbieder.items()} == {
        "41123456": (2, 140), "42654321": (1, 250),
    }
    assert v.to_json()["totaal"] == 390
