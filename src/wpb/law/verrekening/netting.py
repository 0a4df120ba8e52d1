"""Multilateral netting: settle many claims between municipalities with few payments.

No statute prescribes netting (Jeugdwet art. 8.2.1 leaves the settlement to the
municipalities); it is a bookkeeping device that leaves every municipality's position
exactly as the claims make it. The rule (docs/verrekening.md):

1. The **balance** of a gemeente is what it is to receive minus what it is to pay over the
   claims taken in (by default ``open`` and ``erkend``; ``betwist`` claims stay out until
   the dispute is resolved, ``betaald`` and ``ingetrokken`` are done). Balances add up to 0.
2. First every creditor whose balance is exactly matched by a debtor's (c = −d) is paid by
   that debtor in one payment (largest amounts first, then by gemeentecode).
3. Then, repeatedly, the debtor with the largest debt pays the creditor with the largest
   credit the smaller of the two amounts (ties by gemeentecode), until all are zero.

**What is guaranteed.** Every balance is preserved to the cent: each payment moves the
same amount off one debt and one credit. With ``n`` municipalities of non-zero balance at
most ``n − 1`` payments are made: every payment brings at least one balance to zero and
never makes a zero balance non-zero; the balances always sum to zero, so the last
non-zero pair is closed by one payment that brings *both* to zero. Hence at most
``n − 1`` payments; each exact pair in step 2 saves one more. The true minimum is ``n − k``
where ``k`` is the largest number of groups the municipalities can be split into that
each sum to zero; finding it is NP-hard (it contains subset-sum), so wpb does not
promise the minimum, only ``≤ n − 1`` and the exact pairs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from wpb.law.verrekening.claims import Claim, ClaimStatus

IN_SALDERING = frozenset({ClaimStatus.OPEN, ClaimStatus.ERKEND})


@dataclass(frozen=True)
class Betaling:
    """``van`` pays ``aan`` ``bedrag`` eurocent."""

    van: str
    aan: str
    bedrag: int

    def to_json(self) -> dict:
        return {"van": self.van, "aan": self.aan, "bedrag": self.bedrag}


@dataclass(frozen=True)
class Saldering:
    """A netting run: the balances, the payments that settle them and the claims behind them.

    ``claim_ids`` are the claims settled by these payments (the service marks them
    ``betaald`` once the payments are made). ``intern`` are claims whose two sides are the
    same party after herindeling (see :func:`salderen`); ``buiten`` those left out by state.
    """

    saldi: dict[str, int]
    betalingen: tuple[Betaling, ...]
    claim_ids: tuple[str, ...]
    intern: tuple[str, ...]
    buiten: tuple[str, ...]

    @property
    def partijen(self) -> int:
        """The number of municipalities with a non-zero balance (``n`` of the bound)."""
        return sum(1 for v in self.saldi.values() if v != 0)

    def to_json(self) -> dict:
        return {
            "saldi": dict(sorted(self.saldi.items())),
            "betalingen": [b.to_json() for b in self.betalingen],
            "aantalBetalingen": len(self.betalingen),
            "partijenMetSaldo": self.partijen,
            "claims": list(self.claim_ids),
            "intern": list(self.intern),
            "buitenSaldering": list(self.buiten),
        }


def saldi(claims: Iterable[Claim], partij: Callable[[str], str] = lambda code: code) -> dict[str, int]:
    """Balance per party: to receive minus to pay, in eurocent (all claims given count)."""
    result: dict[str, int] = {}
    for c in claims:
        eiser, schuldenaar = partij(c.schuldeiser), partij(c.schuldenaar)
        if eiser == schuldenaar:
            continue
        result[eiser] = result.get(eiser, 0) + c.bedrag
        result[schuldenaar] = result.get(schuldenaar, 0) - c.bedrag
    return result


def betalingen(balances: dict[str, int]) -> tuple[Betaling, ...]:
    """Payments that bring every balance to zero; at most n − 1 for n non-zero balances."""
    if sum(balances.values()) != 0:
        raise ValueError(f"de saldi tellen op tot {sum(balances.values())}, niet tot 0")
    rest = {k: v for k, v in balances.items() if v != 0}
    payments: list[Betaling] = []

    # Step 2: exact pairs, largest first; each closes two balances with one payment.
    creditors = sorted((k for k, v in rest.items() if v > 0), key=lambda k: (-rest[k], k))
    for c in creditors:
        match = sorted((k for k, v in rest.items() if v == -rest[c]), key=lambda k: k)
        if match:
            d = match[0]
            payments.append(Betaling(d, c, rest[c]))
            del rest[c]
            del rest[d]

    # Step 3: largest debtor pays largest creditor.
    while rest:
        c = min((k for k, v in rest.items() if v > 0), key=lambda k: (-rest[k], k))
        d = min((k for k, v in rest.items() if v < 0), key=lambda k: (rest[k], k))
        amount = min(rest[c], -rest[d])
        payments.append(Betaling(d, c, amount))
        for k, delta in ((c, -amount), (d, amount)):
            rest[k] += delta
            if rest[k] == 0:
                del rest[k]
    return tuple(payments)


def salderen(
    claims: Sequence[Claim],
    *,
    statussen: frozenset[ClaimStatus] = IN_SALDERING,
    partij: Callable[[str], str] = lambda code: code,
) -> Saldering:
    """Net the claims in ``statussen`` into payments.

    ``partij`` maps a gemeentecode to the party that settles for it: the adapter passes the
    successor after a herindeling (Weesp → Amsterdam), so that claims on an ended
    municipality are paid by the one that carries its obligations. A claim whose two sides
    map to the same party is ``intern``: it is no debt between municipalities any more.
    """
    taken = [c for c in claims if c.status in statussen]
    buiten = tuple(sorted(c.id for c in claims if c.status not in statussen))
    intern = tuple(sorted(c.id for c in taken if partij(c.schuldeiser) == partij(c.schuldenaar)))
    counted = [c for c in taken if partij(c.schuldeiser) != partij(c.schuldenaar)]
    balances = saldi(counted, partij)
    return Saldering(
        saldi=balances,
        betalingen=betalingen(balances),
        claim_ids=tuple(sorted(c.id for c in counted)),
        intern=intern,
        buiten=buiten,
    )
